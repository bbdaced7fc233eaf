/**
 * RBAC evaluation as the Kubernetes RBAC authorizer does it, plus the "admin-equivalent"
 * powers an audit looks for.
 *
 * Semantics (sources, read from `kubernetes/kubernetes`):
 * - rule matching: `pkg/apis/rbac/v1/evaluation_helpers.go` (`VerbMatches`, `APIGroupMatches`,
 *   `ResourceMatches` — `*`, exact `resource/subresource`, and `* /subresource` —,
 *   `ResourceNameMatches` — an empty list allows every name, a non-empty one only those names —,
 *   `NonResourceURLMatches` — exact, `*`, or a trailing `*` prefix);
 * - which bindings apply: `plugin/pkg/auth/authorizer/rbac/rbac.go` and
 *   `pkg/registry/rbac/validation/rule.go` (`VisitRulesFor`): every ClusterRoleBinding, and the
 *   RoleBindings of the request's namespace only; a request for a cluster-scoped resource (or a
 *   non-resource URL) has no namespace, so RoleBindings never grant it;
 * - subjects (`appliesToUser`): a User by name, a Group by the user's groups, a ServiceAccount by
 *   the user name `system:serviceaccount:<ns>:<name>` (a ServiceAccount subject without namespace
 *   in a RoleBinding takes the binding's namespace);
 * - aggregation: `pkg/controller/clusterroleaggregation` fills `rules` of a ClusterRole that has
 *   `aggregationRule.clusterRoleSelectors` with the rules of every other ClusterRole matching
 *   any selector; since the aggregated roles are themselves filled, the result is transitive
 *   (`admin` ⊇ `edit` ⊇ `view`). Here the effective rules are the union of the stored rules and
 *   the aggregated ones, so a dump taken before the controller ran is not under-counted;
 * - implicit groups: every authenticated user is in `system:authenticated`, the anonymous user
 *   `system:anonymous` is in `system:unauthenticated`, a ServiceAccount is also in
 *   `system:serviceaccounts` and `system:serviceaccounts:<ns>`
 *   (`staging/src/k8s.io/apiserver/pkg/authentication/serviceaccount/util.go` `MakeGroupNames`).
 *   Members of `system:masters` bypass RBAC entirely (the privileged-group authorizer).
 *
 * Admin-equivalent powers follow "Role Based Access Control Good Practices"
 * (kubernetes.io/docs/concepts/security/rbac-good-practices/, "Privilege escalation risks"),
 * CIS Kubernetes Benchmark 5.1.x and kube-preflight issue 9; see {@link POWERS}.
 */
import { fromLabelSelector, matches } from './selectors.js';
import type { PolicyRule, RbacBinding, RbacRole, Subject } from '../contract/values/rbac.js';

/** Attributes of a resource request, as the authorizer sees them. */
export interface ResourceRequest {
  verb: string;
  /** `''` for the core group. */
  apiGroup: string;
  resource: string;
  subresource?: string;
  name?: string;
  /** Absent (or `''`) for a cluster-scoped resource or an all-namespaces list. */
  namespace?: string;
}

export interface NonResourceRequest {
  verb: string;
  path: string;
}

/** An authenticated user as the authorizer sees it. */
export interface UserInfo {
  name: string;
  groups: string[];
}

export const SYSTEM_MASTERS = 'system:masters';
export const ALL_AUTHENTICATED = 'system:authenticated';
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';
export const ANONYMOUS_USER = 'system:anonymous';

