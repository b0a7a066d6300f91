// Administration for moderators and admins: processes, surveys and live
// sessions from the idea catalogue, account invitations, the outbox,
// regional contacts (a survey's own page is admin_survey.tsx).
import { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { api, Idea, LiveState, Process, Question, Survey } from "../api";
import { t } from "../i18n";
import { loadIdeas, local } from "../ideas";
import { navigate } from "../router";
import { canModerate, useAccount } from "../session";
import { Card, ErrorBox, formatDate, Link, Loading, Notice, useAction, useLoad, useTitle } from "../ui";
import { LoginNeeded } from "./process";
import { domainName } from "./public";

export function Guard({ children }: { children: ComponentChildren }) {
  const { account, loaded } = useAccount();
  if (!loaded) return <Loading />;
  if (!account) return <LoginNeeded />;
  if (!canModerate(account)) return <ErrorBox text={t("not_allowed")} />;
  return <>{children}</>;
}

export function AdminHome() {
  useTitle(t("nav_admin"));
  return (
    <Guard>
      <AdminHomeInner />
    </Guard>
  );
}

function AdminHomeInner() {
  const processes = useLoad(() => api<Process[]>("GET", "/processes"), []);
  return (
    <>
      <h1>{t("nav_admin")}</h1>
      <Card title={t("processes_title")}>
        <ErrorBox text={processes.error} />
        {processes.data && processes.data.length === 0 && <p>{t("processes_none")}</p>}
        <ul>
          {(processes.data ?? []).map((p) => (
            <li key={p.id}>
              <Link href={`/admin/processes/${p.id}`}>{p.title}</Link>{" "}
              <span class={`badge status-${p.status}`}>{t(`status_${p.status}`)}</span>
            </li>
          ))}
        </ul>
      </Card>
      <NewProcess />
      <InviteAccount />
      <Outbox />
    </>
  );
}

function NewProcess() {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [phase, setPhase] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [municipalities, setMunicipalities] = useState("");
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(async () => {
      const phases = phase && start && end ? [{ name: phase, starts_at: `${start}T00:00:00Z`, ends_at: `${end}T23:59:59Z` }] : [];
      const p = await api<Process>("POST", "/processes", {
        title,
        description,
        status: "active",
        phases,
        municipalities: municipalities
          .split(/[,;\n]/)
          .map((s) => s.trim())
          .filter(Boolean),
      });
      navigate(`/admin/processes/${p.id}`);
    });
  };
  return (
    <Card title={t("process_new")}>
      <form class="stack" onSubmit={submit}>
        <label for="np-title">{t("title")}</label>
        <input id="np-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <label for="np-description">{t("description")}</label>
        <textarea id="np-description" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <fieldset>
          <legend>{t("phase_first")}</legend>
          <div class="row">
            <div class="field">
              <label for="np-phase">{t("name")}</label>
              <input id="np-phase" value={phase} onInput={(e) => setPhase(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="np-start">{t("starts_at")}</label>
              <input id="np-start" type="date" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="np-end">{t("ends_at")}</label>
              <input id="np-end" type="date" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
            </div>
          </div>
        </fieldset>
        <label for="np-municipalities">{t("municipalities")}</label>
        <input
          id="np-municipalities"
          aria-describedby="np-municipalities-hint"
          value={municipalities}
          onInput={(e) => setMunicipalities(e.currentTarget.value)}
        />
        <p id="np-municipalities-hint" class="hint">
          {t("comma_separated")}
        </p>
        <ErrorBox text={action.error} />
        <button type="submit" disabled={action.busy}>
          {t("process_create")}
        </button>
      </form>
    </Card>
  );
}

function InviteAccount() {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("decision_maker");
  const [municipality, setMunicipality] = useState("");
  const [done, setDone] = useState("");
  const action = useAction();
  return (
    <Card title={t("invite_account")}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setDone("");
          const ok = await action.run(() => api("POST", "/auth/invitations", { email, role, municipality }).then(() => undefined));
          if (ok) {
            setDone(t("invite_sent", { email }));
            setEmail("");
          }
        }}
      >
        <label for="ia-email">{t("email")}</label>
        <input id="ia-email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="ia-role">{t("role")}</label>
        <select id="ia-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {["admin", "moderator", "decision_maker", "citizen"].map((r) => (
            <option key={r} value={r}>
              {t(`account_role_${r}`)}
            </option>
          ))}
        </select>
        <label for="ia-municipality">{t("municipality")}</label>
        <input id="ia-municipality" value={municipality} onInput={(e) => setMunicipality(e.currentTarget.value)} />
        <ErrorBox text={action.error} />
        {done && <Notice text={done} />}
        <button type="submit" disabled={action.busy}>
          {t("invite")}
        </button>
      </form>
    </Card>
  );
}

