/**
 * Loading a file input from the command-line option, the live cluster or the dump, and
 * parsing it the same way whichever it came from.
 */
import type { Collected } from '../contract/inputs.js';
import type { DumpFile, FileFetch, FileInputDef } from './input-def.js';
import type { LiveContext } from './live-context.js';
import type { ScanOptions } from './scan-options.js';
import { collectedFromError } from './source.js';

/**
 * Parses fetched files; a fetch that is not `ok` becomes the input's status, except that no
 * file at all (`missing`, `absent` or no files) is `absent` with a value for an input with
 * `whenNoFiles`. The files the parse could not read while it read the others
 * (`FileParseResult.partial`) become the input's `partial`.
 */
export function parseFetched(def: FileInputDef, fetched: FileFetch): Collected<unknown> {
  const none = fetched.status === 'missing' || fetched.status === 'absent' || (fetched.status === 'ok' && fetched.files.length === 0);
  if (none && def.whenNoFiles) {
    const reason = fetched.status === 'absent' ? fetched.reason : def.whenNoFiles.reason;
    return {
      key: def.key,
      status: def.whenNoFiles.status,
      value: def.whenNoFiles.value(),
      reason,
      count: 0,
      ...(fetched.sources ? { sources: fetched.sources } : {}),
    };
  }
  if (fetched.status === 'absent') {
    // Only an input with an empty value (`whenNoFiles`) can be absent: a check is handed a value for every absent input.
    return {
      key: def.key,
      status: 'failed',
      reason: `${def.key}: the source reports none, but the input has no empty value (whenNoFiles)`,
      sources: fetched.sources,
    };
  }
  if (fetched.status !== 'ok') {
    return { key: def.key, status: fetched.status, reason: fetched.reason, sources: fetched.sources };
  }
  const sources = fetched.sources ?? fetched.files.map((f) => f.path);
  if (fetched.files.length === 0) {
    return { key: def.key, status: 'missing', reason: `no ${def.files.join(', ')} found`, sources };
  }
  try {
    const r = def.parse(fetched.files);
    const c: Collected<unknown> = {
      key: def.key,
      status: r.status ?? 'ok',
      value: r.value,
      count: r.count ?? fetched.files.length,
      sources,
    };
    const partial = [...(fetched.unread ?? []), ...(r.partial ?? [])];
    if (partial.length > 0) c.partial = partial;
    if (r.reason !== undefined) c.reason = r.reason;
    return c;
  } catch (e) {
    return { ...collectedFromError(def.key, e), sources };
  }
}

/**
 * Loads a file input: the command-line option first (`--pki-dir`…), then `fromSource`
 * (the dump's files, or the live fetch). Never rejects.
 */
export async function loadFileInput(
  def: FileInputDef,
  options: ScanOptions,
  fromSource: () => Promise<FileFetch>,
): Promise<Collected<unknown>> {
  try {
    const fromOptions = def.fromOptions ? await def.fromOptions(options) : undefined;
    return parseFetched(def, fromOptions ?? (await fromSource()));
  } catch (e) {
    return collectedFromError(def.key, e);
  }
}

/**
 * A file input's live fetch of one API server path as one dump file: 403 → `forbidden`, a
 * status outside `okStatuses` (default 200) → `failed`, else the body as the file.
 */
export async function fetchAsFile(
  ctx: LiveContext,
  path: string,
  file: string,
  opts: { accept?: string; okStatuses?: number[] } = {},
): Promise<FileFetch> {
  const res = await ctx.get(path, opts.accept ? { accept: opts.accept } : undefined);
  if ((opts.okStatuses ?? [200]).includes(res.status)) return { status: 'ok', files: [{ path: file, content: res.body }], sources: [path] };
  if (res.status === 403) return { status: 'forbidden', reason: `GET ${path}: 403 Forbidden`, sources: [path] };
  return { status: 'failed', reason: `GET ${path}: HTTP ${res.status}`, sources: [path] };
}

/** Files of a dump that a file input reads (exact paths, or folders ending in `/`). */
export function matchDumpFiles(def: FileInputDef, all: Array<DumpFile['path']>): string[] {
  return all.filter((p) => def.files.some((f) => (f.endsWith('/') ? p.startsWith(f) : p === f))).sort();
}
