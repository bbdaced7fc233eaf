/**
 * Pictures of a family, drawn from its checks' `figures` (`src/contract/figures.ts`) by shape
 * alone: a `timeline` is a row of markers on a time axis, `ages` bars against their limits,
 * `cards` and `plan` cards (a plan numbered), a `matrix` a table of judged cells. Figures of
 * one key merge into one picture first (`mergeFigures`). Geometry is worked out here and drawn
 * as inline SVG or HTML by `templates/partials/picture.hbs`; no script, no remote asset. Each
 * bar picture also carries its numbers as a table (for screen readers and for copying).
 *
 * A picture is drawn only from the figures checks produced; a check that errored has none, and
 * a report written before figures existed has none: its family then shows no picture (its
 * findings, tables and coverage still say what happened).
 */
import type { Family } from '../contract/check.js';
import type {
  AgesFigure,
  Card,
  CardFact,
  CardsFigure,
  Figure,
  FigureStatus,
  MatrixFigure,
  PlanFigure,
  TimelineFigure,
} from '../contract/figures.js';
import type { CheckResult } from '../contract/report.js';

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
  /** Vertical middle of the row (markers). */
  midY: number;
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
  /** The picture's numbers (null when the cards say it all); for a matrix it is the picture. */
  table: DataTable | null;
  tableIsPicture: boolean;
  /** Rows left out of the drawing (shown in the table and the findings). */
  omitted: string | null;
  /** Facts a row of the drawing stands for, listed under it (and printed): `label: text`. */
  notes: Array<{ label: string; text: string }>;
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
  axis: {
    ticks: Array<{ at: number; label: string }>;
    lines: Array<{ at: number; label: string; cls: string }>;
    legend: BarChart['legend'];
  },
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
      midY: y + ROW_H / 2,
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
    lines: axis.lines.map((l) => ({
      x: Math.round((plotX + clip(l.at) * plotW) * 10) / 10,
      y1: TOP - 6,
      y2: axisY,
      label: l.label,
      labelY: TOP - 10,
      cls: l.cls,
    })),
    legend: axis.legend,
  };
}

function picture(p: Partial<Picture> & Pick<Picture, 'id' | 'title' | 'caption'>): Picture {
  return { bars: null, cards: null, ordered: false, table: null, tableIsPicture: false, omitted: null, notes: [], ...p };
}

/** The CSS class of a status (the classes of `Cell.cls`). */
const cls = (s: FigureStatus | undefined): string => s ?? 'muted';

const SEVERITY: Record<FigureStatus, number> = { bad: 0, warn: 1, ok: 2, muted: 3 };

/** True when a status needs attention (counted by a figure's `summary`). */
const flagged = (s: FigureStatus | undefined): boolean => s === 'warn' || s === 'bad';

/** The caption with the figure's summary counted over `n` flagged of `total` rows. */
function captionOf(f: Figure, n: number, total: number): string {
  if (!f.summary) return f.caption;
  const counted = n === 0 ? f.summary.none : f.summary.some.replaceAll('{n}', String(n)).replaceAll('{total}', String(total));
  return `${f.caption} ${counted}`;
}

const legendOf = (f: Figure): BarChart['legend'] => (f.legend ?? []).map((l) => ({ label: l.label, cls: l.status }));

/**
 * Merges rows with the same key: a copy of the first stays, `merge` folds a later one into it
 * (replacing the copy's arrays, so the report is never changed).
 */
function mergeRows<T extends { key: string }>(rows: T[], merge: (into: T, from: T) => void): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const known = byKey.get(r.key);
    if (known) merge(known, r);
    else byKey.set(r.key, { ...r });
  }
  return [...byKey.values()];
}

function mergeCard<C extends Card>(into: C, from: C): void {
  into.badge ??= from.badge;
  into.status ??= from.status;
  for (const fact of from.facts) {
    const at = fact.label === undefined ? -1 : into.facts.findIndex((x) => x.label === fact.label);
    into.facts = at >= 0 ? into.facts.with(at, fact) : [...into.facts, fact];
  }
}

