/**
 * One scan, as a library call: select checks, collect exactly the inputs they declare, run
 * them, and assemble the report. The CLI, the fixture tester and the tests all go through it.
 */
import { buildReport } from './build.js';
import type { Report, Waiver } from '../contract/report.js';
import { inputDef, METADATA_INPUTS } from '../sources/inputs.js';
import type { InputDef } from '../sources/input-def.js';
import type { ServerVersion } from '../contract/values/core.js';
import { FatalError } from '../contract/errors.js';
import { parseKubeVersion, RELEASES, RELEASES_AS_OF } from '../k8s/versions.js';
import type { ScanOptions } from '../sources/scan-options.js';
import type { Progress, Source } from '../sources/source.js';
import type { Config } from '../engine/config.js';
import type { Registry } from '../engine/registry.js';
import { applyBaseline } from './baseline.js';
import { runChecks } from '../engine/run.js';
import { applyWaivers } from '../engine/waivers.js';
import type { Collected } from '../contract/inputs.js';
import type { FailOn, RegisteredCheck } from '../contract/check.js';

export interface ScanRequest {
  source: Source;
  registry: Registry;
  config: Config;
  /** `--checks` and `--skip` (ids or family names). */
  only?: string[];
  skip?: string[];
  now: Date;
  targetVersion?: string;
  failOn: FailOn;
  options: ScanOptions;
  progress?: Progress;
  plugins?: string[];
  /** `--waivers`: the file and its entries. */
  waivers?: { file: string; list: Waiver[] };
  /** Ask a live cluster what the identity may not read before reading (default true). */
  permissionCheck?: boolean;
  /** `--baseline`: the file and the report it holds. */
  baseline?: { file: string; report: Report };
  onCrash?: (checkId: string, error: unknown) => void;
}

export interface ScanResult {
  report: Report;
  inputs: ReadonlyMap<string, Collected<unknown>>;
}

/** The input definitions the given checks declare, plus the report's metadata inputs. */
export function inputsFor(checks: RegisteredCheck[]): InputDef[] {
  const keys = new Set<string>(METADATA_INPUTS);
  for (const c of checks) for (const k of [...c.def.requires, ...(c.def.optional ?? [])]) keys.add(k);
  return [...keys].sort().map((k) => {
    const d = inputDef(k);
    if (!d) throw new Error(`input "${k}" is not in the catalog`);
    return d;
  });
}

/** Per input key, the ids of the checks that require it and that use it optionally. */
export function inputUsers(checks: RegisteredCheck[]): Map<string, { required: string[]; optional: string[] }> {
  const out = new Map<string, { required: string[]; optional: string[] }>();
  const entry = (k: string) => out.get(k) ?? (out.set(k, { required: [], optional: [] }), out.get(k)!);
  for (const c of checks) {
    for (const k of c.def.requires) entry(k).required.push(c.def.id);
    for (const k of c.def.optional ?? []) entry(k).optional.push(c.def.id);
  }
  return out;
}

/**
 * Why `--target-version` cannot be planned for, or undefined when it can: a major other than 1,
 * a minor newer than the release table (`RELEASES` in src/k8s/versions.ts: removals and skew
 * rules past it are not known), or — once the cluster's version is known — a version older
 * than the cluster's (a downgrade, which Kubernetes does not support).
 */
export function targetVersionProblem(target: string, clusterGitVersion?: string): string | undefined {
  const t = parseKubeVersion(target);
  if (t?.major !== 1) return `--target-version ${target}: not a Kubernetes 1.x version such as 1.31 or 1.31.2`;
  const newest = RELEASES[RELEASES.length - 1]!;
  if (t.minor > Number(newest.minor.split('.')[1])) {
    return (
      `--target-version ${target} is newer than the newest Kubernetes release this kube-preflight ` +
      `knows (${newest.minor}, table as of ${RELEASES_AS_OF}): its API removals and skew rules are ` +
      `unknown; give newer tables with --data DIR or update kube-preflight`
    );
  }
  const cluster = parseKubeVersion(clusterGitVersion);
  if (cluster && (t.minor < cluster.minor || (t.minor === cluster.minor && /^v?\d+\.\d+\.\d+/.test(target) && t.patch < cluster.patch))) {
    return (
      `--target-version ${target} is older than the cluster (${cluster.raw}): downgrades are not ` +
      `supported; give the version you upgrade to`
    );
  }
  return undefined;
}

