/**
 * The rbac family on a dump that mixes namespaces: one over `maxNamespaceAdmins`, one at the
 * limit (with a group-wide subject), one with a missing ServiceAccount and a missing Role, and a
 * RoleBinding in `kube-system` (cluster-equivalent), on top of lab-1.26's real ClusterRoles
 * (aggregated `admin` ⊇ `edit` ⊇ `view`) and ClusterRoleBindings. The four checks share one
 * analysis per scan (indexed by subject and namespace); their findings are the exact ones
 * below, and the same when each check runs alone.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRbacDump } from '../../bench/shapes-rbac.js';
import { analyzeRbac, COMMON_DEFAULTS } from '../../checks/rbac/lib/analysis.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import type { RbacBinding, RbacRole } from '../../src/contract/values/rbac.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';

const RBAC_CHECKS = ['rbac-cluster-admins', 'rbac-dangling-bindings', 'rbac-escalation-primitives', 'rbac-risky-subjects'];
const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const RBAC = 'rbac.authorization.k8s.io';

const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: `uid-${namespace ?? ''}-${name}`,
  creationTimestamp: '2026-05-04T09:12:33Z',
});
const user = (name: string) => ({ kind: 'User', apiGroup: RBAC, name });
const group = (name: string) => ({ kind: 'Group', apiGroup: RBAC, name });
const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });
const rb = (namespace: string, name: string, roleKind: string, roleName: string, subjects: unknown[]) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: meta(name, namespace),
  roleRef: { apiGroup: RBAC, kind: roleKind, name: roleName },
  subjects,
});
const podDebugger = (namespace: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'Role',
  metadata: meta('pod-debugger', namespace),
  rules: [
    { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
  ],
});

async function labItems(resource: string): Promise<unknown[]> {
  return (JSON.parse(await readFile(join(LAB, 'resources', `${resource}.json`), 'utf8')) as { items: unknown[] }).items;
}

async function writeDump(dir: string): Promise<void> {
  const objects: Record<string, unknown[]> = {
    namespaces: [
      ...(await labItems('namespaces')),
      ...['team-a', 'team-b', 'team-c'].map((n) => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: meta(n),
        status: { phase: 'Active' },
      })),
    ],
    serviceaccounts: [
      ...(await labItems('serviceaccounts')),
      ...[
        ['default', 'team-a'],
        ['deployer', 'team-a'],
        ['default', 'team-b'],
        ['default', 'team-c'],
        ['backup-agent', 'kube-system'],
      ].map(([n, ns]) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(n!, ns) })),
    ],
    'roles.rbac.authorization.k8s.io': [
      ...(await labItems('roles.rbac.authorization.k8s.io')),
      podDebugger('team-a'),
      podDebugger('team-b'),
    ],
    'rolebindings.rbac.authorization.k8s.io': [
      ...(await labItems('rolebindings.rbac.authorization.k8s.io')),
      // team-a: five admin-equivalent subjects, over maxNamespaceAdmins (3).
      rb('team-a', 'team-admins', 'ClusterRole', 'admin', [group('team-a-admins')]),
      rb('team-a', 'lead', 'ClusterRole', 'admin', [user('lead-a@example.com')]),
      rb('team-a', 'deployer-edit', 'ClusterRole', 'edit', [sa('deployer')]),
      rb('team-a', 'oncall-debug', 'Role', 'pod-debugger', [group('oncall'), user('auditor@example.com')]),
      // team-b: three, at the limit, one of them every ServiceAccount of the namespace.
      rb('team-b', 'lead', 'ClusterRole', 'admin', [user('lead-b@example.com')]),
      rb('team-b', 'oncall-debug', 'Role', 'pod-debugger', [group('oncall')]),
      rb('team-b', 'everyone-debug', 'Role', 'pod-debugger', [group('system:serviceaccounts:team-b')]),
      // team-c: view (no power), a ServiceAccount that does not exist, a Role that does not exist.
      rb('team-c', 'viewers', 'ClusterRole', 'view', [sa('default')]),
      rb('team-c', 'ghost-edit', 'ClusterRole', 'edit', [sa('ghost', 'team-c')]),
      rb('team-c', 'broken', 'Role', 'nope', [user('lead-c@example.com')]),
      // kube-system is cluster-equivalent: this makes backup-agent a fourth cluster admin.
      rb('kube-system', 'backup-agent', 'ClusterRole', 'edit', [sa('backup-agent', 'kube-system')]),
    ],
    'clusterroles.rbac.authorization.k8s.io': await labItems('clusterroles.rbac.authorization.k8s.io'),
    'clusterrolebindings.rbac.authorization.k8s.io': await labItems('clusterrolebindings.rbac.authorization.k8s.io'),
    nodes: await labItems('nodes'),
  };
  await mkdir(join(dir, 'resources'), { recursive: true });
  for (const [resource, items] of Object.entries(objects)) {
    await writeFile(join(dir, 'resources', `${resource}.json`), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  }
  await copyFile(join(LAB, 'version.json'), join(dir, 'version.json'));
}

let dir: string;
const registry = new Registry(await loadBuiltinChecks());

async function scanDump(only: string[], at = dir) {
  const source = await DumpSource.open(at);
  try {
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      only,
      now: new Date('2026-11-23T07:00:18Z'),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return report;
  } finally {
    await source.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-preflight-rbac-namespaces-'));
  await writeDump(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const resourceOf = (f: { resource: unknown }) => JSON.stringify(f.resource);

describe('rbac family on mixed namespaces', () => {
  it('gives exactly these findings', async () => {
    const report = await scanDump(RBAC_CHECKS);
    const sa = (ns: string, name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', namespace: ns, name });
    const rbacSubject = (kind: string, name: string) => ({ apiVersion: `${RBAC}/v1`, kind, name });
    const backupAgent = sa('kube-system', 'backup-agent');
    expect(report.findings.map((f) => [f.checkId, f.rule, f.severity, f.resource])).toEqual([
      ['rbac-risky-subjects', 'group-wide-admin', 'critical', rbacSubject('Group', 'system:serviceaccounts:team-b')],
      ['rbac-cluster-admins', 'too-many-cluster-admins', 'high', { kind: 'Cluster', name: 'cluster' }],
      ['rbac-cluster-admins', 'too-many-namespace-admins', 'high', { apiVersion: 'v1', kind: 'Namespace', name: 'team-a' }],
      ['rbac-escalation-primitives', 'impersonate', 'high', backupAgent],
      ['rbac-escalation-primitives', 'pods-exec', 'high', backupAgent],
      ['rbac-escalation-primitives', 'secrets-read', 'high', backupAgent],
      ['rbac-escalation-primitives', 'token-create', 'high', backupAgent],
      ['rbac-escalation-primitives', 'workload-create', 'high', backupAgent],
      ['rbac-risky-subjects', 'app-service-account-admin', 'high', sa('ci', 'deployer')],
      ['rbac-dangling-bindings', 'missing-service-account', 'medium', sa('team-c', 'ghost')],
      ['rbac-cluster-admins', 'cluster-admin', 'low', rbacSubject('Group', 'oncall-admins')],
      ['rbac-cluster-admins', 'cluster-admin', 'low', rbacSubject('User', 'alice@example.com')],
      [
        'rbac-dangling-bindings',
        'missing-role',
        'low',
        { apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', namespace: 'team-c', name: 'broken' },
      ],
    ]);
    const byRule = (rule: string) => report.findings.find((f) => f.rule === rule)!;

    // Namespace admins: team-a over the limit, team-b at it (the group-wide subject counts), team-c under.
    const details = report.checks.find((c) => c.id === 'rbac-cluster-admins')!.details!;
    expect(details.namespaceAdminCounts).toEqual({ 'team-a': 5, 'team-b': 3, 'team-c': 1 });
    expect(details.clusterAdminCount).toBe(4);
    const nsAdmins = byRule('too-many-namespace-admins');
    expect(nsAdmins.message).toBe(
      '5 subjects are admin-equivalent in namespace team-a through its RoleBindings (maxNamespaceAdmins 3): Group oncall, Group team-a-admins, ServiceAccount team-a/deployer, User auditor@example.com, User lead-a@example.com.',
    );
    const admin = ['impersonate', 'workload-create', 'secrets-read', 'pods-exec', 'token-create'];
    // Each grant (binding → role) once, the subjects referring to it by index (oncall-debug is
    // shared by Group oncall and User auditor@example.com), each role once with its rules
    // (admin, bound by team-admins and lead).
    const evidence = nsAdmins.evidence as {
      subjects: Array<{ label: string; powers: string[]; grants: number[] }>;
      grants: Array<{ binding: string; bindingKind: string; namespace: string; role: number }>;
      roles: Array<{ kind: string; name: string; rules: Array<{ rule: string; powers: string[] }> }>;
    };
    const via = (i: number) => {
      const g = evidence.grants[i]!;
      return `${g.namespace}/${g.binding} → ${evidence.roles[g.role]!.name}`;
    };
    expect(evidence.subjects.map((x) => [x.label, x.powers, x.grants.map(via)])).toEqual([
      ['Group oncall', ['pods-exec'], ['team-a/oncall-debug → pod-debugger']],
      ['Group team-a-admins', admin, ['team-a/team-admins → admin']],
      ['ServiceAccount team-a/deployer', admin, ['team-a/deployer-edit → edit']],
      ['User auditor@example.com', ['pods-exec'], ['team-a/oncall-debug → pod-debugger']],
      ['User lead-a@example.com', admin, ['team-a/lead → admin']],
    ]);
    expect(evidence.grants).toEqual([
      {
        binding: 'oncall-debug',
        bindingKind: 'RoleBinding',
        namespace: 'team-a',
        role: 0,
        roleRef: { kind: 'Role', name: 'pod-debugger' },
      },
      { binding: 'team-admins', bindingKind: 'RoleBinding', namespace: 'team-a', role: 1, roleRef: { kind: 'ClusterRole', name: 'admin' } },
      {
        binding: 'deployer-edit',
        bindingKind: 'RoleBinding',
        namespace: 'team-a',
        role: 2,
        roleRef: { kind: 'ClusterRole', name: 'edit' },
      },
      { binding: 'lead', bindingKind: 'RoleBinding', namespace: 'team-a', role: 1, roleRef: { kind: 'ClusterRole', name: 'admin' } },
    ]);
    expect(evidence.roles.map((r) => `${r.kind} ${r.name}`)).toEqual(['Role pod-debugger', 'ClusterRole admin', 'ClusterRole edit']);
    expect(evidence.roles[0]!.rules).toEqual([{ rule: 'apiGroups=[""] resources=[pods/exec] verbs=[create]', powers: ['pods-exec'] }]);
    // A rule giving two powers is listed once, with both.
    expect(evidence.roles[1]!.rules.filter((r) => r.powers.length > 1)).toEqual([
      {
        rule: 'apiGroups=[""] resources=[pods,pods/attach,pods/exec,pods/portforward,pods/proxy] verbs=[create,delete,deletecollection,patch,update]',
        powers: ['workload-create', 'pods-exec'],
      },
      {
        rule: 'apiGroups=[""] resources=[pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy] verbs=[get,list,watch]',
        powers: ['secrets-read', 'pods-exec'],
      },
    ]);
    expect(byRule('too-many-cluster-admins').message).toBe(
      "4 subjects outside the distribution's defaults are cluster-admin or equivalent (maxClusterAdmins 3): Group oncall-admins, ServiceAccount ci/deployer, ServiceAccount kube-system/backup-agent, User alice@example.com.",
    );

    // A RoleBinding in kube-system counts cluster-wide. edit's rule is its own and also aggregated
    // from system:aggregate-to-edit: one rule, the role's own.
    expect(byRule('token-create').evidence).toEqual({
      subject: 'ServiceAccount kube-system/backup-agent',
      power: 'token-create',
      grants: [
        {
          binding: 'backup-agent',
          bindingKind: 'RoleBinding',
          namespace: 'kube-system',
          role: 0,
          roleRef: { kind: 'ClusterRole', name: 'edit' },
        },
      ],
      roles: [
        {
          kind: 'ClusterRole',
          name: 'edit',
          rules: [{ rule: 'apiGroups=[""] resources=[serviceaccounts/token] verbs=[create]', powers: ['token-create'] }],
        },
      ],
    });

    expect(byRule('group-wide-admin').message).toBe('Group system:serviceaccounts:team-b can exec into pods in namespace team-b.');
    expect(byRule('missing-service-account').message).toBe(
      'ServiceAccount team-c/ghost does not exist, but RoleBinding team-c/ghost-edit (ClusterRole edit) grants it permissions.',
    );
    expect(byRule('missing-role').message).toBe(
      'RoleBinding team-c/broken refers to Role nope, which does not exist: creating it would grant its rules to User lead-c@example.com.',
    );
  });

  it('gives the same findings and details when each check runs alone (its own analysis)', async () => {
    const together = await scanDump(RBAC_CHECKS);
    for (const id of RBAC_CHECKS) {
      const alone = await scanDump([id]);
      expect(alone.findings.map(resourceOf), id).toEqual(together.findings.filter((f) => f.checkId === id).map(resourceOf));
      expect(alone.findings, id).toEqual(together.findings.filter((f) => f.checkId === id));
      const strip = ({ durationMs: _, ...c }: { durationMs: number }) => c;
      expect(strip(alone.checks[0]!), id).toEqual(strip(together.checks.find((c) => c.id === id)!));
    }
  });
});

describe('analyzeRbac', () => {
  const role: RbacRole = {
    kind: 'ClusterRole',
    name: 'admin',
    labels: {},
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [], nonResourceURLs: [] }],
  };
  const binding = (ns: string): RbacBinding => ({
    kind: 'RoleBinding',
    namespace: ns,
    name: 'b',
    roleRef: { kind: 'ClusterRole', name: 'admin' },
    subjects: [{ kind: 'User', name: 'u' }],
  });
  const objects = () => ({
    clusterroles: [role],
    clusterrolebindings: [] as RbacBinding[],
    roles: [] as RbacRole[],
    rolebindings: [binding('a'), binding('b')],
  });

  it('is made once for the same objects and options, and again for other objects or options', () => {
    const objs = objects();
    const a = analyzeRbac(objs, COMMON_DEFAULTS);
    expect(analyzeRbac({ ...objs }, { ...COMMON_DEFAULTS })).toBe(a);
    expect(a.subjects.map((s) => s.subject.name)).toEqual(['u']);
    expect([...a.namespaceGrants.keys()]).toEqual(['a', 'b']);
    // `*` in a namespace: every power but the cluster-scoped ones (nodes/proxy, CSR approval).
    expect(a.namespaceGrants.get('a')!.map((g) => g.power)).toEqual([
      'wildcard',
      'escalate',
      'bind',
      'impersonate',
      'workload-create',
      'secrets-read',
      'pods-exec',
      'token-create',
    ]);

    const otherOptions = analyzeRbac(objs, { ...COMMON_DEFAULTS, clusterEquivalentNamespaces: ['a'] });
    expect(otherOptions).not.toBe(a);
    expect([...new Set(otherOptions.grants.map((g) => `${g.namespace} ${g.clusterWide}`))]).toEqual(['a true', 'b false']);

    // A new scan reads new arrays: nothing of the previous analysis is reused.
    const next = objects();
    next.rolebindings.pop();
    const b = analyzeRbac(next, COMMON_DEFAULTS);
    expect(b).not.toBe(a);
    expect([...b.namespaceGrants.keys()]).toEqual(['a']);
  });
});

describe('bench/shapes-rbac.ts', () => {
  it('writes a dump the scanner reads, with the findings its shape implies', async () => {
    const at = await mkdtemp(join(tmpdir(), 'kube-preflight-rbac-shape-'));
    try {
      const counts = await writeRbacDump(join(at, 'dump'), { namespaces: 3, bindingsPerNamespace: 6 });
      // lab-1.26's objects plus, per namespace, 1 Namespace, 2 ServiceAccounts, 1 Role and 6 RoleBindings.
      expect(counts).toEqual({
        namespaces: 9 + 3,
        serviceaccounts: 43 + 6,
        'roles.rbac.authorization.k8s.io': 7 + 3,
        'rolebindings.rbac.authorization.k8s.io': 7 + 18,
        'clusterroles.rbac.authorization.k8s.io': 64,
        'clusterrolebindings.rbac.authorization.k8s.io': 48,
        nodes: 5,
      });
      const report = await scanDump(RBAC_CHECKS, join(at, 'dump'));
      expect(report.inputs.filter((i) => i.status !== 'ok' && i.status !== 'absent')).toEqual([]);
      const got = report.findings
        .filter((f) => f.rule === 'too-many-namespace-admins' || f.rule === 'missing-service-account')
        .map((f) => `${f.rule} ${resourceOf(f)}`);
      const ns = (i: number) => `too-many-namespace-admins {"apiVersion":"v1","kind":"Namespace","name":"team-${i}"}`;
      const ghost = (name: string) =>
        `missing-service-account {"apiVersion":"v1","kind":"ServiceAccount","namespace":"ci","name":"${name}"}`;
      expect(got).toEqual([ns(1), ns(2), ns(3), ghost('builder-1'), ghost('builder-2'), ghost('builder-3')]);
      const details = report.checks.find((c) => c.id === 'rbac-cluster-admins')!.details!;
      // team-admins, team-lead, deployer-edit, oncall-debug (2 subjects), ci-builder, and team-admins-1.
      expect(details.namespaceAdminCounts).toEqual({ 'team-1': 7, 'team-2': 7, 'team-3': 7 });
    } finally {
      await rm(at, { recursive: true, force: true });
    }
  });
});
