/**
 * Pictures of a family, drawn from its checks' `details` (documented in each check's
 * docstring). Geometry is worked out here and drawn as inline SVG or HTML by
 * `templates/partials/picture.hbs`; no script, no remote asset. Each picture also carries its
 * numbers as a table (for screen readers and for copying).
 *
 * A picture is drawn only from the `details` a check produced; a check that errored has none,
 * and its family then shows no picture (its findings and coverage still say what happened).
 */
import type { Family } from '../engine/types.js';
import type { CheckResult, Report } from '../report/model.js';

export interface Cell {
  text: string;
  /** CSS class: `ok`, `warn`, `bad`, `muted`, or empty. */
  cls: string;
}

export interface DataTable {
  columns: string[];
  rows: Cell[][];
}

export interface BarRow {
  y: number;
  textY: number;
  label: string;
  fullLabel: string;
  x: number;
  w: number;
  barY: number;
  barH: number;
  cls: string;
  note: string;
  noteX: number;
  /** A marker (a point in time) instead of a bar. */
  marker: boolean;
}

export interface BarChart {
  width: number;
  height: number;
  labelX: number;
  plotX: number;
  plotW: number;
  axisY: number;
  rows: BarRow[];
  ticks: Array<{ x: number; label: string; anchor: 'start' | 'middle' | 'end' }>;
  lines: Array<{ x: number; y1: number; y2: number; label: string; labelY: number; cls: string }>;
  legend: Array<{ label: string; cls: string }>;
}

