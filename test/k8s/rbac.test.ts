/**
 * RBAC evaluation (`src/k8s/rbac.ts`): rule matching, binding scope, subjects and implicit
 * groups, aggregation, admin-equivalent powers, and the comparison with
 * `kubectl auth can-i --list --as …` (SelfSubjectRulesReview).
 */
import { describe, expect, it } from 'vitest';
import {
  RoleIndex,
  allows,
  impersonatedUser,
  ruleAllowsNonResource,
  ruleAllowsResource,
  rulePowers,
  rulesFor,
  subjectGrants,
  type PowerContext,
} from '../../src/k8s/rbac.js';
import type { PolicyRule, RbacBinding, RbacRole, Subject } from '../../src/contract/values/rbac.js';

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames: string[] = []): PolicyRule => ({
  apiGroups,
  resources,
  verbs,
  resourceNames,
  nonResourceURLs: [],
});
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({
  apiGroups: [],
  resources: [],
  verbs,
  resourceNames: [],
  nonResourceURLs,
});
const cr = (
  name: string,
  rules: PolicyRule[],
  labels: Record<string, string> = {},
  aggregationRule?: RbacRole['aggregationRule'],
): RbacRole => ({ kind: 'ClusterRole', name, labels, rules, ...(aggregationRule ? { aggregationRule } : {}) });
const crb = (name: string, role: string, ...subjects: Subject[]): RbacBinding => ({
  kind: 'ClusterRoleBinding',
  name,
  roleRef: { kind: 'ClusterRole', name: role },
  subjects,
});
const rb = (namespace: string, name: string, roleRef: RbacBinding['roleRef'], ...subjects: Subject[]): RbacBinding => ({
  kind: 'RoleBinding',
  namespace,
  name,
  roleRef,
  subjects,
});
const user = (name: string): Subject => ({ kind: 'User', name });
const group = (name: string): Subject => ({ kind: 'Group', name });
const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', namespace, name });
const none: PowerContext = { rolePowerful: () => false, impersonationTargetPowerful: () => false };
const CLUSTER = { cluster: true } as const;

describe('rule matching', () => {
  it('matches verbs, groups, resources and subresources like the RBAC helpers', () => {
    const r = rule(['', 'apps'], ['pods', 'deployments/scale', '*/status'], ['get', 'list']);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: '', resource: 'pods' })).toBe(true);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'exec' })).toBe(false);
    expect(ruleAllowsResource(r, { verb: 'list', apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })).toBe(true);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: 'apps', resource: 'deployments' })).toBe(false);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: 'apps', resource: 'statefulsets', subresource: 'status' })).toBe(true);
    expect(ruleAllowsResource(r, { verb: 'delete', apiGroup: '', resource: 'pods' })).toBe(false);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: 'batch', resource: 'pods' })).toBe(false);
    expect(
      ruleAllowsResource(rule(['*'], ['*'], ['*']), { verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }),
    ).toBe(true);
  });

  it('restricts to resourceNames, which a request without a name never matches', () => {
    const r = rule([''], ['secrets'], ['get', 'list'], ['app-config']);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'app-config' })).toBe(true);
    expect(ruleAllowsResource(r, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'other' })).toBe(false);
    expect(ruleAllowsResource(r, { verb: 'list', apiGroup: '', resource: 'secrets' })).toBe(false);
  });

  it('matches non-resource URLs exactly, by * or by a trailing * prefix', () => {
    const r = urls(['/healthz', '/.well-known/*'], ['get']);
    expect(ruleAllowsNonResource(r, { verb: 'get', path: '/healthz' })).toBe(true);
    expect(ruleAllowsNonResource(r, { verb: 'get', path: '/healthz/etcd' })).toBe(false);
    expect(ruleAllowsNonResource(r, { verb: 'get', path: '/.well-known/openid-configuration' })).toBe(true);
    expect(ruleAllowsNonResource(urls(['*'], ['*']), { verb: 'post', path: '/anything' })).toBe(true);
    expect(ruleAllowsNonResource(rule(['*'], ['*'], ['*']), { verb: 'get', path: '/healthz' })).toBe(false);
  });
});

