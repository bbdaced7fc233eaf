/**
 * The fleet summary from the clusters' entries: a pure function (no clock, no IO), so a scan of
 * many clusters and `kube-preflight fleet` over the reports it wrote give the same summary.
 *
 * - fleet verdict: the worst cluster verdict, NO-GO > INCOMPLETE > REPORT-ONLY > GO, where a
 *   cluster without a report counts as INCOMPLETE (what was not assessed is never a pass);
 * - problems: each report's unwaived `problems`, grouped over the clusters by the check of
 *   their root finding and their title;
 * - certificates: the `details.certificates` timelines of the certs checks (`certs-pki-expiry`,
 *   `certs-cluster-expiry`), soonest `notAfter` first, `daysLeft` as each report counted it.
 */
import semver from 'semver';
import { SEVERITIES, type Severity, type Verdict } from '../contract/check.js';
import { TOOL_VERSION } from '../paths.js';
import { isRecord } from '../k8s/objects.js';
import { plural } from '../render/common.js';
import type { Report } from '../contract/report.js';
import { firstOf } from '../lists.js';
import type { FleetCertificate, FleetCluster, FleetEntry, FleetProblem, FleetSummary, FleetVersions } from './model.js';

/** Certificates the summary lists, soonest first. */
export const FLEET_CERTIFICATES = 20;

/** Verdicts from best to worst. */
const VERDICT_ORDER: Verdict[] = ['GO', 'REPORT-ONLY', 'INCOMPLETE', 'NO-GO'];

/** The checks whose status and findings are a cluster's version skew. */
export const SKEW_CHECKS = ['versions-control-plane-skew', 'versions-kubelet-skew', 'versions-kube-proxy-skew'];

/** Clusters a reason names at most per verdict. */
const NAMED = 5;

const byName = (a: { cluster: string }, b: { cluster: string }): number => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0);

function names(list: string[]): string {
  return firstOf(list, NAMED);
}

function clusterOf(e: FleetEntry): FleetCluster {
  const r = e.report;
  if (!r) return { cluster: e.cluster, source: e.source, status: 'not scanned', reason: e.error ?? 'no report' };
  return {
    cluster: e.cluster,
    source: e.source,
    status: 'scanned',
    verdict: r.summary.verdict,
    reason: r.summary.reason,
    now: r.metadata.now,
    findings: r.summary.findings,
    blockingProblems: (r.problems ?? []).filter((p) => p.blocking).length,
  };
}

/** The fleet verdict and its reason: the worst verdict, then each verdict's clusters, worst first. */
function fleetVerdict(clusters: FleetCluster[]): FleetSummary['summary'] {
  const counts: FleetSummary['summary']['counts'] = { GO: 0, 'NO-GO': 0, INCOMPLETE: 0, 'REPORT-ONLY': 0, 'not scanned': 0 };
  for (const c of clusters) counts[c.verdict ?? 'not scanned']++;
  const rank = (c: FleetCluster): number => VERDICT_ORDER.indexOf(c.verdict ?? 'INCOMPLETE');
  const verdict = clusters.length === 0 ? 'INCOMPLETE' : VERDICT_ORDER[Math.max(...clusters.map(rank))]!;
  const parts: string[] = [];
  for (const v of ['NO-GO', 'not scanned', 'INCOMPLETE', 'REPORT-ONLY', 'GO'] as const) {
    const of = clusters.filter((c) => (c.verdict ?? 'not scanned') === v).map((c) => c.cluster);
    if (of.length > 0) parts.push(`${of.length.toLocaleString('en-US')} ${v} (${names(of)})`);
  }
  const reason =
    clusters.length === 0
      ? 'No cluster: nothing was assessed.'
      : `${plural(clusters.length, 'cluster')}: ${parts.join('; ')}` +
        (counts['not scanned'] > 0 && verdict === 'INCOMPLETE' ? '; a cluster not scanned counts as INCOMPLETE' : '') +
        '.';
  return { verdict, reason, clusters: clusters.length, counts };
}

function problemsOf(entries: FleetEntry[]): FleetProblem[] {
  const groups = new Map<string, FleetProblem>();
  for (const e of entries) {
    const r = e.report;
    if (!r) continue;
    const checkOf = new Map(r.findings.map((f) => [f.fingerprint, f.checkId]));
    for (const p of r.problems ?? []) {
      if (p.waived) continue;
      const checkId = checkOf.get(p.findings[0]!) ?? p.family;
      const key = `${checkId}\u0000${p.title}`;
      const g = groups.get(key);
      if (!g) {
        groups.set(key, {
          checkId,
          family: p.family,
          title: p.title,
          severity: p.severity,
          blocking: p.blocking,
          fix: p.fix,
          clusters: [e.cluster],
          findings: p.findings.length,
        });
        continue;
      }
      if (SEVERITIES.indexOf(p.severity) < SEVERITIES.indexOf(g.severity)) g.severity = p.severity;
      g.blocking ||= p.blocking;
      if (!g.clusters.includes(e.cluster)) g.clusters.push(e.cluster);
      g.findings += p.findings.length;
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.blocking) - Number(a.blocking) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      b.clusters.length - a.clusters.length ||
      b.findings - a.findings ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0) ||
      (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0),
  );
}

