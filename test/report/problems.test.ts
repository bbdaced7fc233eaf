/**
 * The grouping of findings into problems (src/report/problems.ts): each rule on real-shaped
 * findings (the evidence the checks write), with exact expected problems.
 */
import { describe, expect, it } from 'vitest';
import type { FailOn, Family, Severity } from '../../src/contract/check.js';
import type { ResourceRef } from '../../src/contract/resource.js';
import { fingerprint } from '../../src/k8s/fingerprint.js';
import type { CheckResult, Finding } from '../../src/contract/report.js';
import { groupProblems, problemCounts } from '../../src/report/problems.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { renderText } from '../../src/render/text.js';
import { sampleReport } from '../render/sample.js';

function finding(
  checkId: string,
  rule: string,
  severity: Severity,
  resource: ResourceRef,
  evidence: Record<string, unknown>,
  remediation = `fix ${checkId} ${rule}`,
): Finding {
  return {
    checkId,
    rule,
    severity,
    title: `${rule} title`,
    message: `${rule} message`,
    resource,
    evidence,
    remediation,
    references: [],
    fingerprint: fingerprint(checkId, rule, resource),
  };
}

function checksOf(findings: Finding[]): CheckResult[] {
  const ids = [...new Set(findings.map((f) => f.checkId))];
  return ids.map((id) => ({
    id,
    family: id.split('-')[0] as Family,
    title: id,
    status: 'fail',
    evaluated: 1,
    durationMs: 0,
    findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    unknowns: [],
    origin: 'builtin',
  }));
}

const group = (findings: Finding[], failOn: FailOn = 'critical') => groupProblems(findings, checksOf(findings), failOn);
const node = (name: string): ResourceRef => ({ apiVersion: 'v1', kind: 'Node', name });
const pdb = (ns: string, name: string): ResourceRef => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns, name });
const blockedPod = (pod: string, pdbs: string[], reason = 'no-disruptions-allowed') => ({ pod, reason, pdbs, disruptionsAllowed: 0 });

describe('pdb-blocks-drain', () => {
  const web = finding(
    'pdb-blocking',
    'max-unavailable-zero',
    'critical',
    pdb('prod', 'web'),
    { selector: 'app=web', maxUnavailable: 0, disruptionsAllowed: 0 },
    'kubectl patch pdb web -n prod --type merge -p \'{"spec":{"maxUnavailable":1}}\'',
  );
  const api = finding('pdb-blocking', 'min-available-all', 'critical', pdb('prod', 'api'), {
    selector: 'app=api',
    minAvailable: 2,
    disruptionsAllowed: 0,
  });
  const drain = (n: string, pods: Array<ReturnType<typeof blockedPod>>, podCount = pods.length) =>
    finding('pdb-drain-plan', 'drain-blocked-by-pdb', 'critical', node(n), {
      pods,
      podCount,
      pdbs: [...new Set(pods.flatMap((p) => p.pdbs))].sort(),
    });
  const w1 = drain('lab-worker-1', [blockedPod('prod/api-1', ['prod/api']), blockedPod('prod/web-1', ['prod/web'])]);
  const w2 = drain('lab-worker-2', [blockedPod('prod/web-2', ['prod/web'])]);
  const w3 = drain('lab-worker-3', [blockedPod('prod/web-3', ['prod/web'])]);

  it('a PDB is the cause of the drains it blocks; a node blocked by two PDBs is an effect of both', () => {
    const ps = group([web, api, w1, w2, w3]);
    expect(
      ps.map((p) => ({ rule: p.rule, title: p.title, findings: p.findings, fix: p.fix, blocking: p.blocking, family: p.family })),
    ).toEqual([
      {
        rule: 'pdb-blocks-drain',
        title: 'PDB prod/web (maxUnavailable: 0) blocks draining lab-worker-1, -2, -3',
        findings: [web.fingerprint, w1.fingerprint, w2.fingerprint, w3.fingerprint],
        fix: web.remediation,
        blocking: true,
        family: 'pdb',
      },
      {
        rule: 'pdb-blocks-drain',
        title: 'PDB prod/api (minAvailable: 2) blocks draining lab-worker-1',
        findings: [api.fingerprint, w1.fingerprint],
        fix: api.remediation,
        blocking: true,
        family: 'pdb',
      },
    ]);
  });

  it('a drain with another cause (several PDBs, a PDB without a pdb-blocking finding, unlisted pods) stays its own problem', () => {
    const several = drain('n-several', [blockedPod('prod/x', ['prod/web', 'prod/api'], 'several-pdbs')]);
    const other = drain('n-other', [blockedPod('prod/y', ['prod/web']), blockedPod('prod/z', ['prod/other'])]);
    const capped = drain('n-capped', [blockedPod('prod/web-9', ['prod/web'])], 25);
    const ps = group([web, several, other, capped]);
    expect(ps.map((p) => [p.rule, p.findings])).toEqual([
      ['single', [capped.fingerprint]],
      ['single', [other.fingerprint]],
      ['single', [several.fingerprint]],
      ['single', [web.fingerprint]],
    ]);
  });
});

