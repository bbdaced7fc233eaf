/**
 * Freshness of a backup series (a Velero Schedule, an etcd snapshot CronJob, a folder of
 * snapshot files, another operator's schedule) against a recovery point objective.
 *
 * Rules (issue "Backup freshness against an RPO"; the defaults are ours: twice the cron interval,
 * so one missed run is tolerated, and critical after 7 days):
 * - the newest *successful* backup must be younger than the limit: the schedule's expected
 *   interval × `intervalTolerance`, capped by `maxBackupAgeHours` (the RPO); a series without a
 *   schedule is held to `maxBackupAgeHours` alone → else rule `stale` (high);
 * - older than `criticalAgeDays`, or no successful backup ever → `stale-critical` /
 *   `never-succeeded` (critical).
 */
import type { OptionSchema, RawFinding, RuleDefinition } from '../../../src/contract/check.js';
import type { AgesFigure, FigureStatus } from '../../../src/contract/figures.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import { cronInterval, CronError } from '../../../src/k8s/cron.js';

export interface FreshnessOptions {
  maxBackupAgeHours: number;
  intervalTolerance: number;
  criticalAgeDays: number;
}

/** Default thresholds shared by every freshness check of the family. */
export const FRESHNESS_DEFAULTS: FreshnessOptions = { maxBackupAgeHours: 24, intervalTolerance: 2, criticalAgeDays: 7 };

export const FRESHNESS_OPTION_SCHEMA: OptionSchema<FreshnessOptions> = {
  maxBackupAgeHours: {
    type: 'number',
    min: 0,
    unit: 'hours',
    description: 'RPO: the newest successful backup of every series must be younger than this',
  },
  intervalTolerance: {
    type: 'number',
    min: 1,
    description: "multiplier of a schedule's cron interval the newest successful backup may reach (a lower RPO still wins)",
  },
  criticalAgeDays: { type: 'number', min: 0, unit: 'days', description: 'age past which a stale series is critical' },
};

/** The three freshness rules, shared so their keys and severities agree across checks. */
export const FRESHNESS_RULES: Record<'stale' | 'stale-critical' | 'never-succeeded', RuleDefinition> = {
  stale: { title: 'Newest successful backup older than the schedule or the RPO allows', severity: 'high' },
  'stale-critical': { title: 'Newest successful backup older than the critical age', severity: 'critical' },
  'never-succeeded': { title: 'No successful backup ever', severity: 'critical' },
};

const HOUR = 3_600_000;

/** Hours from `iso` to `now`, to one decimal (never negative: clocks a second apart are 0). */
export function ageHours(iso: string, now: Date): number {
  return Math.max(0, Math.round(((now.getTime() - Date.parse(iso)) / HOUR) * 10) / 10);
}

export interface Limit {
  limitHours: number;
  /** `interval` when interval × tolerance set it, `rpo` when `maxBackupAgeHours` did. */
  limitBy: 'interval' | 'rpo';
  expectedIntervalHours?: number;
}

