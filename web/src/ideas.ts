// The tenant's idea catalogue, fetched once per page load.
import { api, Idea, Localized } from "./api";
import { lang } from "./i18n";

let cached: Promise<Idea[]> | null = null;

export function loadIdeas(): Promise<Idea[]> {
  if (!cached) {
    cached = api<Idea[]>("GET", "/ideas");
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function local(text: Localized | undefined): string {
  if (!text) return "";
  return text[lang()] || text.en || text.de || "";
}

export function ideaTitle(ideas: Idea[] | undefined, id: string): string {
  const idea = ideas?.find((i) => i.id === id);
  return idea ? local(idea.title) : id;
}
