// Small shared pieces: links that use the router, data loading with its
// loading and error states, status messages announced to screen readers.
import { ComponentChildren, JSX } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { errorText } from "./api";
import { t } from "./i18n";
import { navigate } from "./router";

export function Link(props: JSX.HTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={onClick} />;
}

export interface Loaded<T> {
  data: T | undefined;
  error: string;
  status: number;
  reload: () => void;
}

// Runs `load` on mount and whenever `deps` change; reload() runs it again.
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState("");
  const [status, setStatus] = useState(0);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError("");
      },
      (e) => {
        if (!live) return;
        setError(errorText(e));
        setStatus((e as { status?: number }).status ?? 0);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, status, reload };
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {t("loading")}
    </p>
  );
}

export function ErrorBox({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

export function Notice({ text }: { text: string }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {text}
    </p>
  );
}

export function Card({ children, title, level = 2 }: { children: ComponentChildren; title?: string; level?: 2 | 3 }) {
  const H = level === 2 ? "h2" : "h3";
  return (
    <section class="card">
      {title && <H>{title}</H>}
      {children}
    </section>
  );
}

// Runs an async action, keeping its error and a "busy" flag for the button.
export function useAction(): {
  busy: boolean;
  error: string;
  run: (fn: () => Promise<void>) => Promise<boolean>;
  setError: (s: string) => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError("");
    try {
      await fn();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export function formatDate(iso: string): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(t("locale"), { year: "numeric", month: "short", day: "numeric" });
}

export function formatNumber(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !isFinite(v)) return "–";
  return v.toLocaleString(t("locale"), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

// Sets the document title ("<page> – cocity").
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} – cocity` : "cocity";
  }, [title]);
}
