/**
 * Reading large JSON dump files (a `kubectl get pods -A -o json` of 150,000 pods is larger than
 * the longest string V8 can hold) at about the speed of `JSON.parse`: a byte-level splitter
 * finds where each item of the List (or of a bare array) starts and ends, and each item is
 * handed to `JSON.parse` alone. Memory stays bounded by one item (at most `maxObjectBytes`)
 * plus what the inputs keep.
 *
 * The splitter follows JSON's grammar at the top (the object or array, its keys, commas and
 * colons, the `items` array); inside an item or another member's value it only tracks strings
 * (with their escapes) and brackets, and `JSON.parse` of that value checks the rest.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { isRecord, type KubeObject } from '../k8s/objects.js';
import { jsonParseError } from '../k8s/parse-errors.js';
import { limits, overLimit } from '../limits.js';
import { completeItem, FileError } from './parse.js';

/** JSON files larger than this are streamed instead of parsed whole (bytes). */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

const isSpace = (c: number): boolean => c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;

/** Where the splitter is, outside a captured value. */
const enum State {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  MemberEnd,
  ItemOrEnd,
  Item,
  ItemEnd,
  Done,
}

/** A value being captured: a key, a member of the top object, or an item. */
interface Capture {
  what: 'key' | 'member' | 'item';
  parts: Buffer[];
  bytes: number;
  /** Offset in the current chunk where the value (or its part in this chunk) starts. */
  start: number;
  /** Bracket depth inside the value (0: a string or scalar, or the container closed). */
  depth: number;
  scalar: boolean;
  line: number;
  column: number;
}

/**
 * Calls `onObject` for each object of a JSON file (with its 0-based position in the file)
 * holding one object, a List (`items` may be `null`: none) or a bare array of objects. Items
 * without kind take it as `parseObjectsFile` gives it (from the list's kind, else from
 * `named`, the resource the file is named after). Rejects with `FileError` naming the file
 * (and the line and column, and the item, where known) when the JSON is invalid, an item is
 * not an object or not UTF-8, or an item (or what is outside the items) is larger than
 * `maxObjectBytes` (bytes, counted before the item is parsed).
 */