describe('node-skew', () => {
  const ev = (v: string, extra: Record<string, unknown>) => ({ apiserverVersions: ['v1.26.4'], maxOlderMinors: 2, ...extra, v });
  const kubeletAfter = finding(
    'versions-kubelet-skew',
    'kubelet-unsupported-after-upgrade',
    'critical',
    node('lab-worker-old'),
    { ...ev('', {}), kubeletVersion: 'v1.23.17', targetVersion: '1.27' },
    'kubectl drain lab-worker-old --ignore-daemonsets\napt-get install -y kubelet',
  );
  const proxyAfter = finding('versions-kube-proxy-skew', 'kube-proxy-unsupported-after-upgrade', 'critical', node('lab-worker-old'), {
    ...ev('', {}),
    kubeProxyVersion: 'v1.23.17',
    targetVersion: '1.27',
  });
  const kubeletNow = finding('versions-kubelet-skew', 'kubelet-too-old', 'high', node('lab-worker-old'), {
    ...ev('', {}),
    kubeletVersion: 'v1.23.17',
  });
  const proxyNow = finding('versions-kube-proxy-skew', 'kube-proxy-too-old', 'high', node('lab-worker-old'), {
    ...ev('', {}),
    kubeProxyVersion: 'v1.23.17',
  });
  const other = finding('versions-kube-proxy-skew', 'kube-proxy-unsupported-after-upgrade', 'critical', node('lab-worker-3'), {
    ...ev('', {}),
    kubeProxyVersion: 'v1.24.13',
    targetVersion: '1.27',
  });
  const otherKubelet = finding('versions-kubelet-skew', 'kubelet-unsupported-after-upgrade', 'critical', node('lab-worker-3'), {
    ...ev('', {}),
    kubeletVersion: 'v1.25.0',
    targetVersion: '1.27',
  });

  it('kubelet and kube-proxy findings of one node are one problem, the kubelet upgrade its fix', () => {
    const ps = group([proxyAfter, kubeletAfter, other, otherKubelet, proxyNow, kubeletNow]);
    expect(ps.map((p) => ({ rule: p.rule, title: p.title, findings: p.findings, fix: p.fix, severity: p.severity }))).toEqual([
      {
        rule: 'node-skew',
        title: 'kubelet and kube-proxy v1.23.17 on lab-worker-old: outside the skew policy of v1.26.4 and 1.27',
        findings: [kubeletAfter.fingerprint, proxyAfter.fingerprint, proxyNow.fingerprint, kubeletNow.fingerprint],
        fix: kubeletAfter.remediation,
        severity: 'critical',
      },
      {
        rule: 'node-skew',
        title: 'kubelet v1.25.0 and kube-proxy v1.24.13 on lab-worker-3: outside the skew policy of 1.27',
        findings: [otherKubelet.fingerprint, other.fingerprint],
        fix: otherKubelet.remediation,
        severity: 'critical',
      },
    ]);
  });

  it('the id depends on the rule and the root fingerprint only, not on the effects', () => {
    const a = group([kubeletAfter, proxyAfter])[0]!;
    const b = group([kubeletAfter, proxyAfter, proxyNow])[0]!;
    expect(a.id).toMatch(/^P[0-9a-f]{12}$/);
    expect(b.id).toBe(a.id);
  });
});