/** `system:serviceaccount:<ns>:<name>`, the user name of a ServiceAccount's tokens. */
export function serviceAccountUserName(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Namespace and name of a ServiceAccount user name, or undefined for any other user. */
export function splitServiceAccountUserName(user: string): { namespace: string; name: string } | undefined {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  return m ? { namespace: m[1]!, name: m[2]! } : undefined;
}

/** The groups the authenticator gives a ServiceAccount token (without `system:authenticated`). */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`];
}

/**
 * The user `kubectl --as=<as> --as-group=<g>…` makes the API server evaluate, following the
 * impersonation filter (`staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`):
 * a ServiceAccount user without `--as-group` gets the ServiceAccount groups; a user other than
 * `system:anonymous` gets `system:authenticated` unless `system:authenticated` or
 * `system:unauthenticated` was given; `system:anonymous` gets `system:unauthenticated`.
 */
export function impersonatedUser(as: string, asGroups: string[] = []): UserInfo {
  let groups = [...asGroups];
  const sa = splitServiceAccountUserName(as);
  if (sa && groups.length === 0) groups = serviceAccountGroups(sa.namespace);
  if (as !== ANONYMOUS_USER) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { name: as, groups };
}

/** True when the binding subject designates the user (`appliesToUser`). */
export function subjectMatchesUser(subject: Subject, user: UserInfo, bindingNamespace?: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || bindingNamespace;
      return ns !== undefined && user.name === serviceAccountUserName(ns, subject.name);
    }
  }
}

// ---- rule matching -------------------------------------------------------------------------

const has = (list: string[], v: string): boolean => list.includes('*') || list.includes(v);

/** `VerbMatches` ∧ `APIGroupMatches` ∧ `ResourceMatches` ∧ `ResourceNameMatches`. */
export function ruleAllowsResource(rule: PolicyRule, req: ResourceRequest): boolean {
  if (!has(rule.verbs, req.verb) || !has(rule.apiGroups, req.apiGroup)) return false;
  const combined = req.subresource ? `${req.resource}/${req.subresource}` : req.resource;
  const resourceOk = rule.resources.some(
    (r) => r === '*' || r === combined || (req.subresource !== undefined && r === `*/${req.subresource}`),
  );
  if (!resourceOk) return false;
  if (rule.resourceNames.length === 0) return true;
  return req.name !== undefined && req.name !== '' && rule.resourceNames.includes(req.name);
}

/** `VerbMatches` ∧ `NonResourceURLMatches`. */
export function ruleAllowsNonResource(rule: PolicyRule, req: NonResourceRequest): boolean {
  if (!has(rule.verbs, req.verb)) return false;
  return rule.nonResourceURLs.some((u) => u === '*' || u === req.path || (u.endsWith('*') && req.path.startsWith(u.slice(0, -1))));
}

// ---- role index and aggregation ------------------------------------------------------------

/** A rule with the role it came from when it was aggregated into another ClusterRole. */
export interface SourcedRule {
  rule: PolicyRule;
  /** Name of the ClusterRole the rule was aggregated from (absent: the role's own rule). */
  aggregatedFrom?: string;
}

/**
 * Roles by name, with the effective rules of every ClusterRole (stored ∪ aggregated), each
 * computed once. Throws nothing: a ClusterRole with an invalid selector aggregates nothing from it.
 */
export class RoleIndex {
  private readonly clusterRoles = new Map<string, RbacRole>();
  private readonly roles = new Map<string, RbacRole>();
  private readonly effective = new Map<RbacRole, SourcedRule[]>();
  private readonly selected = new Map<string, RbacRole[]>();

  constructor(clusterRoles: RbacRole[], roles: RbacRole[]) {
    for (const r of clusterRoles) this.clusterRoles.set(r.name, r);
    for (const r of roles) this.roles.set(`${r.namespace ?? ''}/${r.name}`, r);
  }

  /** The role a binding refers to: a ClusterRole, or a Role of the binding's namespace. */
  resolve(binding: RbacBinding): RbacRole | undefined {
    if (binding.roleRef.kind === 'Role' && binding.kind === 'ClusterRoleBinding') return undefined;
    return this.get(binding.roleRef.kind, binding.roleRef.name, binding.namespace);
  }

  /** A ClusterRole by name, or a Role by namespace and name. */
  get(kind: 'ClusterRole' | 'Role', name: string, namespace?: string): RbacRole | undefined {
    return kind === 'ClusterRole' ? this.clusterRoles.get(name) : this.roles.get(`${namespace ?? ''}/${name}`);
  }

  /**
   * Effective rules of a role: its own, plus (ClusterRoles) those aggregated into it,
   * transitively. An aggregated rule equal to one already listed (the aggregation controller
   * copies every selected rule into the role's own `rules`, and `admin` aggregates `edit`, which
   * aggregates `system:aggregate-to-edit`) is listed once, at its first place: the role's own rule.
   */
  rulesOf(role: RbacRole): SourcedRule[] {
    const cached = this.effective.get(role);
    if (cached) return cached;
    const out: SourcedRule[] = role.rules.map((rule) => ({ rule }));
    if (role.kind === 'ClusterRole' && role.aggregationRule) {
      const ruleKey = (r: PolicyRule): string => JSON.stringify([r.verbs, r.apiGroups, r.resources, r.resourceNames, r.nonResourceURLs]);
      const listed = new Set(role.rules.map(ruleKey));
      const seen = new Set<string>([role.name]);
      const queue: RbacRole[] = [role];
      for (const next of queue) {
        for (const other of this.aggregatedInto(next)) {
          if (seen.has(other.name)) continue;
          seen.add(other.name);
          for (const rule of other.rules) {
            const key = ruleKey(rule);
            if (listed.has(key)) continue;
            listed.add(key);
            out.push({ rule, aggregatedFrom: other.name });
          }
          if (other.aggregationRule) queue.push(other);
        }
      }
    }
    this.effective.set(role, out);
    return out;
  }

  /**
   * ClusterRoles selected by a ClusterRole's `clusterRoleSelectors` (never itself), sorted by
   * name; computed once per aggregating ClusterRole.
   */
  private aggregatedInto(role: RbacRole): RbacRole[] {
    const cached = this.selected.get(role.name);
    if (cached) return cached;
    const selectors = (role.aggregationRule ?? []).map((s) => {
      try {
        return fromLabelSelector(s);
      } catch {
        return null;
      }
    });
    const out = [...this.clusterRoles.values()]
      .filter((c) => c.name !== role.name && selectors.some((s) => matches(s, c.labels)))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.selected.set(role.name, out);
    return out;
  }
}

// ---- evaluation for a user (what SelfSubjectRulesReview / `kubectl auth can-i` see) ---------

/** A rule a user holds, with the binding and role that grant it. */
export interface GrantedRule extends SourcedRule {
  binding: RbacBinding;
  role: RbacRole;
}

/**
 * The RBAC rules that apply to a user in a namespace (`''` = cluster scope: ClusterRoleBindings
 * only), as the RBAC authorizer's `VisitRulesFor` walks them. Bindings whose role is missing
 * contribute nothing. Does not model the `system:masters` bypass (see {@link isPrivileged}).
 */
export function rulesFor(user: UserInfo, namespace: string, bindings: RbacBinding[], index: RoleIndex): GrantedRule[] {
  const out: GrantedRule[] = [];
  for (const b of bindings) {
    if (b.kind === 'RoleBinding' && (namespace === '' || b.namespace !== namespace)) continue;
    if (!b.subjects.some((s) => subjectMatchesUser(s, user, b.namespace))) continue;
    const role = index.resolve(b);
    if (!role) continue;
    for (const sr of index.rulesOf(role)) out.push({ ...sr, binding: b, role });
  }
  return out;
}

/** True for a member of `system:masters`, whom the API server authorizes without RBAC. */
export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes(SYSTEM_MASTERS);
}

/** Whether RBAC (plus the `system:masters` bypass) allows the request. */
export function allows(user: UserInfo, req: ResourceRequest | NonResourceRequest, bindings: RbacBinding[], index: RoleIndex): boolean {
  if (isPrivileged(user)) return true;
  if ('path' in req) return rulesFor(user, '', bindings, index).some((g) => ruleAllowsNonResource(g.rule, req));
  return rulesFor(user, req.namespace ?? '', bindings, index).some((g) => ruleAllowsResource(g.rule, req));
}

// ---- admin-equivalent powers -----------------------------------------------------------------

/**
 * The powers that make a subject cluster-admin or equivalent (issue 9; "RBAC Good Practices",
 * "Privilege escalation risks"; CIS 5.1.1–5.1.13):
 *
 * | key | granted by |
 * |---|---|
 * | `wildcard` | one rule with `*` verbs on `*` resources in `*` API groups, without `resourceNames` (in a RoleBinding: everything in its namespace) |
 * | `escalate` | `escalate` on `roles`/`clusterroles` (create or edit roles with permissions one lacks) |
 * | `bind` | `bind` on `roles`/`clusterroles` (bind any role, e.g. `cluster-admin`) |
 * | `impersonate` | `impersonate` on `users`, `groups` or `serviceaccounts` |
 * | `workload-create` | `create` on pods or a workload controller (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers): a pod can run as any ServiceAccount of its namespace and mount host paths |
 * | `secrets-read` | `get`, `list` or `watch` on secrets (`list`/`watch` return the data) |
 * | `nodes-proxy` | `get`, `create`, `update`, `patch` or `delete` on `nodes/proxy` (`get` is enough for the kubelet's exec over WebSocket) |
 * | `pods-exec` | `get` or `create` on `pods/exec` (`get` is enough over WebSocket until KEP-4006) |
 * | `csr-approve` | `update` on `certificatesigningrequests/approval` and `approve` on `signers` for `kubernetes.io/kube-apiserver-client` (mint a client certificate for `O=system:masters`) |
 * | `token-create` | `create` on `serviceaccounts/token` (mint a token for any ServiceAccount) |
 *
 * A rule restricted by `resourceNames` grants the power only where noted in {@link rulePowers}.
 */
export const POWERS = [
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
] as const;
export type Power = (typeof POWERS)[number];
const POWER_INDEX = Object.fromEntries(POWERS.map((p, i) => [p, i])) as Record<Power, number>;

/** One-line description of each power, for messages. */
export const POWER_TITLES: Record<Power, string> = {
  wildcard: 'do anything (all verbs on all resources, as cluster-admin)',
  escalate: 'escalate on roles/clusterroles',
  bind: 'bind roles/clusterroles',
  impersonate: 'impersonate users, groups or service accounts',
  'workload-create': 'create pods or workloads',
  'secrets-read': 'read secrets',
  'nodes-proxy': 'proxy to kubelets (nodes/proxy)',
  'pods-exec': 'exec into pods',
  'csr-approve': 'approve kube-apiserver-client certificate requests',
  'token-create': 'create service account tokens',
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const CERT_GROUP = 'certificates.k8s.io';
const WORKLOADS: Array<[string, string]> = [
  ['', 'pods'],
  ['', 'replicationcontrollers'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];
/** The API-server client signer and the wildcard form the signer authorization also accepts. */
const CLIENT_SIGNER_NAMES = ['kubernetes.io/kube-apiserver-client', 'kubernetes.io/*'];

/** Where a rule is evaluated: cluster-wide (ClusterRoleBinding) or in one namespace (RoleBinding). */
export type Scope = { cluster: true } | { cluster: false; namespace: string };

/** A power a single rule grants; `csr-approve` needs both halves, from any rules of the subject. */
export type RulePower = Power | 'csr-approval-update' | 'csr-signer-approve';

/** What {@link rulePowers} needs to judge rules restricted by `resourceNames`. */
export interface PowerContext {
  /** True when the named role (ClusterRole, or Role of the namespace for a namespace scope) grants a power other than `bind`/`escalate`. */
  rolePowerful(kind: 'ClusterRole' | 'Role', name: string, namespace?: string): boolean;
  /** True when impersonating this name (of `users`, `groups` or namespaced `serviceaccounts`) yields admin power. */
  impersonationTargetPowerful(resource: 'users' | 'groups' | 'serviceaccounts', name: string, namespace?: string): boolean;
}

/**
 * The powers one rule grants in a scope. A RoleBinding grants only namespaced resources of its
 * namespace, so cluster-scoped ones (`clusterroles`, `users`, `groups`, `nodes/proxy`,
 * `certificatesigningrequests`, `signers`) never come from it. `csr-approve` needs two rules
 * and is returned as `csr-approval-update` / `csr-signer-approve` halves, combined by the caller.
 * `nodes/proxy` counts with any verb a proxy request is authorized as (`get`, `create`, `update`,
 * `patch`, `delete`; `list`/`watch` do not apply to it).
 *
 * Rules with `resourceNames`: `bind`/`escalate` count when a named role is itself powerful,
 * `impersonate` when a named target is (or is `system:masters`), `csr-signer-approve` when a
 * name is the client signer; the other powers need an unrestricted rule.
 */
export function rulePowers(rule: PolicyRule, scope: Scope, ctx: PowerContext): RulePower[] {
  const out: RulePower[] = [];
  if (rule.resources.length === 0 || rule.verbs.length === 0) return out;
  const ns = scope.cluster ? undefined : scope.namespace;
  const unrestricted = rule.resourceNames.length === 0;
  const covers = (group: string, resource: string, subresource?: string): boolean =>
    has(rule.apiGroups, group) &&
    rule.resources.some(
      (r) =>
        r === '*' ||
        r === (subresource ? `${resource}/${subresource}` : resource) ||
        (subresource !== undefined && r === `*/${subresource}`),
    );
  const can = (verbs: string[], group: string, resource: string, subresource?: string): boolean =>
    verbs.some((v) => has(rule.verbs, v)) && covers(group, resource, subresource);

  if (unrestricted && rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*')) out.push('wildcard');

  // A RoleBinding grants these only on Roles of its own namespace (`roles`); `clusterroles` is
  // cluster-scoped, so only a ClusterRoleBinding grants it.
  const roleKinds: Array<['ClusterRole' | 'Role', string]> = scope.cluster
    ? [
        ['ClusterRole', 'clusterroles'],
        ['Role', 'roles'],
      ]
    : [['Role', 'roles']];
  for (const verb of ['escalate', 'bind'] as const) {
    const granted = roleKinds.some(
      ([kind, resource]) =>
        can([verb], RBAC_GROUP, resource) && (unrestricted || rule.resourceNames.some((n) => ctx.rolePowerful(kind, n, ns))),
    );
    if (granted) out.push(verb);
  }

  // `users` and `groups` are cluster-scoped; `serviceaccounts` are namespaced. Impersonating
  // only `uids` or `userextras` does not change who one is, so it is not counted.
  const targets: Array<'users' | 'groups' | 'serviceaccounts'> = scope.cluster
    ? ['users', 'groups', 'serviceaccounts']
    : ['serviceaccounts'];
  const impersonates = targets.some(
    (resource) =>
      can(['impersonate'], '', resource) &&
      (unrestricted ||
        rule.resourceNames.some(
          (n) => (resource === 'groups' && n === SYSTEM_MASTERS) || ctx.impersonationTargetPowerful(resource, n, ns),
        )),
  );
  if (impersonates) out.push('impersonate');

  if (unrestricted) {
    if (WORKLOADS.some(([g, r]) => can(['create'], g, r))) out.push('workload-create');
    if (can(['get', 'list', 'watch'], '', 'secrets')) out.push('secrets-read');
    if (scope.cluster && can(['get', 'create', 'update', 'patch', 'delete'], '', 'nodes', 'proxy')) out.push('nodes-proxy');
    if (can(['get', 'create'], '', 'pods', 'exec')) out.push('pods-exec');
    if (scope.cluster && can(['update'], CERT_GROUP, 'certificatesigningrequests', 'approval')) out.push('csr-approval-update');
    if (can(['create'], '', 'serviceaccounts', 'token')) out.push('token-create');
  }
  if (
    scope.cluster &&
    can(['approve'], CERT_GROUP, 'signers') &&
    (unrestricted || rule.resourceNames.some((n) => CLIENT_SIGNER_NAMES.includes(n)))
  ) {
    out.push('csr-signer-approve');
  }
  return out;
}

/** `apiGroups/resources:verbs` style one-line rendering of a rule, for messages. */
export function formatRule(rule: PolicyRule): string {
  if (rule.nonResourceURLs.length > 0 && rule.resources.length === 0)
    return `nonResourceURLs=[${rule.nonResourceURLs.join(',')}] verbs=[${rule.verbs.join(',')}]`;
  const groups = rule.apiGroups.map((g) => (g === '' ? '""' : g)).join(',');
  const names = rule.resourceNames.length > 0 ? ` resourceNames=[${rule.resourceNames.join(',')}]` : '';
  return `apiGroups=[${groups}] resources=[${rule.resources.join(',')}]${names} verbs=[${rule.verbs.join(',')}]`;
}

// ---- powers per subject ----------------------------------------------------------------------

/** One way a subject holds a power: binding → role → rule. */
export interface PowerPath {
  binding: RbacBinding;
  role: RbacRole;
  rule: PolicyRule;
  /** The ClusterRole the rule was aggregated from, when it is not the bound role's own rule. */
  aggregatedFrom?: string;
}

/** A power a binding subject holds, cluster-wide (`namespace` absent) or in one namespace. */
export interface SubjectGrant {
  subject: Subject;
  power: Power;
  namespace?: string;
  paths: PowerPath[];
}

/** Stable identity of a subject: `User/alice`, `Group/devs`, `ServiceAccount/ci/deployer`. */
export function subjectKey(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount/${s.namespace ?? ''}/${s.name}` : `${s.kind}/${s.name}`;
}

