/**
 * Reading the series of reports a trend is drawn from: report files given by name, and every
 * `report.json` below a folder given (the layout the CronJob of `deploy/` writes:
 * `/reports/<pod>/report.json`). Each report is read and checked against the report schema
 * (`loadReport`, at most `REPORT_MAX_BYTES` each), reduced to a digest, and let go, so a long
 * series does not hold every report in memory.
 */
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { filesNamed, REPORT_FILE } from '../fleet/store.js';
import { loadReport } from '../report/baseline.js';
import { FatalError } from '../contract/errors.js';
import { NotRegularFileError } from '../files.js';
import { digestReport, orderRuns, type RunDigest } from './build.js';

/** Most reports one trend reads. */
export const MAX_REPORTS = 5000;

/**
 * The report files of `targets`: a file as given; a folder, every `report.json` below it that
 * is a regular file (sorted; symbolic links not followed, `filesNamed`). The same file reached
 * twice counts once. The fleet's folder reader (`readStoredReports`) differs: it reads one
 * folder, takes every entry named report.json (one it cannot read is a cluster not readable)
 * and the `not-scanned.json` records, with no real-path dedup or limit.
 * Throws `FatalError` naming the target when it cannot be read or is neither a regular file nor
 * a folder (a FIFO, a device), when a folder holds no report, or past `MAX_REPORTS`.
 */
export async function reportFiles(targets: string[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = async (file: string): Promise<void> => {
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) return;
    seen.add(real);
    out.push(file);
    if (out.length > MAX_REPORTS) throw new FatalError(`trend: more than ${MAX_REPORTS} reports; give fewer files or a narrower folder`);
  };
  for (const target of targets) {
    const st = await stat(target).catch((e: unknown) => {
      const { code, message } = e as NodeJS.ErrnoException;
      throw new FatalError(`trend ${target}: cannot read it: ${code ?? message}`);
    });
    if (!st.isDirectory()) {
      // A FIFO would block the read, a device never end it.
      if (!st.isFile()) throw new FatalError(`trend ${target}: ${new NotRegularFileError().message}`);
      await add(target);
      continue;
    }
    const entries = await filesNamed(target, [REPORT_FILE]).catch((e: unknown) => {
      const { code, message } = e as NodeJS.ErrnoException;
      throw new FatalError(`trend ${target}: cannot read the folder: ${code ?? message}`);
    });
    const found = entries.filter((e) => e.isFile).map((e) => join(target, e.path));
    if (found.length === 0) throw new FatalError(`trend ${target}: no ${REPORT_FILE} below this folder`);
    for (const f of found) await add(f);
  }
  return out;
}

const identity = (d: RunDigest): string =>
  d.cluster.uid ? `uid ${d.cluster.uid}` : d.cluster.server ? `server ${d.cluster.server}` : 'no uid or server';

/**
 * Whether two runs are of one cluster: by cluster uid when both have one, else by API server
 * URL when both have one; undefined when neither can be compared.
 */
export function sameCluster(a: RunDigest, b: RunDigest): boolean | undefined {
  if (a.cluster.uid && b.cluster.uid) return a.cluster.uid === b.cluster.uid;
  if (a.cluster.server && b.cluster.server) return a.cluster.server === b.cluster.server;
  return undefined;
}

/**
 * Reads and orders the runs (`orderRuns`). Throws `FatalError` (one line, naming the file)
 * for a report that cannot be read or is not a report, and for a report of another cluster
 * than the first run's; a run that cannot be compared with it adds a warning.
 */
export async function loadRuns(targets: string[]): Promise<{ runs: RunDigest[]; warnings: string[] }> {
  const runs: RunDigest[] = [];
  for (const file of await reportFiles(targets)) runs.push(digestReport(await loadReport(file, 'trend'), file));
  const ordered = orderRuns(runs);
  const warnings: string[] = [];
  const first = ordered[0]!;
  for (const r of ordered.slice(1)) {
    const same = sameCluster(first, r);
    if (same === false)
      throw new FatalError(
        `trend: ${r.file} (${identity(r)}) is not of the cluster of ${first.file} (${identity(first)}); a trend follows one cluster`,
      );
    if (same === undefined)
      warnings.push(
        `${r.file} (${identity(r)}) cannot be compared with ${first.file} (${identity(first)}): assumed to be the same cluster`,
      );
  }
  return { runs: ordered, warnings };
}
