/**
 * Parsers for command-line values; each throws commander's `InvalidArgumentError` with a
 * message that says what was expected.
 */
import { InvalidArgumentError } from 'commander';
import { parseDateTime } from '../dates.js';
import { SEVERITIES, type FailOn } from '../contract/check.js';

/** `a,b , c` → `['a','b','c']`; repeatable flags accumulate. */
export function parseList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

export function parseFailOn(value: string): FailOn {
  const v = value.toLowerCase();
  if (v === 'none' || (SEVERITIES as readonly string[]).includes(v)) return v as FailOn;
  throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

/** `--now`: an RFC 3339 date-time, or a date (00:00 UTC); a day that does not exist is an error. */
export function parseNow(value: string): Date {
  const r = parseDateTime(value);
  if (!r.ok) throw new InvalidArgumentError(r.problem);
  return r.date;
}

/** `--target-version`: `1.31`, `v1.31` or `1.31.2` → `1.31` / `1.31.2`. */
export function parseTargetVersion(value: string): string {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a Kubernetes version such as 1.31 or v1.31.2');
  return m[3] !== undefined ? `${m[1]}.${m[2]}.${m[3]}` : `${m[1]}.${m[2]}`;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** A duration such as `30s`, `2m`, `1500ms`, or a number of seconds → milliseconds. */
export function parseDurationMs(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 30s, 2m or 1500ms');
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms <= 0) throw new InvalidArgumentError('expected a duration above zero');
  return Math.round(ms);
}
