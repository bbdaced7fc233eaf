/**
 * Reading Kubernetes objects from YAML and JSON files: single objects, multi-document YAML,
 * kubectl `List`s, raw API lists (`PodList`, whose items carry no kind: they take it from
 * the list), and the lists people actually have: Go's empty list (`"items": null`), lists
 * without kind (`{"metadata":{}, "items":[...]}`) and bare JSON arrays of objects, whose items
 * without kind take it from the resource the file is named after (`statefulsets.apps.json`).
 * Errors name the file and the line.
 */
import { isUtf8 } from 'node:buffer';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isRecord, type KubeObject } from '../k8s/objects.js';
import { formatParseError, jsonParseError, yamlConversionError, yamlParseError, type ParseErrorAt } from '../k8s/parse-errors.js';
import { knownResource } from '../k8s/resources.js';
import { InputError } from './input-def.js';

export interface ParsedObject {
  obj: KubeObject;
  /** 1-based line where the object starts, when known. */
  line?: number;
  /** 0-based position of the object in its file, every document's objects counted in order. */
  index: number;
}

/** A problem in a file: `path:line:col: reason` (line and column when known). */
export class FileError extends InputError {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(formatParseError(path, { line: line === 0 ? undefined : line, column, reason }));
  }

  /** A parse error of `path` re-worded from its position (`k8s/parse-errors.ts`). */
  static at(path: string, at: ParseErrorAt): FileError {
    return new FileError(path, at.reason, at.line, at.column);
  }
}

/**
 * A YAML file without any document content (only comments, or empty `---` documents): it does
 * not say that there are no objects (an empty list says that: `items: []`), so it is not read
 * as an empty list.
 */
export class NoObjectsError extends FileError {
  constructor(path: string) {
    super(path, 'no object and no List, only comments or empty documents (an empty list is written `items: []`)');
  }
}

/**
 * Decodes a text file; throws `FileError` for an empty or binary file.
 */
export function decodeText(path: string, content: Buffer): string {
  if (content.subarray(0, 8192).includes(0)) throw new FileError(path, 'binary file, not YAML or JSON');
  if (!isUtf8(content)) throw new FileError(path, 'not UTF-8 text (binary file?), not YAML or JSON');
  let text = content.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new FileError(path, 'file is empty');
  return text;
}

/** Parses a JSON file; throws `InputError` naming the file for text that is empty, binary or not JSON. */
export function parseJsonFile(path: string, content: Buffer): unknown {
  return parseJson(path, decodeText(path, content));
}

/**
 * Parses a `.json`, `.yaml` or `.yml` file into Kubernetes objects. `named`: the resource the
 * file is named after (`pods`, `statefulsets.apps`; see `fileHint`), which list items without
 * kind take theirs from. Throws `FileError` (with the line where known) when the file cannot
 * be read as a whole, e.g. items without kind in a file whose name names no known resource;
 * `NoObjectsError` for a file whose every document is empty or `null` (only comments).
 */
export function parseObjectsFile(path: string, content: Buffer, named?: string): ParsedObject[] {
  const text = decodeText(path, content);
  const docs: Array<{ value: unknown; line?: number }> = /\.json$/i.test(path) ? [{ value: parseJson(path, text) }] : parseYaml(path, text);
  if (docs.every((d) => d.value === null || d.value === undefined)) throw new NoObjectsError(path);
  const out: ParsedObject[] = [];
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue;
    for (const o of expandDocument(path, d.value, d.line, named)) out.push({ ...o, index: out.length });
  }
  return out;
}

/**
 * Gives a list item without `kind` its kind and apiVersion: from the list's kind (`PodList` →
 * `Pod`; an item of such a list also takes the list's apiVersion when it has none), else from
 * the built-in resource the file is named after (`named`). Throws
 * `FileError` when an item without kind has nowhere to take it from. `what`: `item 3 of the list`.
 */
export function completeItem(
  path: string,
  item: unknown,
  list: { kind?: unknown; apiVersion?: unknown },
  named: string | undefined,
  what: string,
  line?: number,
): void {
  if (!isRecord(item)) return;
  const listApiVersion = typeof list.apiVersion === 'string' && list.apiVersion !== '' ? list.apiVersion : undefined;
  const typed = typeof list.kind === 'string' && list.kind !== 'List' && list.kind.endsWith('List');
  if (typed) {
    item.kind ??= (list.kind as string).slice(0, -'List'.length);
    if (item.apiVersion === undefined && listApiVersion) item.apiVersion = listApiVersion;
    return;
  }
  if (item.kind !== undefined) return;
  const known = named === undefined ? undefined : knownResource(named);
  if (!known) {
    const why = named === undefined ? 'the file name names no resource' : `the file name names no known resource ("${named}")`;
    throw new FileError(
      path,
      `${what} has no kind, and ${why}; name the file after its resource (pods.json, statefulsets.apps.yaml)`,
      line,
    );
  }
  item.kind = known.kind;
  if (item.apiVersion === undefined) item.apiVersion = known.apiVersion;
}

/**
 * `JSON.parse` with errors that name the file, line and column and say what was expected,
 * never quoting the text (`k8s/parse-errors.ts`). Throws `FileError`.
 */
export function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw FileError.at(path, jsonParseError(text, e));
  }
}

function parseYaml(path: string, text: string): Array<{ value: unknown; line?: number }> {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true });
  const out: Array<{ value: unknown; line?: number }> = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) throw FileError.at(path, yamlParseError(err));
    const start = doc.contents?.range[0] ?? doc.range[0];
    const line = lc.linePos(start).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      throw FileError.at(path, { line, ...yamlConversionError(e) });
    }
    out.push({ value, line });
  }
  return out;
}

function expandDocument(
  path: string,
  value: unknown,
  line: number | undefined,
  named: string | undefined,
): Array<Omit<ParsedObject, 'index'>> {
  const items = (list: Record<string, unknown>, arr: unknown[], label: string): Array<Omit<ParsedObject, 'index'>> =>
    arr.map((item, i) => {
      const what = `item ${i} of the ${label}`;
      completeItem(path, item, list, named, what, line);
      return { obj: checkObject(path, item, line, what), line };
    });
  if (Array.isArray(value)) return items({}, value, 'array');
  if (!isRecord(value)) throw new FileError(path, `expected a Kubernetes object or List, found ${typeof value}`, line);
  const kind = value.kind;
  const isList = kind === undefined || (typeof kind === 'string' && kind.endsWith('List'));
  // Go encodes an empty slice of a List as `null`.
  if (isList && 'items' in value && value.items === null) return [];
  if (isList && Array.isArray(value.items)) return items(value, value.items, typeof kind === 'string' ? kind : 'list');
  return [{ obj: checkObject(path, value, line, 'object'), line }];
}

function checkObject(path: string, v: unknown, line: number | undefined, what: string): KubeObject {
  if (!isRecord(v)) throw new FileError(path, `${what} is not a mapping`, line);
  if (typeof v.apiVersion !== 'string' || v.apiVersion === '') throw new FileError(path, `${what} has no apiVersion`, line);
  if (typeof v.kind !== 'string' || v.kind === '') throw new FileError(path, `${what} has no kind`, line);
  if (!isRecord(v.metadata) || typeof v.metadata.name !== 'string') {
    throw new FileError(path, `${what} (${v.kind}) has no metadata.name`, line);
  }
  return v as KubeObject;
}
