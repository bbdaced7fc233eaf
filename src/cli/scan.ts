/**
 * `kube-preflight scan`: the main job (README, "Usage"; docs/architecture.md).
 */
import { Command, Option } from 'commander';
import type { FailOn } from '../contract/check.js';
import { FatalError } from '../contract/errors.js';
import { terminalSafe, terminalSafeDeep, terminalSafeLines } from '../render/escape.js';
import type { Paper } from '../render/pdf.js';
import type { ScanOptions } from '../sources/scan-options.js';
import type { Progress, Source } from '../sources/source.js';
import type { Report } from '../contract/report.js';
import { addUploadFlags, uploadScanReports, type UploadFlags } from '../fleet/s3.js';
import { FORMATS } from '../render/formats.js';
import { addLimitFlags } from './limits.js';
import { addPdfFlags } from './output.js';
import { parseDurationMs, parseFailOn, parseList, parseNow, parsePositiveInt, parseTargetVersion } from './options.js';

/** The flags `addSourceFlags` adds, shared by `scan` and `collect`. */
export interface SourceFlags {
  kubeconfig?: string;
  context?: string;
  pkiDir?: string;
  etcdEndpoints?: string[];
  etcdCacert?: string;
  etcdCert?: string;
  etcdKey?: string;
  etcdSnapshotDir?: string;
  requestTimeout: number;
  quiet?: boolean;
}

/** The flags of `scan`. `--kubeconfig`, `--context` and `--dump` are repeatable: several make a fleet scan. */
export interface ScanFlags extends Omit<SourceFlags, 'kubeconfig' | 'context'>, UploadFlags {
  kubeconfig?: string[];
  context?: string[];
  dump?: string[];
  /** `--all-contexts`: every context of the kubeconfig(s), a fleet scan. */
  allContexts?: boolean;
  /** `--parallel`: clusters of a fleet scan scanned at once. */
  parallel: number;
  /** false with --no-cluster. */
  cluster: boolean;
  targetVersion?: string;
  checks?: string[];
  skip?: string[];
  failOn: FailOn;
  format?: string[];
  outputDir?: string;
  chrome?: string;
  paper: Paper;
  signKey?: string;
  config?: string;
  /** `--set <check>.<key>=<value>` settings, over the config file. */
  set?: string[];
  waivers?: string;
  baseline?: string;
  now?: Date;
  data?: string;
  plugin?: string[];
  manifests?: string[];
  color: boolean;
  /** Text output: also print the per-check table. */
  wide?: boolean;
  /** false with --no-permission-check. */
  permissionCheck: boolean;
  debug?: boolean;
}

const repeat = (v: string, prev: string[] = []): string[] => [...prev, v];

/**
 * Adds the source flags shared by `scan` and `collect`, and the limits (`--max-*`). With
 * `repeatable` (scan), `--kubeconfig` and `--context` may be given several times (string lists).
 */
export function addSourceFlags(cmd: Command, repeatable = false): Command {
  const kubeconfig = 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)';
  const context = 'kubeconfig context to use (default: its current-context)';
  const more = '; repeatable: several make a fleet scan';
  if (repeatable) cmd.option('--kubeconfig <file>', kubeconfig + more, repeat).option('--context <name>', context + more, repeat);
  else cmd.option('--kubeconfig <file>', kubeconfig).option('--context <name>', context);
  cmd
    .option('--pki-dir <dir>', 'kubeadm PKI folder to read certificates from (e.g. /etc/kubernetes/pki)')
    .option('--etcd-endpoints <urls>', 'etcd client URLs, comma-separated (https://10.0.0.1:2379,…)', parseList)
    .option('--etcd-cacert <file>', 'CA bundle that signed the etcd server certificates')
    .option('--etcd-cert <file>', 'etcd client certificate (e.g. apiserver-etcd-client.crt)')
    .option('--etcd-key <file>', 'key of the etcd client certificate')
    .option('--etcd-snapshot-dir <dir>', 'folder holding etcd snapshot files (on a control-plane node)')
    .addOption(new Option('--request-timeout <duration>', 'timeout of each API request').argParser(parseDurationMs).default(30_000, '30s'))
    .option('-q, --quiet', 'no progress on stderr');
  return addLimitFlags(cmd);
}

/**
 * `scan`. `runFleetScan`: how a fleet scan runs (`src/fleet/scan.ts`, loaded on demand by
 * `program`), passed in because the fleet scan itself builds on this module's single scan.
 */
