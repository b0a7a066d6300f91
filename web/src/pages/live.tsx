// Live sessions: joining by code on a phone and voting, the projector view
// (big, live bars, QR code) and the moderator's controls. State arrives
// over the session's WebSocket; when that fails the pages poll.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, errorText, LiveItem, LiveState, LiveTally } from "../api";
import { CountBars } from "../charts";
import { t } from "../i18n";
import { ideaTitle, loadIdeas } from "../ideas";
import { canModerate, useAccount } from "../session";
import { ErrorBox, formatNumber, Link, Loading, Notice, useAction, useLoad, useTitle } from "../ui";
import { LiveCodeForm } from "./public";
import { LoginNeeded } from "./process";

// Follows a live session's state: the WebSocket's "state" messages, or
// GET /live/{code} every 2 s while the socket is down.
function useLiveState(code: string, query: string, initial: LiveState | null, enabled = true) {
  const [state, setState] = useState<LiveState | null>(initial);
  const [error, setError] = useState("");
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let closed = false;
    let socket: WebSocket | null = null;
    let poll: ReturnType<typeof setInterval> | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let failures = 0;
    const fetchState = () =>
      api<LiveState>("GET", `/live/${encodeURIComponent(code)}`).then(
        (s) => !closed && setState((old) => merge(old, s)),
        (e) => !closed && setError(errorText(e)),
      );
    const startPolling = () => {
      if (poll || closed) return;
      fetchState();
      poll = setInterval(fetchState, 2000);
    };
    const stopPolling = () => {
      if (poll) clearInterval(poll);
      poll = null;
    };
    const connect = () => {
      if (closed) return;
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/api/v1/live/${encodeURIComponent(code)}/ws${query}`);
      socket.onopen = () => {
        failures = 0;
        setConnected(true);
        stopPolling();
      };
      socket.onmessage = (m) => {
        try {
          const msg = JSON.parse(String(m.data));
          if (msg.type === "state" && msg.session) {
            setState(msg.session as LiveState);
            setError("");
          }
        } catch {
          /* not JSON: ignored */
        }
      };
      socket.onclose = () => {
        setConnected(false);
        if (closed) return;
        failures++;
        startPolling();
        retry = setTimeout(connect, Math.min(30000, 1000 * 2 ** Math.min(failures, 5)));
      };
    };
    if (!initial) fetchState();
    connect();
    return () => {
      closed = true;
      stopPolling();
      if (retry) clearTimeout(retry);
      socket?.close();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code, query, enabled]);
  return { state, setState, error, connected };
}

// A polled public state lacks the tally the socket gave the projector; keep
// the last one for the same item rather than dropping the bars.
function merge(old: LiveState | null, next: LiveState): LiveState {
  if (old?.current?.tally && next.current && !next.current.tally && old.current.item.id === next.current.item.id) {
    return { ...next, current: { ...next.current, tally: old.current.tally } };
  }
  return next;
}

// An idea item shows the idea's title in the reader's language (the
// server fills `text` from one language of the catalogue).
function itemLabel(item: LiveItem, ideas?: Parameters<typeof ideaTitle>[0]): string {
  if (item.type === "idea_rating" && item.idea) {
    const known = ideas?.some((i) => i.id === item.idea);
    const title = known ? ideaTitle(ideas, item.idea) : item.text || item.idea;
    return item.criterion ? `${title} – ${t(`criterion_${item.criterion}`)}` : title;
  }
  return item.text;
}

function tallyRows(item: LiveItem, tally?: LiveTally): { label: string; count: number }[] {
  const counts = tally?.counts ?? {};
  if (item.type === "single_choice") {
    return (item.options ?? []).map((o, i) => ({ label: o, count: counts[String(i)] ?? 0 }));
  }
  const rows = [1, 2, 3, 4, 5].map((v) => ({ label: String(v), count: counts[String(v)] ?? 0 }));
  if (item.type === "likert") rows.push({ label: t("dont_know"), count: counts["dont_know"] ?? 0 });
  return rows;
}

function tokenKey(code: string) {
  return `cocity-live-${code}`;
}

export function LiveEnterPage() {
  useTitle(t("live_join_title"));
  return (
    <div class="narrow">
      <h1>{t("live_join_title")}</h1>
      <p>{t("live_join_lead")}</p>
      <LiveCodeForm />
    </div>
  );
}

export function LiveParticipantPage({ code }: { code: string }) {
  useTitle(t("live_session"));
  const ideas = useLoad(loadIdeas, []);
  const [token, setToken] = useState(() => sessionStorage.getItem(tokenKey(code)) ?? "");
  const [joinError, setJoinError] = useState("");
  const [initial, setInitial] = useState<LiveState | null>(null);
  const [voted, setVoted] = useState<Record<string, unknown>>(() => {
    try {
      return JSON.parse(sessionStorage.getItem(tokenKey(code) + "-votes") ?? "{}");
    } catch {
      return {};
    }
  });
  const action = useAction();

  useEffect(() => {
    if (token) return;
    api<{ participant_token: string; state: LiveState }>("POST", `/live/${encodeURIComponent(code)}/join`, {}).then(
      (r) => {
        sessionStorage.setItem(tokenKey(code), r.participant_token);
        setInitial(r.state);
        setToken(r.participant_token);
      },
      (e) => setJoinError(e instanceof ApiError && e.status === 404 ? t("live_unknown_code") : errorText(e)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [code]);

  const live = useLiveState(code, `?token=${encodeURIComponent(token)}`, initial, token !== "");
  const state = live.state;

  const vote = async (item: LiveItem, value: number | string) => {
    const ok = await action.run(() =>
      api("POST", `/live/${encodeURIComponent(code)}/votes`, { item: item.id, value }, { headers: { "X-Participant-Token": token } }).then(
        () => undefined,
      ),
    );
    if (ok || (action.error && action.error.startsWith("409"))) {
      const next = { ...voted, [item.id]: value };
      setVoted(next);
      sessionStorage.setItem(tokenKey(code) + "-votes", JSON.stringify(next));
    }
  };

  if (joinError) {
    return (
      <div class="narrow">
        <h1>{t("live_session")}</h1>
        <ErrorBox text={joinError} />
        <LiveCodeForm />
      </div>
    );
  }
  if (!state) return <Loading />;
  const cur = state.current;
  const myVote = cur ? voted[cur.item.id] : undefined;
  return (
    <div class="narrow live-phone">
      <h1>{state.title}</h1>
      <p class="muted small-text">
        {t("live_code")}: <strong>{state.code}</strong> · {t("live_participants", { n: String(state.participants) })}
      </p>
      {state.status === "ended" && <Notice text={t("live_ended")} />}
      {state.status !== "ended" && !cur && <p>{t("live_waiting")}</p>}
      {state.status !== "ended" && cur && (
        <section class="card" aria-labelledby="live-item">
          <p class="eyebrow">{t("live_item_of", { n: String(cur.index + 1), total: String(state.item_count) })}</p>
          <h2 id="live-item">{itemLabel(cur.item, ideas.data)}</h2>
          {!cur.open && <p class="notice">{t("live_closed")}</p>}
          {myVote !== undefined && <Notice text={t("live_voted", { value: voteLabel(cur.item, myVote) })} />}
          {cur.open && myVote === undefined && (
            <div class="vote-buttons" role="group" aria-label={t("live_your_vote")}>
              {voteChoices(cur.item).map((c) => (
                <button key={String(c.value)} type="button" class="vote" disabled={action.busy} onClick={() => vote(cur.item, c.value)}>
                  {c.label}
                </button>
              ))}
            </div>
          )}
          <ErrorBox text={action.error} />
          <p class="muted small-text">{t("live_votes", { n: String(cur.votes) })}</p>
          {cur.revealed && cur.tally && (
            <CountBars title={t("live_result")} rows={tallyRows(cur.item, cur.tally)} />
          )}
        </section>
      )}
    </div>
  );
}

function voteChoices(item: LiveItem): { value: number | string; label: string }[] {
  if (item.type === "single_choice") return (item.options ?? []).map((o, i) => ({ value: i, label: o }));
  const c: { value: number | string; label: string }[] = [1, 2, 3, 4, 5].map((v) => ({ value: v, label: String(v) }));
  if (item.type === "likert") c.push({ value: "dont_know", label: t("dont_know") });
  return c;
}

function voteLabel(item: LiveItem, v: unknown): string {
  if (item.type === "single_choice" && typeof v === "number") return item.options?.[v] ?? String(v);
  if (v === "dont_know") return t("dont_know");
  return String(v);
}

export function ProjectorPage({ code }: { code: string }) {
  const ideas = useLoad(loadIdeas, []);
  const live = useLiveState(code, "?view=projector", null);
  const state = live.state;
  useTitle(state ? state.title : t("live_projector"));
  const joinUrl = `${location.origin}/live/${code}`;
  if (live.error && !state) return <ErrorBox text={live.error} />;
  if (!state) return <Loading />;
  const cur = state.current;
  return (
    <div class="projector" data-connection={live.connected ? "socket" : "polling"}>
      <header class="projector-head">
        <h1>{state.title}</h1>
        <div class="projector-join">
          <img src={`/api/v1/live/${encodeURIComponent(code)}/qr.svg`} alt={t("live_qr_alt", { url: joinUrl })} width={150} height={150} />
          <p>
            {joinUrl.replace(/^https?:\/\//, "")}
            <br />
            {t("live_code")}: <strong class="code">{state.code}</strong>
          </p>
        </div>
      </header>
      {state.status === "ended" && <p class="projector-item">{t("live_ended")}</p>}
      {state.status !== "ended" && !cur && <p class="projector-item">{t("live_waiting")}</p>}
      {state.status !== "ended" && cur && (
        <section aria-labelledby="projector-item">
          <p class="projector-meta">
            {t("live_item_of", { n: String(cur.index + 1), total: String(state.item_count) })} ·{" "}
            {cur.open ? t("live_open") : t("live_closed_short")}
          </p>
          <h2 id="projector-item" class="projector-item">
            {itemLabel(cur.item, ideas.data)}
          </h2>
          <div aria-live="polite">
            <CountBars big title={t("live_result")} rows={tallyRows(cur.item, cur.tally)} />
            <p class="projector-meta">
              <span class="projector-votes">{t("live_votes", { n: String(cur.votes) })}</span> ·{" "}
              {t("live_participants", { n: String(state.participants) })}
              {cur.tally?.mean !== undefined && cur.tally?.mean !== null && ` · ${t("mean")} ${formatNumber(cur.tally.mean)}`}
            </p>
          </div>
        </section>
      )}
    </div>
  );
}

export function LiveModeratorPage({ id }: { id: string }) {
  const { account, loaded } = useAccount();
  const ideas = useLoad(loadIdeas, []);
  const session = useLoad(() => api<LiveState>("GET", `/live-sessions/${id}`), [id, account?.id]);
  const [state, setState] = useState<LiveState | null>(null);
  const action = useAction();
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  useTitle(t("live_moderate"));
  useEffect(() => {
    if (session.data) setState(session.data);
  }, [session.data]);
  // The moderator's state has the tallies; refresh it every second.
  useEffect(() => {
    timer.current = setInterval(() => {
      api<LiveState>("GET", `/live-sessions/${id}`).then(setState, () => undefined);
    }, 1000);
    return () => {
      if (timer.current) clearInterval(timer.current);
    };
  }, [id]);
  if (loaded && !account) return <LoginNeeded />;
  if (loaded && !canModerate(account)) return <ErrorBox text={t("not_allowed")} />;
  if (session.error) return <ErrorBox text={session.error} />;
  if (!state) return <Loading />;
  const control = (body: { action: string; index?: number }) =>
    action.run(() => api<LiveState>("POST", `/live-sessions/${id}/control`, body).then(setState));
  const cur = state.current;
  const ended = state.status === "ended";
  return (
    <>
      <h1>
        {t("live_moderate")}: {state.title}
      </h1>
      <p class="lead">
        {t("live_code")}: <strong class="code">{state.code}</strong> · {t("live_participants", { n: String(state.participants) })}
        {ended && ` · ${t("live_ended")}`}
      </p>
      <p class="button-row">
        <a class="button secondary" href={`/live/${state.code}/projector`} target="_blank" rel="noopener">
          {t("live_open_projector")}
        </a>
        <Link class="button secondary" href={`/live/${state.code}`}>
          {t("live_open_participant")}
        </Link>
      </p>
      {cur && (
        <section class="card" aria-labelledby="mod-item">
          <p class="eyebrow">{t("live_item_of", { n: String(cur.index + 1), total: String(state.item_count) })}</p>
          <h2 id="mod-item">{itemLabel(cur.item, ideas.data)}</h2>
          <p>
            {cur.open ? t("live_open") : t("live_closed_short")} · {cur.revealed ? t("live_revealed") : t("live_hidden")} ·{" "}
            {t("live_votes", { n: String(cur.votes) })}
          </p>
          <CountBars title={t("live_result")} rows={tallyRows(cur.item, cur.tally)} />
        </section>
      )}
      <div class="button-row controls" role="group" aria-label={t("live_controls")}>
        <button type="button" class="secondary" disabled={ended || action.busy} onClick={() => control({ action: "previous" })}>
          {t("live_previous")}
        </button>
        <button type="button" disabled={ended || action.busy} onClick={() => control({ action: "next" })}>
          {t("live_next")}
        </button>
        {cur?.open ? (
          <button type="button" class="secondary" disabled={ended || action.busy} onClick={() => control({ action: "close" })}>
            {t("live_close")}
          </button>
        ) : (
          <button type="button" class="secondary" disabled={ended || action.busy} onClick={() => control({ action: "reopen" })}>
            {t("live_reopen")}
          </button>
        )}
        {cur?.revealed ? (
          <button type="button" class="secondary" disabled={ended || action.busy} onClick={() => control({ action: "hide" })}>
            {t("live_hide")}
          </button>
        ) : (
          <button type="button" class="secondary" disabled={ended || action.busy} onClick={() => control({ action: "reveal" })}>
            {t("live_reveal")}
          </button>
        )}
        <button type="button" class="danger" disabled={ended || action.busy} onClick={() => confirm(t("live_end_confirm")) && control({ action: "end" })}>
          {t("live_end")}
        </button>
      </div>
      <ErrorBox text={action.error} />
      {state.items && (
        <section aria-labelledby="mod-items">
          <h2 id="mod-items">{t("live_items")}</h2>
          <ol class="items">
            {state.items.map((item, i) => (
              <li key={item.id}>
                <button
                  type="button"
                  class="link-button"
                  aria-current={cur?.index === i ? "step" : undefined}
                  disabled={ended}
                  onClick={() => control({ action: "goto", index: i })}
                >
                  {itemLabel(item, ideas.data)}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
