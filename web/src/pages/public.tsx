// Pages anyone may open: the overview, login, accepting an invitation, the
// idea catalogue and an idea's page.
import { useState } from "preact/hooks";
import { api, Idea, Process } from "../api";
import { loadIdeas, local } from "../ideas";
import { t } from "../i18n";
import { hashToken, navigate } from "../router";
import { canModerate, login, useAccount } from "../session";
import { Card, ErrorBox, formatDate, Link, Loading, Notice, useAction, useLoad, useTitle } from "../ui";

export function HomePage() {
  useTitle(t("nav_processes"));
  const { account, loaded } = useAccount();
  const processes = useLoad(
    () => (account ? api<Process[]>("GET", "/processes") : Promise.resolve([] as Process[])),
    [account?.id],
  );
  return (
    <>
      <h1>{t("home_title")}</h1>
      <p class="lead">{t("home_lead")}</p>
      <div class="grid">
        <Card title={t("live_join_title")}>
          <LiveCodeForm />
        </Card>
        <Card title={t("nav_ideas")}>
          <p>{t("ideas_lead")}</p>
          <Link href="/ideas" class="button secondary">
            {t("ideas_open")}
          </Link>
        </Card>
      </div>
      <h2>{t("processes_title")}</h2>
      {!loaded && <Loading />}
      {loaded && !account && (
        <p>
          {t("processes_login_needed")} <Link href="/login">{t("login")}</Link>
        </p>
      )}
      {account && <ErrorBox text={processes.error} />}
      {account && processes.data && processes.data.length === 0 && <p>{t("processes_none")}</p>}
      {account && processes.data && (
        <ul class="cards">
          {processes.data.map((p) => (
            <li key={p.id} class="card">
              <h3>
                <Link href={`/processes/${p.id}`}>{p.title}</Link>
              </h3>
              <p>
                <span class={`badge status-${p.status}`}>{t(`status_${p.status}`)}</span>
              </p>
              <p>{p.description}</p>
              {canModerate(account) && (
                <Link href={`/admin/processes/${p.id}`}>{t("manage")}</Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function LiveCodeForm() {
  const [code, setCode] = useState("");
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const c = code.trim().toUpperCase();
        if (c) navigate(`/live/${encodeURIComponent(c)}`);
      }}
    >
      <label for="live-code">{t("live_code")}</label>
      <input
        id="live-code"
        name="code"
        value={code}
        autoComplete="off"
        autoCapitalize="characters"
        inputMode="text"
        onInput={(e) => setCode(e.currentTarget.value)}
      />
      <button type="submit">{t("live_join")}</button>
    </form>
  );
}

export function LoginPage() {
  useTitle(t("login"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await action.run(() => login(email, password));
    if (ok) navigate(new URLSearchParams(location.search).get("next") || "/");
  };
  return (
    <div class="narrow">
      <h1>{t("login")}</h1>
      <form onSubmit={submit} class="stack">
        <label for="login-email">{t("email")}</label>
        <input
          id="login-email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
        <label for="login-password">{t("password")}</label>
        <input
          id="login-password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <ErrorBox text={action.error && t("login_failed")} />
        <button type="submit" disabled={action.busy}>
          {t("login")}
        </button>
      </form>
    </div>
  );
}

export function JoinPage() {
  useTitle(t("join_title"));
  const [token] = useState(hashToken());
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (password !== repeat) {
      action.setError(t("join_passwords_differ"));
      return;
    }
    const ok = await action.run(() =>
      api("POST", "/auth/accept-invitation", { token, name, password }).then(() => undefined),
    );
    if (ok) {
      setDone(true);
      history.replaceState(null, "", "/join");
    }
  };
  if (!token && !done) {
    return (
      <div class="narrow">
        <h1>{t("join_title")}</h1>
        <ErrorBox text={t("join_no_token")} />
      </div>
    );
  }
  return (
    <div class="narrow">
      <h1>{t("join_title")}</h1>
      {done ? (
        <>
          <Notice text={t("join_done")} />
          <Link href="/login" class="button">
            {t("login")}
          </Link>
        </>
      ) : (
        <form onSubmit={submit} class="stack">
          <p>{t("join_lead")}</p>
          <label for="join-name">{t("name")}</label>
          <input id="join-name" required autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
          <label for="join-password">{t("password")}</label>
          <input
            id="join-password"
            type="password"
            required
            minLength={10}
            autoComplete="new-password"
            aria-describedby="join-password-hint"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          <p id="join-password-hint" class="hint">
            {t("password_hint")}
          </p>
          <label for="join-repeat">{t("password_repeat")}</label>
          <input
            id="join-repeat"
            type="password"
            required
            autoComplete="new-password"
            value={repeat}
            onInput={(e) => setRepeat(e.currentTarget.value)}
          />
          <ErrorBox text={action.error} />
          <button type="submit" disabled={action.busy}>
            {t("join_submit")}
          </button>
        </form>
      )}
    </div>
  );
}

const domains = ["mobility", "environment", "energy", "administration", "connectivity", "safety", "education"];

function order(domain: string): number {
  const i = domains.indexOf(domain);
  return i < 0 ? domains.length : i;
}

export function IdeasPage() {
  useTitle(t("nav_ideas"));
  const ideas = useLoad(loadIdeas, []);
  const [filter, setFilter] = useState("");
  const present = Array.from(new Set((ideas.data ?? []).map((i) => i.domain))).sort(
    (a, b) => order(a) - order(b),
  );
  const shown = (ideas.data ?? []).filter((i) => !filter || i.domain === filter);
  return (
    <>
      <h1>{t("ideas_title")}</h1>
      <p class="lead">{t("ideas_lead")}</p>
      <div class="inline-form">
        <label for="idea-domain">{t("ideas_domain")}</label>
        <select id="idea-domain" value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">{t("all")}</option>
          {present.map((d) => (
            <option key={d} value={d}>
              {domainName(d)}
            </option>
          ))}
        </select>
      </div>
      <ErrorBox text={ideas.error} />
      {!ideas.data && !ideas.error && <Loading />}
      <ul class="cards">
        {shown.map((idea) => (
          <li key={idea.id} class="card">
            <p class="eyebrow">{domainName(idea.domain)}</p>
            <h2 class="h3">
              <Link href={`/ideas/${idea.id}`}>{local(idea.title)}</Link>
            </h2>
            <p>{local(idea.description)}</p>
            <p class="muted">{costRange(idea)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

export function domainName(d: string): string {
  const key = `domain_${d}`;
  const s = t(key);
  return s === key ? d : s;
}

function costRange(idea: Idea): string {
  const f = (v: number) => v.toLocaleString(t("locale"), { style: "currency", currency: "EUR", maximumFractionDigits: 0 });
  return `${t("idea_cost")}: ${f(idea.cost_eur.min)} – ${f(idea.cost_eur.max)}`;
}

export function IdeaPage({ id }: { id: string }) {
  const ideas = useLoad(loadIdeas, []);
  const idea = ideas.data?.find((i) => i.id === id);
  useTitle(idea ? local(idea.title) : t("nav_ideas"));
  if (ideas.error) return <ErrorBox text={ideas.error} />;
  if (!ideas.data) return <Loading />;
  if (!idea) return <NotFound />;
  const l = (t("locale").startsWith("de") ? "de" : "en") as "de" | "en";
  return (
    <article>
      <p>
        <Link href="/ideas">← {t("ideas_back")}</Link>
      </p>
      <p class="eyebrow">{domainName(idea.domain)}</p>
      <h1>{local(idea.title)}</h1>
      <p class="lead">{local(idea.description)}</p>
      <div class="grid">
        <Card title={t("idea_benefits")}>
          <ul>
            {(idea.benefits[l] ?? idea.benefits.en).map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        </Card>
        <Card title={t("idea_kpis")}>
          <ul>
            {idea.kpis.map((k) => (
              <li key={k.en}>{local(k)}</li>
            ))}
          </ul>
        </Card>
        <Card title={t("idea_prerequisites")}>
          <dl>
            <dt>{t("idea_connectivity")}</dt>
            <dd>{idea.prerequisites.connectivity.join(", ")}</dd>
            <dt>{t("idea_power")}</dt>
            <dd>{idea.prerequisites.power}</dd>
            <dt>{t("idea_data")}</dt>
            <dd>{idea.prerequisites.data}</dd>
            <dt>{t("idea_cost")}</dt>
            <dd>{costRange(idea).split(": ")[1]}</dd>
          </dl>
        </Card>
      </div>
    </article>
  );
}

export function NotFound() {
  useTitle(t("not_found"));
  return (
    <>
      <h1>{t("not_found")}</h1>
      <p>
        <Link href="/">{t("back_home")}</Link>
      </p>
    </>
  );
}

export { formatDate };