export function scanCommand(runFleetScan: (flags: ScanFlags) => Promise<number>): Command {
  const cmd = new Command('scan')
    .description('Run the checks against a live cluster (kubeconfig) or an offline dump, and report a GO / NO-GO verdict')
    .option(
      '--dump <path>',
      'scan an offline dump (folder, .tar.gz, or a YAML/JSON file) instead of a live cluster; repeatable: several make a fleet scan',
      repeat,
    )
    .option('--all-contexts', 'fleet scan of every context of the kubeconfig(s)')
    .addOption(new Option('--parallel <n>', 'fleet scan: clusters scanned at once').argParser(parsePositiveInt).default(4))
    .option('--no-cluster', 'no cluster at all: only the files given with --manifests, --pki-dir, --etcd-snapshot-dir')
    .option('--target-version <version>', 'Kubernetes version you plan to upgrade to (e.g. 1.31)', parseTargetVersion)
    .option('--checks <ids>', 'only these checks or families, comma-separated', parseList)
    .option('--skip <ids>', 'skip these checks or families, comma-separated', parseList)
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the verdict NO-GO (exit 1), or none')
        .argParser(parseFailOn)
        .default('critical'),
    )
    .option('--format <formats>', `output formats, comma-separated: ${FORMATS.join(', ')} (default: text; text,json with -o)`, parseList)
    .option('-o, --output-dir <dir>', 'write report.<format> files into this folder')
    .option('--config <file>', 'config file: severity overrides and options per check')
    .option(
      '--set <check.key=value>',
      'one config value, over --config (repeatable): certs-expiry.options.warnDays=45, rbac-cluster-admins.enabled=false',
      repeat,
    )
    .option('--waivers <file>', 'waivers file: accepted findings (by fingerprint, or check + resource pattern) with owner and expiry')
    .option('--baseline <report.json>', 'an earlier report: only findings new since it count toward the verdict')
    .option(
      '--now <iso8601>',
      'the clock for time-based rules (certificate and backup age), for reproducible scans: 2026-11-23T07:00:00Z, or a date',
      parseNow,
    )
    .option(
      '--data <dir>',
      'newer release / deprecated-API tables: a folder with releases.json and/or deprecated-apis.json (format of the built-in ones)',
    )
    .option('--plugin <path|package>', 'load third-party checks (repeatable)', (v: string, prev: string[] | undefined) => [
      ...(prev ?? []),
      v,
    ])
    .option('--manifests <paths>', 'manifest files or folders to check for deprecated APIs, comma-separated', parseList)
    .option(
      '--no-permission-check',
      'live: do not ask the API server (SelfSubjectAccessReview) what may be read before reading; sends GET requests only',
    )
    .option('--no-color', 'no colours in the text output')
    .option('--wide', 'text output: also print the table of every check (status, findings, subjects evaluated)')
    .option('--debug', 'print stack traces of internal errors');
  addPdfFlags(cmd);
  addSourceFlags(cmd, true);
  addUploadFlags(cmd);
  cmd.action(async (flags: ScanFlags) => {
    if (isFleetScan(flags)) {
      if (flags.upload)
        throw new FatalError('--upload sends the reports of one cluster: give one source (the in-cluster CronJob scans its own cluster)');
      process.exitCode = await runFleetScan(flags);
      return;
    }
    process.exitCode = await runScan({ ...flags, kubeconfig: flags.kubeconfig?.[0], context: flags.context?.[0], dump: flags.dump?.[0] });
  });
  return cmd;
}

export function scanOptionsFrom(flags: SourceFlags & { manifests?: string[] }): ScanOptions {
  const o: ScanOptions = { requestTimeoutMs: flags.requestTimeout };
  if (flags.kubeconfig) o.kubeconfig = flags.kubeconfig;
  if (flags.context) o.context = flags.context;
  if (flags.pkiDir) o.pkiDir = flags.pkiDir;
  if (flags.etcdEndpoints?.length) {
    o.etcd = { endpoints: flags.etcdEndpoints, cacert: flags.etcdCacert, cert: flags.etcdCert, key: flags.etcdKey };
  } else if (flags.etcdCacert || flags.etcdCert || flags.etcdKey) {
    throw new FatalError('--etcd-cacert/--etcd-cert/--etcd-key need --etcd-endpoints');
  }
  if (flags.etcdSnapshotDir) o.etcdSnapshotDir = flags.etcdSnapshotDir;
  if (flags.manifests?.length) o.manifests = flags.manifests;
  return o;
}