interface Mail {
  id: number;
  to: string;
  subject: string;
  created_at: string;
  sent_at: string | null;
}

function Outbox() {
  const mails = useLoad(() => api<Mail[]>("GET", "/outbox"), []);
  const unsent = (mails.data ?? []).filter((m) => !m.sent_at).length;
  return (
    <Card title={t("outbox")}>
      <ErrorBox text={mails.error} />
      <p>{t("outbox_unsent", { n: String(unsent), total: String(mails.data?.length ?? 0) })}</p>
      <details>
        <summary>{t("outbox_show")}</summary>
        <ul class="plain small-text">
          {(mails.data ?? []).slice(0, 50).map((m) => (
            <li key={m.id}>
              {formatDate(m.created_at)} · {m.to} · {m.subject} {m.sent_at ? `· ${t("sent")}` : ""}
            </li>
          ))}
        </ul>
      </details>
    </Card>
  );
}

// Checkboxes for ideas of the catalogue, grouped by domain.
function IdeaPicker({ ideas, chosen, onChange, idPrefix }: { ideas: Idea[]; chosen: string[]; onChange: (ids: string[]) => void; idPrefix: string }) {
  const domains = Array.from(new Set(ideas.map((i) => i.domain)));
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  return (
    <fieldset class="idea-picker">
      <legend>{t("ideas_choose", { n: String(chosen.length) })}</legend>
      <div class="button-row">
        <button type="button" class="small secondary" onClick={() => onChange(ideas.map((i) => i.id))}>
          {t("select_all")}
        </button>
        <button type="button" class="small secondary" onClick={() => onChange([])}>
          {t("select_none")}
        </button>
      </div>
      {domains.map((d) => (
        <div key={d} class="idea-group">
          <p class="eyebrow">{domainName(d)}</p>
          {ideas
            .filter((i) => i.domain === d)
            .map((i) => (
              <label key={i.id} class="choice" for={`${idPrefix}-${i.id}`}>
                <input id={`${idPrefix}-${i.id}`} type="checkbox" checked={chosen.includes(i.id)} onChange={() => toggle(i.id)} />
                <span>{local(i.title)}</span>
              </label>
            ))}
        </div>
      ))}
    </fieldset>
  );
}

const allCriteria = ["benefit", "urgency", "feasibility", "cost"];

export function AdminProcess({ id }: { id: number }) {
  useTitle(t("manage"));
  return (
    <Guard>
      <AdminProcessInner id={id} />
    </Guard>
  );
}