/**
 * The figures of `checks`, those of one key merged into one (the rules are in
 * `src/contract/figures.ts`): in order of first appearance by `mergeOrder`, then check order.
 * A key used with two shapes keeps the first shape's figures and drops the others.
 */
export function mergeFigures(checks: readonly CheckResult[]): Figure[] {
  const all = checks
    .flatMap((c) => c.figures ?? [])
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.mergeOrder ?? 0) - (b.f.mergeOrder ?? 0) || a.i - b.i);
  const byKey = new Map<string, Figure[]>();
  for (const { f } of all) {
    const list = byKey.get(f.key) ?? [];
    if (list.length === 0 || list[0]!.shape === f.shape) list.push(f);
    byKey.set(f.key, list);
  }
  return [...byKey.values()].map((list) => {
    const first = list[0]!;
    switch (first.shape) {
      case 'timeline': {
        const rows = (list as TimelineFigure[]).flatMap((f) => f.rows);
        return {
          ...first,
          rows: mergeRows(rows, (into, from) => {
            into.locations = [...new Set([...into.locations, ...from.locations])];
            if (SEVERITY[from.status] < SEVERITY[into.status]) into.status = from.status;
          }),
        };
      }
      case 'ages':
        return {
          ...first,
          rows: mergeRows(
            (list as AgesFigure[]).flatMap((f) => f.rows),
            () => undefined,
          ),
        };
      case 'cards':
        return {
          ...first,
          cards: mergeRows(
            (list as CardsFigure[]).flatMap((f) => f.cards),
            mergeCard,
          ),
        };
      case 'plan':
        return {
          ...first,
          steps: mergeRows(
            (list as PlanFigure[]).flatMap((f) => f.steps),
            mergeCard,
          ),
        };
      case 'matrix': {
        const figures = list as MatrixFigure[];
        const columns = mergeRows(
          figures.flatMap((f) => f.columns),
          () => undefined,
        );
        const rows = mergeRows(
          figures.flatMap((f) => f.rows),
          (into, from) => {
            into.cells = [...into.cells, ...from.cells.filter((c) => !into.cells.some((x) => x.column === c.column))];
          },
        );
        return { ...first, columns, rows };
      }
    }
  });
}

/**
 * Ages against limits: the scale is relative, the limit line at the middle, so rows with
 * different limits compare at a glance; ages past twice the limit run off the right edge.
 * Worst status first, then the oldest against its limit (none at all counts as oldest).
 */
function agesPicture(f: AgesFigure): Picture {
  const ratio = (r: AgesFigure['rows'][number]): number => (r.ageHours ?? Infinity) / r.limitHours;
  const rows = f.rows
    .filter((r) => r.limitHours > 0)
    .sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || (ratio(b) === ratio(a) ? 0 : ratio(b) > ratio(a) ? 1 : -1));
  const drawn = rows.slice(0, MAX_ROWS);
  const bars = barChart(
    drawn,
    (r) => ({
      label: r.label,
      start: 0,
      end: r.ageHours === null ? 1 : r.ageHours / r.limitHours / 2,
      cls: cls(r.status),
      note: r.ageHours === null ? (r.missing ?? 'none') : `${hours(r.ageHours)} old · limit ${hours(r.limitHours)}`,
    }),
    {
      ticks: [
        { at: 0, label: 'just now' },
        { at: 0.25, label: '½ limit' },
        { at: 0.5, label: 'limit' },
        { at: 0.75, label: '1½ × limit' },
        { at: 1, label: '≥ 2 × limit' },
      ],
      lines: [{ at: 0.5, label: f.limitLabel, cls: 'limit' }],
      legend: legendOf(f),
    },
  );
  return picture({
    id: f.key,
    title: f.title,
    caption: captionOf(f, rows.filter((r) => flagged(r.status)).length, rows.length),
    bars,
    table: {
      columns: [f.subject, f.age, 'Limit', 'Verdict'],
      rows: rows.map((r) => [
        { text: r.label, cls: '' },
        { text: r.ageHours === null ? 'none' : hours(r.ageHours), cls: '' },
        { text: hours(r.limitHours), cls: '' },
        { text: r.verdict, cls: cls(r.status) },
      ]),
    },
    omitted: rows.length > drawn.length ? `${rows.length - drawn.length} more ${f.items} are in the table below.` : null,
  });
}