describe('same-certificate, api-version, same-subject, single', () => {
  const cert = { sha256Fingerprint: 'AB:CD', subject: 'CN=web.example.com' };
  const inSecret = finding(
    'certs-cluster-expiry',
    'expires-soon',
    'high',
    { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' },
    { ...cert, foundIn: 'Secret prod/web-tls [tls.crt#0]' },
  );
  const weak = finding(
    'certs-weak-crypto',
    'weak-rsa-key',
    'medium',
    { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls-copy', field: 'tls.crt#0' },
    { ...cert, foundIn: 'Secret prod/web-tls-copy [tls.crt#0]' },
  );
  const otherCert = finding(
    'certs-cluster-expiry',
    'expires-soon',
    'high',
    { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'api-tls', field: 'tls.crt#0' },
    { sha256Fingerprint: 'EF:01', subject: 'CN=api' },
  );
  const removed = finding(
    'apis-removed',
    'removed-api',
    'critical',
    { apiVersion: 'storage.k8s.io/v1beta1', kind: 'CSIStorageCapacity', namespace: 'kube-system', name: 'cap-a', field: 'v1beta1' },
    { apiVersion: 'storage.k8s.io/v1beta1', kind: 'CSIStorageCapacity', removedIn: '1.27' },
  );
  const requested = finding(
    'apis-in-use-metric',
    'requested-removed',
    'critical',
    { kind: 'APIResource', name: 'storage.k8s.io/v1beta1/csistoragecapacities' },
    { group: 'storage.k8s.io', version: 'v1beta1', resource: 'csistoragecapacities', removedRelease: '1.27' },
  );
  const served = finding(
    'apis-served-versions',
    'served-version-removed',
    'info',
    { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: 'v1beta1.storage.k8s.io' },
    { groupVersion: 'storage.k8s.io/v1beta1', removedIn: ['1.27'] },
  );
  const deprecated = finding(
    'apis-deprecated',
    'deprecated-api',
    'medium',
    { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'FlowSchema', name: 'legacy', field: 'v1beta2' },
    { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', removedIn: '1.29' },
  );
  const requestedDeprecated = finding(
    'apis-in-use-metric',
    'requested-deprecated',
    'medium',
    { kind: 'APIResource', name: 'flowcontrol.apiserver.k8s.io/v1beta2/flowschemas' },
    { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta2', removedRelease: '1.29' },
  );
  const kubectl = { kind: 'Client', name: 'kubectl' };
  const kNow = finding('versions-kubectl-skew', 'kubectl-skew', 'low', kubectl, {});
  const kAfter = finding('versions-kubectl-skew', 'kubectl-skew-after-upgrade', 'low', kubectl, {});
  const velero = finding(
    'backup-velero-freshness',
    'stale-critical',
    'critical',
    { apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: 'velero', name: 'daily' },
    {},
  );

  it('joins by certificate, by group/version and by subject; leaves the rest single', () => {
    const ps = group(
      [removed, requested, velero, inSecret, otherCert, weak, deprecated, requestedDeprecated, kNow, kAfter, served],
      'high',
    );
    expect(ps.map((p) => ({ rule: p.rule, title: p.title, findings: p.findings, severity: p.severity, blocking: p.blocking }))).toEqual([
      {
        rule: 'api-version',
        title: 'storage.k8s.io/v1beta1 is removed in 1.27: used by CSIStorageCapacity kube-system/cap-a; clients still request it',
        findings: [removed.fingerprint, requested.fingerprint, served.fingerprint],
        severity: 'critical',
        blocking: true,
      },
      {
        rule: 'single',
        title: 'stale-critical title: Schedule velero/daily',
        findings: [velero.fingerprint],
        severity: 'critical',
        blocking: true,
      },
      {
        rule: 'same-certificate',
        title:
          'Certificate CN=web.example.com (2 places: Secret prod/web-tls [tls.crt#0], Secret prod/web-tls-copy [tls.crt#0]): expires-soon title; weak-rsa-key title',
        findings: [inSecret.fingerprint, weak.fingerprint],
        severity: 'high',
        blocking: true,
      },
      {
        rule: 'single',
        title: 'expires-soon title: Secret prod/api-tls [tls.crt#0]',
        findings: [otherCert.fingerprint],
        severity: 'high',
        blocking: true,
      },
      {
        rule: 'api-version',
        title: 'flowcontrol.apiserver.k8s.io/v1beta2 is deprecated (removed in 1.29): used by FlowSchema legacy; clients still request it',
        findings: [deprecated.fingerprint, requestedDeprecated.fingerprint],
        severity: 'medium',
        blocking: false,
      },
      {
        rule: 'same-subject',
        title: 'Client kubectl: kubectl-skew title; kubectl-skew-after-upgrade title',
        findings: [kNow.fingerprint, kAfter.fingerprint],
        severity: 'low',
        blocking: false,
      },
    ]);
    expect(problemCounts(ps)).toEqual({ critical: 2, high: 2, medium: 1, low: 1, info: 0, waived: 0, blocking: 4 });
  });

  it('a waived or baseline finding does not make its problem blocking; all waived counts as waived', () => {
    const waiver = { reason: 'r', owner: 'o', expires: '2027-01-01' };
    const ps = group([{ ...velero, waiver }, { ...removed, baseline: 'existing' }, requested]);
    expect(ps.map((p) => [p.rule, p.blocking, p.waived ?? false])).toEqual([
      ['api-version', true, false],
      ['single', false, true],
    ]);
    expect(problemCounts(ps)).toEqual({ critical: 1, high: 0, medium: 0, low: 0, info: 0, waived: 1, blocking: 1 });
  });
});

describe('the bundled sample', () => {
  it('every finding is in a problem, the report validates, and the first 25 text lines at 100 columns decide', async () => {
    const report = await sampleReport();
    expect(reportSchemaErrors(report)).toEqual([]);
    const problems = report.problems!;
    const inProblems = new Set(problems.flatMap((p) => p.findings));
    expect(report.findings.every((f) => inProblems.has(f.fingerprint))).toBe(true);
    expect(report.summary.problems!.blocking).toBe(problems.filter((p) => p.blocking).length);

    const lines = renderText(report, { color: false, width: 100 }).split('\n');
    expect(lines.every((l) => l.length <= 100)).toBe(true);
    const first = lines.slice(0, 25).join('\n');
    expect(first).toContain(`NO-GO  ${problems.filter((p) => p.blocking).length} problems`);
    expect(first).toMatch(new RegExp(`Problems: ${problems.length} \\(\\d+ blocking\\) · Findings: ${report.findings.length} \\(`));
    const flat = first.replace(/\n +/g, ' ');
    for (const p of problems.filter((x) => x.blocking)) {
      expect(flat).toContain(p.title);
      expect(flat).toContain(`→ ${p.fix.split('\n')[0]!.trim()}`);
    }
    expect(first).not.toContain('CHECK ');
    expect(renderText(report, { color: false, width: 100, wide: true })).toMatch(/^CHECK +STATUS +FINDINGS/m);
  });
});