export async function streamJsonObjects(
  path: string,
  input: Readable,
  onObject: (obj: KubeObject, index: number) => void,
  named?: string,
): Promise<void> {
  const maxBytes = limits().maxObjectBytes;
  let state = State.Start as State;
  let bareArray = false;
  let itemsSeen = false;
  let index = 0;
  let key = '';
  const top: Record<string, unknown> = {};
  let topBytes = 0;
  const pending: Array<{ v: unknown; i: number }> = [];
  let cap: Capture | undefined;
  let inString = false;
  let escaped = false;
  let line = 1;
  /** Offset, counted over the whole file, of the byte after the last newline. */
  let lineStart = 0;
  let offset = 0;
  const listWhat = (): string => (bareArray ? 'array' : 'list');
  const fail = (reason: string, at?: number): never => {
    throw new FileError(
      path,
      `invalid JSON: ${reason}`,
      at === undefined ? undefined : line,
      at === undefined ? undefined : offset + at - lineStart + 1,
    );
  };

  const emit = (v: unknown, i: number): void => {
    const what = `item ${i} of the ${listWhat()}`;
    if (!isRecord(v)) throw new FileError(path, `${what} is not a mapping`);
    completeItem(path, v, { kind: top.kind, apiVersion: top.apiVersion }, named, what);
    if (typeof v.kind !== 'string' || typeof v.apiVersion !== 'string' || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') {
      throw new FileError(path, `${what} has no kind, apiVersion or metadata.name`);
    }
    onObject(v as KubeObject, i);
  };

  const tooLarge = (c: Capture): never => {
    throw new FileError(path, overLimit(c.what === 'item' ? `item ${index} of the ${listWhat()}` : 'the object', 'maxObjectBytes'));
  };

  /** Parses a captured value that ended before `end` in `chunk`, and takes it where it goes. */
  const finish = (c: Capture, chunk: Buffer, end: number): void => {
    const last = chunk.subarray(c.start, end);
    c.bytes += last.length;
    if (c.what === 'item' ? c.bytes > maxBytes : topBytes + c.bytes > maxBytes) tooLarge(c);
    const bytes = c.parts.length === 0 ? last : Buffer.concat([...c.parts, last]);
    const what = c.what === 'item' ? ` in item ${index} of the ${listWhat()}` : '';
    if (!isUtf8(bytes)) throw new FileError(path, `not UTF-8 text${what}`, c.line);
    const text = bytes.toString('utf8');
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      const at = jsonParseError(text, e);
      const l = at.line === undefined ? c.line : c.line + at.line - 1;
      const col = at.line === 1 && at.column !== undefined ? c.column + at.column - 1 : at.column;
      throw new FileError(path, `${at.reason}${what}`, l, at.line === undefined ? undefined : col);
    }
    if (c.what === 'key') {
      key = v as string;
      topBytes += c.bytes;
      state = State.Colon;
    } else if (c.what === 'member') {
      top[key] = v;
      topBytes += c.bytes;
      if (key === 'items' && v === null) itemsSeen = true;
      state = State.MemberEnd;
    } else {
      // The list's kind may come after its items: wait for it before guessing.
      if (!bareArray && isRecord(v) && v.kind === undefined && top.kind === undefined) pending.push({ v, i: index });
      else emit(v, index);
      index++;
      state = State.ItemEnd;
    }
    cap = undefined;
  };

  const begin = (what: Capture['what'], start: number, c: number): Capture => {
    const scalar = c !== OPEN_OBJECT && c !== OPEN_ARRAY && c !== QUOTE;
    cap = {
      what,
      parts: [],
      bytes: 0,
      start,
      depth: c === OPEN_OBJECT || c === OPEN_ARRAY ? 1 : 0,
      scalar,
      line,
      column: offset + start - lineStart + 1,
    };
    if (c === QUOTE) inString = true;
    return cap;
  };

  const scan = (chunk: Buffer): void => {
    const n = chunk.length;
    let i = 0;
    if (cap) cap.start = 0;
    while (i < n) {
      if (inString) {
        let j = i;
        if (escaped) {
          escaped = false;
          j++;
        }
        const from = j;
        for (;;) {
          j = chunk.indexOf(QUOTE, j);
          if (j < 0) break;
          let k = j - 1;
          while (k >= from && chunk[k] === BACKSLASH) k--;
          if ((j - 1 - k) % 2 === 0) break;
          j++;
        }
        if (j < 0) {
          let k = n - 1;
          while (k >= from && chunk[k] === BACKSLASH) k--;
          escaped = (n - 1 - k) % 2 === 1;
          i = n;
          break;
        }
        inString = false;
        i = j + 1;
        if (cap?.depth === 0) finish(cap, chunk, i);
        continue;
      }
      const c = chunk[i]!;
      if (cap) {
        if (cap.scalar) {
          if (isSpace(c) || c === COMMA || c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
            finish(cap, chunk, i);
            continue; // the delimiter is read by the grammar below
          }
        } else if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) cap.depth++;
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          if (--cap.depth === 0) finish(cap, chunk, i + 1);
        } else if (c === NEWLINE) {
          line++;
          lineStart = offset + i + 1;
        }
        i++;
        continue;
      }
      i++;
      if (c === NEWLINE) {
        line++;
        lineStart = offset + i;
      }
      if (isSpace(c)) continue;
      switch (state) {
        case State.Start:
          if (c === OPEN_OBJECT) state = State.KeyOrEnd;
          else if (c === OPEN_ARRAY) {
            bareArray = true;
            itemsSeen = true;
            state = State.ItemOrEnd;
          } else if ((c === 0xef || c === 0xbb || c === 0xbf) && offset + i <= 3)
            continue; // a UTF-8 byte order mark
          else throw new FileError(path, 'expected a Kubernetes object or List', line);
          break;
        case State.KeyOrEnd:
        case State.Key:
          if (c === QUOTE) begin('key', i - 1, c);
          else if (c === CLOSE_OBJECT && state === State.KeyOrEnd) state = State.Done;
          else fail(state === State.Key ? "expected a property name after ','" : "expected a property name or '}'", i - 1);
          break;
        case State.Colon:
          if (c === COLON) state = State.Value;
          else fail("expected ':' after a property name", i - 1);
          break;
        case State.Value:
          if (key === 'items' && c === OPEN_ARRAY) {
            itemsSeen = true;
            state = State.ItemOrEnd;
          } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === COMMA || c === COLON) fail('expected a value', i - 1);
          else begin('member', i - 1, c);
          break;
        case State.MemberEnd:
          if (c === COMMA) state = State.Key;
          else if (c === CLOSE_OBJECT) state = State.Done;
          else fail("expected ',' or '}' after a property value", i - 1);
          break;
        case State.ItemOrEnd:
        case State.Item:
          if (c === CLOSE_ARRAY && state === State.ItemOrEnd) state = bareArray ? State.Done : State.MemberEnd;
          else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === COMMA || c === COLON)
            fail(`expected item ${index} of the ${listWhat()}`, i - 1);
          else begin('item', i - 1, c);
          break;
        case State.ItemEnd:
          if (c === COMMA) state = State.Item;
          else if (c === CLOSE_ARRAY) state = bareArray ? State.Done : State.MemberEnd;
          else fail(`expected ',' or ']' after item ${index - 1} of the ${listWhat()}`, i - 1);
          break;
        case State.Done:
          fail('unexpected text after the end of the JSON value', i - 1);
      }
    }
    if (cap) {
      const part = chunk.subarray(cap.start);
      cap.bytes += part.length;
      if (cap.what === 'item' ? cap.bytes > maxBytes : topBytes + cap.bytes > maxBytes) tooLarge(cap);
      cap.parts.push(part);
    }
    offset += n;
  };

  try {
    for await (const chunk of input) scan(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  } catch (e) {
    if (e instanceof FileError) throw e;
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    // A read error is said without its message, which could quote input.
    throw new FileError(path, code ? `cannot read the file (${code})` : 'cannot read the file');
  }
  /* eslint-disable @typescript-eslint/no-unnecessary-condition -- scan() sets these; control-flow analysis sees
     only their initial values here */
  if (cap?.scalar && !inString) finish(cap, Buffer.alloc(0), 0);
  if (state !== State.Done) throw new FileError(path, 'invalid JSON: unexpected end of input (truncated file?)');
  const listKind = top.kind;
  if (itemsSeen && (bareArray || listKind === undefined || (typeof listKind === 'string' && listKind.endsWith('List')))) {
    for (const p of pending) emit(p.v, p.i);
    return;
  }
  if (bareArray) throw new FileError(path, 'expected a Kubernetes object or List');
  /* eslint-enable @typescript-eslint/no-unnecessary-condition */
  emit(top, 0);
}
