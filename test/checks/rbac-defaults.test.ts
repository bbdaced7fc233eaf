/**
 * The default-binding allowlists (`checks/rbac/data/default-bindings.ts`): a pristine kubeadm,
 * k3s and EKS cluster gives no rbac finding, the same objects judged against the upstream
 * defaults only do (so the tables are what keeps them quiet), and the RBAC input normalizers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BINDINGS } from '../../checks/rbac/data/default-bindings.js';
import { COMMON_DEFAULTS, COMMON_OPTION_SCHEMA, namespaceMatcher, resolveDistribution } from '../../checks/rbac/lib/analysis.js';
import type { Config } from '../../src/engine/config.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { optionProblem } from '../../src/engine/options.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';
import { normalizeBinding, normalizeRole } from '../../src/sources/inputs/rbac.js';

const RBAC_CHECKS = ['rbac-cluster-admins', 'rbac-dangling-bindings', 'rbac-escalation-primitives', 'rbac-risky-subjects'];
const registry = new Registry(await loadBuiltinChecks());

async function scanCase(name: string, config: Config = EMPTY_CONFIG) {
  const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'checks', 'rbac-cluster-admins', name));
  try {
    const { report } = await scan({
      source,
      registry,
      config,
      only: RBAC_CHECKS,
      now: new Date('2026-11-23T07:00:18Z'),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return report;
  } finally {
    await source.close();
  }
}

const upstreamOnly: Config = {
  file: 'test',
  checks: Object.fromEntries(RBAC_CHECKS.map((id) => [id, { options: { distribution: 'upstream' } }])),
};

describe('pristine clusters', () => {
  it.each([
    ['pass-kubeadm-pristine', 'kubeadm', ['kubeadm:cluster-admins']],
    [
      'pass-k3s-pristine',
      'k3s',
      ['helm-traefik', 'helm-traefik-crd', 'kube-apiserver', 'local-path-provisioner-service-account', 'traefik'],
    ],
    ['pass-eks-pristine', 'eks', ['eks:addon-manager']],
    // Defects found on real clusters (Replicated troubleshoot and Sonobuoy data): each case
    // gave a finding before its entry existed.
    [
      'pass-k3s-1.31-pristine',
      'k3s',
      ['helm-traefik', 'helm-traefik-crd', 'kube-apiserver', 'local-path-provisioner-service-account', 'traefik'],
    ],
    [
      'pass-k3s-1.24-pristine',
      'k3s',
      ['helm-traefik', 'helm-traefik-crd', 'kube-apiserver', 'local-path-provisioner-service-account', 'traefik'],
    ],
    ['pass-kind-pristine', 'kind', ['kubeadm:cluster-admins', 'local-path-provisioner-service-account']],
    ['pass-kubeadm-upload-certs', 'kubeadm', ['kubeadm:cluster-admins']],
  ])('%s: no finding with its defaults; findings with upstream defaults only', async (name, distribution, flagged) => {
    const report = await scanCase(name);
    expect(report.findings).toEqual([]);
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    const details = report.checks.find((c) => c.id === 'rbac-cluster-admins')!.details as { distribution: { name: string } };
    expect(details.distribution.name).toBe(distribution);

    const strict = await scanCase(name, upstreamOnly);
    const subjects = [
      ...new Set(strict.findings.filter((f) => f.rule !== 'too-many-cluster-admins').map((f) => (f.resource as { name: string }).name)),
    ].sort();
    expect(subjects).toEqual(flagged);
  });
});

describe('default-binding table', () => {
  it('has unique (kind, namespace, name, subject) entries and namespaced ServiceAccounts', () => {
    const keys = DEFAULT_BINDINGS.flatMap((d) =>
      d.subjects.map((s) => `${d.distribution}|${d.kind}|${d.namespace ?? ''}|${d.name}|${s.kind}|${s.namespace ?? ''}|${s.name}`),
    );
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of DEFAULT_BINDINGS) {
      for (const s of d.subjects) if (s.kind === 'ServiceAccount') expect(s.namespace, d.name).toBeTruthy();
      expect(d.kind === 'RoleBinding').toBe(d.namespace !== undefined);
    }
  });

  it('covers upstream, kubeadm, kind, k3s and EKS', () => {
    const count = (dist: string) => DEFAULT_BINDINGS.filter((d) => d.distribution === dist).length;
    expect([count('upstream'), count('kubeadm'), count('kind'), count('k3s'), count('eks')]).toEqual([59, 28, 2, 15, 34]);
  });

  it('resolves the distribution option', () => {
    expect(resolveDistribution('auto', { gitVersion: 'v1.30.2+k3s1' }).applied).toEqual(['upstream', 'k3s']);
    expect(resolveDistribution('auto', { gitVersion: 'v1.29.4-eks-036c24b' }).applied).toEqual(['upstream', 'eks']);
    expect(resolveDistribution('auto', { gitVersion: 'v1.29.4-gke.1043002' }).applied).toEqual(['upstream']);
    expect(resolveDistribution('auto', { gitVersion: 'v1.29.4' }).applied).toEqual(['upstream', 'kubeadm']);
    expect(resolveDistribution('kubeadm').applied).toEqual(['upstream', 'kubeadm']);
    expect(resolveDistribution('kind').applied).toEqual(['upstream', 'kubeadm', 'kind']);
    expect(
      resolveDistribution('auto', { gitVersion: 'v1.21.1' }, [
        {
          name: 'kind-control-plane',
          labels: {},
          roles: [],
          unschedulable: false,
          taints: [],
          ready: 'True',
          allocatable: {},
          providerID: 'kind://docker/kind/kind-control-plane',
        },
      ]).applied,
    ).toEqual(['upstream', 'kubeadm', 'kind']);
  });

  it('refuses an unknown distribution option before the check runs', () => {
    const def = { defaultOptions: COMMON_DEFAULTS, optionSchema: COMMON_OPTION_SCHEMA };
    expect(optionProblem(def, 'distribution', 'openshift')).toBe(
      'got "openshift", expected one of auto, upstream, kubeadm, kind, k3s, eks',
    );
    expect(optionProblem(def, 'distribution', 'k3s')).toBeUndefined();
  });

  it('matches namespace patterns by name or * glob', () => {
    const system = namespaceMatcher(['kube-system', 'cattle-*', 'team-*-ops']);
    expect(['cattle-system', 'kube-system', 'team-a-ops', 'kube-system-x', 'xcattle-', 'team-a-ops2'].map(system)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(namespaceMatcher(['a*b'])('a.b')).toBe(true);
    expect(namespaceMatcher(['a.b'])('axb')).toBe(false);
    expect(namespaceMatcher([])('kube-system')).toBe(false);
  });
});

describe('RBAC input normalizers', () => {
  it('keeps what evaluation reads and fills the ServiceAccount namespace of a RoleBinding', () => {
    const b = normalizeBinding({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'r', namespace: 'prod', labels: { a: 'b' }, annotations: { big: 'x' }, managedFields: [] },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [
        { kind: 'ServiceAccount', name: 'ci' },
        { kind: 'Robot', name: 'r2d2' },
        { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
      ],
    });
    expect(b).toEqual({
      kind: 'RoleBinding',
      namespace: 'prod',
      name: 'r',
      roleRef: { kind: 'Role', name: 'deployer' },
      subjects: [
        { kind: 'ServiceAccount', name: 'ci', namespace: 'prod' },
        { kind: 'Group', name: 'devs' },
      ],
      labels: { a: 'b' },
    });
    const r = normalizeRole({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'admin' },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'true' } }] },
      rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
    });
    expect(r).toEqual({
      kind: 'ClusterRole',
      name: 'admin',
      labels: {},
      rules: [{ verbs: ['get'], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: ['/healthz'] }],
      aggregationRule: [{ matchLabels: { x: 'true' } }],
    });
  });
});
