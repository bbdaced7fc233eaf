/**
 * Figures: the typed data a check gives for the pictures of the HTML report
 * (`CheckOutput.figures`, `CheckResult.figures`; `$defs/figure` in
 * `schema/report-v1.schema.json`; docs/report-contract.md, "Figures").
 *
 * A figure is semantic data only — dates, hours, statuses, labels — never geometry: the
 * renderer picks the drawing from `shape` alone (a built-in or a plugin check gets the same
 * picture). Figures of one family that share a `key` are one picture: they merge in ascending
 * `mergeOrder` (0 when absent), then report order. The first figure gives the title, caption,
 * summary, legend and the other figure-wide fields; rows (cards, steps) with the same `key`
 * are one row, whose label, badge and status come from the first that has them; a timeline
 * row's `locations` are the union of all; a card's facts merge by `label` (a later fact
 * replaces an earlier one with the same label); a matrix row's cells merge by `column` (the
 * first wins) and the columns are the union, in order of appearance.
 */

/** How a row, card or cell is judged: drawn green, amber, red or grey. */
export const FIGURE_STATUSES = ['ok', 'warn', 'bad', 'muted'] as const;
export type FigureStatus = (typeof FIGURE_STATUSES)[number];

/** The fields every figure has. */
export interface FigureBase {
  /** Identifies the picture (kebab-case, also its HTML id): figures with the same key in a family merge. */
  key: string;
  title: string;
  /** One or two sentences: what the picture shows. */
  caption: string;
  /**
   * Appended to the caption, counted over the merged rows: `none` when no row (matrix: no
   * cell) is `warn` or `bad`, else `some` with `{n}` (rows that are) and `{total}` (all rows).
   */
  summary?: { none: string; some: string };
  /** What the rows are, plural (`certificates`, `series`, `nodes`): used in "N more …" lines. */
  items: string;
  /** What each status means here, in display order (the picture's legend). */
  legend?: Array<{ status: FigureStatus; label: string }>;
  /** Merge precedence among figures of the same key: lower first (default 0). */
  mergeOrder?: number;
}

/** One row of a timeline: a validity window (a certificate: its notBefore and notAfter). */
export interface TimelineRow {
  /** Identity across checks (a certificate: its SHA-256 fingerprint). */
  key: string;
  label: string;
  /** Every place the subject was found (merged across checks). */
  locations: string[];
  /** Start of validity, ISO 8601. */
  notBefore?: string;
  /** End of validity, ISO 8601. */
  notAfter: string;
  /** Whole days from `now` to `notAfter`, rounded down (negative once past). */
  daysLeft: number;
  status: FigureStatus;
}

/** Dates against now: each row's `notAfter` as a point on a time axis starting at `now`. */
export interface TimelineFigure extends FigureBase {
  shape: 'timeline';
  /** The scan's clock, ISO 8601: the left end of the axis. */
  now: string;
  /** Points in time drawn across the rows (a warning threshold, an upgrade date), ISO 8601. */
  markers: Array<{ label: string; at: string }>;
  /** Heading of the rows' label column (`Certificate`). */
  subject: string;
  rows: TimelineRow[];
}

/** One row of an ages figure: how old the newest good thing is, against its limit. */
export interface AgeRow {
  key: string;
  label: string;
  /** Age in hours; null when there is none (never succeeded, not due yet). */
  ageHours: number | null;
  /** The largest acceptable age, in hours (> 0). */
  limitHours: number;
  status: FigureStatus;
  /** The verdict in words (`fresh`, `stale`, `never-succeeded`). */
  verdict: string;
  /** Said instead of the age when `ageHours` is null (`never succeeded`). */
  missing?: string;
}

/** Ages against limits (backup freshness): one bar per row, on a scale relative to its limit. */
export interface AgesFigure extends FigureBase {
  shape: 'ages';
  /** Label of the limit line (`limit (RPO)`). */
  limitLabel: string;
  /** Headings of the label and age columns (`Series`, `Newest success age`). */
  subject: string;
  age: string;
  rows: AgeRow[];
}

/** A fact on a card: `label text` (merged by label), or a plain line without a label. */
export interface CardFact {
  label?: string;
  text: string;
}

/** A card: one subject (an etcd member, a node) with its status and facts. */
export interface Card {
  key: string;
  title: string;
  /** A few words: the subject's role and state (`leader · healthy`, `wave 2`). */
  badge?: string;
  status?: FigureStatus;
  facts: CardFact[];
}

/** Cards side by side (etcd members), in the order given. */
export interface CardsFigure extends FigureBase {
  shape: 'cards';
  cards: Card[];
}

/** A step of a plan: a card with its wave. */
export interface PlanStep extends Card {
  /** The wave (1-based) the step belongs to; null when it is out of the plan (blocked). */
  wave: number | null;
}

/** Ordered cards (a drain plan), in the order given; numbered when all are drawn. */
export interface PlanFigure extends FigureBase {
  shape: 'plan';
  steps: PlanStep[];
}

export interface MatrixCell {
  /** Key of a column of the figure. */
  column: string;
  text: string;
  status?: FigureStatus;
}

export interface MatrixRow {
  key: string;
  label: string;
  cells: MatrixCell[];
}

/** A table of judged cells (the version skew matrix): rows by columns; a missing cell is `—`. */
export interface MatrixFigure extends FigureBase {
  shape: 'matrix';
  /** Heading of the rows' label column (`Node`). */
  subject: string;
  columns: Array<{ key: string; label: string }>;
  rows: MatrixRow[];
}

/** A figure, by `shape`. */
export type Figure = TimelineFigure | AgesFigure | CardsFigure | PlanFigure | MatrixFigure;
export type FigureShape = Figure['shape'];