describe('bindings, subjects and groups', () => {
  const index = new RoleIndex(
    [cr('secret-reader', [rule([''], ['secrets'], ['get'])])],
    [{ kind: 'Role', namespace: 'prod', name: 'pods', labels: {}, rules: [rule([''], ['pods'], ['create'])] }],
  );
  const bindings = [
    rb('prod', 'r1', { kind: 'ClusterRole', name: 'secret-reader' }, user('alice')),
    rb('prod', 'r2', { kind: 'Role', name: 'pods' }, { kind: 'ServiceAccount', name: 'ci' }),
    crb('c1', 'secret-reader', group('system:serviceaccounts:dev')),
  ];

  it('grants a ClusterRole through a RoleBinding only in that namespace, never cluster-scoped', () => {
    const alice = impersonatedUser('alice');
    expect(allows(alice, { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'prod', name: 'x' }, bindings, index)).toBe(true);
    expect(allows(alice, { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'dev', name: 'x' }, bindings, index)).toBe(false);
    expect(allows(alice, { verb: 'get', apiGroup: '', resource: 'secrets', name: 'x' }, bindings, index)).toBe(false);
  });

  it('gives a RoleBinding ServiceAccount subject without namespace the binding namespace', () => {
    expect(
      allows(
        impersonatedUser('system:serviceaccount:prod:ci'),
        { verb: 'create', apiGroup: '', resource: 'pods', namespace: 'prod' },
        bindings,
        index,
      ),
    ).toBe(true);
    expect(
      allows(
        impersonatedUser('system:serviceaccount:dev:ci'),
        { verb: 'create', apiGroup: '', resource: 'pods', namespace: 'prod' },
        bindings,
        index,
      ),
    ).toBe(false);
  });

  it('adds the groups of the impersonation filter', () => {
    expect(impersonatedUser('alice').groups).toEqual(['system:authenticated']);
    expect(impersonatedUser('alice', ['devs']).groups).toEqual(['devs', 'system:authenticated']);
    expect(impersonatedUser('system:serviceaccount:dev:ci').groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:dev',
      'system:authenticated',
    ]);
    expect(impersonatedUser('system:anonymous').groups).toEqual(['system:unauthenticated']);
    expect(
      allows(
        impersonatedUser('system:serviceaccount:dev:any'),
        { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'x', name: 'y' },
        bindings,
        index,
      ),
    ).toBe(true);
  });

  it('lets system:masters through without any binding', () => {
    expect(
      allows(impersonatedUser('root', ['system:masters']), { verb: 'delete', apiGroup: '', resource: 'nodes', name: 'n1' }, [], index),
    ).toBe(true);
    expect(rulesFor(impersonatedUser('root', ['system:masters']), '', [], index)).toEqual([]);
  });

  it('skips bindings whose role does not exist', () => {
    const missing = [crb('c', 'nope', user('bob'))];
    expect(rulesFor(impersonatedUser('bob'), '', missing, index)).toEqual([]);
  });
});

