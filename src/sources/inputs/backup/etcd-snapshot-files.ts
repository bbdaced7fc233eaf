/**
 * etcd snapshot files: `backups/etcd-snapshots.json` of a dump, or `--etcd-snapshot-dir` read on
 * a control-plane node (each file stat'ed and, when an etcd tool is on PATH, its
 * `snapshot status -w json`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isRecord, num, str } from '../../../k8s/objects.js';
import { InputError, type DumpFile, type FileFetch, type FileInputDef } from '../../input-def.js';
import { parseJsonFile } from '../../parse.js';
import { describeIssue, optNum, optObject, optStr, z } from '../../schema.js';
import { findSnapshotStatusRunner, type SnapshotStatusRunner } from './snapshot-status-tool.js';
import type { EtcdSnapshotFile } from '../../../contract/values/backup.js';

const SNAPSHOTS_FILE = 'backups/etcd-snapshots.json';

/**
 * Parses `backups/etcd-snapshots.json`: `[{ path, sizeBytes, modified, status?, statusError? }]`.
 * Throws `InputError` when the file is not a JSON array; an entry without a usable `path`,
 * `sizeBytes` or `modified` is kept with a `problem`.
 */
/** The fields of an entry of `backups/etcd-snapshots.json`; one of the wrong type makes the entry unread. */
const SNAPSHOT_ENTRY = z.object({
  path: optStr,
  sizeBytes: optNum,
  modified: optStr,
  status: optObject({ hash: optNum, revision: optNum, totalKey: optNum, totalSize: optNum, version: optStr }),
  statusError: optStr,
});

export function parseSnapshotsJson(file: DumpFile): EtcdSnapshotFile[] {
  const doc: unknown = parseJsonFile(file.path, file.content);
  if (!Array.isArray(doc)) throw new InputError(`${file.path}: expected a JSON array of snapshot files`);
  return doc.map((item, i) => {
    if (!isRecord(item)) return { path: `#${i}`, problem: `entry ${i} is not an object` };
    const typed = SNAPSHOT_ENTRY.safeParse(item);
    if (!typed.success)
      return {
        path: (typeof item.path === 'string' && item.path) || `#${i}`,
        problem: `entry ${i} ${describeIssue(typed.error.issues[0]!, item)}`,
      };
    const path = str(item.path) || `#${i}`;
    const entry: EtcdSnapshotFile = { path };
    const sizeBytes = num(item.sizeBytes);
    if (sizeBytes !== undefined) entry.sizeBytes = sizeBytes;
    const modified = str(item.modified);
    if (modified !== undefined && !Number.isNaN(Date.parse(modified))) entry.modified = modified;
    if (isRecord(item.status)) {
      const s = item.status;
      entry.status = {};
      for (const k of ['hash', 'revision', 'totalKey', 'totalSize'] as const) if (num(s[k]) !== undefined) entry.status[k] = num(s[k]);
      if (str(s.version)) entry.status.version = str(s.version);
    }
    if (str(item.statusError)) entry.statusError = str(item.statusError);
    const missing = [!str(item.path) && 'path', sizeBytes === undefined && 'sizeBytes', entry.modified === undefined && 'modified'].filter(
      Boolean,
    );
    if (missing.length > 0) entry.problem = `entry ${i} has no valid ${missing.join(', ')}`;
    return entry;
  });
}

/** File names taken as etcd snapshots in `--etcd-snapshot-dir`: `*.db`, and k3s/RKE2's `etcd-snapshot-<node>-<time>`. */
export const SNAPSHOT_FILE_NAME = /\.db$|^etcd-snapshot-[^.]+$/;

/**
 * Reads a folder of etcd snapshots on a control-plane node (`--etcd-snapshot-dir`): stats
 * each snapshot file (not recursive; names matching `SNAPSHOT_FILE_NAME`) and, when a runner
 * is given, records `snapshot status` output or the error it printed. Writes nothing.
 * Resolves a `failed` fetch when the folder cannot be read.
 */
export async function readSnapshotDir(dir: string, runner: SnapshotStatusRunner | undefined): Promise<FileFetch> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs, { withFileTypes: true }))
      .filter((d) => d.isFile() && SNAPSHOT_FILE_NAME.test(d.name))
      .map((d) => d.name)
      .sort();
  } catch (e) {
    return { status: 'failed', reason: `--etcd-snapshot-dir ${abs}: ${(e as Error).message}`, sources: [abs] };
  }
  const entries: EtcdSnapshotFile[] = [];
  for (const name of names) {
    const path = join(abs, name);
    const st = await stat(path);
    const entry: EtcdSnapshotFile = { path, sizeBytes: st.size, modified: st.mtime.toISOString() };
    if (runner && st.size > 0) {
      try {
        const parsed = JSON.parse(await runner(path)) as unknown;
        if (isRecord(parsed)) entry.status = parsed;
      } catch (e) {
        const stderr = ((e as { stderr?: string }).stderr ?? '').trim();
        entry.statusError = (stderr.split('\n').filter(Boolean).pop() ?? (e as Error).message).slice(0, 300);
      }
    }
    entries.push(entry);
  }
  return { status: 'ok', files: [{ path: SNAPSHOTS_FILE, content: Buffer.from(`${JSON.stringify(entries, null, 1)}\n`) }], sources: [abs] };
}

export const etcdSnapshotFilesInput: FileInputDef<EtcdSnapshotFile[]> = {
  type: 'files',
  key: 'etcd-snapshot-files',
  description: 'etcd snapshot files (backups/etcd-snapshots.json; --etcd-snapshot-dir on a control-plane node)',
  files: [SNAPSHOTS_FILE],
  async live() {
    return {
      status: 'missing',
      reason: 'etcd snapshot files live on the control-plane nodes, not in the API: run the scan there with --etcd-snapshot-dir DIR',
    };
  },
  async fromOptions(opts) {
    if (!opts.etcdSnapshotDir) return undefined;
    return readSnapshotDir(opts.etcdSnapshotDir, await findSnapshotStatusRunner());
  },
  parse(files) {
    const value = parseSnapshotsJson(files[0]!);
    return { value, count: value.length };
  },
};
