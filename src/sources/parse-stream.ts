/**
 * Streaming read of large JSON dump files (a `kubectl get pods -A -o json` of 150,000 pods
 * is larger than the longest string V8 can hold). Items of a List are assembled and handed
 * over one at a time, so memory stays bounded by one object plus what the inputs keep.
 */
import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import Assembler from 'stream-json/assembler.js';
import { isRecord, type KubeObject } from '../k8s/objects.js';
import { FileError } from './parse.js';

/** JSON files larger than this are streamed instead of parsed whole (bytes). */
export const STREAM_THRESHOLD_BYTES = 64 * 1024 * 1024;

interface Token {
  name: string;
  value?: unknown;
}

/**
 * Calls `onObject` for each object of a JSON file holding one object or a List.
 * Rejects with `FileError` naming the file when the JSON is invalid.
 */
export async function streamJsonObjects(path: string, input: Readable, onObject: (obj: KubeObject) => void): Promise<void> {
  const tokens = input.pipe(parserStream({ packValues: true, streamValues: false }));
  input.on('error', (e) => tokens.destroy(e));
  const top = new Assembler();
  let depth = 0;
  let lastKey: string | undefined;
  let inItems = false;
  let itemsSeen = false;
  let item: Assembler | undefined;
  let index = 0;
  let listKind: string | undefined;
  let listApiVersion: string | undefined;
  const pending: unknown[] = [];

  const emit = (v: unknown, i: number): void => {
    if (!isRecord(v)) throw new FileError(path, `item ${i} of the list is not a mapping`);
    if (v.kind === undefined && listKind && listKind !== 'List') v.kind = listKind.slice(0, -'List'.length);
    if (v.apiVersion === undefined && listApiVersion) v.apiVersion = listApiVersion;
    if (typeof v.kind !== 'string' || typeof v.apiVersion !== 'string' || !isRecord(v.metadata) || typeof v.metadata.name !== 'string') {
      throw new FileError(path, `item ${i} of the list has no kind, apiVersion or metadata.name`);
    }
    onObject(v as KubeObject);
  };

  try {
    for await (const tok of tokens as AsyncIterable<Token>) {
      if (inItems) {
        if (depth === 2 && tok.name === 'endArray') {
          inItems = false;
          depth--;
          top.consume(tok as never);
          continue;
        }
        if (tok.name === 'startObject' || tok.name === 'startArray') depth++;
        if (tok.name === 'endObject' || tok.name === 'endArray') depth--;
        item ??= new Assembler();
        item.consume(tok as never);
        if (depth === 2) {
          const v = item.current;
          item = undefined;
          if (isRecord(v) && v.kind === undefined && listKind === undefined) pending.push(v);
          else emit(v, index);
          index++;
        }
        continue;
      }
      top.consume(tok as never);
      if (tok.name === 'startObject' || tok.name === 'startArray') depth++;
      else if (tok.name === 'endObject' || tok.name === 'endArray') depth--;
      if (depth === 1 && tok.name === 'keyValue') lastKey = String(tok.value);
      else if (depth === 1 && tok.name === 'stringValue') {
        if (lastKey === 'kind') listKind = String(tok.value);
        if (lastKey === 'apiVersion') listApiVersion = String(tok.value);
      } else if (depth === 2 && tok.name === 'startArray' && lastKey === 'items') {
        inItems = true;
        itemsSeen = true;
      }
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(path, `invalid JSON: ${(e as Error).message}`);
  }
  if (depth !== 0) throw new FileError(path, 'invalid JSON: unexpected end of input (truncated file?)');
  if (itemsSeen) {
    pending.forEach((v, i) => emit(v, i));
    return;
  }
  const v = top.current;
  if (!isRecord(v)) throw new FileError(path, 'expected a Kubernetes object or List');
  emit(v, 0);
}
