/**
 * Streaming read of large JSON dump files (a `kubectl get pods -A -o json` of 150,000 pods
 * is larger than the longest string V8 can hold). Items of a List are assembled and handed
 * over one at a time, so memory stays bounded by one object plus what the inputs keep.
 */
import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import Assembler from 'stream-json/assembler.js';
import { isRecord, type KubeObject } from '../k8s/objects.js';
import { limits, overLimit } from '../limits.js';
import { completeItem, FileError } from './parse.js';

/** JSON files larger than this are streamed instead of parsed whole (bytes). */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

interface Token {
  name: string;
  value?: unknown;
}

/**
 * Calls `onObject` for each object of a JSON file (with its 0-based position in the file) holding one object, a List (`items` may be
 * `null`: none) or a bare array of objects. Items without kind take it as `parseObjectsFile`
 * gives it (from the list's kind, else from `named`, the resource the file is named after).
 * Rejects with `FileError` naming the file when the JSON is invalid, an item is not an object,
 * or an item (or what is outside the items) holds more than `maxObjectBytes` of keys and
 * values (bytes, counted as they stream in, before the item is assembled).
 */
export async function streamJsonObjects(path: string, input: Readable, onObject: (obj: KubeObject, index: number) => void, named?: string): Promise<void> {
  const tokens = input.pipe(parserStream({ packValues: true, streamValues: false }));
  input.on('error', (e) => tokens.destroy(e));
  const top = new Assembler();
  let depth = 0;
  let lastKey: string | undefined;
  /** Depth at which items are read: 2 under `items`, 1 in a bare array; 0 when not in items. */
  let itemsDepth = 0;
  let itemsSeen = false;
  let bareArray = false;
  let item: Assembler | undefined;
  let index = 0;
  let listKind: string | undefined;
  let listApiVersion: string | undefined;
  const pending: Array<{ v: unknown; i: number }> = [];
  const maxBytes = limits().maxObjectBytes;
  let itemBytes = 0;
  let topBytes = 0;
  /** A token's size toward its object's: its key or value (characters, about bytes), plus one. */
  const size = (tok: Token): number => (typeof tok.value === 'string' ? tok.value.length : 0) + 1;

  const emit = (v: unknown, i: number): void => {
    const what = `item ${i} of the ${bareArray ? 'array' : 'list'}`;
    if (!isRecord(v)) throw new FileError(path, `${what} is not a mapping`);
    completeItem(path, v, { kind: listKind, apiVersion: listApiVersion }, named, what);
    if (typeof v.kind !== 'string' || typeof v.apiVersion !== 'string' || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') {
      throw new FileError(path, `${what} has no kind, apiVersion or metadata.name`);
    }
    onObject(v as KubeObject, i);
  };

  try {
    for await (const tok of tokens as AsyncIterable<Token>) {
      if (itemsDepth > 0) {
        if (depth === itemsDepth && tok.name === 'endArray') {
          itemsDepth = 0;
          depth--;
          if (!bareArray) top.consume(tok as never);
          continue;
        }
        if (tok.name === 'startObject' || tok.name === 'startArray') depth++;
        if (tok.name === 'endObject' || tok.name === 'endArray') depth--;
        if (!item) {
          item = new Assembler();
          itemBytes = 0;
        }
        itemBytes += size(tok);
        if (itemBytes > maxBytes) throw new FileError(path, overLimit(`item ${index} of the ${bareArray ? 'array' : 'list'}`, 'maxObjectBytes'));
        item.consume(tok as never);
        if (depth === itemsDepth) {
          const v = item.current;
          item = undefined;
          // The list's kind may come after its items: wait for it before guessing.
          if (!bareArray && isRecord(v) && v.kind === undefined && listKind === undefined) pending.push({ v, i: index });
          else emit(v, index);
          index++;
        }
        continue;
      }
      if (depth === 0 && tok.name === 'startArray') {
        depth = 1;
        itemsDepth = 1;
        itemsSeen = true;
        bareArray = true;
        continue;
      }
      topBytes += size(tok);
      if (topBytes > maxBytes) throw new FileError(path, overLimit('the object', 'maxObjectBytes'));
      top.consume(tok as never);
      if (tok.name === 'startObject' || tok.name === 'startArray') depth++;
      else if (tok.name === 'endObject' || tok.name === 'endArray') depth--;
      if (depth === 1 && tok.name === 'keyValue') lastKey = String(tok.value);
      else if (depth === 1 && tok.name === 'stringValue') {
        if (lastKey === 'kind') listKind = String(tok.value);
        if (lastKey === 'apiVersion') listApiVersion = String(tok.value);
      } else if (depth === 1 && tok.name === 'nullValue' && lastKey === 'items') {
        itemsSeen = true;
      } else if (depth === 2 && tok.name === 'startArray' && lastKey === 'items') {
        itemsDepth = 2;
        itemsSeen = true;
      }
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(path, streamErrorReason(e));
  }
  if (depth !== 0) throw new FileError(path, 'invalid JSON: unexpected end of input (truncated file?)');
  if (itemsSeen && (bareArray || listKind === undefined || listKind.endsWith('List'))) {
    for (const p of pending) emit(p.v, p.i);
    return;
  }
  const v = top.current;
  if (!isRecord(v)) throw new FileError(path, 'expected a Kubernetes object or List');
  emit(v, 0);
}

/**
 * stream-json's syntax errors (`Parser cannot parse input: expected a value`) are fixed
 * texts; anything else (a read error) is said without its message, which could quote input.
 */
function streamErrorReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : '';
  const m = msg.match(/^Parser (?:cannot parse input: |has )([a-z ]+(?: '[\]},:]')?)$/);
  if (m) return `invalid JSON: ${m[1]}`;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code ? `cannot read the file (${code})` : 'invalid JSON';
}
