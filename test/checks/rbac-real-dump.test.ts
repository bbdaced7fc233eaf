/**
 * The rbac family on the real dump `fixtures/dumps/lab-1.26` (a real v1.26.4 API server, the
 * openshift/kubernetes fork as vendored by MicroShift 4.13): upstream bootstrap bindings plus
 * three seeded cluster-admin bindings (a User, a Group and a ServiceAccount).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';

const RBAC_CHECKS = ['rbac-cluster-admins', 'rbac-dangling-bindings', 'rbac-escalation-primitives', 'rbac-risky-subjects'];

async function scanLab() {
  const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
  try {
    const registry = new Registry(await loadBuiltinChecks());
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
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

describe('rbac family on fixtures/dumps/lab-1.26', async () => {
  const report = await scanLab();

  it('finds the seeded User, Group and ServiceAccount cluster-admins and nothing else', () => {
    const got = report.findings.map((f) => ({ checkId: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }));
    expect(got).toEqual([
      {
        checkId: 'rbac-risky-subjects',
        rule: 'app-service-account-admin',
        severity: 'high',
        resource: { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ci', name: 'deployer' },
      },
      {
        checkId: 'rbac-cluster-admins',
        rule: 'cluster-admin',
        severity: 'low',
        resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Group', name: 'oncall-admins' },
      },
      {
        checkId: 'rbac-cluster-admins',
        rule: 'cluster-admin',
        severity: 'low',
        resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'User', name: 'alice@example.com' },
      },
    ]);
  });

  it('names the binding → role → rule of each', () => {
    const grants = Object.fromEntries(
      report.findings.map((f) => {
        const { grants, roles } = f.evidence as { grants: unknown; roles: unknown };
        return [(f.resource as { name: string }).name, { grants, roles }];
      }),
    );
    const all = (binding: string) => ({
      grants: [{ binding, bindingKind: 'ClusterRoleBinding', role: 0, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }],
      roles: [
        { kind: 'ClusterRole', name: 'cluster-admin', rules: [{ rule: 'apiGroups=[*] resources=[*] verbs=[*]', powers: ['wildcard'] }] },
      ],
    });
    expect(grants).toEqual({
      deployer: all('ci-deployer-cluster-admin'),
      'oncall-admins': all('oncall-admins-cluster-admin'),
      'alice@example.com': all('alice-cluster-admin'),
    });
  });

  it('gives grants in the shape the report schema pins, roleRef required', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
    const copy = structuredClone(report);
    const i = copy.findings.findIndex((f) => f.checkId === 'rbac-cluster-admins');
    delete (copy.findings[i]!.evidence as { grants: Array<{ roleRef?: unknown }> }).grants[0]!.roleRef;
    const c = copy.checks.findIndex((x) => x.id === 'rbac-cluster-admins');
    (copy.checks[c]!.details!.accessReview as { grants: Array<{ since: unknown }> }).grants[0]!.since = 5;
    expect(reportSchemaErrors(copy)).toEqual([
      `/checks/${c}/details/accessReview/grants/0/since: must be string,null`,
      `/checks/${c}: must match "then" schema`,
      `/findings/${i}/evidence/grants/0: must have required property 'roleRef'`,
      `/findings/${i}: must match "then" schema`,
    ]);
  });

  it('passes the other checks and counts three cluster admins (at the default limit)', () => {
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'rbac-cluster-admins': 'fail',
      'rbac-dangling-bindings': 'pass',
      'rbac-escalation-primitives': 'pass',
      'rbac-risky-subjects': 'fail',
    });
    const details = report.checks.find((c) => c.id === 'rbac-cluster-admins')!.details!;
    expect(details.clusterAdminCount).toBe(3);
    expect(details.namespaceAdminCounts).toEqual({});
    expect(details.distribution).toMatchObject({ name: 'generic', applied: ['upstream', 'kubeadm'] });
    // Defaults with admin-equivalent power stay in the access-review table, marked.
    const review = details.accessReview as {
      roles: Array<{ kind: string; name: string; rules: Array<{ rule: string; aggregatedFrom?: string; powers: string[] }> }>;
      grants: Array<{
        binding: string;
        bindingKind: string;
        role: number;
        roleRef: { kind: string; name: string };
        clusterWide: boolean;
        since: string | null;
      }>;
      subjects: Array<{
        subject: { kind: string; name: string; namespace?: string };
        default: boolean;
        grants: Array<{ grant: number; powers: string[]; default: boolean }>;
      }>;
    };
    expect(
      review.subjects
        .filter((r) => !r.default)
        .map((r) => r.subject.name)
        .sort(),
    ).toEqual(['alice@example.com', 'deployer', 'oncall-admins']);
    expect(review.subjects.find((r) => r.subject.name === 'system:masters')?.default).toBe(true);
    expect(review.subjects.find((r) => r.subject.name === 'clusterrole-aggregation-controller')?.default).toBe(true);
    // Each grant once; subjects refer to it, with the powers they hold through it and whether those are defaults.
    const grantKeys = review.grants.map((g) => `${g.bindingKind}/${g.binding}`);
    expect(new Set(grantKeys).size).toBe(grantKeys.length);
    const all = [
      'wildcard',
      'escalate',
      'bind',
      'impersonate',
      'workload-create',
      'secrets-read',
      'nodes-proxy',
      'pods-exec',
      'csr-approve',
      'token-create',
    ];
    const alice = review.subjects.find((r) => r.subject.name === 'alice@example.com')!;
    expect(alice.grants).toHaveLength(1);
    const g = review.grants[alice.grants[0]!.grant]!;
    const role = review.roles[g.role]!;
    expect({ ...alice.grants[0], grant: undefined }).toEqual({ grant: undefined, powers: all, default: false });
    expect([g.binding, g.bindingKind, g.clusterWide, role.kind, role.name]).toEqual([
      'alice-cluster-admin',
      'ClusterRoleBinding',
      true,
      'ClusterRole',
      'cluster-admin',
    ]);
    // Every grant names its role (the binding's roleRef), the one its index refers to.
    expect(g.roleRef).toEqual({ kind: 'ClusterRole', name: 'cluster-admin' });
    expect(
      review.grants.filter((x) => x.roleRef.kind !== review.roles[x.role]!.kind || x.roleRef.name !== review.roles[x.role]!.name),
    ).toEqual([]);
    expect(role.rules).toEqual([{ rule: 'apiGroups=[*] resources=[*] verbs=[*]', powers: all }]);
    // The cluster-admin ClusterRole is listed once, however many bindings refer to it.
    expect(review.roles.filter((r) => r.kind === 'ClusterRole' && r.name === 'cluster-admin')).toHaveLength(1);
    expect(review.grants.filter((x) => x.role === g.role).map((x) => x.binding)).toEqual(
      expect.arrayContaining(['alice-cluster-admin', 'ci-deployer-cluster-admin', 'oncall-admins-cluster-admin', 'cluster-admin']),
    );
  });
});
