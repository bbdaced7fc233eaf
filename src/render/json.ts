/**
 * The JSON report, as written to `report.json`: the contract (schema/report-v1.schema.json),
 * `JSON.stringify(report, null, 2)` and a line break.
 *
 * It is produced in chunks of UTF-8 bytes (`jsonByteChunks`) so a report of hundreds of
 * megabytes is written and hashed piece by piece, never held as one string: the report, and
 * any array or object holding more than `WHOLE_MEMBERS` members and items in all (its findings,
 * its checks, large details), is written member by member, and each run of its members that
 * together hold at most `WHOLE_MEMBERS` is written by one `JSON.stringify`, nested in as many
 * arrays as their depth so that `JSON.stringify` itself indents them. The bytes are exactly
 * those of `JSON.stringify(report, null, 2)`.
 */
import { createHash } from 'node:crypto';
import type { Report } from '../contract/report.js';

/**
 * Consecutive members of a value written member by member are written together, by one
 * `JSON.stringify`, while they hold at most this many members and items in all (counted down
 * to their leaves); a member larger than this alone is itself written member by member.
 */
const WHOLE_MEMBERS = 16_384;

/** Bytes gathered before a chunk is handed out. */
const CHUNK_BYTES = 1 << 20;

/** What `JSON.stringify` leaves out of an object (and writes as `null` in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** Whether `JSON.stringify` calls `v.toJSON(key)` before writing `v`. */
const hasToJSON = (v: unknown): boolean => v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function';

/** `v` as `JSON.stringify` sees it: after its `toJSON(key)`, if it has one. */
function jsonValue(v: unknown, key: string): unknown {
  return hasToJSON(v) ? (v as { toJSON: (k: string) => unknown }).toJSON(key) : v;
}

