// A small history router: the path decides the page; links and navigate()
// push history entries and re-render through the subscribers.
import { useEffect, useState } from "preact/hooks";

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => listeners.forEach((l) => l()));

export function useLocation(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    update(); // a navigation before the subscription
    return () => {
      listeners.delete(update);
    };
  }, []);
  return path;
}

// Matches "/processes/:id" against a path; the parameters or null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/");
  const s = path.replace(/\/+$/, "").split("/");
  if (path === "/") s.splice(0, s.length, "", "");
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(":")) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

// The token after '#token=' in the address (invitation links).
export function hashToken(): string {
  const m = /token=([^&]+)/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : "";
}
