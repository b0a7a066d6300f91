// Survey results: per question the mean, its 95% confidence interval and
// the distribution; idea ratings ranked per criterion with the statistical
// ties; segments by state, size class and role (groups under the minimum
// size are suppressed by the server). The moderator's page and the public,
// published snapshot share the view.
import { useState } from "preact/hooks";
import { api, Idea, QuestionResults, Results, Segment, Summary } from "../api";
import { CountBars, DistributionBar, MeanBars, MeanRow } from "../charts";
import { t } from "../i18n";
import { ideaTitle, loadIdeas } from "../ideas";
import { useAccount } from "../session";
import { Card, ErrorBox, formatDate, formatNumber, Loading, useLoad, useTitle } from "../ui";
import { LoginNeeded } from "./process";
import { attributeLabel } from "./survey";

export function ResultsPage({ id }: { id: number }) {
  const { account } = useAccount();
  const results = useLoad(() => api<Results>("GET", `/surveys/${id}/results`), [id, account?.id]);
  if (results.status === 401) return <LoginNeeded />;
  return (
    <ResultsView
      results={results.data}
      error={results.error}
      csv={`/api/v1/surveys/${id}/results?format=csv`}
    />
  );
}

export function PublicResultsPage({ id }: { id: number }) {
  const results = useLoad(() => api<Results>("GET", `/public/surveys/${id}/results`), [id]);
  return <ResultsView results={results.data} error={results.status === 404 ? t("results_not_published") : results.error} />;
}

function ResultsView({ results, error, csv }: { results?: Results; error: string; csv?: string }) {
  const ideas = useLoad(loadIdeas, []);
  useTitle(results ? `${t("results")}: ${results.title}` : t("results"));
  if (error) return <ErrorBox text={error} />;
  if (!results) return <Loading />;
  return (
    <>
      <h1>
        {t("results")}: {results.title}
      </h1>
      <p class="lead">
        {t("respondents", { n: String(results.respondents) })}
        {results.published_at && ` · ${t("published_at")} ${formatDate(results.published_at)}`}
      </p>
      <p class="muted small-text">{t("results_method")}</p>
      {csv && (
        <p>
          <a href={csv} download>
            {t("export_csv")}
          </a>
        </p>
      )}
      {Object.entries(results.questions).map(([qid, q]) => (
        <QuestionResultView key={qid} qid={qid} q={q} ideas={ideas.data} />
      ))}
      {results.segments && <Segments results={results} ideas={ideas.data} />}
    </>
  );
}

function summaryLine(s: Summary): string {
  const ci = s.ci95[0] !== null && s.ci95[1] !== null ? `${formatNumber(s.ci95[0])} – ${formatNumber(s.ci95[1])}` : "–";
  return `${t("mean")} ${formatNumber(s.mean)} · ${t("median")} ${formatNumber(s.median, 1)} · ${t("ci95")} ${ci} · n = ${s.n} · ${t("dont_know")}: ${s.dont_know}`;
}

function QuestionResultView({ qid, q, ideas }: { qid: string; q: QuestionResults; ideas?: Idea[] }) {
  const r = q.results;
  return (
    <Card title={q.text}>
      {q.type === "likert" && (
        <>
          <p>{summaryLine(r as Summary)}</p>
          <MeanBars title={q.text} rows={[{ label: q.text, mean: r.mean ?? null, ci: r.ci95 ?? [null, null], n: r.n ?? 0 }]} />
          <DistributionBar counts={r.distribution ?? [0, 0, 0, 0, 0]} label={`${t("distribution")}: ${q.text}`} />
        </>
      )}
      {q.type === "idea_rating" && <IdeaRatingResults qid={qid} q={q} ideas={ideas} />}
      {(q.type === "single_choice" || q.type === "multiple_choice") && (
        <>
          <p class="muted">{t("answered", { n: String(r.answered ?? 0) })}</p>
          <CountBars title={q.text} rows={Object.entries(r.options ?? {}).map(([label, o]) => ({ label, count: o.count }))} />
        </>
      )}
      {q.type === "ranking" && (
        <>
          <p class="muted">
            {t("answered", { n: String(r.answered ?? 0) })} · {t("ranking_result_hint")}
          </p>
          <ol>
            {Object.entries(r.options ?? {})
              .sort((a, b) => (a[1].mean_position ?? 99) - (b[1].mean_position ?? 99))
              .map(([label, o]) => (
                <li key={label}>
                  {label}: {t("mean_position")} {formatNumber(o.mean_position ?? null)}
                </li>
              ))}
          </ol>
        </>
      )}
      {q.type === "budget" && (
        <>
          <p class="muted">{t("answered", { n: String(r.answered ?? 0) })}</p>
          <CountBars
            title={q.text}
            rows={Object.entries(r.options ?? {}).map(([label, o]) => ({ label, count: Math.round((o.mean_points ?? 0) * 10) / 10 }))}
          />
        </>
      )}
      {q.type === "free_text" && <p class="muted">{t("free_text_answers", { n: String(r.answered ?? 0) })}</p>}
    </Card>
  );
}

function rankNote(e: { rank_low: number; rank_high: number; tied_with: string[] }): string {
  const range = e.rank_low === e.rank_high ? `${t("rank")} ${e.rank_low}` : `${t("rank")} ${e.rank_low}–${e.rank_high}`;
  return e.tied_with.length ? `${range} (${t("tied", { n: String(e.tied_with.length) })})` : range;
}

