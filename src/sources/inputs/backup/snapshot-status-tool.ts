/**
 * The read-only `snapshot status` of the etcd tools on PATH (`etcdutl`, or `etcdctl` up to 3.5),
 * run as a child process on the snapshot files of a control-plane node.
 */
import { execFile } from 'node:child_process';

/** Runs `<tool> snapshot status -w json <file>`; resolves stdout or rejects with stderr. */
export type SnapshotStatusRunner = (file: string) => Promise<string>;

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: timeoutMs, env: { ...process.env, ETCDCTL_API: '3' } }, (err, stdout, stderr) => {
      if (err) {
        const failure: Error = Object.assign(err, { stderr });
        rej(failure);
      } else res({ stdout, stderr });
    });
  });
}

/**
 * The read-only `snapshot status` of the etcd tools on PATH: `etcdutl` (3.5+), else `etcdctl`
 * up to 3.5 (3.6 removed the command from etcdctl). Both open the file read-only (bbolt
 * `ReadOnly`) and print `{hash, revision, totalKey, totalSize}`. Resolves `undefined` when
 * neither tool is usable, so files are then only stat'ed.
 */
export async function findSnapshotStatusRunner(timeoutMs = 60_000): Promise<SnapshotStatusRunner | undefined> {
  const make =
    (tool: string): SnapshotStatusRunner =>
    async (file) =>
      (await run(tool, ['snapshot', 'status', '-w', 'json', file], timeoutMs)).stdout;
  try {
    await run('etcdutl', ['version'], 10_000);
    return make('etcdutl');
  } catch {
    /* etcdutl not on PATH: try etcdctl */
  }
  try {
    const out = (await run('etcdctl', ['version'], 10_000)).stdout;
    const m = /etcdctl version:\s*3\.(\d+)\./.exec(out);
    if (m && Number(m[1]) <= 5) return make('etcdctl');
  } catch {
    /* no usable etcdctl either */
  }
  return undefined;
}
