/**
 * `trend.html`: one self-contained page (`templates/trend.hbs`, `templates/trend.css`
 * inlined) with the charts of `charts.ts` as inline SVG and the numbers as tables. No script
 * and no remote asset: a Content Security Policy allows only the inline style (by hash) and
 * nothing is fetched. Every value is escaped (`{{ }}`): names come from the cluster.
 */
import { TOOL_VERSION } from '../paths.js';
import { standalonePage } from '../render/page.js';
import { trendCharts } from './charts.js';
import type { Trend } from './model.js';
import {
  clock,
  closedFindings,
  clusterName,
  daysLeftClass,
  daysOpen,
  label,
  medianText,
  openFindings,
  openNote,
  period,
  soonestText,
} from './view.js';

function view(t: Trend) {
  const last = t.runs[t.runs.length - 1]!;
  const soonest = last.certificates?.soonest ?? null;
  return {
    cluster: clusterName(t),
    period: period(t),
    runCount: `${t.runs.length} run${t.runs.length === 1 ? '' : 's'}`,
    generatedAt: clock(t.metadata.generatedAt),
    facts: [
      { label: 'Last verdict', value: last.verdict, cls: last.verdict === 'GO' ? 'ok' : last.verdict === 'NO-GO' ? 'bad' : 'warn' },
      { label: 'Open findings', value: String(t.summary.open), cls: '' },
      { label: 'Opened', value: String(t.summary.opened), cls: '' },
      { label: 'Closed', value: String(t.summary.closed), cls: '' },
      { label: 'Median time to fix', value: medianText(t), cls: '' },
      {
        label: 'Soonest certificate (last run)',
        value: soonest ? `${soonest.daysLeft} days` : last.certificates ? 'none' : 'not assessed',
        cls: soonest ? daysLeftClass(soonest.daysLeft) : '',
      },
      {
        label: 'Cluster admins (last run)',
        value: last.clusterAdminCount === null ? 'not assessed' : String(last.clusterAdminCount),
        cls: '',
      },
    ],
    warnings: t.metadata.warnings,
    charts: trendCharts(t),
    median: medianText(t),
    runDays: t.runs.map((r) => clock(r.now).slice(0, 10)),
    closed: closedFindings(t).map((f) => ({ ...f, resource: label(f), firstSeen: clock(f.firstSeen), closedAt: clock(f.closedAt!) })),
    open: openFindings(t).map((f) => ({
      ...f,
      resource: label(f),
      firstSeen: clock(f.firstSeen),
      daysOpen: daysOpen(t, f),
      note: openNote(f),
    })),
    certificates: t.certificates.map((c) => ({
      name: c.name,
      where: c.where,
      days: c.daysLeft.map((d) => ({ text: d === null ? '—' : String(d), cls: daysLeftClass(d) })),
    })),
  };
}

/** The trend as one HTML page. */
export function renderTrendHtml(t: Trend): string {
  const c = standalonePage('trend.hbs', 'trend.css');
  const v = view(t);
  const runs = t.runs.map((r) => ({
    ...r,
    now: clock(r.now),
    cert: soonestText(r),
    admins: r.clusterAdminCount === null ? 'not assessed' : String(r.clusterAdminCount),
  }));
  return c.template({ view: { ...v, runs }, css: c.css, csp: c.csp, tool: TOOL_VERSION });
}