/** Days as text: `9 d left`, `1.0 y left`, `expired 3 d ago`. */
function daysText(d: number): string {
  if (d < 0) return `expired ${-d} d ago`;
  return d >= 365 ? `${(d / 365).toFixed(1)} y left` : `${d} d left`;
}

const HORIZON_DAYS = 730;
const DAY_MS = 86_400_000;

/**
 * A timeline: one marker per row at its `notAfter`, on a square-root time scale from `now` to
 * two years (the near term gets the room); later ones sit at the right edge, past ones at the
 * left. Soonest first; a row found in several places is listed with its places under the
 * drawing.
 */
function timelinePicture(f: TimelineFigure): Picture {
  const rows = [...f.rows].sort((a, b) => a.daysLeft - b.daysLeft);
  const at = (days: number): number => Math.sqrt(Math.max(0, days) / HORIZON_DAYS);
  const now = Date.parse(f.now);
  const drawn = rows.slice(0, MAX_ROWS);
  const bars = barChart(
    drawn,
    (r) => ({
      label: `${r.label}${r.locations.length > 1 ? `, ${r.locations.length} places` : ''}`,
      start: at(r.daysLeft),
      end: at(r.daysLeft),
      cls: cls(r.status),
      note: `${daysText(r.daysLeft)} · ${r.notAfter.slice(0, 10)}`,
      marker: true,
    }),
    {
      ticks: [
        { at: 0, label: 'now' },
        { at: at(7), label: '7 d' },
        { at: at(30), label: '30 d' },
        { at: at(90), label: '90 d' },
        { at: at(180), label: '6 mo' },
        { at: at(365), label: '1 y' },
        { at: 1, label: '≥ 2 y' },
      ],
      lines: f.markers.map((m) => ({ at: at((Date.parse(m.at) - now) / DAY_MS), label: m.label, cls: 'limit' })),
      legend: legendOf(f),
    },
  );
  return picture({
    id: f.key,
    title: f.title,
    caption: captionOf(f, rows.filter((r) => flagged(r.status)).length, rows.length),
    bars,
    table: {
      columns: [f.subject, 'Where', 'Not after', 'Left'],
      rows: rows.map((r) => [
        { text: r.label, cls: '' },
        { text: r.locations.join('; '), cls: '' },
        { text: r.notAfter, cls: '' },
        { text: daysText(r.daysLeft), cls: cls(r.status) },
      ]),
    },
    omitted: rows.length > drawn.length ? `${rows.length - drawn.length} later ${f.items} are in the table below.` : null,
    notes: rows
      .filter((r) => r.locations.length > 1)
      .map((r) => ({ label: `${r.label} is found in ${r.locations.length} places`, text: r.locations.join('; ') })),
  });
}

const factText = (f: CardFact): string => (f.label === undefined ? f.text : `${f.label} ${f.text}`);

function drawnCard(c: Card): NonNullable<Picture['cards']>[number] {
  return { title: c.title, badge: c.badge ?? '', cls: cls(c.status), lines: c.facts.map(factText) };
}

/** Cards in the order given. */
function cardsPicture(f: CardsFigure): Picture {
  return picture({
    id: f.key,
    title: f.title,
    caption: captionOf(f, f.cards.filter((c) => flagged(c.status)).length, f.cards.length),
    cards: f.cards.map(drawnCard),
  });
}

