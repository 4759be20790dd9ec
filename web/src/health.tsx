// The neighbourhood's health: tie figures per month as small bar charts
// (inline SVG), each with its numbers in a table for those who read rather
// than look. Definitions: docs/community-health.md.
import { useEffect, useState } from 'preact/hooks';
import { api, type HealthMonth, type HealthReport, type HealthShare } from './api';
import type { Key, Lang, T } from './i18n';
import { Pending, NotFound } from './pages';
import { ErrorText, Loading, Page, useApp } from './ui';

type CountKey = 'new_ties' | 'kept_ties' | 'deepened_ties' | 'bridging_ties' | 'newcomers_reached';
type ShareKey = 'asks_answered_within_48h' | 'asks_completed';
const COUNTS: CountKey[] = ['new_ties', 'kept_ties', 'deepened_ties', 'bridging_ties', 'newcomers_reached'];
const SHARES: ShareKey[] = ['asks_answered_within_48h', 'asks_completed'];

function monthLabel(lang: Lang, month: string, style: 'short' | 'long'): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1, 1));
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB',
    style === 'short' ? { month: 'short', timeZone: 'UTC' } : { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(d);
}

function percent(lang: Lang, s: HealthShare): string {
  if (s.share == null) return '–';
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(s.share);
}

/** Bars for one figure, one per month; values null (withheld) draw no bar. */
function Bars({ values, max, labels, unit }: {
  values: (number | null)[]; max: number; labels: string[]; unit: (v: number) => string;
}) {
  const w = 24, gap = 6, h = 90, top = 16, bottom = 20;
  const width = values.length * (w + gap);
  return (
    <svg class="bars" viewBox={`0 0 ${width} ${h + top + bottom}`} role="presentation" aria-hidden="true"
      focusable="false" preserveAspectRatio="xMinYMid meet">
      <line x1="0" x2={width} y1={top + h} y2={top + h} class="axis" />
      {values.map((v, i) => {
        const x = i * (w + gap) + gap / 2;
        const bh = v == null || max <= 0 ? 0 : Math.max(v > 0 ? 2 : 0, (v / max) * h);
        return (
          <g key={i}>
            {bh > 0 && <rect x={x} y={top + h - bh} width={w} height={bh} rx="3" class="bar" />}
            {v != null && v > 0 && (
              <text x={x + w / 2} y={top + h - bh - 4} text-anchor="middle" class="value">{unit(v)}</text>
            )}
            <text x={x + w / 2} y={top + h + 15} text-anchor="middle" class="month">{labels[i]}</text>
          </g>
        );
      })}
    </svg>
  );
}

function Figure({ title, about, months, values, cells, max, unit }: {
  title: string; about: string; months: HealthMonth[]; values: (number | null)[];
  cells: string[]; max: number; unit: (v: number) => string;
}) {
  const { t, lang } = useApp();
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <section class="card figure" aria-labelledby={id}>
      <h2 class="h3" id={id}>{title}</h2>
      <p class="muted">{about}</p>
      <p class="now">
        <span class="big">{cells[cells.length - 1]}</span>{' '}
        <span class="muted">{monthLabel(lang, months[months.length - 1].month, 'long')}</span>
      </p>
      <Bars values={values} max={max} unit={unit}
        labels={months.map((m) => monthLabel(lang, m.month, 'short'))} />
      <details>
        <summary>{t('health.numbers')}</summary>
        <table>
          <thead><tr><th scope="col">{t('health.month')}</th><th scope="col">{title}</th></tr></thead>
          <tbody>
            {months.map((m, i) => (
              <tr key={m.month}><th scope="row">{monthLabel(lang, m.month, 'long')}</th><td>{cells[i]}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function countCell(t: T, lang: Lang, v: number | null): string {
  return v == null ? t('health.fewerThan', { n: 10 }) : new Intl.NumberFormat(lang).format(v);
}

function shareCell(t: T, lang: Lang, s: HealthShare): string {
  if (s.denominator == null) return t('health.fewerThan', { n: 10 });
  if (s.denominator === 0) return t('health.noAsks');
  if (s.numerator == null) return t('health.ofWithheld', { d: s.denominator });
  return t('health.share', { p: percent(lang, s), n: s.numerator, d: s.denominator });
}

export function Health({ id }: { id: number }) {
  const { t, lang, me } = useApp();
  const m = me?.memberships.find((x) => x.neighbourhood.id === id);
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (m?.status !== 'verified') return;
    api.get<HealthReport>(`/neighbourhoods/${id}/health`).then(setReport, setError);
  }, [id]);
  if (!m) return <NotFound />;
  if (m.status !== 'verified') return <Pending name={m.neighbourhood.name} />;
  return (
    <Page title={t('health.title', { name: m.neighbourhood.name })} wide>
      <p class="lead">{t('health.intro')}</p>
      <ErrorText error={error} />
      {report?.suppressed_below != null && <p>{t('health.withheld', { n: report.suppressed_below })}</p>}
      {!report ? (!error && <Loading />) : (
        <div class="figures">
          {COUNTS.map((k) => {
            const values = report.months.map((x) => x[k]);
            return (
              <Figure key={k} title={t(('health.' + k) as Key)} about={t(('health.' + k + '.about') as Key)}
                months={report.months} values={values} max={Math.max(1, ...values.map((v) => v ?? 0))}
                cells={values.map((v) => countCell(t, lang, v))} unit={(v) => String(v)} />
            );
          })}
          {SHARES.map((k) => {
            const shares = report.months.map((x) => x[k]);
            return (
              <Figure key={k} title={t(('health.' + k) as Key)} about={t(('health.' + k + '.about') as Key)}
                months={report.months} values={shares.map((s) => (s.share == null ? null : Math.round(s.share * 100)))}
                max={100} cells={shares.map((s) => shareCell(t, lang, s))} unit={(v) => v + '%'} />
            );
          })}
        </div>
      )}
    </Page>
  );
}