function IdeaRatingResults({ qid, q, ideas }: { qid: string; q: QuestionResults; ideas?: Idea[] }) {
  const rankings = q.results.rankings ?? {};
  const criteria = Object.keys(rankings);
  const [criterion, setCriterion] = useState(criteria[0] ?? "benefit");
  const ranking = rankings[criterion] ?? [];
  const cells = q.results.ideas ?? {};
  const rows: MeanRow[] = ranking.map((e) => {
    const s = cells[e.idea]?.[criterion];
    return {
      label: `${e.rank}. ${ideaTitle(ideas, e.idea)}`,
      mean: e.mean,
      ci: s?.ci95 ?? [null, null],
      n: s?.n ?? 0,
      note: rankNote(e),
    };
  });
  const selectId = `criterion-${qid}`;
  return (
    <>
      <div class="inline-form">
        <label for={selectId}>{t("criterion")}</label>
        <select id={selectId} value={criterion} onChange={(e) => setCriterion(e.currentTarget.value)}>
          {criteria.map((c) => (
            <option key={c} value={c}>
              {t(`criterion_${c}`)}
            </option>
          ))}
        </select>
      </div>
      <p class="muted small-text">{t("ties_hint")}</p>
      <MeanBars title={`${q.text}: ${t(`criterion_${criterion}`)}`} rows={rows} />
      <details>
        <summary>{t("details_table")}</summary>
        <div class="table-scroll" tabIndex={0}>
          <table>
            <caption class="visually-hidden">{`${q.text}: ${t(`criterion_${criterion}`)}`}</caption>
            <thead>
              <tr>
                <th scope="col">{t("rank")}</th>
                <th scope="col">{t("idea")}</th>
                <th scope="col">{t("mean")}</th>
                <th scope="col">{t("ci95")}</th>
                <th scope="col">n</th>
                <th scope="col">{t("distribution")}</th>
                <th scope="col">{t("tied_with")}</th>
              </tr>
            </thead>
            <tbody>
              {ranking.map((e) => {
                const s = cells[e.idea]?.[criterion];
                return (
                  <tr key={e.idea}>
                    <td>{e.rank_low === e.rank_high ? e.rank_low : `${e.rank_low}–${e.rank_high}`}</td>
                    <th scope="row">{ideaTitle(ideas, e.idea)}</th>
                    <td>{formatNumber(e.mean)}</td>
                    <td>{s && s.ci95[0] !== null ? `${formatNumber(s.ci95[0])} – ${formatNumber(s.ci95[1])}` : "–"}</td>
                    <td>{s?.n ?? 0}</td>
                    <td>{s ? s.distribution.join(" / ") : ""}</td>
                    <td>{e.tied_with.map((i) => ideaTitle(ideas, i)).join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function Segments({ results, ideas }: { results: Results; ideas?: Idea[] }) {
  const attrs = Object.keys(results.segments ?? {});
  const [attr, setAttr] = useState(attrs[0] ?? "state");
  const seg = results.segments?.[attr];
  // The first rating question decides what is compared across segments.
  const ratingQ = Object.entries(results.questions).find(([, q]) => q.type === "idea_rating" || q.type === "likert");
  return (
    <Card title={t("segments")}>
      <p class="muted small-text">{t("segments_hint", { n: String(results.min_segment) })}</p>
      <div class="inline-form">
        <label for="segment-attr">{t("segment_by")}</label>
        <select id="segment-attr" value={attr} onChange={(e) => setAttr(e.currentTarget.value)}>
          {attrs.map((a) => (
            <option key={a} value={a}>
              {t(`attr_${a}`)}
            </option>
          ))}
        </select>
      </div>
      {seg && seg.suppressed > 0 && <p class="muted">{t("segments_suppressed", { n: String(seg.suppressed) })}</p>}
      {seg && seg.segments.length === 0 && <p>{t("segments_none")}</p>}
      {seg && ratingQ && seg.segments.length > 0 && <SegmentTable segments={seg.segments} attr={attr} qid={ratingQ[0]} q={ratingQ[1]} ideas={ideas} />}
    </Card>
  );
}

// Means per segment: one row per idea (or the Likert statement), one
// column per segment value, for the first criterion of the question.
function SegmentTable({
  segments,
  attr,
  qid,
  q,
  ideas,
}: {
  segments: Segment[];
  attr: string;
  qid: string;
  q: QuestionResults;
  ideas?: Idea[];
}) {
  const criterion = Object.keys(q.results.rankings ?? {})[0] ?? "benefit";
  const rowIds = q.type === "likert" ? [qid] : (q.results.rankings?.[criterion] ?? []).map((e) => e.idea);
  const cell = (s: Segment, row: string): Summary | undefined => {
    const data = s.questions[qid];
    if (!data) return undefined;
    if ("ideas" in data) return data.ideas[row]?.[criterion];
    return data as Summary;
  };
  const caption = `${q.text}${q.type === "idea_rating" ? ` (${t(`criterion_${criterion}`)})` : ""}: ${t("mean")}`;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{q.type === "likert" ? t("question") : t("idea")}</th>
            {segments.map((s) => (
              <th key={s.value} scope="col">
                {attributeLabel(attr, s.value)} <span class="muted">(n = {s.respondents})</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rowIds.map((row) => (
            <tr key={row}>
              <th scope="row">{q.type === "likert" ? q.text : ideaTitle(ideas, row)}</th>
              {segments.map((s) => (
                <td key={s.value}>{formatNumber(cell(s, row)?.mean ?? null)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