function AdminProcessInner({ id }: { id: number }) {
  const process = useLoad(() => api<Process>("GET", `/processes/${id}`), [id]);
  const surveys = useLoad(() => api<Survey[]>("GET", `/processes/${id}/surveys`), [id]);
  const sessions = useLoad(() => api<LiveState[]>("GET", `/processes/${id}/live-sessions`), [id]);
  const action = useAction();
  if (process.error) return <ErrorBox text={process.error} />;
  if (!process.data) return <Loading />;
  const p = process.data;
  const setStatus = (status: string) => action.run(() => api("PATCH", `/processes/${id}`, { status }).then(process.reload));
  return (
    <>
      <p>
        <Link href="/admin">← {t("nav_admin")}</Link>
      </p>
      <h1>{p.title}</h1>
      <p>
        <span class={`badge status-${p.status}`}>{t(`status_${p.status}`)}</span>{" "}
        <Link href={`/processes/${id}`}>{t("process_page")}</Link> ·{" "}
        <Link href={`/processes/${id}/challenges`}>{t("challenges_moderate")}</Link>
      </p>
      <div class="button-row">
        {(["draft", "active", "closed"] as const)
          .filter((s) => s !== p.status)
          .map((s) => (
            <button key={s} type="button" class="small secondary" onClick={() => setStatus(s)}>
              {t(`set_status_${s}`)}
            </button>
          ))}
      </div>
      <ErrorBox text={action.error} />
      <Card title={t("surveys")}>
        <ErrorBox text={surveys.error} />
        {surveys.data && surveys.data.length === 0 && <p class="muted">{t("none")}</p>}
        <ul>
          {(surveys.data ?? []).map((s) => (
            <li key={s.id}>
              <Link href={`/admin/surveys/${s.id}`}>{s.title}</Link>{" "}
              <span class={`badge status-${s.status}`}>{t(`status_${s.status}`)}</span>
            </li>
          ))}
        </ul>
      </Card>
      <NewSurvey processId={id} />
      <Card title={t("live_sessions")}>
        {sessions.error ? (
          <p class="muted">{t("live_unavailable")}</p>
        ) : sessions.data && sessions.data.length === 0 ? (
          <p class="muted">{t("none")}</p>
        ) : (
          <ul>
            {(sessions.data ?? []).map((s) => (
              <li key={String(s.id)}>
                <Link href={`/admin/live/${s.id}`}>{s.title}</Link> · {t("live_code")} <strong class="code">{s.code}</strong> ·{" "}
                {s.status === "ended" ? t("live_ended") : t("live_active")}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <NewLiveSession processId={id} />
      <NewContact municipalities={p.municipalities} />
    </>
  );
}

function NewSurvey({ processId }: { processId: number }) {
  const ideas = useLoad(loadIdeas, []);
  const [title, setTitle] = useState("");
  const [anonymous, setAnonymous] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [criteria, setCriteria] = useState<string[]>(["benefit", "urgency"]);
  const [likert, setLikert] = useState("");
  const [freeText, setFreeText] = useState("");
  const [extra, setExtra] = useState("");
  const action = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    await action.run(async () => {
      const questions: Question[] = [];
      if (chosen.length) {
        questions.push({ id: "ideas", type: "idea_rating", text: t("survey_default_rating"), required: true, ideas: chosen, criteria });
      }
      if (likert) questions.push({ id: "likert", type: "likert", text: likert, required: false });
      if (freeText) questions.push({ id: "comment", type: "free_text", text: freeText, required: false });
      if (extra.trim()) {
        let more: unknown;
        try {
          more = JSON.parse(extra);
        } catch {
          throw new Error(t("questions_json_invalid"));
        }
        if (!Array.isArray(more)) throw new Error(t("questions_json_invalid"));
        questions.push(...(more as Question[]));
      }
      const s = await api<Survey>("POST", `/processes/${processId}/surveys`, { title, anonymous, questions });
      navigate(`/admin/surveys/${s.id}`);
    });
  };
  return (
    <Card title={t("survey_new")}>
      <form class="stack" onSubmit={submit}>
        <label for="ns-title">{t("title")}</label>
        <input id="ns-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        <label class="choice" for="ns-anonymous">
          <input id="ns-anonymous" type="checkbox" checked={anonymous} onChange={() => setAnonymous(!anonymous)} />
          <span>{t("survey_anonymous_mode")}</span>
        </label>
        {ideas.data && <IdeaPicker ideas={ideas.data} chosen={chosen} onChange={setChosen} idPrefix="ns-idea" />}
        <fieldset>
          <legend>{t("criteria")}</legend>
          {allCriteria.map((c) => (
            <label key={c} class="choice" for={`ns-crit-${c}`}>
              <input
                id={`ns-crit-${c}`}
                type="checkbox"
                checked={criteria.includes(c)}
                onChange={() => setCriteria(criteria.includes(c) ? criteria.filter((x) => x !== c) : allCriteria.filter((x) => x === c || criteria.includes(x)))}
              />
              <span>{t(`criterion_${c}`)}</span>
            </label>
          ))}
        </fieldset>
        <label for="ns-likert">{t("survey_likert_question")}</label>
        <input id="ns-likert" value={likert} onInput={(e) => setLikert(e.currentTarget.value)} />
        <label for="ns-free">{t("survey_free_question")}</label>
        <input id="ns-free" value={freeText} onInput={(e) => setFreeText(e.currentTarget.value)} />
        <details>
          <summary>{t("questions_more")}</summary>
          <label for="ns-extra">{t("questions_json")}</label>
          <textarea
            id="ns-extra"
            rows={6}
            class="mono"
            placeholder='[{"id":"q3","type":"single_choice","text":"…","options":["a","b"]}]'
            value={extra}
            onInput={(e) => setExtra(e.currentTarget.value)}
          />
        </details>
        <ErrorBox text={action.error} />
        <button type="submit" disabled={action.busy}>
          {t("survey_create")}
        </button>
      </form>
    </Card>
  );
}

function NewLiveSession({ processId }: { processId: number }) {
  const ideas = useLoad(loadIdeas, []);
  const [title, setTitle] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [criterion, setCriterion] = useState("benefit");
  const action = useAction();
  return (
    <Card title={t("live_new")}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          await action.run(async () => {
            const s = await api<LiveState>("POST", `/processes/${processId}/live-sessions`, { title, ideas: chosen, criterion });
            navigate(`/admin/live/${s.id}`);
          });
        }}
      >
        <label for="nl-title">{t("title")}</label>
        <input id="nl-title" required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
        {ideas.data && <IdeaPicker ideas={ideas.data} chosen={chosen} onChange={setChosen} idPrefix="nl-idea" />}
        <label for="nl-criterion">{t("criterion")}</label>
        <select id="nl-criterion" value={criterion} onChange={(e) => setCriterion(e.currentTarget.value)}>
          {allCriteria.map((c) => (
            <option key={c} value={c}>
              {t(`criterion_${c}`)}
            </option>
          ))}
        </select>
        <ErrorBox text={action.error} />
        <button type="submit" disabled={action.busy || chosen.length === 0}>
          {t("live_create")}
        </button>
      </form>
    </Card>
  );
}

function NewContact({ municipalities }: { municipalities: string[] }) {
  const [municipality, setMunicipality] = useState(municipalities[0] ?? "");
  const [name, setName] = useState("");
  const [region, setRegion] = useState("");
  const [contact, setContact] = useState("");
  const [done, setDone] = useState("");
  const action = useAction();
  return (
    <Card title={t("contact_new")}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          setDone("");
          const ok = await action.run(() => api("POST", "/contacts", { municipality, name, region, contact }).then(() => undefined));
          if (ok) {
            setDone(t("saved"));
            setName("");
            setContact("");
          }
        }}
      >
        <label for="nc-municipality">{t("municipality")}</label>
        <input id="nc-municipality" required value={municipality} onInput={(e) => setMunicipality(e.currentTarget.value)} />
        <label for="nc-name">{t("name")}</label>
        <input id="nc-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="nc-region">{t("region")}</label>
        <input id="nc-region" value={region} onInput={(e) => setRegion(e.currentTarget.value)} />
        <label for="nc-contact">{t("contact")}</label>
        <input id="nc-contact" required value={contact} onInput={(e) => setContact(e.currentTarget.value)} />
        <ErrorBox text={action.error} />
        {done && <Notice text={done} />}
        <button type="submit" disabled={action.busy}>
          {t("save")}
        </button>
      </form>
    </Card>
  );
}