/**
 * Runs a scan. Throws `FatalError` (exit 2, no report) for a `--checks`/`--skip`/config
 * selection that leaves no check to run, and for a `--target-version` that
 * `targetVersionProblem` rejects.
 */
export async function scan(req: ScanRequest): Promise<ScanResult> {
  const { selected, skipped } = req.registry.select(req.only, req.skip);
  const active = selected.filter((c) => req.config.checks[c.def.id]?.enabled !== false);
  if (active.length === 0) {
    const how = [
      req.only?.length ? `--checks ${req.only.join(',')}` : '',
      req.skip?.length ? `--skip ${req.skip.join(',')}` : '',
      req.config.file ? `the checks enabled in ${req.config.file}` : '',
    ]
      .filter(Boolean)
      .join(' with ');
    throw new FatalError(`no check selected${how ? `: ${how} leaves nothing to run` : ''} (see \`kube-preflight checks\`)`);
  }
  if (req.targetVersion !== undefined) {
    const p = targetVersionProblem(req.targetVersion);
    if (p) throw new FatalError(p);
  }
  const defs = inputsFor(active);
  const users = inputUsers(active);
  let permissions: Report['permissions'];
  if (req.permissionCheck !== false && req.source.permissionPlan) {
    const plan = await req.source.permissionPlan(defs);
    permissions = {
      reviewed: plan.reviewed,
      denied: plan.denied.map((d) => ({
        ...d,
        requiredBy: [...new Set(d.inputs.flatMap((k) => users.get(k)?.required ?? []))].sort(),
        optionalFor: [...new Set(d.inputs.flatMap((k) => users.get(k)?.optional ?? []))].sort(),
      })),
      ...(plan.error ? { error: plan.error } : {}),
    };
  }
  const inputs = await req.source.load(defs, req.options, req.progress);
  const version = inputs.get('version');
  if (req.targetVersion !== undefined && version?.status === 'ok') {
    const p = targetVersionProblem(req.targetVersion, (version.value as ServerVersion).gitVersion);
    if (p) throw new FatalError(p);
  }
  await req.source.digest?.();
  const generatedAt = new Date();
  const run = runChecks(
    selected,
    skipped.map((check) => ({ check, reason: 'skipped with --skip' })),
    inputs,
    { now: req.now, targetVersion: req.targetVersion, source: { type: req.source.info.type }, config: req.config, onCrash: req.onCrash },
  );
  let findings = run.findings;
  let waivers: Report['waivers'];
  let baseline: Report['baseline'];
  if (req.waivers) {
    const w = applyWaivers(findings, req.waivers.list, req.now);
    findings = w.findings;
    waivers = { file: req.waivers.file, entries: w.uses };
  }
  if (req.baseline) {
    const b = applyBaseline(findings, req.baseline.report, req.baseline.file);
    findings = b.findings;
    baseline = b.summary;
  }
  const selection: Report['metadata']['selection'] = {};
  if (req.only?.length) selection.checks = req.only;
  if (req.skip?.length) selection.skip = req.skip;
  if (req.config.file) selection.config = req.config.file;
  if (req.config.set) selection.set = req.config.set;
  if (req.plugins?.length) selection.plugins = req.plugins;
  const report = buildReport({
    source: req.source.info,
    inputs,
    checks: run.checks,
    findings,
    now: req.now,
    generatedAt,
    failOn: req.failOn,
    targetVersion: req.targetVersion,
    selection,
    catalogVersion: req.registry.catalogVersion(),
    usedBy: users,
    permissions,
    waivers,
    baseline,
  });
  return { report, inputs };
}
