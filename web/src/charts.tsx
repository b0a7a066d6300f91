// SVG charts for survey and live results: horizontal bars on the 1..5
// scale with the 95% confidence interval as a whisker, distributions as
// stacked bars, counts as simple bars. Each chart has a text alternative
// (a title and the numbers in an accessible table or labels).
import { formatNumber } from "./ui";
import { t } from "./i18n";

export interface MeanRow {
  label: string;
  mean: number | null;
  ci: [number | null, number | null];
  n: number;
  note?: string; // e.g. the rank range and ties
}

const scaleColors = ["#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac"];

// Means on the 1..5 scale, one row per label, with CI whiskers.
export function MeanBars({ rows, title }: { rows: MeanRow[]; title: string }) {
  const rowH = 44;
  const labelW = 0; // labels are above the bars (phone-first)
  const width = 600;
  const plotW = width - labelW - 20;
  const x = (v: number) => labelW + ((Math.min(5, Math.max(1, v)) - 1) / 4) * plotW;
  const height = rows.length * rowH + 24;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        <title>{title}</title>
        {[1, 2, 3, 4, 5].map((v) => (
          <g key={v}>
            <line x1={x(v)} x2={x(v)} y1={0} y2={height - 20} stroke="#d0d0d0" stroke-width="1" />
            <text x={x(v)} y={height - 4} text-anchor={v === 1 ? "start" : v === 5 ? "end" : "middle"} font-size="13" fill="#333">
              {v}
            </text>
          </g>
        ))}
        {rows.map((r, i) => {
          const y = i * rowH;
          return (
            <g key={r.label}>
              <text x={labelW + 2} y={y + 14} font-size="14" fill="#1a1a1a">
                {r.label.length > 70 ? r.label.slice(0, 68) + "…" : r.label}
                {r.note ? ` · ${r.note}` : ""}
              </text>
              {r.mean !== null && (
                <rect x={labelW} y={y + 20} width={Math.max(2, x(r.mean) - labelW)} height={14} fill="#0b5cad" rx="2" />
              )}
              {r.ci[0] !== null && r.ci[1] !== null && (
                <g stroke="#1a1a1a" stroke-width="2">
                  <line x1={x(r.ci[0])} x2={x(r.ci[1])} y1={y + 27} y2={y + 27} />
                  <line x1={x(r.ci[0])} x2={x(r.ci[0])} y1={y + 21} y2={y + 33} />
                  <line x1={x(r.ci[1])} x2={x(r.ci[1])} y1={y + 21} y2={y + 33} />
                </g>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption class="visually-hidden">
        {rows.map((r) => `${r.label}: ${t("mean")} ${formatNumber(r.mean)}, n = ${r.n}`).join("; ")}
      </figcaption>
    </figure>
  );
}

// A distribution of ratings 1..5 as one stacked bar with a legend.
export function DistributionBar({ counts, label }: { counts: number[]; label: string }) {
  const total = counts.reduce((a, b) => a + b, 0);
  let x = 0;
  return (
    <figure class="chart distribution">
      <svg viewBox="0 0 600 28" role="img" aria-label={label} preserveAspectRatio="none">
        <title>{label}</title>
        {total === 0 && <rect x={0} y={4} width={600} height={20} fill="#eeeeee" />}
        {counts.map((c, i) => {
          const w = total ? (c / total) * 600 : 0;
          const r = <rect key={i} x={x} y={4} width={w} height={20} fill={scaleColors[i]} />;
          x += w;
          return r;
        })}
      </svg>
      <figcaption class="legend small-text">
        {counts.map((c, i) => (
          <span key={i}>
            <span class="swatch" style={{ background: scaleColors[i] }} aria-hidden="true" />
            {i + 1}: {c}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

// Counts per option as horizontal bars (choices, live tallies). Short
// labels (the 1..5 scale) sit left of their bar, longer ones above it.
export function CountBars({
  rows,
  title,
  big,
}: {
  rows: { label: string; count: number }[];
  title: string;
  big?: boolean;
}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const inline = rows.every((r) => r.label.length <= 3);
  const width = big ? 1000 : 600;
  const font = big ? 34 : 14;
  const barH = big ? 40 : 16;
  const labelW = inline ? font * 2 : 0;
  const rowH = inline ? barH + (big ? 20 : 10) : font + barH + (big ? 24 : 14);
  const countW = big ? 90 : 50;
  const height = rows.length * rowH;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="xMinYMin meet">
        <title>{title}</title>
        {rows.map((r, i) => {
          const y = i * rowH;
          const barY = inline ? y : y + font + 6;
          const w = Math.max(2, (r.count / max) * (width - labelW - countW));
          return (
            <g key={r.label}>
              <text x={0} y={inline ? barY + barH * 0.8 : y + font} font-size={font} fill="#1a1a1a">
                {r.label}
              </text>
              <rect x={labelW} y={barY} width={w} height={barH} fill="#0b5cad" rx="3" class="bar" />
              <text x={labelW + w + 8} y={barY + barH * 0.8} font-size={font} fill="#1a1a1a" class="bar-count">
                {r.count}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
