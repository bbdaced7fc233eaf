/**
 * Assembles the report from the run, the inputs and the source.
 */
import { computeVerdict, notAssessed } from '../engine/verdict.js';
import { CHECK_STATUSES, type CheckStatus, type FailOn, type Severity } from '../contract/check.js';
import type { Collected } from '../contract/inputs.js';
import type { SourceInfo } from '../sources/source.js';
import type { NamespaceInfo, ServerVersion } from '../contract/values/core.js';
import { detectDistribution } from '../k8s/distribution.js';
import type { InputKey, InputTypes } from '../contract/inputs.js';
import { parseKubeVersion } from '../k8s/versions.js';
import { TOOL_VERSION } from '../paths.js';
import type { CheckResult, Finding, InputSummary, Report } from '../contract/report.js';
import { groupProblems, problemCounts } from './problems.js';
import { buildTables } from './tables.js';

export interface BuildReportArgs {
  source: SourceInfo;
  inputs: ReadonlyMap<string, Collected<unknown>>;
  checks: CheckResult[];
  findings: Finding[];
  now: Date;
  generatedAt: Date;
  failOn: FailOn;
  targetVersion?: string;
  selection?: Report['metadata']['selection'];
  clusterName?: string;
  catalogVersion: string;
  /** Per input key, the checks that require it or use it optionally. */
  usedBy: ReadonlyMap<string, InputSummary['usedBy']>;
  permissions?: Report['permissions'];
  waivers?: Report['waivers'];
  baseline?: Report['baseline'];
}

export function buildReport(a: BuildReportArgs): Report {
  const version = a.inputs.get('version');
  const namespaces = a.inputs.get('namespaces');
  const gitVersion = version?.status === 'ok' ? (version.value as ServerVersion).gitVersion : undefined;
  const kubeSystem = namespaces?.status === 'ok' ? (namespaces.value as NamespaceInfo[]).find((n) => n.name === 'kube-system') : undefined;

  const findingCounts: Record<Severity | 'waived', number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, waived: 0 };
  for (const f of a.findings) {
    if (f.waiver) findingCounts.waived++;
    else findingCounts[f.severity]++;
  }
  const checkCounts = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
  for (const c of a.checks) checkCounts[c.status]++;
  const problems = groupProblems(a.findings, a.checks, a.failOn);
  const { verdict, reason } = computeVerdict(a.checks, a.findings, a.failOn, problems);

  const source: Report['metadata']['source'] = { type: a.source.type, location: a.source.location };
  if (a.source.format) source.format = a.source.format;
  if (a.source.context) source.context = a.source.context;
  if (a.source.server) source.server = a.source.server;
  if (a.source.collectedAt) source.collectedAt = a.source.collectedAt;
  if (a.source.collectedBy) source.collectedBy = a.source.collectedBy;
  if (a.source.sha256) source.sha256 = a.source.sha256;
  if (a.source.user) source.user = { username: a.source.user.username, groups: [...a.source.user.groups] };
  if (a.source.userError) source.userError = a.source.userError;
  const cluster: Report['metadata']['cluster'] = {};
  const name = a.clusterName ?? a.source.context;
  if (name) cluster.name = name;
  if (kubeSystem?.uid) cluster.uid = kubeSystem.uid;
  if (gitVersion) cluster.gitVersion = gitVersion;
  if (a.source.type !== 'none') {
    const value = <K extends InputKey>(key: K): InputTypes[K] | undefined => {
      const c = a.inputs.get(key);
      return c && (c.status === 'ok' || c.status === 'absent') ? (c.value as InputTypes[K]) : undefined;
    };
    const d = detectDistribution({
      version: value('version'),
      nodes: value('nodes'),
      controlPlanePods: value('control-plane-pods'),
      namespaces: value('namespaces'),
      bindings: value('clusterrolebindings'),
      groupVersions: value('api-discovery')?.groupVersions,
      pki: value('pki'),
    });
    cluster.distribution = { name: d.name, evidence: d.evidence, datastore: d.datastore, datastoreReason: d.datastoreReason };
  }

  const inputs: InputSummary[] = [...a.inputs.values()]
    .map((c) => {
      const s: InputSummary = { key: c.key, status: c.status, usedBy: a.usedBy.get(c.key) ?? { required: [], optional: [] } };
      if (c.reason) s.reason = c.reason;
      if (c.count !== undefined) s.count = c.count;
      if (c.sources && c.sources.length > 0) s.sources = c.sources;
      if (c.partial && c.partial.length > 0) s.partial = c.partial;
      return s;
    })
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));

  const metadata: Report['metadata'] = {
    generatedAt: a.generatedAt.toISOString(),
    now: a.now.toISOString(),
    tool: { name: 'kube-preflight', version: TOOL_VERSION, catalogVersion: a.catalogVersion },
    source,
    cluster,
    failOn: a.failOn,
    warnings: [...a.source.warnings],
  };
  if (a.targetVersion) metadata.targetVersion = a.targetVersion;
  else {
    const cluster = parseKubeVersion(gitVersion);
    if (cluster) metadata.assumedTargetVersion = `${cluster.major}.${cluster.minor + 1}`;
  }
  if (a.selection && Object.keys(a.selection).length > 0) metadata.selection = a.selection;
  const report: Report = {
    apiVersion: 'kube-preflight/v1',
    kind: 'Report',
    metadata,
    summary: {
      verdict,
      reason,
      findings: findingCounts,
      checks: checkCounts,
      notAssessed: notAssessed(a.checks),
      problems: problemCounts(problems),
    },
    checks: a.checks,
    inputs,
    findings: a.findings,
    problems,
    tables: buildTables(a.checks, a.findings, a.now, metadata.targetVersion ?? metadata.assumedTargetVersion),
  };
  if (a.permissions) report.permissions = a.permissions;
  if (a.waivers) report.waivers = a.waivers;
  if (a.baseline) report.baseline = a.baseline;
  return report;
}