function isPlain(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `v` holds at most `budget.left` members and items in all, which it takes from the
 * budget: counts down to the leaves and stops as soon as the budget is spent, so a large value
 * costs no more than the budget in steps.
 */
function fitsWhole(v: unknown, budget: { left: number }): boolean {
  if (!isPlain(v)) return true;
  const array = Array.isArray(v);
  const keys = array ? undefined : Object.keys(v);
  const count = keys ? keys.length : (v as unknown[]).length;
  budget.left -= count;
  if (budget.left < 0) return false;
  for (let i = 0; i < count; i++) {
    const m = keys ? (v as Record<string, unknown>)[keys[i]!] : (v as unknown[])[i];
    if (m !== null && typeof m === 'object' && !fitsWhole(m, budget)) return false;
  }
  return true;
}

/**
 * `JSON.stringify(v, null, 2)` of a value whose members sit at `depth` (their indentation is
 * `2 × depth` spaces), without its brackets: the members, each but the first after `,\n` and
 * the indentation. `v` is nested in `depth - 1` arrays so `JSON.stringify` indents it, and
 * the text of those arrays and of `v`'s own brackets is cut off. `v` has at least one member.
 */
function membersText(v: unknown[] | Record<string, unknown>, depth: number): string {
  let nested: unknown = v;
  for (let i = 1; i < depth; i++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  // Each of the `depth` opening lines is its indentation and a bracket: 2k + 2 characters for
  // k = 0 … depth - 1; the closing ones (a line break, indentation, a bracket) as many.
  const around = depth * (depth + 1);
  return text.slice(around + 2 * depth, text.length - around);
}

/** Whether `v` (one member) fits in what is left of `budget`, which it takes from it. */
const fits = (v: unknown, budget: { left: number }): boolean => --budget.left >= 0 && fitsWhole(v, budget);

/**
 * The pieces of `JSON.stringify(v, null, 2)` for a plain object or array at `depth` (its
 * indentation is `2 × depth` spaces), member by member, runs of members that fit
 * `WHOLE_MEMBERS` together.
 */
function* pieces(v: Record<string, unknown> | unknown[], depth: number): Generator<string> {
  const indent = '  '.repeat(depth);
  const inner = `${indent}  `;
  const array = Array.isArray(v);
  const keys = array ? undefined : Object.keys(v);
  const count = keys ? keys.length : (v as unknown[]).length;
  let batch: unknown[] | Record<string, unknown> | undefined;
  let budget = { left: WHOLE_MEMBERS };
  // Before the first member, the opening bracket; before the others, a comma.
  const state = { written: false };
  const separator = (): string => {
    const s = state.written ? `,\n${inner}` : `${array ? '[' : '{'}\n${inner}`;
    state.written = true;
    return s;
  };
  function* flush(): Generator<string> {
    budget = { left: WHOLE_MEMBERS };
    if (!batch) return;
    yield separator();
    yield membersText(batch, depth + 1);
    batch = undefined;
  }
  for (let i = 0; i < count; i++) {
    const key = keys ? keys[i]! : String(i);
    const raw = (v as Record<string, unknown>)[key];
    let member = raw;
    if (hasToJSON(raw)) {
      // toJSON is called with the member's own key: such a member is written on its own.
      member = jsonValue(raw, key);
      if (keys && omitted(member)) continue;
      yield* flush();
    } else {
      if (keys && omitted(raw)) continue;
      if (batch && !fits(raw, budget)) yield* flush();
      if (batch || fits(raw, budget)) {
        if (array) ((batch ??= []) as unknown[]).push(raw);
        // A prototype-less object: a `__proto__` key is a member like any other.
        else ((batch ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>)[key] = raw;
        continue;
      }
    }
    // A member too large to write whole, or one with a toJSON: on its own.
    yield separator();
    if (keys) yield `${JSON.stringify(key)}: `;
    yield* value(member, depth + 1);
    budget = { left: WHOLE_MEMBERS };
  }
  yield* flush();
  yield state.written ? `\n${indent}${array ? ']' : '}'}` : array ? '[]' : '{}';
}

/** The pieces of `JSON.stringify(v, null, 2)` for a value at `depth` (already through `jsonValue`). */
function* value(v: unknown, depth: number): Generator<string> {
  if (omitted(v)) yield 'null';
  else if (isPlain(v) && !fitsWhole(v, { left: WHOLE_MEMBERS })) yield* pieces(v, depth);
  // Strings never hold a raw line break in JSON: each one here is between tokens.
  else yield depth === 0 ? JSON.stringify(v, null, 2) : membersText([v], depth);
}

/** `report.json` as text, in pieces of any size (the last one ends with the line break). */
function* jsonPieces(report: Report): Generator<string> {
  const v = jsonValue(report, '');
  yield* isPlain(v) ? pieces(v, 0) : value(v, 0);
  yield '\n';
}

/**
 * `report.json` as UTF-8 bytes, in chunks of at most four mebibytes, most of one or more (a
 * piece of text too long for that is a chunk of its own). Each chunk is a buffer of its own,
 * not reused.
 */
export function* jsonByteChunks(report: Report): Generator<Buffer> {
  // Room for a piece of `length` characters: at most 3 bytes each in UTF-8.
  const capacity = 4 * CHUNK_BYTES;
  let buf = Buffer.allocUnsafe(capacity);
  let used = 0;
  for (const p of jsonPieces(report)) {
    if (used + 3 * p.length > capacity) {
      if (used > 0) {
        yield buf.subarray(0, used);
        buf = Buffer.allocUnsafe(capacity);
        used = 0;
      }
      if (3 * p.length > capacity) {
        yield Buffer.from(p, 'utf8');
        continue;
      }
    }
    used += buf.write(p, used, 'utf8');
    if (used >= CHUNK_BYTES) {
      yield buf.subarray(0, used);
      buf = Buffer.allocUnsafe(capacity);
      used = 0;
    }
  }
  if (used > 0) yield buf.subarray(0, used);
}

/** SHA-256, in lower-case hex, of the `report.json` bytes, taken over its chunks (never held whole). */
export function jsonSha256(report: Report): string {
  const hash = createHash('sha256');
  for (const chunk of jsonByteChunks(report)) hash.update(chunk);
  return hash.digest('hex');
}

/** `report.json` as one string (for a report small enough to hold so). */
export function renderJson(report: Report): string {
  return [...jsonPieces(report)].join('');
}