/** The age limit of a series with this expected interval (none: RPO alone). */
export function limitFor(intervalHours: number | undefined, o: FreshnessOptions): Limit {
  if (intervalHours === undefined) return { limitHours: o.maxBackupAgeHours, limitBy: 'rpo' };
  const byInterval = intervalHours * o.intervalTolerance;
  return byInterval < o.maxBackupAgeHours
    ? { limitHours: round1(byInterval), limitBy: 'interval', expectedIntervalHours: round1(intervalHours) }
    : { limitHours: o.maxBackupAgeHours, limitBy: 'rpo', expectedIntervalHours: round1(intervalHours) };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** A cron schedule's expected interval in hours, or the parse error. */
export function scheduleInterval(schedule: string, now: Date, timeZone?: string): { hours?: number; error?: string } {
  try {
    return { hours: cronInterval(schedule, now, timeZone).intervalMs / HOUR };
  } catch (e) {
    if (e instanceof CronError) return { error: e.message };
    throw e;
  }
}

/** One row of a check's `details.series` table (for the HTML report). */
export interface SeriesRow {
  /** `Kind namespace/name` or the file path. */
  subject: string;
  schedule?: string;
  lastSuccess: string | null;
  ageHours: number | null;
  expectedIntervalHours: number | null;
  limitHours: number;
  verdict: 'fresh' | 'stale' | 'stale-critical' | 'never-succeeded' | 'not-yet-due';
}

const VERDICT_STATUS: Record<SeriesRow['verdict'], FigureStatus> = {
  fresh: 'ok',
  'not-yet-due': 'muted',
  stale: 'warn',
  'stale-critical': 'bad',
  'never-succeeded': 'bad',
};

/**
 * The backup freshness figure (key `backup-freshness`, shared by every freshness check of the
 * family): one row per series (key: `subject`), its newest success's age against its limit,
 * in hours. Empty `rows` give no figure (an empty list).
 */
export function freshnessFigures(rows: readonly SeriesRow[]): AgesFigure[] {
  if (rows.length === 0) return [];
  return [
    {
      shape: 'ages',
      key: 'backup-freshness',
      title: 'Backup freshness',
      caption:
        "Age of the newest successful backup of each series against its limit (the schedule's interval " +
        'with tolerance, capped by the RPO).',
      summary: { none: 'Every series is within its limit.', some: '{n} of {total} series are past their limit.' },
      items: 'series',
      legend: [
        { status: 'ok', label: 'within its limit' },
        { status: 'warn', label: 'older than its limit' },
        { status: 'bad', label: 'past the critical age, or never succeeded' },
      ],
      limitLabel: 'limit (RPO)',
      subject: 'Series',
      age: 'Newest success age',
      rows: rows.map((r) => ({
        key: r.subject,
        label: r.subject,
        ageHours: r.ageHours,
        limitHours: r.limitHours,
        status: VERDICT_STATUS[r.verdict],
        verdict: r.verdict,
        ...(r.ageHours === null ? { missing: r.verdict === 'not-yet-due' ? 'no backup yet (not due)' : 'never succeeded' } : {}),
      })),
    },
  ];
}

export interface SeriesInput {
  resource: ResourceRef;
  /** Words for messages: `Velero Schedule velero/daily-full`. */
  label: string;
  /** For the details table. */
  subject: string;
  schedule?: string;
  lastSuccess?: string;
  limit: Limit;
  /** When the series began (creation of the schedule); a series younger than its limit with no success is not yet due. */
  since?: string;
  /** Facts added to the finding's evidence. */
  evidence?: Record<string, unknown>;
  remediation?: string;
}

/**
 * Judges one series. Returns the details row and, when stale, the finding.
 * `never-succeeded` is not raised for a series younger than its limit (`not-yet-due`).
 */
export function judgeSeries(s: SeriesInput, now: Date, o: FreshnessOptions): { row: SeriesRow; finding?: RawFinding } {
  const row: SeriesRow = {
    subject: s.subject,
    ...(s.schedule !== undefined ? { schedule: s.schedule } : {}),
    lastSuccess: s.lastSuccess ?? null,
    ageHours: s.lastSuccess ? ageHours(s.lastSuccess, now) : null,
    expectedIntervalHours: s.limit.expectedIntervalHours ?? null,
    limitHours: s.limit.limitHours,
    verdict: 'fresh',
  };
  const evidence = {
    ...s.evidence,
    lastSuccess: row.lastSuccess,
    ageHours: row.ageHours,
    expectedIntervalHours: row.expectedIntervalHours,
    limitHours: s.limit.limitHours,
    limitBy: s.limit.limitBy,
    criticalAgeDays: o.criticalAgeDays,
  };
  const interval = s.limit.expectedIntervalHours !== undefined ? `, expected every ${s.limit.expectedIntervalHours} h` : '';
  const base = { resource: s.resource, evidence, ...(s.remediation ? { remediation: s.remediation } : {}) };
  if (row.ageHours === null) {
    if (s.since && ageHours(s.since, now) < s.limit.limitHours) {
      row.verdict = 'not-yet-due';
      return { row };
    }
    row.verdict = 'never-succeeded';
    return { row, finding: { rule: 'never-succeeded', ...base, message: `${s.label}: no successful backup${interval}.` } };
  }
  if (row.ageHours > o.criticalAgeDays * 24) {
    row.verdict = 'stale-critical';
    return {
      row,
      finding: {
        rule: 'stale-critical',
        ...base,
        message:
          `${s.label}: the newest successful backup is ${row.ageHours} h old (${round1(row.ageHours / 24)} ` +
          `days), past the critical age of ${o.criticalAgeDays} days${interval}.`,
      },
    };
  }
  if (row.ageHours > s.limit.limitHours) {
    row.verdict = 'stale';
    const why =
      s.limit.limitBy === 'rpo' ? `the RPO of ${s.limit.limitHours} h` : `${o.intervalTolerance} × its interval (${s.limit.limitHours} h)`;
    return {
      row,
      finding: {
        rule: 'stale',
        ...base,
        message: `${s.label}: the newest successful backup is ${row.ageHours} h old, older than ${why}${interval}.`,
      },
    };
  }
  return { row };
}

/** Newest of some ISO 8601 times (undefined when none). */
export function newest(times: Array<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t && !Number.isNaN(Date.parse(t)) && (best === undefined || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}