/** A binding's subjects with the RoleBinding namespace filled in for ServiceAccounts. */
function subjectsOf(b: RbacBinding): Subject[] {
  return b.subjects.map((s) => (s.kind === 'ServiceAccount' && !s.namespace && b.namespace ? { ...s, namespace: b.namespace } : s));
}

/**
 * Every admin-equivalent power of every binding subject, with the paths that grant it, grouped
 * by (subject, power, namespace). Subjects are the ones named in bindings (a Group's power is
 * held by all its members). Two passes: the first, over the ClusterRoleBindings only (the only
 * source of cluster-wide power), ignores `resourceNames`-restricted `bind`/`escalate`/
 * `impersonate`; the second, over every binding, counts them when they name a role or an
 * identity the first pass found powerful. Sorted by subject key, power order, namespace.
 * Cost: linear in bindings × subjects per binding plus the rules of the roles they bind (each
 * role's rules are judged once per scope kind unless a rule is restricted by `resourceNames`).
 */
export function subjectGrants(bindings: RbacBinding[], index: RoleIndex): SubjectGrant[] {
  const none: PowerContext = { rolePowerful: () => false, impersonationTargetPowerful: () => false };
  const first = collect(
    bindings.filter((b) => b.kind === 'ClusterRoleBinding'),
    index,
    none,
  );
  const powerfulSubjects = new Set<string>();
  const powerfulServiceAccountNames = new Set<string>();
  for (const g of first) {
    if (g.namespace !== undefined) continue;
    powerfulSubjects.add(subjectKey(g.subject));
    if (g.subject.kind === 'ServiceAccount') powerfulServiceAccountNames.add(g.subject.name);
  }
  const roleCache = new Map<string, boolean>();
  const ctx: PowerContext = {
    rolePowerful(kind, name, namespace) {
      const key = `${kind}/${namespace ?? ''}/${name}`;
      let v = roleCache.get(key);
      if (v === undefined) {
        const role = index.get(kind, name, namespace);
        const scope: Scope = namespace === undefined ? { cluster: true } : { cluster: false, namespace };
        v =
          role !== undefined &&
          index.rulesOf(role).some((sr) => rulePowers(sr.rule, scope, none).some((p) => p !== 'bind' && p !== 'escalate'));
        roleCache.set(key, v);
      }
      return v;
    },
    impersonationTargetPowerful(resource, name, namespace) {
      if (resource === 'users') return powerfulSubjects.has(`User/${name}`);
      if (resource === 'groups') return powerfulSubjects.has(`Group/${name}`);
      if (namespace !== undefined) return powerfulSubjects.has(`ServiceAccount/${namespace}/${name}`);
      return powerfulServiceAccountNames.has(name);
    },
  };
  return collect(bindings, index, ctx);
}