describe('aggregation', () => {
  const view = cr('view', [rule([''], ['pods'], ['get'])], { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, [
    { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
  ]);
  const edit = cr('edit', [], { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, [
    { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } },
  ]);
  const admin = cr('admin', [], {}, [{ matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }]);
  const crd = cr('widgets-view', [rule(['example.com'], ['widgets'], ['get'])], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
  const loop = cr('loop', [rule([''], ['configmaps'], ['get'])], { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, [
    { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } },
  ]);
  const index = new RoleIndex([view, edit, admin, crd, loop], []);

  it('unions stored rules with the rules of selected roles, transitively', () => {
    const got = index.rulesOf(admin).map((r) => `${r.aggregatedFrom}:${r.rule.resources.join(',')}`);
    // `edit` has no rules of its own; its selected roles come in through it.
    expect(got).toEqual(['loop:configmaps', 'view:pods', 'widgets-view:widgets']);
    expect(index.rulesOf(view).map((r) => r.aggregatedFrom ?? 'own')).toEqual(['own', 'widgets-view']);
  });

  it('never aggregates a role into itself', () => {
    expect(index.rulesOf(loop).map((r) => r.aggregatedFrom ?? 'own')).toEqual(['own', 'view', 'widgets-view']);
  });
});

describe('admin-equivalent powers of one rule', () => {
  it('finds each power and only it', () => {
    const cases: Array<[PolicyRule, string[]]> = [
      [
        rule(['*'], ['*'], ['*']),
        [
          'wildcard',
          'escalate',
          'bind',
          'impersonate',
          'workload-create',
          'secrets-read',
          'nodes-proxy',
          'pods-exec',
          'csr-approval-update',
          'token-create',
          'csr-signer-approve',
        ],
      ],
      [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate']), ['escalate']],
      [rule(['rbac.authorization.k8s.io'], ['roles'], ['bind']), ['bind']],
      [rule([''], ['users', 'groups'], ['impersonate']), ['impersonate']],
      [rule(['authentication.k8s.io'], ['uids', 'userextras/scopes'], ['impersonate']), []],
      [rule(['batch'], ['cronjobs'], ['create']), ['workload-create']],
      [rule(['apps'], ['deployments'], ['update', 'patch']), []],
      [rule([''], ['secrets'], ['watch']), ['secrets-read']],
      [rule([''], ['nodes/proxy'], ['get']), ['nodes-proxy']],
      [rule([''], ['nodes/proxy'], ['list', 'watch']), []],
      [rule([''], ['pods/exec'], ['get']), ['pods-exec']],
      [rule([''], ['pods/attach'], ['create']), []],
      [rule([''], ['serviceaccounts/token'], ['create']), ['token-create']],
      [rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/*']), ['csr-signer-approve']],
      [rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kubelet-serving']), []],
      [rule([''], ['pods', 'services'], ['get', 'list', 'watch']), []],
    ];
    for (const [r, want] of cases) expect(rulePowers(r, CLUSTER, none), JSON.stringify(r)).toEqual(want);
  });

  it('grants in a namespace only what a RoleBinding can grant', () => {
    const ns = { cluster: false, namespace: 'prod' } as const;
    expect(rulePowers(rule(['*'], ['*'], ['*']), ns, none)).toEqual([
      'wildcard',
      'escalate',
      'bind',
      'impersonate',
      'workload-create',
      'secrets-read',
      'pods-exec',
      'token-create',
    ]);
    expect(rulePowers(rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind', 'escalate']), ns, none)).toEqual([]);
    expect(rulePowers(rule([''], ['users', 'groups'], ['impersonate']), ns, none)).toEqual([]);
  });

  it('counts resourceNames-restricted bind, escalate and impersonate only toward powerful targets', () => {
    const ctx: PowerContext = {
      rolePowerful: (_k, n) => n === 'cluster-admin',
      impersonationTargetPowerful: (r, n) => r === 'users' && n === 'alice',
    };
    expect(rulePowers(rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], ['cluster-admin']), CLUSTER, ctx)).toEqual(['bind']);
    expect(rulePowers(rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['bind'], ['view']), CLUSTER, ctx)).toEqual([]);
    expect(rulePowers(rule([''], ['groups'], ['impersonate'], ['system:masters']), CLUSTER, ctx)).toEqual(['impersonate']);
    expect(rulePowers(rule([''], ['users'], ['impersonate'], ['alice']), CLUSTER, ctx)).toEqual(['impersonate']);
    expect(rulePowers(rule([''], ['users'], ['impersonate'], ['bob']), CLUSTER, ctx)).toEqual([]);
    expect(rulePowers(rule([''], ['secrets'], ['get'], ['one']), CLUSTER, ctx)).toEqual([]);
  });
});

describe('subjectGrants', () => {
  it('groups paths by subject, power and namespace, needs both CSR halves, and resolves restricted targets', () => {
    const index = new RoleIndex(
      [
        cr('cluster-admin', [rule(['*'], ['*'], ['*'])]),
        cr('approve', [rule(['certificates.k8s.io'], ['certificatesigningrequests/approval'], ['update'])]),
        cr('sign', [rule(['certificates.k8s.io'], ['signers'], ['approve'], ['kubernetes.io/kube-apiserver-client'])]),
        cr('as-alice', [rule([''], ['users'], ['impersonate'], ['alice'])]),
        cr('secrets', [rule([''], ['secrets'], ['list'])]),
      ],
      [],
    );
    const grants = subjectGrants(
      [
        crb('a', 'cluster-admin', user('alice')),
        crb('b', 'approve', user('carol')),
        crb('c', 'sign', user('carol')),
        crb('d', 'approve', user('dave')),
        crb('e', 'as-alice', user('erin')),
        rb('prod', 'f', { kind: 'ClusterRole', name: 'secrets' }, sa('prod', 'app')),
      ],
      index,
    );
    const summary = grants.map(
      (g) =>
        `${g.subject.kind}/${g.subject.name}:${g.power}${g.namespace ? `@${g.namespace}` : ''}:${g.paths.map((p) => p.binding.name).join('+')}`,
    );
    expect(summary.filter((s) => !s.startsWith('User/alice'))).toEqual([
      'ServiceAccount/app:secrets-read@prod:f',
      'User/carol:csr-approve:b+c',
      'User/erin:impersonate:e',
    ]);
    expect(summary.filter((s) => s.startsWith('User/alice')).length).toBe(10);
  });
});

/**
 * `kubectl auth can-i --list --as=<user> [--as-group=<g>] -n <ns>` sends a
 * SelfSubjectRulesReview for the impersonated user (the API server adds the groups of
 * {@link impersonatedUser}) and prints the rules RBAC gives it in that namespace: those of every
 * ClusterRoleBinding and of the RoleBindings of `<ns>` naming the user, one of its groups or
 * (for a ServiceAccount) itself. `rulesFor(impersonatedUser(...), ns)` reproduces that list.
 *
 * Differences from the rbac checks, on purpose:
 * 1. can-i answers for one user; the checks report binding subjects. A Group's power appears in
 *    `--as=alice` only with `--as-group=<group>` (RBAC does not know who is in a group), so the
 *    checks report the Group itself (`oncall-admins`), not its members.
 * 2. can-i lists one namespace (`default` unless `-n`); the checks read every RoleBinding.
 * 3. can-i prints rules, not the binding → role → rule path, and does not tell defaults apart.
 * 4. For `--as-group=system:masters` can-i lists `*` on `*` even with no binding (the
 *    privileged-group authorizer answers); `rulesFor` returns RBAC rules only, and the checks
 *    list `system:masters` as built-in admin.
 * 5. The API server reads an aggregated ClusterRole's stored `rules` (filled by the controller);
 *    `rulesFor` adds the selected roles' rules too, so it is a superset until the controller has run.
 * 6. A binding to a missing role makes SelfSubjectRulesReview report an `evaluationError`; here
 *    it contributes no rule and `rbac-dangling-bindings` reports it.
 * 7. Node and webhook authorizers are outside RBAC: can-i marks its answer `incomplete`; the
 *    checks do not see them either.
 */
describe('comparison with kubectl auth can-i --list (SelfSubjectRulesReview)', () => {
  // The RBAC objects of fixtures/dumps/lab-1.26 that apply to the seeded subjects.
  const index = new RoleIndex(
    [
      cr('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
      cr('system:basic-user', [rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create'])]),
      cr('system:discovery', [
        urls(
          ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
          ['get'],
        ),
      ]),
      cr('system:public-info-viewer', [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'], ['get'])]),
      cr('system:service-account-issuer-discovery', [urls(['/.well-known/openid-configuration', '/openid/v1/jwks'], ['get'])]),
    ],
    [],
  );
  const bindings = [
    crb('cluster-admin', 'cluster-admin', group('system:masters')),
    crb('alice-cluster-admin', 'cluster-admin', user('alice@example.com')),
    crb('oncall-admins-cluster-admin', 'cluster-admin', group('oncall-admins')),
    crb('ci-deployer-cluster-admin', 'cluster-admin', sa('ci', 'deployer')),
    crb('system:basic-user', 'system:basic-user', group('system:authenticated')),
    crb('system:discovery', 'system:discovery', group('system:authenticated')),
    crb('system:public-info-viewer', 'system:public-info-viewer', group('system:authenticated'), group('system:unauthenticated')),
    crb('system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', group('system:serviceaccounts')),
  ];
  const roles = (as: string, groups: string[] = [], ns = 'default') =>
    [...new Set(rulesFor(impersonatedUser(as, groups), ns, bindings, index).map((g) => g.role.name))].sort();

  it('--as=system:serviceaccount:ci:deployer -n ci: cluster-admin plus the authenticated and service-account defaults', () => {
    expect(roles('system:serviceaccount:ci:deployer', [], 'ci')).toEqual([
      'cluster-admin',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
      'system:service-account-issuer-discovery',
    ]);
  });

  it('--as=bob@example.com lists no cluster-admin rules until --as-group=oncall-admins is given', () => {
    expect(roles('bob@example.com')).toEqual(['system:basic-user', 'system:discovery', 'system:public-info-viewer']);
    expect(roles('bob@example.com', ['oncall-admins'])).toEqual([
      'cluster-admin',
      'system:basic-user',
      'system:discovery',
      'system:public-info-viewer',
    ]);
  });

  it('the checks see the same power from the binding subjects', () => {
    const admins = subjectGrants(bindings, index)
      .filter((g) => g.power === 'wildcard')
      .map((g) => `${g.subject.kind}/${g.subject.name}`);
    expect(admins).toEqual(['Group/oncall-admins', 'Group/system:masters', 'ServiceAccount/deployer', 'User/alice@example.com']);
  });
});
