/**
 * The JSON report, as written to `report.json`: the contract (schema/report-v1.schema.json),
 * `JSON.stringify(report, null, 2)` and a line break.
 *
 * It is produced in chunks (`jsonChunks`) so a report of hundreds of megabytes is written and
 * hashed piece by piece, never held as one string: arrays and objects larger than
 * `WHOLE_MEMBERS` are written member by member (the report, its findings, its checks and large
 * details), smaller values whole. The bytes are exactly those of `JSON.stringify(report, null, 2)`.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../contract/report.js';

/**
 * A value with at most this many members and items in all (counted down to its leaves) is
 * written by one `JSON.stringify`; a larger one member by member. Findings, problems and table
 * rows are written whole; the report, its arrays and a check's large `details` piece by piece.
 */
const WHOLE_MEMBERS = 4096;

/** Text gathered before a chunk is handed out (characters). */
const CHUNK_CHARS = 1 << 20;

/** What `JSON.stringify` leaves out of an object (and writes as `null` in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** `v` as `JSON.stringify` sees it: after its `toJSON(key)`, if it has one. */
function jsonValue(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    return (v as { toJSON: (k: string) => unknown }).toJSON(key);
  return v;
}

function isPlain(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `v` holds at most `budget` members and items in all: counts down to the leaves and
 * stops as soon as the budget is spent, so a large value costs no more than `budget` steps.
 */
function fitsWhole(v: unknown, budget: { left: number }): boolean {
  if (!isPlain(v)) return true;
  const values = Array.isArray(v) ? v : Object.values(v);
  budget.left -= values.length;
  if (budget.left < 0) return false;
  for (const m of values) if (m !== null && typeof m === 'object' && !fitsWhole(m, budget)) return false;
  return true;
}

/**
 * The pieces of `JSON.stringify(v, null, 2)` for a value at `indent` (already through
 * `jsonValue`); `split`: member by member whatever its size (the report itself).
 */
function* pieces(v: unknown, indent: string, split = false): Generator<string> {
  if (!isPlain(v) || (!split && fitsWhole(v, { left: WHOLE_MEMBERS }))) {
    // Strings never hold a raw line break in JSON: each one here is between tokens.
    const whole = JSON.stringify(v, null, 2);
    yield indent === '' ? whole : whole.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < v.length; i++) {
      const el = jsonValue(v[i], String(i));
      yield inner;
      if (omitted(el)) yield 'null';
      else yield* pieces(el, inner);
      yield i < v.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const members: Array<[string, unknown]> = [];
  for (const k of Object.keys(v)) {
    const m = jsonValue(v[k], k);
    if (!omitted(m)) members.push([k, m]);
  }
  if (members.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < members.length; i++) {
    const [k, m] = members[i]!;
    yield `${inner}${JSON.stringify(k)}: `;
    yield* pieces(m, inner);
    yield i < members.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** `report.json` in chunks of about a mebibyte (the last one ends with the line break). */
export function* jsonChunks(report: Report): Generator<string> {
  let buf = '';
  for (const p of pieces(jsonValue(report, ''), '', true)) {
    buf += p;
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  yield `${buf}\n`;
}

/** SHA-256, in lower-case hex, of the `report.json` bytes, taken over its chunks (never held whole). */
export function jsonSha256(report: Report): string {
  const hash = createHash('sha256');
  for (const chunk of jsonChunks(report)) hash.update(chunk);
  return hash.digest('hex');
}

/** `report.json` as one string (for a report small enough to hold so). */
export function renderJson(report: Report): string {
  return [...jsonChunks(report)].join('');
}