/** `scan`'s flags other than the sources. */
export type ScanFlagsWithoutSources = Omit<ScanFlags, 'kubeconfig' | 'context' | 'dump'>;

/** The flags of a single-cluster scan: at most one kubeconfig, context and dump. */
export type SingleScanFlags = ScanFlagsWithoutSources & Pick<SourceFlags, 'kubeconfig' | 'context'> & { dump?: string };

export type PreparedScan = Awaited<ReturnType<typeof prepareScan>>;

/**
 * A fleet scan (`src/fleet/scan.ts`): `--all-contexts`, or more than one `--dump`, `--context`
 * or `--kubeconfig`. Anything else is a single-cluster scan.
 */
export function isFleetScan(flags: Pick<ScanFlags, 'allContexts' | 'dump' | 'context' | 'kubeconfig'>): boolean {
  return (
    flags.allContexts === true || (flags.dump?.length ?? 0) > 1 || (flags.context?.length ?? 0) > 1 || (flags.kubeconfig?.length ?? 0) > 1
  );
}

/**
 * What the scan needs besides its source, from the flags: the `--data` tables, the formats
 * (a PDF's browser found, `-o` created), the checks, the config, waivers and baseline.
 */
export async function prepareScan(flags: ScanFlagsWithoutSources) {
  if (flags.data) (await import('./data.js')).applyDataDir(flags.data);
  const { resolveFormats, resolveSigningKey } = await import('./output.js');
  const formats = await resolveFormats(flags.format, flags, { alone: ['text'], withDir: ['text', 'json'] });
  const signer = await resolveSigningKey(flags, formats);
  const { loadRegistry } = await import('./common.js');
  const { EMPTY_CONFIG, configuredCheckIds, parseConfig } = await import('../engine/config.js');
  const configured = flags.config !== undefined || (flags.set?.length ?? 0) > 0;
  const configText = flags.config === undefined ? '' : await (await import('../engine/yaml-file.js')).readYamlText(flags.config, 'config');
  // `--checks` narrows the built-in checks imported; a config or --set may also name checks it
  // leaves out, whose definitions validate their settings.
  const only = flags.checks?.length ? [...flags.checks, ...configuredCheckIds(configText, flags.set)] : undefined;
  const registry = await loadRegistry(flags.plugin, only);
  const config = configured ? parseConfig(configText, flags.config, registry, flags.set) : EMPTY_CONFIG;
  const waivers = flags.waivers
    ? { file: flags.waivers, list: await (await import('../engine/waivers.js')).loadWaivers(flags.waivers) }
    : undefined;
  const baseline = flags.baseline
    ? { file: flags.baseline, report: await (await import('../report/baseline.js')).loadReport(flags.baseline, '--baseline') }
    : undefined;
  return { registry, config, waivers, baseline, formats, signer };
}

/**
 * Opens the live source (loaded on demand: dump scans never load the Kubernetes client), and
 * starts its discovery, which then runs while the checks load. The first request (`GET
 * /version`, `live/connect.ts`) leaves before the reading code loads. Resolves once the first
 * request is on its way, with the opening.
 */
export async function openLive(options: ScanOptions): Promise<{ opening: Promise<Source> }> {
  const { connect } = await import('../sources/live/connect.js');
  const connecting = connect(options);
  const opening = Promise.all([connecting, import('../sources/live.js')]).then(([connection, { LiveSource }]) => {
    const source = LiveSource.connected(connection, options);
    source.prefetchDiscovery();
    return source;
  });
  opening.catch(() => undefined);
  return { opening };
}

/**
 * Runs the checks on an open source (src/engine/scan.ts) with the prepared checks, config,
 * waivers and baseline, and returns the report. A dump collected more than a day before `now`
 * (without `--now`) gets a warning in the report. Throws `FatalError` as `scan` does.
 */