/** The grants {@link collect} made for one subject in one scope, by power index. */
interface Held {
  key: string;
  namespace?: string;
  byPower: Array<SubjectGrant | undefined>;
}

function collect(bindings: RbacBinding[], index: RoleIndex, ctx: PowerContext): SubjectGrant[] {
  // The grants of one subject (by key) in one scope (by namespace, '' cluster-wide), by power
  // index; each grant with its sort key `<subject key>|<power index, 2 digits>|<namespace>`.
  const held = new Map<string, Map<string, Held>>();
  const grants: Array<{ key: string; grant: SubjectGrant }> = [];
  const csrHalves = new Map<string, { subject: Subject; update: PowerPath[]; signer: PowerPath[] }>();
  const heldBy = (subject: Subject, namespace: string | undefined): Held => {
    const key = subjectKey(subject);
    let bySubject = held.get(key);
    if (!bySubject) held.set(key, (bySubject = new Map<string, Held>()));
    let e = bySubject.get(namespace ?? '');
    if (!e) bySubject.set(namespace ?? '', (e = { key, ...(namespace !== undefined ? { namespace } : {}), byPower: [] }));
    return e;
  };
  // `subject`: the one of this path (subjects of the same key may differ in other fields, e.g. `apiGroup`).
  const add = (h: Held, subject: Subject, power: Power, path: PowerPath): void => {
    const i = POWER_INDEX[power];
    let g = h.byPower[i];
    if (!g) {
      const { namespace } = h;
      h.byPower[i] = g = { subject, power, ...(namespace !== undefined ? { namespace } : {}), paths: [] };
      grants.push({ key: `${h.key}|${String(i).padStart(2, '0')}|${namespace ?? ''}`, grant: g });
    }
    g.paths.push(path);
  };
  // The powers of a role's rules depend on the scope's namespace only through rules restricted
  // by `resourceNames` (they ask `ctx` about names of that namespace): the others are judged
  // once per role and scope kind.
  const unrestrictedPowers = new Map<RbacRole, { cluster?: RulePowerList; namespaced?: RulePowerList }>();
  const powersOf = (role: RbacRole, scope: Scope): RulePowerList => {
    const rules = index.rulesOf(role);
    const judge = (): RulePowerList => rules.map((sr) => ({ sr, powers: rulePowers(sr.rule, scope, ctx) }));
    if (rules.some((sr) => sr.rule.resourceNames.length > 0)) return judge();
    let e = unrestrictedPowers.get(role);
    if (!e) unrestrictedPowers.set(role, (e = {}));
    const kind = scope.cluster ? 'cluster' : 'namespaced';
    return (e[kind] ??= judge());
  };
  for (const b of bindings) {
    const role = index.resolve(b);
    if (!role) continue;
    const scope: Scope = b.kind === 'ClusterRoleBinding' ? { cluster: true } : { cluster: false, namespace: b.namespace ?? '' };
    const namespace = scope.cluster ? undefined : scope.namespace;
    const rulePowerList = powersOf(role, scope);
    for (const subject of subjectsOf(b)) {
      let subjectHeld: Held | undefined;
      for (const { sr, powers } of rulePowerList) {
        if (powers.length === 0) continue;
        const path: PowerPath = { binding: b, role, rule: sr.rule, ...(sr.aggregatedFrom ? { aggregatedFrom: sr.aggregatedFrom } : {}) };
        for (const p of powers) {
          if (p === 'csr-approval-update' || p === 'csr-signer-approve') {
            const k = subjectKey(subject);
            let h = csrHalves.get(k);
            if (!h) csrHalves.set(k, (h = { subject, update: [], signer: [] }));
            (p === 'csr-approval-update' ? h.update : h.signer).push(path);
          } else {
            add((subjectHeld ??= heldBy(subject, namespace)), subject, p, path);
          }
        }
      }
    }
  }
  for (const h of csrHalves.values()) {
    if (h.update.length > 0 && h.signer.length > 0)
      for (const path of [...h.update, ...h.signer]) add(heldBy(h.subject, undefined), h.subject, 'csr-approve', path);
  }
  return grants.sort(({ key: a }, { key: b }) => (a < b ? -1 : a > b ? 1 : 0)).map(({ grant }) => grant);
}

/** The powers of each effective rule of a role in one scope. */
type RulePowerList = Array<{ sr: SourcedRule; powers: RulePower[] }>;
