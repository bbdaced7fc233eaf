/**
 * Cron schedules as Velero Schedules (`spec.schedule`) and Kubernetes CronJobs
 * (`spec.schedule`, `spec.timeZone`) write them, and the interval they imply.
 *
 * Both controllers parse with robfig/cron's `ParseStandard` (Velero:
 * `vmware-tanzu/velero:pkg/controller/schedule_controller.go` `parseCronSchedule`; Kubernetes:
 * `pkg/controller/cronjob/utils.go`), which accepts:
 * - five fields `minute hour day-of-month month day-of-week`, each a list of `*`, `?`, numbers,
 *   three-letter month/day names, ranges `a-b` and steps `/n` (no seconds, no `L`, `W`, `#`, `H`);
 * - descriptors `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`;
 * - `@every <duration>` in Go's `time.ParseDuration` syntax (`6h`, `1h30m`, `90s`), a constant
 *   delay from when the controller started (rounded down to whole seconds, at least 1s);
 * - an optional `CRON_TZ=<zone> ` or `TZ=<zone> ` prefix.
 * Field arithmetic (next/previous fire times, time zones) is done by `cron-parser`.
 */
import type { CronExpressionParser as Parser } from 'cron-parser';
import { ToolError, type ErrorCode } from '../contract/errors.js';
import { lazyRequire } from './lazy-require.js';

/** cron-parser, loaded on the first schedule read (a scan without one does not load it). */
const cronParserModule = lazyRequire('cron-parser') as () => { CronExpressionParser: typeof Parser };
const cronParser = (): typeof Parser => cronParserModule().CronExpressionParser;

/** A schedule that cannot be parsed; the message says why. */
export class CronError extends ToolError {
  override name = 'CronError';
  readonly errorCode: ErrorCode = 'KP_CRON';
}

export interface CronInterval {
  /** Expected time between two runs, in milliseconds. */
  intervalMs: number;
  /** Last fire time at or before `now` (ISO 8601), for a field-based schedule. */
  previous?: string;
  /** Next fire time after `now` (ISO 8601), for a field-based schedule. */
  next?: string;
  /** `@every <duration>` schedules have no fixed fire times. */
  constantDelay: boolean;
}

/** robfig/cron's descriptors (`parser.go` `parseDescriptor`) as five-field expressions. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const NAMES = new Set([
  'jan',
  'feb',
  'mar',
  'apr',
  'may',
  'jun',
  'jul',
  'aug',
  'sep',
  'oct',
  'nov',
  'dec',
  'sun',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
]);

/** Go `time.ParseDuration` units in milliseconds. */
const GO_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go duration (`6h`, `1h30m`, `1.5h`, `300ms`) into milliseconds, as Go's
 * `time.ParseDuration` does (`src/time/format.go`): a sequence of decimal numbers each with a
 * unit `ns`, `us`/`µs`, `ms`, `s`, `m`, `h`; no sign is accepted here (a negative delay is
 * not a schedule). Throws `CronError` for anything else.
 */
export function parseGoDurationMs(s: string): number {
  const text = s.trim();
  if (text === '0') return 0;
  const part = /([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    part.lastIndex = i;
    const m = part.exec(text);
    if (!m || m[1] === '' || m[1] === '.') throw new CronError(`invalid duration "${s}"`);
    total += Number(m[1]) * GO_UNITS[m[2]!]!;
    i = part.lastIndex;
  }
  if (text.length === 0) throw new CronError(`invalid duration "${s}"`);
  return total;
}

function checkField(field: string, expr: string): void {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || range === undefined || range === '') throw new CronError(`invalid field "${field}" in "${expr}"`);
    if (step !== undefined && !/^[0-9]+$/.test(step)) throw new CronError(`invalid step "${step}" in "${expr}"`);
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some((b) => !/^[0-9]+$/.test(b) && !NAMES.has(b.toLowerCase()))) {
      throw new CronError(`unsupported value "${range}" in "${expr}" (robfig/cron accepts numbers, names, *, ?, ranges and steps)`);
    }
  }
}

/**
 * Expected interval of a schedule around `now`.
 *
 * For field-based schedules it is the larger of the two gaps around `now`: previous fire →
 * next fire, and the one before (second-previous → previous). So a weekday-only schedule
 * checked on a Sunday expects the weekend gap, and a check made just after a fire time still
 * allows for the run before it. `timeZone` is the CronJob's `spec.timeZone`; a `CRON_TZ=`/`TZ=`
 * prefix in the expression wins. Without either, UTC (the controllers' usual local time).
 *
 * Throws `CronError` for an expression robfig/cron would reject.
 */
export function cronInterval(schedule: string, now: Date, timeZone?: string): CronInterval {
  let expr = schedule.trim().replace(/\s+/g, ' ');
  let tz = timeZone;
  const prefix = /^(CRON_TZ|TZ)=(\S+) /.exec(expr);
  if (prefix) {
    tz = prefix[2];
    expr = expr.slice(prefix[0].length);
  }
  if (expr === '') throw new CronError('empty schedule');
  if (expr.startsWith('@every ')) {
    const ms = parseGoDurationMs(expr.slice('@every '.length));
    const seconds = Math.max(1, Math.floor(ms / 1000));
    return { intervalMs: seconds * 1000, constantDelay: true };
  }
  if (expr.startsWith('@')) {
    const d = DESCRIPTORS[expr];
    if (!d) throw new CronError(`unrecognized descriptor "${expr}"`);
    expr = d;
  }
  const fields = expr.split(' ');
  if (fields.length !== 5) throw new CronError(`expected 5 fields, found ${fields.length} in "${schedule}"`);
  for (const f of fields) checkField(f, schedule);
  const normalized = fields.map((f) => f.replace(/\?/g, '*')).join(' ');
  let prevs: Date[];
  let next: Date;
  try {
    const back = cronParser().parse(normalized, { currentDate: new Date(now.getTime() + 1), tz: tz ?? 'UTC' });
    prevs = [back.prev().toDate(), back.prev().toDate()];
    next = cronParser()
      .parse(normalized, { currentDate: now, tz: tz ?? 'UTC' })
      .next()
      .toDate();
  } catch (e) {
    throw new CronError(`invalid schedule "${schedule}": ${(e as Error).message}`);
  }
  const [p1, p2] = prevs as [Date, Date];
  const intervalMs = Math.max(next.getTime() - p1.getTime(), p1.getTime() - p2.getTime());
  return { intervalMs, previous: p1.toISOString(), next: next.toISOString(), constantDelay: false };
}