export async function scanSource(
  source: Source,
  flags: ScanFlagsWithoutSources,
  prepared: PreparedScan,
  options: ScanOptions,
  now: Date,
  progress?: Progress,
): Promise<Report> {
  const { registry, config, waivers, baseline } = prepared;
  const { scan } = await import('../report/scan.js');
  const { parseDateTime } = await import('../dates.js');
  const collected =
    source.info.type === 'dump' && source.info.collectedAt && !flags.now ? parseDateTime(source.info.collectedAt) : undefined;
  if (collected?.ok) {
    // Only for a real RFC 3339 time: the warning suggests it as --now.
    const ageDays = (now.getTime() - collected.date.getTime()) / 86_400_000;
    if (ageDays > 1) {
      source.info.warnings.push(
        `the dump was collected ${Math.floor(ageDays)} days before now; time-based rules judge it as of now ` +
          `(use --now ${source.info.collectedAt} to judge it as of collection)`,
      );
    }
  }
  const { report } = await scan({
    source,
    registry,
    config,
    only: flags.checks,
    skip: flags.skip,
    now,
    targetVersion: flags.targetVersion,
    failOn: flags.failOn,
    options,
    progress,
    plugins: flags.plugin,
    waivers,
    baseline,
    permissionCheck: flags.permissionCheck,
    onCrash: flags.debug
      ? (id, e) => {
          const stack = (e as Partial<Error> | null | undefined)?.stack ?? String(e);
          process.stderr.write(`[debug] check ${terminalSafe(id)} crashed:\n${terminalSafeLines(stack)}\n`);
        }
      : undefined,
  });
  return report;
}

async function runScan(flags: SingleScanFlags): Promise<number> {
  const started = performance.now();
  if (flags.dump && (flags.kubeconfig || flags.context)) {
    throw new FatalError('--dump cannot be combined with --kubeconfig or --context');
  }
  if (!flags.cluster && (flags.dump || flags.kubeconfig || flags.context)) {
    throw new FatalError('--no-cluster cannot be combined with --dump, --kubeconfig or --context');
  }
  const options = scanOptionsFrom(flags);
  // A live scan connects first: the API server answers while the checks and renderers load.
  // Its errors are reported after those of the other flags, as they were checked first.
  const live = flags.cluster && !flags.dump ? (await openLive(options)).opening : undefined;
  let source: Source;
  let prepared: PreparedScan;
  try {
    prepared = await prepareScan(flags);
    if (!flags.cluster) source = new (await import('../sources/no-cluster.js')).NoClusterSource();
    else if (flags.dump) source = await (await import('../sources/dump.js')).DumpSource.open(flags.dump);
    else source = await live!;
  } catch (e) {
    await live?.then(
      (s) => s.close(),
      () => undefined,
    );
    throw e;
  }
  const { formats, signer } = prepared;
  const now = flags.now ?? new Date();
  let progress: Awaited<ReturnType<typeof import('./progress.js').spinnerProgress>> | undefined;
  try {
    const { EXIT_CODES } = await import('../engine/verdict.js');
    const { reportSchemaErrors } = await import('../report/schema.js');
    const { emit } = await import('./output.js');
    const { spinnerProgress } = await import('./progress.js');
    progress = await spinnerProgress(
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare -- isTTY is undefined when not a TTY
      !flags.quiet && process.stderr.isTTY === true,
      source.info.type === 'dump' ? 'Reading the dump' : source.info.type === 'live' ? 'Reading the cluster' : 'Reading files',
    );
    const report = await scanSource(source, flags, prepared, options, now, progress);
    progress.stop();
    if (report.permissions && !flags.quiet) process.stderr.write(permissionSummary(report.permissions));
    const problems = reportSchemaErrors(report);
    if (problems.length > 0) throw new Error(`the report does not match its schema: ${problems.slice(0, 10).join('; ')}`);
    await emit(report, formats, flags, signer, { scanDurationSeconds: (performance.now() - started) / 1000 });
    // --upload: the files just written to -o DIR, to an S3-compatible bucket (src/fleet/s3.ts).
    if (flags.upload) await uploadScanReports(flags);
    return EXIT_CODES[report.summary.verdict];
  } finally {
    progress?.stop();
    await source.close();
  }
}
/** The permission plan for stderr (values `terminalSafe`): nothing when everything may be read. */
export function permissionSummary(plan: NonNullable<Report['permissions']>): string {
  const p = terminalSafeDeep(plan);
  if (p.error) return `permission plan unavailable (${p.error}); checks may end in error where reads are forbidden\n`;
  if (p.denied.length === 0) return '';
  const lines = [`permission plan: ${p.denied.length} of ${p.reviewed} reads are forbidden for this identity:`];
  for (const d of p.denied) {
    const who = [
      d.requiredBy.length ? `error: ${d.requiredBy.join(', ')}` : '',
      d.optionalFor.length ? `less evidence: ${d.optionalFor.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${d.request}${who ? ` (${who})` : ''}`);
  }
  lines.push('  grant them with the ClusterRole from `kube-preflight rbac`');
  return `${lines.join('\n')}\n`;
}