/**
 * A plan: its steps in order, numbered. In a large plan, the steps that need attention (not
 * `ok`) come first and the plain ones are counted, with the range of their waves.
 */
function planPicture(f: PlanFigure): Picture {
  const steps = f.steps;
  const shown =
    steps.length <= MAX_ROWS
      ? steps
      : [...steps.filter((s) => s.status !== 'ok'), ...steps.filter((s) => s.status === 'ok')].slice(0, MAX_ROWS);
  const rest = steps.filter((s) => !shown.includes(s));
  const waves = rest.map((s) => s.wave).filter((w): w is number => w !== null);
  return picture({
    id: f.key,
    title: f.title,
    caption: captionOf(f, steps.filter((s) => flagged(s.status)).length, steps.length),
    cards: shown.map(drawnCard),
    ordered: rest.length === 0,
    omitted:
      rest.length > 0
        ? `${rest.length} more ${f.items} go without a problem` +
          `${waves.length > 0 ? `, in waves ${Math.min(...waves)}–${Math.max(...waves)}` : ''} (report.json lists them all).`
        : null,
  });
}

/**
 * A matrix: one row per figure row, one column per figure column; a missing cell is `—`. In
 * a large matrix, the rows with a `bad` cell are shown one by one (up to 40) and the others
 * counted on one row per identical set of cells.
 */
function matrixPicture(f: MatrixFigure): Picture {
  const rows: Cell[][] = f.rows.map((r) => [
    { text: r.label, cls: '' },
    ...f.columns.map((col): Cell => {
      const c = r.cells.find((x) => x.column === col.key);
      return c ? { text: c.text, cls: c.status ?? '' } : { text: '—', cls: 'muted' };
    }),
  ]);
  const isBad = (r: Cell[]): boolean => r.some((c) => c.cls === 'bad');
  const flaggedRows = f.rows.filter((r) => r.cells.some((c) => flagged(c.status))).length;
  let shown = rows;
  let omitted: string | null = null;
  if (rows.length > MAX_ROWS) {
    const out = rows.filter(isBad).slice(0, MAX_ROWS);
    const groups = new Map<string, { row: Cell[]; n: number }>();
    for (const r of rows.filter((x) => !out.includes(x))) {
      const key = JSON.stringify(r.slice(1));
      const g = groups.get(key);
      if (g) g.n++;
      else groups.set(key, { row: r, n: 1 });
    }
    shown = [...out, ...[...groups.values()].map((g) => (g.n === 1 ? g.row : [{ text: `${g.n} ${f.items}`, cls: '' }, ...g.row.slice(1)]))];
    omitted = `${f.items[0]!.toUpperCase()}${f.items.slice(1)} with the same cells are counted on one row; report.json lists them all.`;
  }
  return picture({
    id: f.key,
    title: f.title,
    caption: captionOf(f, flaggedRows, f.rows.length),
    table: { columns: [f.subject, ...f.columns.map((c) => c.label)], rows: shown },
    tableIsPicture: true,
    omitted,
  });
}

/** The picture of a (merged) figure, by its shape. */
function pictureOf(f: Figure): Picture {
  switch (f.shape) {
    case 'timeline':
      return timelinePicture(f);
    case 'ages':
      return agesPicture(f);
    case 'cards':
      return cardsPicture(f);
    case 'plan':
      return planPicture(f);
    case 'matrix':
      return matrixPicture(f);
  }
}

/**
 * Pictures of one family, in the order their figures first appear; none for a figure without
 * rows. `checks` may hold other families' checks (left out).
 */
export function picturesFor(family: Family, checks: readonly CheckResult[]): Picture[] {
  const figures = mergeFigures(checks.filter((c) => c.family === family));
  const empty = (f: Figure): boolean =>
    f.shape === 'cards' ? f.cards.length === 0 : f.shape === 'plan' ? f.steps.length === 0 : f.rows.length === 0;
  return figures.filter((f) => !empty(f)).map(pictureOf);
}
