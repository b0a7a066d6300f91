// Who is logged in: loaded once from GET /auth/me, changed by login and
// logout. Components read it through useAccount().
import { useEffect, useState } from "preact/hooks";
import { Account, api, setCsrf } from "./api";

let account: Account | null = null;
let loaded = false;
const listeners = new Set<() => void>();

function set(next: Account | null, csrf: string): void {
  account = next;
  loaded = true;
  setCsrf(csrf);
  listeners.forEach((l) => l());
}

export async function loadSession(): Promise<void> {
  try {
    const me = await api<{ account: Account; csrf_token: string }>("GET", "/auth/me");
    set(me.account, me.csrf_token);
  } catch {
    set(null, "");
  }
}

export async function login(email: string, password: string): Promise<void> {
  const r = await api<{ account: Account; csrf_token: string }>("POST", "/auth/login", {
    email,
    password,
  });
  set(r.account, r.csrf_token);
}

export async function logout(): Promise<void> {
  try {
    await api("POST", "/auth/logout");
  } finally {
    set(null, "");
  }
}

export function useAccount(): { account: Account | null; loaded: boolean } {
  const [, force] = useState(0);
  const shown = { account, loaded }; // what the first render saw
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    // GET /auth/me may have answered between that render and this effect
    // (quick with the app's files cached): render again, or the page would
    // wait for a change that already happened.
    if (account !== shown.account || loaded !== shown.loaded) l();
    return () => {
      listeners.delete(l);
    };
  }, []);
  return { account, loaded };
}

export function canModerate(a: Account | null): boolean {
  return a !== null && (a.role === "admin" || a.role === "moderator");
}

export function canReadResults(a: Account | null): boolean {
  return canModerate(a) || a?.role === "decision_maker";
}
