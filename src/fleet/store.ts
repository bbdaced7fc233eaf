/**
 * Reading stored reports for `kube-preflight fleet`: every `report.json` under a folder (the
 * in-cluster CronJobs' output, or `scan -o DIR` with several sources), each one cluster.
 * `readStoredReports` is the one entry point; a location with a URL scheme is dispatched by
 * scheme: `s3://BUCKET/PREFIX` reads the `latest/report.json` of each cluster that
 * `scan --upload` wrote (src/fleet/s3.ts, docs/fleet-storage.md).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { FatalError } from '../contract/errors.js';
import { sourceLabel } from '../render/common.js';
import { FILE_NAMES } from '../render/formats.js';
import type { Report } from '../contract/report.js';
import { notAReport } from '../report/baseline.js';
import { REPORT_MAX_BYTES } from '../limits.js';
import { FileTooLargeError, readTextCapped } from '../files.js';
import { positionSuffix } from '../k8s/parse-errors.js';
import { parseJson, type FileError } from '../sources/parse.js';
import type { FleetEntry } from './model.js';
import type { S3Options } from './s3.js';
import { notScannedSchemaErrors, type NotScannedRecord } from './schema.js';

/** The report file of one cluster: the file `scan -o DIR` writes for the json format. */
export const REPORT_FILE = FILE_NAMES.json;
/** Written by a fleet scan in place of report.json for a cluster it could not scan. */
export const NOT_SCANNED_FILE = 'not-scanned.json';

/** One cluster read from a store: a fleet entry and the file it was read from. */
export interface StoredReport extends FleetEntry {
  /** The file read (the location joined with its path under it). */
  file: string;
}

/**
 * The stored reports at `location`: a folder (searched recursively for `report.json`, and
 * `not-scanned.json` where a folder has no report.json) or one report.json file. Sorted by path.
 *
 * The cluster of a report below the folder is its folder's path under `location` (`prod/eu-1`);
 * of a report at `location` itself, the report's `metadata.cluster.name`, else its kubeconfig
 * context, else the name of the folder holding it. A report.json that cannot be read, is not
 * JSON or does not match the report schema is an entry with `error`
 * `not readable: <file>: <reason>`, never a throw.
 *
 * An `s3://BUCKET/PREFIX` location reads every `PREFIX/<cluster>/latest/report.json` (the
 * layout `scan --upload` writes; dated copies are history for `trend`, not the fleet), the
 * cluster being the key's path between the prefix and `/latest/`; `s3` says how to reach the
 * bucket.
 *
 * Throws `FatalError` (one line) for a location that does not exist or cannot be listed
 * (a missing bucket, refused credentials), and for a URL scheme it does not read (`https://…`).
 */
export async function readStoredReports(location: string, s3: S3Options = {}): Promise<StoredReport[]> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      return readFolder(location);
    case 's3':
      return readBucket(location, s3);
    default:
      throw new FatalError(`${location}: unsupported location (${scheme}://); give a folder, a report.json file or s3://BUCKET/PREFIX`);
  }
}

async function readBucket(location: string, opts: S3Options): Promise<StoredReport[]> {
  const { listS3Reports, parseS3Url } = await import('./s3.js');
  const { bucket, prefix } = parseS3Url(location);
  const found = await listS3Reports({ bucket, prefix }, { ...opts, latestOnly: true });
  const latest = `/latest/${REPORT_FILE}`;
  return found.map(({ key, body }) =>
    judge(body.toString('utf8'), `s3://${bucket}/${key}`, key.slice(prefix.length, -latest.length), bucket),
  );
}

/** A file found below a folder by `filesNamed`. */
export interface FoundFile {
  /** Its path under the folder, `/`-separated (`prod/eu-1/report.json`). */
  path: string;
  /** A regular file: not a symbolic link, folder, FIFO or device. */
  isFile: boolean;
}

/**
 * The entries named one of `names` anywhere below `folder`, sorted by their path under it;
 * symbolic links to folders are not followed. Each caller decides which kinds it reads: the
 * fleet (`readFolder`) takes every entry so that one it cannot read is a cluster not readable,
 * `trend` only regular files. Rejects with Node's error when `folder` cannot be listed.
 */
export async function filesNamed(folder: string, names: readonly string[]): Promise<FoundFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => names.includes(e.name))
    .map((e) => ({ path: relative(folder, join(e.parentPath, e.name)).split(sep).join('/'), isFile: e.isFile() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readFolder(location: string): Promise<StoredReport[]> {
  const st = await stat(location).catch((e: unknown) => {
    const { code, message } = e as NodeJS.ErrnoException;
    throw new FatalError(`${location}: ${code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? message})`}`);
  });
  if (st.isFile()) return [await readOne(location, '', basename(dirname(resolve(location))))];
  if (!st.isDirectory()) throw new FatalError(`${location}: not a folder or a file`);
  const found = await filesNamed(location, [REPORT_FILE, NOT_SCANNED_FILE]).catch((e: unknown) => {
    const { code, message } = e as NodeJS.ErrnoException;
    throw new FatalError(`${location}: cannot be listed (${code ?? message})`);
  });
  const files = found.map((f) => f.path);
  const reports = new Set(files.filter((f) => basename(f) === REPORT_FILE).map((f) => dirname(f)));
  const picked = files.filter((f) => basename(f) === REPORT_FILE || !reports.has(dirname(f)));
  const rootName = basename(resolve(location));
  return Promise.all(picked.map((f) => readOne(join(location, f), dirname(f) === '.' ? '' : dirname(f), rootName)));
}

/** An entry for a stored file that is not a readable report; `at`: where in the file, when known. */
function notReadable(
  file: string,
  folder: string,
  rootName: string,
  reason: string,
  at: { line?: number; column?: number } = {},
): StoredReport {
  return { cluster: folder || rootName, source: file, file, error: `not readable: ${file}${positionSuffix(at)}: ${reason}` };
}

/**
 * `file` (at most `REPORT_MAX_BYTES`, as every report read), `folder` its folder under the
 * location (`''` at its root), `rootName` the name for a report at the root.
 */
async function readOne(file: string, folder: string, rootName: string): Promise<StoredReport> {
  let text: string;
  try {
    text = await readTextCapped(file, REPORT_MAX_BYTES);
  } catch (e) {
    const why =
      e instanceof FileTooLargeError
        ? `${e.message}, too large for a report`
        : `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
    return notReadable(file, folder, rootName, why);
  }
  return judge(text, file, folder, rootName);
}

/** A stored file's text as a fleet entry: a report, a not-scanned record, or not readable. */
function judge(text: string, file: string, folder: string, rootName: string): StoredReport {
  let doc: unknown;
  try {
    doc = parseJson(file, text);
  } catch (e) {
    // `file:line:col: invalid JSON: …`, as `loadReport` says it: never the text of the file.
    const { reason, line, column } = e as FileError;
    return notReadable(file, folder, rootName, reason, { line, column });
  }
  if (basename(file) === NOT_SCANNED_FILE) {
    const errors = notScannedSchemaErrors(doc);
    if (errors.length) return notReadable(file, folder, rootName, `does not match the NotScanned schema: ${errors.slice(0, 3).join('; ')}`);
    const r = doc as NotScannedRecord;
    return { cluster: folder || rootName, source: r.source, file, error: r.reason };
  }
  const why = notAReport(doc);
  if (why !== undefined) return notReadable(file, folder, rootName, `does not match the report schema: ${why}`);
  const report = doc as Report;
  const cluster = folder || (report.metadata.cluster.name ?? report.metadata.source.context ?? rootName);
  return { cluster, source: sourceLabel(report), file, report };
}