export interface Picture {
  id: string;
  title: string;
  caption: string;
  bars: BarChart | null;
  /** Cards (etcd members, drain steps): a title, a status and lines of facts each. */
  cards: Array<{ title: string; badge: string; cls: string; lines: string[] }> | null;
  /** Cards in order (a plan): numbered. */
  ordered: boolean;
  /** The picture's numbers; for a table-only picture (a matrix) it is the picture. */
  table: DataTable;
  tableIsPicture: boolean;
  /** Rows left out of the drawing (shown in the table and the findings). */
  omitted: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rowsOf(check: CheckResult | undefined, key: string): Array<Record<string, unknown>> {
  const v = check?.details?.[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function short(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function hours(h: number): string {
  return h >= 48 ? `${Math.round((h / 24) * 10) / 10} d` : `${Math.round(h * 10) / 10} h`;
}

const WIDTH = 900;
const ROW_H = 26;
const TOP = 28;
const MAX_ROWS = 40;

/** Lays out horizontal bars: `value(row)` gives the bar's end as a fraction of the plot (clipped to [0, 1]). */
function barChart<T>(
  rows: T[],
  each: (r: T) => { label: string; start: number; end: number; cls: string; note: string; marker?: boolean },
  axis: { ticks: Array<{ at: number; label: string }>; lines: Array<{ at: number; label: string; cls: string }>; legend: BarChart['legend'] },
): BarChart {
  const labelW = 250;
  const noteW = 190;
  const plotX = labelW + 10;
  const plotW = WIDTH - plotX - noteW - 10;
  const clip = (f: number): number => Math.max(0, Math.min(1, f));
  const out: BarRow[] = rows.map((r, i) => {
    const e = each(r);
    const y = TOP + i * ROW_H;
    const x0 = plotX + clip(e.start) * plotW;
    const x1 = plotX + clip(e.end) * plotW;
    return {
      y,
      textY: y + ROW_H / 2 + 4,
      label: short(e.label, 38),
      fullLabel: e.label,
      x: Math.round(Math.min(x0, x1) * 10) / 10,
      w: Math.max(e.marker ? 0 : 2, Math.round(Math.abs(x1 - x0) * 10) / 10),
      barY: y + 6,
      barH: ROW_H - 12,
      cls: e.cls,
      note: e.note,
      noteX: WIDTH - noteW + 6,
      marker: e.marker ?? false,
    };
  });
  const axisY = TOP + rows.length * ROW_H + 4;
  return {
    width: WIDTH,
    height: axisY + 22,
    labelX: labelW,
    plotX,
    plotW,
    axisY,
    rows: out,
    ticks: axis.ticks.map((t, i) => ({
      x: Math.round((plotX + clip(t.at) * plotW) * 10) / 10,
      label: t.label,
      anchor: i === 0 && t.at <= 0 ? 'start' : t.at >= 1 ? 'end' : 'middle',
    })),
    lines: axis.lines.map((l) => ({ x: Math.round((plotX + clip(l.at) * plotW) * 10) / 10, y1: TOP - 6, y2: axisY, label: l.label, labelY: TOP - 10, cls: l.cls })),
    legend: axis.legend,
  };
}

function picture(p: Partial<Picture> & Pick<Picture, 'id' | 'title' | 'caption' | 'table'>): Picture {
  return { bars: null, cards: null, ordered: false, tableIsPicture: false, omitted: null, ...p };
}

const FRESHNESS_CLASS: Record<string, string> = { fresh: 'ok', 'not-yet-due': 'muted', stale: 'warn', 'stale-critical': 'bad', 'never-succeeded': 'bad' };

/**
 * Backup freshness: each series' age against its limit (`details.series` of
 * backup-velero-freshness, backup-etcd-snapshots and backup-operator-freshness:
 * `subject`, `ageHours`, `limitHours`, `verdict`). The scale is relative: the limit line
 * is at the middle, so series with different limits compare at a glance; ages past twice
 * the limit run off the right edge.
 */
function backupFreshness(checks: CheckResult[]): Picture | null {
  const rows: Array<{ subject: string; ageHours: number | null; limitHours: number; verdict: string; check: string }> = [];
  for (const id of ['backup-velero-freshness', 'backup-etcd-snapshots', 'backup-operator-freshness']) {
    const check = checks.find((c) => c.id === id);
    for (const r of rowsOf(check, 'series')) {
      const limitHours = num(r.limitHours);
      if (limitHours === undefined || limitHours <= 0) continue;
      rows.push({ subject: str(r.subject) ?? '?', ageHours: num(r.ageHours) ?? null, limitHours, verdict: str(r.verdict) ?? 'fresh', check: id });
    }
  }
  if (rows.length === 0) return null;
  const order = ['never-succeeded', 'stale-critical', 'stale', 'fresh', 'not-yet-due'];
  rows.sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict) || (b.ageHours ?? Infinity) / b.limitHours - (a.ageHours ?? Infinity) / a.limitHours);
  const drawn = rows.slice(0, MAX_ROWS);
  const bars = barChart(
    drawn,
    (r) => ({
      label: r.subject,
      start: 0,
      end: r.ageHours === null ? 1 : r.ageHours / r.limitHours / 2,
      cls: FRESHNESS_CLASS[r.verdict] ?? 'muted',
      note: r.ageHours === null ? (r.verdict === 'not-yet-due' ? 'no backup yet (not due)' : 'never succeeded') : `${hours(r.ageHours)} old · limit ${hours(r.limitHours)}`,
    }),
    {
      ticks: [
        { at: 0, label: 'just now' },
        { at: 0.25, label: '½ limit' },
        { at: 0.5, label: 'limit' },
        { at: 0.75, label: '1½ × limit' },
        { at: 1, label: '≥ 2 × limit' },
      ],
      lines: [{ at: 0.5, label: 'limit (RPO)', cls: 'limit' }],
      legend: [
        { label: 'within its limit', cls: 'ok' },
        { label: 'older than its limit', cls: 'warn' },
        { label: 'past the critical age, or never succeeded', cls: 'bad' },
      ],
    },
  );
  const stale = rows.filter((r) => r.verdict !== 'fresh' && r.verdict !== 'not-yet-due').length;
  return picture({
    id: 'backup-freshness',
    title: 'Backup freshness',
    caption: `Age of the newest successful backup of each series against its limit (the schedule's interval with tolerance, capped by the RPO). ${stale === 0 ? 'Every series is within its limit.' : `${stale} of ${rows.length} series are past their limit.`}`,
    bars,
    table: {
      columns: ['Series', 'Newest success age', 'Limit', 'Verdict'],
      rows: rows.map((r) => [
        { text: r.subject, cls: '' },
        { text: r.ageHours === null ? 'none' : hours(r.ageHours), cls: '' },
        { text: hours(r.limitHours), cls: '' },
        { text: r.verdict, cls: FRESHNESS_CLASS[r.verdict] ?? '' },
      ]),
    },
    omitted: rows.length > drawn.length ? `${rows.length - drawn.length} more series are in the table below.` : null,
  });
}

/** Pictures of one family, in display order. */
export function picturesFor(family: Family, checks: CheckResult[], _report: Report): Picture[] {
  const out: Array<Picture | null> = [];
  if (family === 'backup') out.push(backupFreshness(checks));
  return out.filter((p): p is Picture => p !== null);
}
