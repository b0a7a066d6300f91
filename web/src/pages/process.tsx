// A process's page (phases, contacts, surveys) and its challenges with
// comments.
import { useState } from "preact/hooks";
import { api, Challenge, Comment, Contact, Process, Survey } from "../api";
import { t } from "../i18n";
import { canModerate, canReadResults, useAccount } from "../session";
import { Card, ErrorBox, formatDate, Link, Loading, Notice, useAction, useLoad, useTitle } from "../ui";

export function ProcessPage({ id }: { id: number }) {
  const { account } = useAccount();
  const process = useLoad(() => api<Process>("GET", `/processes/${id}`), [id, account?.id]);
  const contacts = useLoad(() => api<Contact[]>("GET", `/processes/${id}/contacts`), [id, account?.id]);
  const surveys = useLoad(() => api<Survey[]>("GET", `/processes/${id}/surveys`), [id, account?.id]);
  useTitle(process.data?.title ?? "");
  if (process.status === 401) return <LoginNeeded />;
  if (process.error) return <ErrorBox text={process.error} />;
  if (!process.data) return <Loading />;
  const p = process.data;
  return (
    <>
      <h1>{p.title}</h1>
      <p>
        <span class={`badge status-${p.status}`}>{t(`status_${p.status}`)}</span>
      </p>
      <p class="lead">{p.description}</p>
      <div class="grid">
        <Card title={t("phases")}>
          {p.phases.length === 0 ? (
            <p class="muted">{t("none")}</p>
          ) : (
            <ol class="phases">
              {p.phases.map((ph) => (
                <li key={ph.name}>
                  <strong>{ph.name}</strong>
                  <br />
                  <span class="muted">
                    {formatDate(ph.starts_at)} – {formatDate(ph.ends_at)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title={t("challenges")}>
          <p>{t("challenges_lead")}</p>
          <Link href={`/processes/${id}/challenges`} class="button secondary">
            {t("challenges_open")}
          </Link>
        </Card>
        <Card title={t("surveys")}>
          {surveys.data && surveys.data.length === 0 && <p class="muted">{t("none")}</p>}
          <ul>
            {(surveys.data ?? []).map((s) => (
              <li key={s.id}>
                {s.title} <span class={`badge status-${s.status}`}>{t(`status_${s.status}`)}</span>{" "}
                {canReadResults(account) && <Link href={`/surveys/${s.id}/results`}>{t("results")}</Link>}{" "}
                {s.published && <Link href={`/results/${s.id}`}>{t("results_public")}</Link>}
              </li>
            ))}
          </ul>
        </Card>
        <Card title={t("contacts")}>
          {contacts.data && contacts.data.length === 0 && <p class="muted">{t("none")}</p>}
          <ul class="plain">
            {(contacts.data ?? []).map((c) => (
              <li key={c.id}>
                <strong>{c.name}</strong> ({c.region}, {c.municipality})<br />
                {c.contact}
              </li>
            ))}
          </ul>
        </Card>
      </div>
      {canModerate(account) && (
        <p>
          <Link href={`/admin/processes/${id}`} class="button">
            {t("manage")}
          </Link>
        </p>
      )}
    </>
  );
}

export function LoginNeeded() {
  return (
    <p>
      {t("login_needed")}{" "}
      <Link href={`/login?next=${encodeURIComponent(location.pathname)}`}>{t("login")}</Link>
    </p>
  );
}

export function ChallengesPage({ id }: { id: number }) {
  const { account } = useAccount();
  const process = useLoad(() => api<Process>("GET", `/processes/${id}`), [id, account?.id]);
  const challenges = useLoad(() => api<Challenge[]>("GET", `/processes/${id}/challenges`), [id, account?.id]);
  useTitle(t("challenges"));
  if (challenges.status === 401) return <LoginNeeded />;
  return (
    <>
      <p>
        <Link href={`/processes/${id}`}>← {process.data?.title ?? t("back")}</Link>
      </p>
      <h1>{t("challenges")}</h1>
      <p class="lead">{t("challenges_lead")}</p>
      <ErrorBox text={challenges.error} />
      {!challenges.data && !challenges.error && <Loading />}
      {challenges.data && challenges.data.length === 0 && <p>{t("challenges_none")}</p>}
      <ul class="cards">
        {(challenges.data ?? [])
          .slice()
          .sort((a, b) => b.priority - a.priority)
          .map((c) => (
            <li key={c.id} class="card">
              <ChallengeView challenge={c} onChange={challenges.reload} />
            </li>
          ))}
      </ul>
      {account && (
        <ProposeChallenge processId={id} municipalities={process.data?.municipalities ?? []} onDone={challenges.reload} />
      )}
    </>
  );
}

function ChallengeView({ challenge: c, onChange }: { challenge: Challenge; onChange: () => void }) {
  const { account } = useAccount();
  const [open, setOpen] = useState(false);
  const action = useAction();
  const patch = (body: object) => action.run(() => api("PATCH", `/challenges/${c.id}`, body).then(onChange));
  return (
    <article>
      <h2 class="h3">{c.title}</h2>
      <p>
        <span class={`badge status-${c.status}`}>{t(`status_${c.status}`)}</span>{" "}
        {c.municipality && <span class="muted">{c.municipality}</span>}{" "}
        {c.cluster && (
          <span class="muted">
            · {t("cluster")}: {c.cluster}
          </span>
        )}{" "}
        {c.priority > 0 && (
          <span class="muted">
            · {t("priority")}: {c.priority}
          </span>
        )}
      </p>
      <p>{c.description}</p>
      {canModerate(account) && (
        <div class="button-row">
          <button type="button" class="small" disabled={action.busy} onClick={() => patch({ status: "accepted" })}>
            {t("accept")}
          </button>
          <button type="button" class="small secondary" disabled={action.busy} onClick={() => patch({ status: "rejected" })}>
            {t("reject")}
          </button>
          <button type="button" class="small secondary" disabled={action.busy} onClick={() => patch({ priority: c.priority + 1 })}>
            {t("priority_up")}
          </button>
          <ClusterInput challenge={c} onSave={(cluster) => patch({ cluster })} />
        </div>
      )}
      <ErrorBox text={action.error} />
      <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t("comments_hide") : t("comments_show")}
      </button>
      {open && <Comments target={`challenge:${c.id}`} />}
    </article>
  );
}

function ClusterInput({ challenge, onSave }: { challenge: Challenge; onSave: (c: string) => void }) {
  const [value, setValue] = useState(challenge.cluster);
  const inputId = `cluster-${challenge.id}`;
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(value);
      }}
    >
      <label for={inputId}>{t("cluster")}</label>
      <input id={inputId} value={value} onInput={(e) => setValue(e.currentTarget.value)} />
      <button type="submit" class="small secondary">
        {t("save")}
      </button>
    </form>
  );
}

export function Comments({ target }: { target: string }) {
  const { account } = useAccount();
  const comments = useLoad(() => api<Comment[]>("GET", `/comments?target=${encodeURIComponent(target)}`), [target]);
  const [text, setText] = useState("");
  const [sent, setSent] = useState(false);
  const action = useAction();
  const moderate = (c: Comment, status: string) =>
    action.run(() => api("PATCH", `/comments/${c.id}`, { status }).then(comments.reload));
  const fieldId = `comment-${target.replace(/\W/g, "-")}`;
  return (
    <div class="comments">
      <ErrorBox text={comments.error} />
      <ul class="plain">
        {(comments.data ?? []).map((c) => (
          <li key={c.id} class="comment">
            <p>{c.text}</p>
            <p class="muted small-text">
              {formatDate(c.created_at)} · {t(`status_${c.status}`)}
            </p>
            {canModerate(account) && (
              <div class="button-row">
                <button type="button" class="small" onClick={() => moderate(c, "approved")}>
                  {t("approve")}
                </button>
                <button type="button" class="small secondary" onClick={() => moderate(c, "rejected")}>
                  {t("reject")}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {account && (
        <form
          class="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            const ok = await action.run(() => api("POST", "/comments", { target, text }).then(() => undefined));
            if (ok) {
              setText("");
              setSent(true);
              comments.reload();
            }
          }}
        >
          <label for={fieldId}>{t("comment_write")}</label>
          <textarea id={fieldId} required rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <ErrorBox text={action.error} />
          {sent && <Notice text={t("comment_sent")} />}
          <button type="submit" disabled={action.busy}>
            {t("comment_send")}
          </button>
        </form>
      )}
    </div>
  );
}

function ProposeChallenge({
  processId,
  municipalities,
  onDone,
}: {
  processId: number;
  municipalities: string[];
  onDone: () => void;
}) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [municipality, setMunicipality] = useState("");
  const action = useAction();
  return (
    <Card title={t("challenge_propose")}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await action.run(() =>
            api("POST", `/processes/${processId}/challenges`, {
              title,
              description,
              municipality: municipality || municipalities[0] || "",
            }).then(() => undefined),
          );
          if (ok) {
            setTitle("");
            setDescription("");
            onDone();
          }
        }}
      >
        <label for="ch-title">{t("title")}</label>
        <input id="ch-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <label for="ch-description">{t("description")}</label>
        <textarea id="ch-description" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        {municipalities.length > 0 && (
          <>
            <label for="ch-municipality">{t("municipality")}</label>
            <select id="ch-municipality" value={municipality} onChange={(e) => setMunicipality(e.currentTarget.value)}>
              {municipalities.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </>
        )}
        <ErrorBox text={action.error} />
        <button type="submit" disabled={action.busy}>
          {t("challenge_submit")}
        </button>
      </form>
    </Card>
  );
}
