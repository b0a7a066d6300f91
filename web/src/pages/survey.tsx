// Answering a survey through a personal link (/survey#token=...):
// phone-first, one card per question, every question type of the API,
// respondent attributes asked once, drafts saved on the server.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, errorText, Localized, Question, Survey } from "../api";
import { t } from "../i18n";
import { local } from "../ideas";
import { hashToken } from "../router";
import { Card, ErrorBox, Loading, Notice, useTitle } from "../ui";

type Answers = Record<string, unknown>;
type Attributes = { state?: string; size_class?: string; role?: string };

interface Opened {
  survey: Survey;
  ideas: Record<string, { title: Localized }>;
  respondent: { name: string; municipality: string };
  draft: { attributes: Attributes; answers: Answers; updated_at: string } | null;
}

export const states = [
  "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
  "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
];
export const sizeClasses = ["under_5k", "5k_20k", "20k_100k", "100k_500k", "over_500k"];
export const roles = ["mayor", "council", "administration", "it", "citizen", "other"];

export function SurveyPage() {
  useTitle(t("survey"));
  const token = useRef(hashToken()).current;
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState("");
  const [answers, setAnswers] = useState<Answers>({});
  const [attributes, setAttributes] = useState<Attributes>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [saved, setSaved] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [submitError, setSubmitError] = useState("");
  const [busy, setBusy] = useState(false);
  const dirty = useRef(false);
  const headers = { "X-Invitation-Token": token };

  useEffect(() => {
    if (!token) return;
    api<Opened>("GET", "/respond", undefined, { headers }).then(
      (o) => {
        setOpened(o);
        if (o.draft) {
          setAnswers(o.draft.answers ?? {});
          setAttributes(o.draft.attributes ?? {});
          setTouched(new Set(Object.keys(o.draft.answers ?? {})));
        }
      },
      (e) => setError(e instanceof ApiError && e.status === 409 ? t("survey_used") : e instanceof ApiError && e.status === 403 ? t("survey_bad_link") : errorText(e)),
    );
    // The token stays in memory only; the address loses it so that it is
    // not kept in the history of a shared device.
    history.replaceState(null, "", "/survey");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const body = () => ({ attributes, answers: payload(opened!.survey.questions, answers, touched) });

  const saveDraft = async () => {
    try {
      await api("PUT", "/respond/draft", body(), { headers });
      dirty.current = false;
      setSaved(t("survey_draft_saved"));
    } catch (e) {
      setSaved(t("survey_draft_failed") + " " + errorText(e));
    }
  };

  // Autosave a few seconds after the last change.
  useEffect(() => {
    if (!opened || submitted || busy || !dirty.current) return;
    const timer = setTimeout(saveDraft, 3000);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answers, attributes, busy, submitted]);

  const setAnswer = (id: string, value: unknown) => {
    dirty.current = true;
    setSaved("");
    setAnswers((a) => ({ ...a, [id]: value }));
    setTouched((s) => new Set(s).add(id));
  };
  const setAttribute = (name: keyof Attributes, value: string) => {
    dirty.current = true;
    setSaved("");
    setAttributes((a) => ({ ...a, [name]: value || undefined }));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setSubmitError("");
    try {
      await api("POST", "/respond", body(), { headers });
      setSubmitted(true);
      window.scrollTo(0, 0);
    } catch (err) {
      setSubmitError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  if (!token) return <ErrorBox text={t("survey_no_token")} />;
  if (error) {
    return (
      <div class="narrow">
        <h1>{t("survey")}</h1>
        <ErrorBox text={error} />
      </div>
    );
  }
  if (!opened) return <Loading />;
  if (submitted) {
    return (
      <div class="narrow">
        <h1>{opened.survey.title}</h1>
        <Notice text={t("survey_thanks")} />
      </div>
    );
  }
  const s = opened.survey;
  return (
    <form class="survey narrow" onSubmit={submit} noValidate>
      <h1>{s.title}</h1>
      <p class="lead">
        {opened.respondent.name ? t("survey_hello", { name: opened.respondent.name }) : t("survey_hello_anonymous")}
      </p>
      {s.anonymous && <p class="notice">{t("survey_anonymous")}</p>}
      {s.status !== "open" && <ErrorBox text={t("survey_not_open")} />}
      <Card title={t("survey_about_you")}>
        <AttributeSelect name="state" label={t("attr_state")} values={states} value={attributes.state} onChange={setAttribute} />
        <AttributeSelect name="size_class" label={t("attr_size_class")} values={sizeClasses} value={attributes.size_class} onChange={setAttribute} />
        <AttributeSelect name="role" label={t("attr_role")} values={roles} value={attributes.role} onChange={setAttribute} />
      </Card>
      {s.questions.map((q, i) => (
        <QuestionCard
          key={q.id}
          question={q}
          number={i + 1}
          ideas={opened.ideas}
          value={answers[q.id]}
          onChange={(v) => setAnswer(q.id, v)}
        />
      ))}
      <div class="sticky-actions">
        <p class="muted small-text" role="status" aria-live="polite">
          {saved}
        </p>
        <ErrorBox text={submitError} />
        <div class="button-row">
          <button type="button" class="secondary" onClick={saveDraft}>
            {t("survey_save_draft")}
          </button>
          <button type="submit" disabled={busy || s.status !== "open"}>
            {t("survey_submit")}
          </button>
        </div>
      </div>
    </form>
  );
}

// The answers to send: untouched ranking questions are left out (their
// initial order is not an answer), empty values are dropped.
function payload(questions: Question[], answers: Answers, touched: Set<string>): Answers {
  const out: Answers = {};
  for (const q of questions) {
    const v = answers[q.id];
    if (v === undefined || v === "" || v === null) continue;
    if (q.type === "ranking" && !touched.has(q.id)) continue;
    if (q.type === "multiple_choice" && Array.isArray(v) && v.length === 0) continue;
    out[q.id] = v;
  }
  return out;
}

export function attributeLabel(name: string, value: string): string {
  const key = `${name}_${value}`;
  const s = t(key);
  return s === key ? value : s;
}

function AttributeSelect({
  name,
  label,
  values,
  value,
  onChange,
}: {
  name: keyof Attributes;
  label: string;
  values: string[];
  value?: string;
  onChange: (name: keyof Attributes, v: string) => void;
}) {
  const id = `attr-${name}`;
  return (
    <div class="field">
      <label for={id}>
        {label} <span aria-hidden="true">*</span>
      </label>
      <select id={id} required aria-required="true" value={value ?? ""} onChange={(e) => onChange(name, e.currentTarget.value)}>
        <option value="">{t("choose")}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {attributeLabel(name, v)}
          </option>
        ))}
      </select>
    </div>
  );
}

interface QuestionProps {
  question: Question;
  number: number;
  ideas: Record<string, { title: Localized }>;
  value: unknown;
  onChange: (v: unknown) => void;
}

function QuestionCard(props: QuestionProps) {
  const q = props.question;
  return (
    <section class="card question" aria-labelledby={`q-${q.id}-title`}>
      <h2 id={`q-${q.id}-title`} class="h3">
        {props.number}. {q.text}
        {q.required && (
          <span class="required">
            {" "}
            ({t("required")})
          </span>
        )}
      </h2>
      <QuestionInput {...props} />
    </section>
  );
}

function QuestionInput(props: QuestionProps) {
  const q = props.question;
  switch (q.type) {
    case "likert":
      return <Scale name={`q-${q.id}`} legend={q.text} value={props.value} onChange={props.onChange} dontKnow hideLegend />;
    case "idea_rating":
      return <IdeaRating {...props} />;
    case "ranking":
      return <Ranking {...props} />;
    case "budget":
      return <Budget {...props} />;
    case "single_choice":
      return <SingleChoice {...props} />;
    case "multiple_choice":
      return <MultipleChoice {...props} />;
    case "free_text":
      return (
        <div class="field">
          <label for={`q-${q.id}-text`} class="visually-hidden">
            {q.text}
          </label>
          <textarea
            id={`q-${q.id}-text`}
            rows={4}
            maxLength={q.max_length ?? 2000}
            value={(props.value as string) ?? ""}
            onInput={(e) => props.onChange(e.currentTarget.value)}
          />
          <p class="hint">
            {t("chars_left", { n: String((q.max_length ?? 2000) - (((props.value as string) ?? "").length)) })}
          </p>
        </div>
      );
  }
}

// A 1..5 scale as a radio group, with an optional "don't know".
export function Scale({
  name,
  legend,
  value,
  onChange,
  dontKnow,
  hideLegend,
  low,
  high,
}: {
  name: string;
  legend: string;
  value: unknown;
  onChange: (v: unknown) => void;
  dontKnow?: boolean;
  hideLegend?: boolean;
  low?: string;
  high?: string;
}) {
  const choices: (number | "dont_know")[] = [1, 2, 3, 4, 5];
  if (dontKnow) choices.push("dont_know");
  return (
    <fieldset class="scale">
      <legend class={hideLegend ? "visually-hidden" : ""}>{legend}</legend>
      <div class="scale-options">
        {choices.map((c) => (
          <label key={String(c)} class={c === "dont_know" ? "scale-option dont-know" : "scale-option"}>
            <input type="radio" name={name} value={String(c)} checked={value === c} onChange={() => onChange(c)} />
            <span>{c === "dont_know" ? t("dont_know") : c}</span>
          </label>
        ))}
      </div>
      <p class="scale-ends muted small-text" aria-hidden="true">
        <span>1 = {low ?? t("scale_low")}</span>
        <span>5 = {high ?? t("scale_high")}</span>
      </p>
    </fieldset>
  );
}

function IdeaRating({ question: q, ideas, value, onChange }: QuestionProps) {
  const v = (value as Record<string, Record<string, unknown>>) ?? {};
  const criteria = q.criteria ?? ["benefit", "urgency", "feasibility", "cost"];
  const set = (idea: string, criterion: string, x: unknown) =>
    onChange({ ...v, [idea]: { ...(v[idea] ?? {}), [criterion]: x } });
  return (
    <div class="idea-rating">
      {(q.ideas ?? []).map((idea) => (
        <div key={idea} class="idea-block">
          <h3 class="h4">{local(ideas[idea]?.title) || idea}</h3>
          {criteria.map((c) => (
            <Scale
              key={c}
              name={`q-${q.id}-${idea}-${c}`}
              legend={`${t(`criterion_${c}`)}: ${local(ideas[idea]?.title) || idea}`}
              value={v[idea]?.[c]}
              onChange={(x) => set(idea, c, x)}
              dontKnow
              low={t(`criterion_${c}_low`)}
              high={t(`criterion_${c}_high`)}
            />
          ))}
        </div>
      ))}
    </div>
  );
}

function Ranking({ question: q, value, onChange }: QuestionProps) {
  const order = Array.isArray(value) ? (value as string[]) : (q.options ?? []);
  const move = (i: number, d: number) => {
    const next = order.slice();
    const j = i + d;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j], next[i]];
    onChange(next);
  };
  return (
    <div>
      <p class="hint">{t("ranking_hint")}</p>
      <ol class="ranking">
        {order.map((o, i) => (
          <li key={o}>
            <span class="ranking-label">{o}</span>
            <span class="button-row">
              <button type="button" class="small secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("move_up", { item: o })}>
                ↑
              </button>
              <button
                type="button"
                class="small secondary"
                disabled={i === order.length - 1}
                onClick={() => move(i, 1)}
                aria-label={t("move_down", { item: o })}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      {!Array.isArray(value) && (
        <button type="button" class="small" onClick={() => onChange(order.slice())}>
          {t("ranking_keep")}
        </button>
      )}
    </div>
  );
}

function Budget({ question: q, value, onChange }: QuestionProps) {
  const v = (value as Record<string, number>) ?? {};
  const points = q.points ?? 100;
  const spent = Object.values(v).reduce((a, b) => a + (Number(b) || 0), 0);
  return (
    <div>
      <p class="hint" aria-live="polite">
        {t("budget_left", { n: String(points - spent), total: String(points) })}
      </p>
      {(q.options ?? []).map((o) => (
        <div key={o} class="field budget-row">
          <label for={`q-${q.id}-${o}`}>{o}</label>
          <input
            id={`q-${q.id}-${o}`}
            type="number"
            inputMode="numeric"
            min={0}
            max={points}
            step={1}
            value={v[o] ?? ""}
            onInput={(e) => {
              const n = parseInt(e.currentTarget.value, 10);
              const next = { ...v };
              if (isNaN(n)) delete next[o];
              else next[o] = Math.max(0, n);
              onChange(next);
            }}
          />
        </div>
      ))}
    </div>
  );
}

function SingleChoice({ question: q, value, onChange }: QuestionProps) {
  return (
    <fieldset class="choices">
      <legend class="visually-hidden">{q.text}</legend>
      {(q.options ?? []).map((o) => (
        <label key={o} class="choice">
          <input type="radio" name={`q-${q.id}`} value={o} checked={value === o} onChange={() => onChange(o)} />
          <span>{o}</span>
        </label>
      ))}
    </fieldset>
  );
}

function MultipleChoice({ question: q, value, onChange }: QuestionProps) {
  const v = Array.isArray(value) ? (value as string[]) : [];
  const max = q.max_choices ?? 0;
  return (
    <fieldset class="choices">
      <legend class="visually-hidden">{q.text}</legend>
      {max > 0 && <p class="hint">{t("max_choices", { n: String(max) })}</p>}
      {(q.options ?? []).map((o) => {
        const checked = v.includes(o);
        return (
          <label key={o} class="choice">
            <input
              type="checkbox"
              value={o}
              checked={checked}
              disabled={!checked && max > 0 && v.length >= max}
              onChange={() => onChange(checked ? v.filter((x) => x !== o) : [...v, o])}
            />
            <span>{o}</span>
          </label>
        );
      })}
    </fieldset>
  );
}
