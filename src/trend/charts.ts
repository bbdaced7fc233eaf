/**
 * The charts of `trend.html`, worked out as geometry (scales from d3-scale, line paths from
 * d3-shape) and drawn as inline SVG by `templates/trend.hbs`: no script, no remote asset, the
 * same drawing in any browser or PDF. The x axis is time (each run at its clock, `now`), so
 * uneven gaps between runs show as such. Every chart's numbers are also in the page's tables.
 */
import { scaleLinear, scaleUtc, type ScaleLinear, type ScaleTime } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import type { Trend } from './model.js';

export interface ChartMark {
  x: number;
  y: number;
  w: number;
  h: number;
  /** CSS class (colour): `opened`, `closed`, `s0`…`s5`, `v-GO`, `v-NO-GO`… */
  cls: string;
  /** Tooltip and accessible name: `2026-12-01: 3 opened`. */
  title: string;
}

export interface ChartPoint {
  cx: number;
  cy: number;
  cls: string;
  title: string;
}

export interface Chart {
  id: string;
  title: string;
  /** What the chart shows, in one sentence (also the SVG's description). */
  caption: string;
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  xTicks: Array<{ x: number; label: string }>;
  yTicks: Array<{ y: number; label: string }>;
  /** A labelled horizontal line (zero, a threshold). */
  rules: Array<{ y: number; label: string; cls: string }>;
  bars: ChartMark[];
  paths: Array<{ d: string; cls: string }>;
  points: ChartPoint[];
  legend: Array<{ label: string; cls: string }>;
  /** Set when there is nothing to draw: why. */
  empty: string | null;
}

const WIDTH = 760;
const HEIGHT = 240;
const MARGIN = { left: 52, right: 16, top: 14, bottom: 30 };
const DAY_MS = 86_400_000;
/** Room between the plot's edges and the first and last runs: a bar's width and a little. */
const INSET = 30;

const day = (iso: string): string => iso.slice(0, 10);

function frame(id: string, title: string, caption: string, trend: Trend, yDomain: [number, number]) {
  const times = trend.runs.map((r) => new Date(r.now));
  const first = times[0]!.getTime();
  const last = times[times.length - 1]!.getTime();
  // One run (or runs at one instant): a day either side, so the marks sit in the middle.
  const x: ScaleTime<number, number> = scaleUtc()
    .domain(last > first ? [new Date(first), new Date(last)] : [new Date(first - DAY_MS), new Date(first + DAY_MS)])
    .range([MARGIN.left + INSET, WIDTH - MARGIN.right - INSET]);
  const y: ScaleLinear<number, number> = scaleLinear()
    .domain(yDomain)
    .nice(5)
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  // `Nov 25` within about a year, `Nov 2026` beyond; UTC, as the runs' clocks.
  const long = x.domain()[1]!.getTime() - x.domain()[0]!.getTime() > 300 * DAY_MS;
  const fmt = new Intl.DateTimeFormat('en', { timeZone: 'UTC', month: 'short', ...(long ? { year: 'numeric' } : { day: 'numeric' }) });
  const fmtX = (t: Date): string => fmt.format(t);
  const chart: Chart = {
    id,
    title,
    caption,
    width: WIDTH,
    height: HEIGHT,
    plot: { left: MARGIN.left, right: WIDTH - MARGIN.right, top: MARGIN.top, bottom: HEIGHT - MARGIN.bottom },
    xTicks: x.ticks(6).map((t) => ({ x: round(x(t)), label: fmtX(t) })),
    yTicks: y
      .ticks(5)
      .filter(Number.isInteger)
      .map((v) => ({ y: round(y(v)), label: String(v) })),
    rules: [],
    bars: [],
    paths: [],
    points: [],
    legend: [],
    empty: null,
  };
  return { chart, x: (i: number) => x(times[i]!), y, times };
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** Width of a bar: a third of the narrowest gap between runs, within 4–24 pixels. */
function barWidth(xs: number[]): number {
  let gap = Infinity;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[i - 1]!) gap = Math.min(gap, xs[i]! - xs[i - 1]!);
  return Math.max(4, Math.min(24, Number.isFinite(gap) ? gap / 3 : 24));
}

