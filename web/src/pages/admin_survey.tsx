// A survey's administration: open and close it, import recipients from
// CSV (personal links go to the outbox), reminders, the free-text answers
// for moderation, publishing the results.
import { useState } from "preact/hooks";
import { api, Survey } from "../api";
import { t } from "../i18n";
import { Card, ErrorBox, Link, Loading, Notice, useAction, useLoad, useTitle } from "../ui";
import { Guard } from "./admin";

export function AdminSurvey({ id }: { id: number }) {
  useTitle(t("survey"));
  return (
    <Guard>
      <AdminSurveyInner id={id} />
    </Guard>
  );
}

interface Invitation {
  id: number;
  email: string;
  name: string;
  municipality: string;
  responded: boolean;
}

function AdminSurveyInner({ id }: { id: number }) {
  const survey = useLoad(() => api<Survey>("GET", `/surveys/${id}`), [id]);
  const invitations = useLoad(() => api<Invitation[]>("GET", `/surveys/${id}/invitations`), [id]);
  const freeText = useLoad(() => api<{ response: number; question: string; text: string }[]>("GET", `/surveys/${id}/free-text`), [id]);
  const [csv, setCsv] = useState("");
  const [message, setMessage] = useState("");
  const action = useAction();
  if (survey.error) return <ErrorBox text={survey.error} />;
  if (!survey.data) return <Loading />;
  const s = survey.data;
  const setStatus = (status: string) => action.run(() => api("PATCH", `/surveys/${id}`, { status }).then(survey.reload));
  const importCsv = async (e: Event) => {
    e.preventDefault();
    setMessage("");
    await action.run(async () => {
      const r = await api<{ invited: number }>("POST", `/surveys/${id}/invitations`, undefined, { raw: { body: csv, type: "text/csv" } });
      setMessage(t("invitations_imported", { n: String(r.invited) }));
      setCsv("");
      invitations.reload();
    });
  };
  const remind = () =>
    action.run(async () => {
      const r = await api<Record<string, number>>("POST", `/surveys/${id}/reminders`);
      setMessage(t("reminders_sent", { n: String(Object.values(r)[0] ?? 0) }));
    });
  const publish = () =>
    action.run(async () => {
      await api("POST", `/surveys/${id}/publish`);
      setMessage(t("published"));
      survey.reload();
    });
  const responded = (invitations.data ?? []).filter((i) => i.responded).length;
  return (
    <>
      <p>
        <Link href={`/admin/processes/${s.process_id}`}>← {t("back")}</Link>
      </p>
      <h1>{s.title}</h1>
      <p>
        <span class={`badge status-${s.status}`}>{t(`status_${s.status}`)}</span>
        {s.anonymous && ` · ${t("survey_anonymous_mode")}`} · {t("questions_count", { n: String(s.questions.length) })}
      </p>
      <div class="button-row">
        {s.status === "draft" && (
          <button type="button" onClick={() => setStatus("open")}>
            {t("survey_open")}
          </button>
        )}
        {s.status === "open" && (
          <button type="button" class="secondary" onClick={() => setStatus("closed")}>
            {t("survey_close")}
          </button>
        )}
        <Link class="button secondary" href={`/surveys/${id}/results`}>
          {t("results")}
        </Link>
        <button type="button" class="secondary" onClick={publish}>
          {t("publish")}
        </button>
        {s.published && (
          <Link class="button secondary" href={`/results/${id}`}>
            {t("results_public")}
          </Link>
        )}
      </div>
      <ErrorBox text={action.error} />
      {message && <Notice text={message} />}
      <Card title={t("invitations")}>
        <p>{t("invitations_status", { n: String(invitations.data?.length ?? 0), responded: String(responded) })}</p>
        <form class="stack" onSubmit={importCsv}>
          <label for="inv-csv">{t("invitations_csv")}</label>
          <textarea
            id="inv-csv"
            rows={5}
            class="mono"
            aria-describedby="inv-csv-hint"
            placeholder={"email,name,municipality\nanna@example.org,Anna,Musterstadt"}
            value={csv}
            onInput={(e) => setCsv(e.currentTarget.value)}
          />
          <p id="inv-csv-hint" class="hint">
            {t("invitations_csv_hint")}
          </p>
          <label for="inv-file">{t("invitations_file")}</label>
          <input
            id="inv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = e.currentTarget.files?.[0];
              if (f) setCsv(await f.text());
            }}
          />
          <div class="button-row">
            <button type="submit" disabled={action.busy || !csv.trim()}>
              {t("invitations_import")}
            </button>
            <button type="button" class="secondary" disabled={action.busy} onClick={remind}>
              {t("reminders_send")}
            </button>
          </div>
        </form>
        {(invitations.data?.length ?? 0) > 0 && (
          <div class="table-scroll" tabIndex={0}>
            <table>
              <caption class="visually-hidden">{t("invitations")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("email")}</th>
                  <th scope="col">{t("name")}</th>
                  <th scope="col">{t("municipality")}</th>
                  <th scope="col">{t("responded")}</th>
                </tr>
              </thead>
              <tbody>
                {(invitations.data ?? []).slice(0, 500).map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{i.name}</td>
                    <td>{i.municipality}</td>
                    <td>{i.responded ? t("yes") : t("no")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={t("free_text")}>
        <p class="muted small-text">{t("free_text_hint")}</p>
        <ErrorBox text={freeText.error} />
        {freeText.data && freeText.data.length === 0 && <p class="muted">{t("none")}</p>}
        <ul class="plain">
          {(freeText.data ?? []).map((f, i) => (
            <li key={i} class="comment">
              <p>{f.text}</p>
              <p class="muted small-text">
                {t("question")} {f.question} · {t("response")} {f.response}
              </p>
            </li>
          ))}
        </ul>
      </Card>
      <Card title={t("questions")}>
        <ol>
          {s.questions.map((q) => (
            <li key={q.id}>
              {q.text} <span class="muted">({t(`qtype_${q.type}`)})</span>
            </li>
          ))}
        </ol>
      </Card>
    </>
  );
}
