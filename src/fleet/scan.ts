/**
 * `kube-preflight scan` over many clusters (README, "Fleets"; docs/fleet.md): several `--dump`,
 * several `--context` or `--kubeconfig`, or `--all-contexts`. The clusters are scanned at most
 * `--parallel` at a time (p-limit), each exactly as a single-cluster scan with the same checks,
 * config, waivers and clock; each report is written to `-o DIR/<cluster>/`, then the fleet
 * summary to `DIR/fleet.*`. A cluster that cannot be scanned (unreachable, bad kubeconfig,
 * unreadable dump) stops nothing: it gets `DIR/<cluster>/not-scanned.json` with the one-line
 * reason, and its entry in the summary. The exit code is the fleet verdict's.
 */
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import pLimit from 'p-limit';
import {
  openLive,
  permissionSummary,
  prepareScan,
  scanOptionsFrom,
  scanSource,
  type PreparedScan,
  type ScanFlags,
  type ScanFlagsWithoutSources,
} from '../cli/scan.js';
import { emit, removeStaleReports, writeReportFile } from '../cli/output.js';
import { EXIT_CODES } from '../engine/verdict.js';
import { FatalError } from '../contract/errors.js';
import { terminalSafe, terminalSafeLines } from '../render/escape.js';
import { sourceLabel } from '../render/common.js';
import { reportSchemaErrors } from '../report/schema.js';
import type { Source } from '../sources/source.js';
import type { FleetEntry } from './model.js';
import { uniqueClusterNames } from './names.js';
import { writeFleet } from './output.js';
import { FLEET_FILE_NAMES, FLEET_FORMATS, type FleetFormat } from './render.js';
import type { NotScannedRecord } from './schema.js';
import { NOT_SCANNED_FILE } from './store.js';
import { buildFleetSummary } from './summary.js';

/** One cluster to scan: a dump, a kubeconfig context, or what made it unusable before any scan. */
export interface ClusterSource {
  /** The cluster's name before sanitizing: the context name or the dump's folder name. */
  name: string;
  /** `dump <path>` or `live, context <name> (<kubeconfig>)`, for the summary of a cluster not scanned. */
  label: string;
  dump?: string;
  kubeconfig?: string;
  context?: string;
  /** Set when the kubeconfig could not even name its contexts. */
  error?: string;
}

const DEFAULT_KUBECONFIG = '$KUBECONFIG or ~/.kube/config';

/** A dump's cluster name: its file or folder name without `.tar.gz`, `.tgz`, `.tar`, `.yaml`, `.yml`, `.json`. */
export function dumpClusterName(path: string): string {
  return basename(path).replace(/\.(tar\.gz|tgz|tar|ya?ml|json)$/i, '') || path;
}

/** One line for an error: a `FatalError`'s message, else `internal error: <first line>`. */
function reasonOf(e: unknown): string {
  if (e instanceof FatalError) return e.message.split('\n')[0]!;
  return `internal error: ${((e as Partial<Error> | null | undefined)?.message ?? String(e)).split('\n')[0]}`;
}

/** Refuses flags that make no sense over several clusters. Throws `FatalError`. */
function checkFleetFlags(flags: ScanFlags): void {
  const what = 'a fleet scan (several --dump, --context or --kubeconfig, or --all-contexts)';
  if (!flags.cluster) throw new FatalError(`--no-cluster cannot be combined with ${what}`);
  if (!flags.outputDir) throw new FatalError(`${what} writes one report per cluster: give -o DIR`);
  if (flags.baseline) throw new FatalError(`--baseline is the earlier report of one cluster: it cannot be used in ${what}`);
  const nodeFiles = [
    flags.pkiDir && '--pki-dir',
    flags.etcdEndpoints?.length && '--etcd-endpoints',
    flags.etcdSnapshotDir && '--etcd-snapshot-dir',
  ].filter(Boolean);
  if (nodeFiles.length) throw new FatalError(`${nodeFiles.join(', ')} read(s) the files or endpoints of one cluster: not in ${what}`);
  if (flags.allContexts && flags.context?.length) throw new FatalError('--all-contexts and --context: give one or the other');
  if (flags.context?.length && (flags.kubeconfig?.length ?? 0) > 1)
    throw new FatalError('--context with several --kubeconfig: give the contexts of one kubeconfig, or --all-contexts');
}

/**
 * The clusters of a fleet scan, in the order given: each `--dump`; then, when `--context`,
 * `--kubeconfig` or `--all-contexts` is given, for each kubeconfig (default: `$KUBECONFIG`,
 * else ~/.kube/config) every context (`--all-contexts`), the `--context`s, or its
 * current-context. A kubeconfig that cannot be read is one cluster that is not scanned.
 */
