/**
 * The versions family on the real dump (fixtures/dumps/lab-1.26): kube-apiserver v1.26.4 (run
 * as a process: no control-plane pods), nodes with kubelets 1.26.4 (control plane and
 * lab-worker-1), 1.25.9, 1.24.13 and 1.23.17 (lab-worker-old, Ready Unknown), kubeProxyVersion
 * equal to each kubelet's (the kubelet's own: kube-proxy's version is not known, never a second
 * finding), no kube-proxy DaemonSet or pod, kubectl v1.32.4-dispatcher in version.json (the
 * collector's client: context, not judged), scanned at 2026-11-23 (1.26 reached end of life on
 * 2024-02-28).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { resourceIdentity } from '../../src/k8s/fingerprint.js';
import type { Report } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';

const DUMP = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const registry = new Registry(await loadBuiltinChecks());

async function scanVersions(targetVersion?: string): Promise<Report> {
  const source = await DumpSource.open(DUMP);
  try {
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      only: ['versions'],
      now: new Date('2026-11-23T07:00:18Z'),
      targetVersion,
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return report;
  } finally {
    await source.close();
  }
}

const rows = (r: Report): string[] => r.findings.map((f) => `${f.severity} ${f.checkId} ${f.rule} ${resourceIdentity(f.resource)}`);
const statuses = (r: Report): Record<string, string> => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

const NODE = (n: string): string => `/Node//${n}`;
/** Today, against kube-apiserver 1.26: only lab-worker-old (1.23, 3 minors behind; < 1.25 allows 2). */
const TODAY = [
  `high versions-kubelet-skew kubelet-too-old ${NODE('lab-worker-old')}`,
  `high versions-node-readiness node-status-unknown ${NODE('lab-worker-old')}`,
];
const EOL_126 = 'medium versions-support-window current-release-end-of-life /KubernetesRelease//1.26';
/** 1.24 and 1.23 node components are outside the policy of 1.27 and 1.28 (< 1.25: 2 minors). */
const AFTER = [
  `critical versions-kubelet-skew kubelet-unsupported-after-upgrade ${NODE('lab-worker-3')}`,
  `critical versions-kubelet-skew kubelet-unsupported-after-upgrade ${NODE('lab-worker-old')}`,
];

describe('versions family on the real dump (lab-1.26)', () => {
  it('without --target-version: today, end of life, and what blocks the next minor (1.27)', async () => {
    const r = await scanVersions();
    expect(rows(r)).toEqual([
      ...TODAY,
      `medium versions-kubelet-skew kubelet-blocks-next-minor ${NODE('lab-worker-3')}`,
      `medium versions-kubelet-skew kubelet-blocks-next-minor ${NODE('lab-worker-old')}`,
      EOL_126,
    ]);
    expect(statuses(r)).toEqual({
      'versions-control-plane-skew': 'not-applicable',
      'versions-kube-proxy-skew': 'incomplete',
      'versions-kubectl-skew': 'not-applicable',
      'versions-kubelet-skew': 'fail',
      'versions-node-readiness': 'fail',
      'versions-support-window': 'fail',
      'versions-upgrade-path': 'not-applicable',
    });
    expect(r.summary.verdict).toBe('INCOMPLETE');
    const proxy = r.checks.find((c) => c.id === 'versions-kube-proxy-skew')!;
    expect(proxy.unknowns.map((u) => u.resource)).toEqual([{ kind: 'Component', name: 'kube-proxy' }]);
    expect(proxy.unknowns[0]!.reason).toContain(
      "kube-proxy's own version is not known on 5 nodes (lab-control-plane, lab-worker-1, lab-worker-2, lab-worker-3, lab-worker-old)",
    );
    const kubectl = r.checks.find((c) => c.id === 'versions-kubectl-skew')!;
    expect(kubectl.reason).toBe(
      'kubectl v1.32.4-dispatcher (from version.json) is the client that collected the dump, not part of the cluster: not judged (kubectl supported today: 1.25–1.27)',
    );
    expect(kubectl.details).toEqual({ kubectlVersion: 'v1.32.4-dispatcher', judged: false, today: { allowed: '1.25–1.27' }, after: null });
  });

  it('target 1.26 (a patch upgrade): today only, plus the nodes to fix first', async () => {
    const r = await scanVersions('1.26');
    expect(rows(r)).toEqual([...TODAY, 'high versions-upgrade-path upgrade-prerequisites /Cluster//control-plane#target 1.26', EOL_126]);
    const pre = r.findings.find((f) => f.rule === 'upgrade-prerequisites')!;
    expect(pre.evidence.upgradeFirst).toEqual([{ node: 'lab-worker-old', component: 'kubelet', version: 'v1.23.17' }]);
    expect(pre.evidence.notReadyNodes).toEqual(['lab-worker-old']);
  });

  it('target 1.27: lab-worker-3 and lab-worker-old must be upgraded before the control plane', async () => {
    const r = await scanVersions('1.27');
    expect(rows(r)).toEqual([
      ...AFTER,
      ...TODAY,
      'high versions-upgrade-path upgrade-prerequisites /Cluster//control-plane#target 1.27',
      EOL_126,
      'medium versions-support-window target-release-end-of-life /KubernetesRelease//1.27',
    ]);
    expect(r.summary.verdict).toBe('NO-GO');
    const pre = r.findings.find((f) => f.rule === 'upgrade-prerequisites')!;
    expect(pre.evidence).toMatchObject({
      currentVersion: 'v1.26.4',
      targetVersion: '1.27',
      steps: ['1.27'],
      procedure: 'kubeadm',
      controlPlaneNodes: ['lab-control-plane'],
      workerCount: 4,
    });
    expect(pre.remediation).toContain('kubeadm upgrade apply v1.27.x');
    expect(pre.remediation).toContain('kubeadm upgrade node');
    expect(pre.remediation).toContain('snapshot save');
    const kubelet = r.findings.find(
      (f) => f.rule === 'kubelet-unsupported-after-upgrade' && 'name' in f.resource && f.resource.name === 'lab-worker-3',
    )!;
    expect(kubelet.evidence).toMatchObject({
      kubeletVersion: 'v1.24.13',
      targetVersion: '1.27',
      skewMinors: 3,
      maxOlderMinors: 2,
      allowedMinors: ['1.25', '1.26', '1.27'],
    });
  });

  it('target 1.28: one minor at a time (1.27 first), and the same nodes first', async () => {
    const r = await scanVersions('1.28');
    expect(rows(r)).toEqual([
      ...AFTER,
      'critical versions-upgrade-path target-skips-minor /Cluster//control-plane#target 1.28',
      ...TODAY,
      'high versions-upgrade-path upgrade-prerequisites /Cluster//control-plane#target 1.28',
      EOL_126,
      'medium versions-support-window target-release-end-of-life /KubernetesRelease//1.28',
    ]);
    const skip = r.findings.find((f) => f.rule === 'target-skips-minor')!;
    expect(skip.evidence).toMatchObject({ intermediateVersions: ['1.27'], steps: ['1.27', '1.28'], skewMinors: 2 });
    const plan = (r.checks.find((c) => c.id === 'versions-upgrade-path')!.details as { plan: { steps: Array<{ minor: string }> } }).plan;
    expect(plan.steps.map((s) => s.minor)).toEqual(['1.27', '1.28']);
  });

  it('a target older than the cluster is a usage error, not five checks in error', async () => {
    await expect(scanVersions('1.25')).rejects.toThrow(
      '--target-version 1.25 is older than the cluster (v1.26.4): downgrades are not supported; give the version you upgrade to',
    );
  });
});