/** Oldest version first (`v1.9.0` before `v1.10.0`); a version semver cannot read after those it can, then by text. */
function byVersion(a: string, b: string): number {
  const va = semver.coerce(a);
  const vb = semver.coerce(b);
  if (va && vb && semver.compare(va, vb) !== 0) return semver.compare(va, vb);
  if (Boolean(va) !== Boolean(vb)) return va ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function versionsOf(cluster: string, r: Report): FleetVersions {
  const m = r.metadata;
  const matrix = r.checks.find((c) => c.id === 'versions-kubelet-skew')?.details?.matrix;
  const kubelets = Array.isArray(matrix)
    ? matrix.flatMap((row) => (isRecord(row) && typeof row.kubeletVersion === 'string' ? [row.kubeletVersion] : []))
    : [];
  const count = (f: Record<Severity, number>): number => SEVERITIES.reduce((n, s) => n + f[s], 0);
  return {
    cluster,
    ...(m.cluster.gitVersion !== undefined ? { gitVersion: m.cluster.gitVersion } : {}),
    ...(m.cluster.distribution ? { distribution: m.cluster.distribution.name } : {}),
    ...(m.targetVersion !== undefined ? { targetVersion: m.targetVersion } : {}),
    ...(m.assumedTargetVersion !== undefined ? { assumedTargetVersion: m.assumedTargetVersion } : {}),
    kubeletVersions: [...new Set(kubelets)].sort(byVersion),
    skew: r.checks.filter((c) => SKEW_CHECKS.includes(c.id)).map((c) => ({ checkId: c.id, status: c.status, findings: count(c.findings) })),
  };
}

/** The certificate timelines of a report (entries of another shape are left out). */
function certificatesOf(cluster: string, r: Report): FleetCertificate[] {
  const out: FleetCertificate[] = [];
  const seen = new Set<string>();
  for (const c of r.checks) {
    if (c.family !== 'certs' || !Array.isArray(c.details?.certificates)) continue;
    for (const t of c.details.certificates as unknown[]) {
      if (
        !isRecord(t) ||
        typeof t.name !== 'string' ||
        typeof t.where !== 'string' ||
        typeof t.notAfter !== 'string' ||
        typeof t.daysLeft !== 'number' ||
        typeof t.isCA !== 'boolean'
      )
        continue;
      const key = `${t.where}\u0000${t.name}\u0000${t.notAfter}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ cluster, checkId: c.id, name: t.name, where: t.where, notAfter: t.notAfter, daysLeft: t.daysLeft, isCA: t.isCA });
    }
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The fleet summary of `entries` (cluster names unique). `generatedAt`: the time written in
 * `metadata.generatedAt` (ISO 8601). Throws `Error` when two entries share a cluster name.
 */
export function buildFleetSummary(entries: FleetEntry[], generatedAt: Date): FleetSummary {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.cluster)) throw new Error(`fleet: two clusters are named "${e.cluster}"`);
    seen.add(e.cluster);
  }
  const sorted = [...entries].sort(byName);
  const clusters = sorted.map(clusterOf);
  const certificates = sorted
    .flatMap((e) => (e.report ? certificatesOf(e.cluster, e.report) : []))
    .sort(
      (a, b) =>
        a.daysLeft - b.daysLeft || cmp(a.notAfter, b.notAfter) || cmp(a.cluster, b.cluster) || cmp(a.where, b.where) || cmp(a.name, b.name),
    );
  return {
    apiVersion: 'kube-preflight/v1',
    kind: 'FleetSummary',
    metadata: { generatedAt: generatedAt.toISOString(), tool: { name: 'kube-preflight', version: TOOL_VERSION } },
    summary: fleetVerdict(clusters),
    clusters,
    problems: problemsOf(sorted),
    versions: sorted.flatMap((e) => (e.report ? [versionsOf(e.cluster, e.report)] : [])),
    certificates: certificates.slice(0, FLEET_CERTIFICATES),
    certificatesTotal: certificates.length,
    notScanned: clusters.filter((c) => c.status === 'not scanned').map((c) => ({ cluster: c.cluster, source: c.source, reason: c.reason })),
  };
}