export async function fleetSources(flags: Pick<ScanFlags, 'dump' | 'kubeconfig' | 'context' | 'allContexts'>): Promise<ClusterSource[]> {
  const out: ClusterSource[] = (flags.dump ?? []).map((d) => ({ name: dumpClusterName(d), label: `dump ${d}`, dump: d }));
  if (!flags.allContexts && !flags.context?.length && !flags.kubeconfig?.length) return out;
  const { kubeconfigContexts, loadKubeconfig } = await import('../sources/live/kubeconfig.js');
  const live = (kubeconfig: string | undefined, context: string): ClusterSource => ({
    name: context,
    label: `live, context ${context} (${kubeconfig ?? DEFAULT_KUBECONFIG})`,
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    context,
  });
  for (const kubeconfig of flags.kubeconfig ?? [undefined]) {
    const unusable = (e: unknown): ClusterSource => ({
      name: kubeconfig ? basename(kubeconfig) : 'kubeconfig',
      label: `kubeconfig ${kubeconfig ?? DEFAULT_KUBECONFIG}`,
      error: reasonOf(e),
    });
    if (flags.context?.length) {
      out.push(...flags.context.map((c) => live(kubeconfig, c)));
    } else if (flags.allContexts) {
      try {
        const contexts = kubeconfigContexts(kubeconfig);
        if (contexts.length === 0) throw new FatalError(`kubeconfig ${kubeconfig ?? DEFAULT_KUBECONFIG} defines no context`);
        out.push(...contexts.map((c) => live(kubeconfig, c)));
      } catch (e) {
        out.push(unusable(e));
      }
    } else {
      try {
        out.push(live(kubeconfig, loadKubeconfig({ kubeconfig }).context));
      } catch (e) {
        out.push(unusable(e));
      }
    }
  }
  return out;
}

interface Run {
  flags: ScanFlagsWithoutSources;
  prepared: PreparedScan;
  now: Date;
}

/** Writes `DIR/<cluster>/not-scanned.json` (removing report files of an earlier run there) and returns the entry. */
async function notScanned(dir: string, cluster: string, source: string, reason: string, quiet?: boolean): Promise<FleetEntry> {
  await mkdir(dir, { recursive: true });
  await removeStaleReports(dir, []);
  const record: NotScannedRecord = { apiVersion: 'kube-preflight/v1', kind: 'NotScanned', source, reason };
  await writeReportFile(dir, NOT_SCANNED_FILE, `${JSON.stringify(record, null, 2)}\n`);
  if (!quiet) process.stderr.write(`${terminalSafe(cluster)}: not scanned: ${terminalSafe(reason)}\n`);
  return { cluster, source, error: reason };
}

/** Scans one cluster into `DIR/<cluster>/`; never rejects for the cluster's own problem. */
async function scanCluster(src: ClusterSource, cluster: string, run: Run): Promise<FleetEntry> {
  const { flags, prepared } = run;
  const dir = join(flags.outputDir!, cluster);
  if (src.error) return notScanned(dir, cluster, src.label, src.error, flags.quiet);
  const started = performance.now();
  let source: Source | undefined;
  try {
    const options = scanOptionsFrom({ ...flags, kubeconfig: src.kubeconfig, context: src.context });
    source = src.dump ? await (await import('../sources/dump.js')).DumpSource.open(src.dump) : await (await openLive(options)).opening;
    const report = await scanSource(source, flags, prepared, options, run.now);
    if (report.permissions && !flags.quiet)
      process.stderr.write(terminalSafeLines(permissionSummary(report.permissions).replace(/^(?=.)/gm, `${cluster}: `)));
    const problems = reportSchemaErrors(report);
    if (problems.length > 0) throw new Error(`the report does not match its schema: ${problems.slice(0, 10).join('; ')}`);
    await mkdir(dir, { recursive: true });
    await emit(report, prepared.formats, { ...flags, outputDir: dir, quiet: true, printText: false }, prepared.signer, {
      scanDurationSeconds: (performance.now() - started) / 1000,
    });
    await rm(join(dir, NOT_SCANNED_FILE), { force: true });
    if (!flags.quiet) process.stderr.write(`${terminalSafe(cluster)}: ${report.summary.verdict}, wrote ${terminalSafe(dir)}\n`);
    return { cluster, source: sourceLabel(report), report };
  } catch (e) {
    if (flags.debug && !(e instanceof FatalError))
      process.stderr.write(
        `[debug] ${terminalSafe(cluster)}:\n${terminalSafeLines((e as Partial<Error> | null | undefined)?.stack ?? String(e))}\n`,
      );
    return await notScanned(dir, cluster, src.label, reasonOf(e), flags.quiet);
  } finally {
    await source?.close().catch(() => undefined);
  }
}

/**
 * Runs a fleet scan; resolves to the exit code of the fleet verdict (`EXIT_CODES`: NO-GO 1,
 * INCOMPLETE 3 — also when a cluster could not be scanned —, GO and REPORT-ONLY 0). Throws
 * `FatalError` (exit 2, nothing scanned) for flags that make no sense over several clusters
 * (`--no-cluster`, `--baseline`, `--pki-dir`, `--etcd-*`, no `-o DIR`), and as a single scan
 * does for the shared flags (formats, config, waivers, plugins).
 */
export async function runFleetScan(flags: ScanFlags): Promise<number> {
  checkFleetFlags(flags);
  const sources = await fleetSources(flags);
  const prepared = await prepareScan(flags);
  const names = uniqueClusterNames(
    sources.map((s) => s.name),
    Object.values(FLEET_FILE_NAMES),
  );
  const run: Run = { flags, prepared, now: flags.now ?? new Date() };
  const limit = pLimit(flags.parallel);
  const entries = await Promise.all(sources.map((s, i) => limit(() => scanCluster(s, names[i]!, run))));
  const summary = buildFleetSummary(entries, new Date());
  const formats: FleetFormat[] = [
    'json',
    ...FLEET_FORMATS.filter((f): f is FleetFormat => f !== 'json' && (prepared.formats as string[]).includes(f)),
  ];
  await writeFleet(summary, formats, flags.outputDir, flags);
  return EXIT_CODES[summary.summary.verdict];
}
