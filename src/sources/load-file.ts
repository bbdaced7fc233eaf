/**
 * Reading one resources file of a dump into normalized objects: the part of loading a dump
 * that needs nothing read before it, run on the main thread or on the loading thread
 * (`load-worker.ts`). The file is parsed, and each object validated, redacted and normalized
 * for the inputs that read it (`ObjectNormalizer`); `ResourceAccumulator.merge` then takes
 * the objects of every file in file order. What this gives is plain data (normalized values,
 * a few identifying fields of some objects, one-line error messages): no raw object, and so
 * no secret value, is in it.
 */
import { createReadStream, type Dirent, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { groupOf, type KubeObject } from '../k8s/objects.js';
import { knownResource, type KnownResource } from '../k8s/resources.js';
import { limits, overLimit } from '../limits.js';
import { FileError, NoObjectsError, parseObjectsFile } from './parse.js';
import { streamJsonObjects, STREAM_THRESHOLD_BYTES } from './parse-stream.js';
import type { NormalizedObject, ObjectNormalizer } from './source.js';

/**
 * The fields of an object the main thread reads itself: of a CustomResourceDefinition (its
 * name: the dump's CRD list), or of an object whose kind is not that of the built-in resource
 * its file is named after (`foreignKind`).
 */
export interface ObjectHead {
  apiVersion: string;
  kind: string;
  name: string;
  /** `metadata.namespace` when it is a string. */
  namespace?: string;
}

/** An object read: its normalized outcomes (unset when no input reads its kind), and its head when the main thread needs it. */
export interface LoadedObject {
  /** 0-based position in the file (see `ResourceAccumulator.add`). */
  index: number;
  head?: ObjectHead;
  n?: NormalizedObject;
}

/** What reading one file gave: its objects in order, up to the error that stopped it, if any. */
export interface LoadAnswer {
  objects: LoadedObject[];
  /**
   * Why the file could not be read (further), one line naming the file; `noObjects`: a YAML
   * file of only comments (`NoObjectsError`).
   */
  error?: { message: string; noObjects: boolean };
}

/**
 * Size in bytes of a dump file about to be read (`abs`, named `rel` in messages). Rejects with
 * `FileError` naming the file for one not read (`unread`: why), above `maxFileBytes`, or no
 * longer a regular file.
 */
export async function checkedSize(abs: string, rel: string, unread?: string): Promise<number> {
  if (unread !== undefined) throw new FileError(rel, unread);
  const st = await stat(abs);
  if (!st.isFile()) throw new FileError(rel, `${fileType(st)}, not a regular file; not read`);
  if (st.size > limits().maxFileBytes) throw new FileError(rel, `${overLimit(`${st.size} bytes`, 'maxFileBytes')}; not read`);
  return st.size;
}

/**
 * Reads a resources file for parsing, after `checkedSize`; a JSON file above
 * `STREAM_THRESHOLD_BYTES` is streamed instead (`'stream'`). Rejects with `FileError` as
 * `checkedSize` does, or with the read's error.
 */
export async function readForParse(abs: string, rel: string, unread?: string): Promise<Buffer | 'stream'> {
  const size = await checkedSize(abs, rel, unread);
  if (size > STREAM_THRESHOLD_BYTES && /\.json$/i.test(rel)) return 'stream';
  return readFile(abs);
}

/** `a FIFO`, `a socket`…: what a file that is not a regular file or folder is. */
export function fileType(st: Stats | Dirent): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/**
 * The built-in resource a file is named after (`hint`), when `obj` is not of its kind (a Pod
 * in `deployments.apps.json`; with a group in the name, the group must match too).
 */
export function foreignKind(hint: string | undefined, obj: { apiVersion: string; kind: string }): KnownResource | undefined {
  const named = hint === undefined ? undefined : knownResource(hint);
  if (named && (named.kind !== obj.kind || (hint!.includes('.') && groupOf(named.apiVersion) !== groupOf(obj.apiVersion)))) return named;
  return undefined;
}

/** The one-line message of an error reading or parsing the file `rel` (a `FileError`'s, else prefixed with the path). */
function fileError(rel: string, e: unknown): { message: string; noObjects: boolean } {
  const message = e instanceof FileError ? e.message : `${rel}: ${(e as Partial<Error> | undefined)?.message ?? String(e)}`;
  return { message, noObjects: e instanceof NoObjectsError };
}

/**
 * Reads the objects of a resources file (`content`: `readForParse`'s promise, the bytes or
 * `'stream'` to stream it from `abs`) and normalizes each one. Never rejects: an error
 * (invalid file, read error, over a limit) ends the answer with its one-line message, after
 * the objects read before it (a streamed file's).
 */
export async function readObjects(
  abs: string,
  rel: string,
  hint: string | undefined,
  content: Promise<Buffer | 'stream'>,
  normalizer: ObjectNormalizer,
): Promise<LoadAnswer> {
  const objects: LoadedObject[] = [];
  const take = (obj: KubeObject, index: number): void => {
    const ns = obj.metadata.namespace;
    const head =
      obj.kind === 'CustomResourceDefinition' || foreignKind(hint, obj)
        ? {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata.name ?? '',
            ...(typeof ns === 'string' ? { namespace: ns } : {}),
          }
        : undefined;
    const n = normalizer.normalize(obj, rel, undefined, index);
    if (n || head) objects.push({ index, ...(head ? { head } : {}), ...(n ? { n } : {}) });
  };
  try {
    const read = await content;
    if (read === 'stream') {
      await streamJsonObjects(rel, createReadStream(abs, { highWaterMark: 1024 * 1024 }), take, hint);
    } else {
      for (const { obj, index } of parseObjectsFile(rel, read, hint)) take(obj, index);
    }
  } catch (e) {
    return { objects, error: fileError(rel, e) };
  }
  return { objects };
}