/** Findings opened (up) and closed (down) in each run, and the open findings after it (line). */
export function findingsChart(trend: Trend): Chart {
  const top = Math.max(1, ...trend.runs.map((r) => Math.max(r.open, r.opened)));
  const bottom = -Math.max(0, ...trend.runs.map((r) => r.closed));
  const { chart, x, y } = frame(
    'findings',
    'Findings opened and closed',
    'Bars: findings opened (up) and closed (down) in each run; line: findings open after it.',
    trend,
    [bottom, top],
  );
  const xs = trend.runs.map((_, i) => x(i));
  const w = barWidth(xs);
  const zero = y(0);
  trend.runs.forEach((r, i) => {
    const cx = xs[i]!;
    if (r.opened > 0)
      chart.bars.push({
        x: round(cx - w),
        y: round(y(r.opened)),
        w: round(w),
        h: round(zero - y(r.opened)),
        cls: 'opened',
        title: `${day(r.now)}: ${r.opened} opened`,
      });
    if (r.closed > 0)
      chart.bars.push({
        x: round(cx),
        y: round(zero),
        w: round(w),
        h: round(y(-r.closed) - zero),
        cls: 'closed',
        title: `${day(r.now)}: ${r.closed} closed`,
      });
    chart.points.push({ cx: round(cx), cy: round(y(r.open)), cls: 'open', title: `${day(r.now)}: ${r.open} open` });
  });
  chart.paths.push({
    d:
      line<number>()
        .x((_, i) => xs[i]!)
        .y((v) => y(v))(trend.runs.map((r) => r.open)) ?? '',
    cls: 'open',
  });
  chart.rules.push({ y: round(zero), label: '', cls: 'zero' });
  chart.legend.push({ label: 'opened', cls: 'opened' }, { label: 'closed', cls: 'closed' }, { label: 'open after the run', cls: 'open' });
  return chart;
}

/** Days left of the certificates expiring soonest (`trend.certificates`), one line each; gaps where a run did not list one. */
export function certificatesChart(trend: Trend): Chart {
  const values = trend.certificates.flatMap((c) => c.daysLeft.filter((v): v is number => v !== null));
  const { chart, x, y } = frame(
    'certificates',
    'Certificate days left',
    'Days from each run to the notAfter of the certificates expiring soonest; below 0 they had expired. A jump up is a renewal.',
    trend,
    [Math.min(0, ...values), Math.max(30, ...values)],
  );
  if (trend.certificates.length === 0) {
    chart.empty = trend.runs.some((r) => r.certificates !== null)
      ? 'The certs checks listed no certificate.'
      : 'No run has certificate data (the certs checks did not run or failed).';
    return chart;
  }
  trend.certificates.forEach((c, k) => {
    const cls = `s${k}`;
    const d = line<number | null>()
      .defined((v) => v !== null)
      .x((_, i) => x(i))
      .y((v) => y(v!))(c.daysLeft);
    chart.paths.push({ d: d ?? '', cls });
    c.daysLeft.forEach((v, i) => {
      if (v !== null)
        chart.points.push({
          cx: round(x(i)),
          cy: round(y(v)),
          cls,
          title: `${c.name} (${c.where}), ${day(trend.runs[i]!.now)}: ${v} days left`,
        });
    });
    chart.legend.push({ label: `${c.name} — ${c.where}`, cls });
  });
  chart.rules.push({ y: round(y(0)), label: 'expired', cls: 'zero' });
  return chart;
}

/** `clusterAdminCount` per run, as steps; gaps where a run did not report it. */
export function adminsChart(trend: Trend): Chart {
  const counts = trend.runs.map((r) => r.clusterAdminCount);
  const known = counts.filter((v): v is number => v !== null);
  const { chart, x, y } = frame(
    'admins',
    'Cluster-admin subjects',
    "Subjects outside the distribution's defaults that are cluster-admin or equivalent (rbac-cluster-admins), per run; " +
      'a gap is a run that did not assess them.',
    trend,
    [0, Math.max(1, ...known)],
  );
  if (known.length === 0) {
    chart.empty = 'No run reports it (rbac-cluster-admins did not run or failed).';
    return chart;
  }
  chart.paths.push({
    d:
      line<number | null>()
        .defined((v) => v !== null)
        .curve(curveStepAfter)
        .x((_, i) => x(i))
        .y((v) => y(v!))(counts) ?? '',
    cls: 's0',
  });
  counts.forEach((v, i) => {
    if (v !== null) chart.points.push({ cx: round(x(i)), cy: round(y(v)), cls: 's0', title: `${day(trend.runs[i]!.now)}: ${v}` });
  });
  return chart;
}

const VERDICTS = ['GO', 'NO-GO', 'INCOMPLETE', 'REPORT-ONLY'] as const;

/** The verdict of each run, as a coloured mark on the time axis. */
export function verdictChart(trend: Trend): Chart {
  const { chart, x } = frame('verdicts', 'Verdict per run', 'The verdict of each run.', trend, [0, 1]);
  const h = 56;
  Object.assign(chart, { height: h + MARGIN.bottom, plot: { ...chart.plot, top: 8, bottom: h }, yTicks: [] });
  const xs = trend.runs.map((_, i) => x(i));
  const w = barWidth(xs);
  trend.runs.forEach((r, i) =>
    chart.bars.push({
      x: round(xs[i]! - w / 2),
      y: 14,
      w: round(w),
      h: h - 22,
      cls: `v-${r.verdict}`,
      title: `${day(r.now)}: ${r.verdict}`,
    }),
  );
  chart.legend = VERDICTS.filter((v) => trend.runs.some((r) => r.verdict === v)).map((v) => ({ label: v, cls: `v-${v}` }));
  return chart;
}

/** The charts of the page, in order. */
export function trendCharts(trend: Trend): Chart[] {
  return [verdictChart(trend), findingsChart(trend), certificatesChart(trend), adminsChart(trend)];
}
