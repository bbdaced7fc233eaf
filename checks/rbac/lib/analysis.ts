/**
 * What the rbac checks share: which distribution's defaults apply, every subject's
 * admin-equivalent powers with the paths that grant them, which paths are defaults, and how a
 * subject is classified (group-wide, a `default` ServiceAccount, a ServiceAccount of an
 * application namespace, or another identity).
 *
 * Decisions (documented in the checks):
 * - A path (binding → role → rule) is a default when its (binding kind, namespace, name, roleRef,
 *   subject) is an entry of `data/default-bindings.ts` of a table that applies to the detected
 *   distribution (`DEFAULT_TABLES`), except that (a) a default never covers a group-wide subject
 *   (`system:authenticated`, `system:unauthenticated`, `system:serviceaccounts[:<ns>]`,
 *   `system:anonymous`): no distribution gives those any admin-equivalent power, so such a grant
 *   means a default role was edited; and (b) a default covers the `wildcard` power only when it
 *   binds `cluster-admin` itself, so a default role edited to `*` is still reported.
 * - Powers granted by a RoleBinding count as cluster-wide when its namespace is one of
 *   `clusterEquivalentNamespaces` (default `kube-system`: its ServiceAccounts are the
 *   controllers', whose tokens or pods give cluster-admin-equivalent power).
 * - Application namespaces are all namespaces except `systemNamespaces` (names, `*` globs;
 *   default `kube-system`, `kube-public`, `kube-node-lease`).
 *
 * The analysis runs once per scan: the four checks receive the same input arrays, and
 * {@link analyzeRbac} keeps its result for those arrays (and the same options) as long as they
 * live. Its cost is linear in bindings × their subjects plus the rules of the roles they bind.
 */
import { DISTRIBUTION_LABELS, detectDistribution } from '../../../src/k8s/distribution.js';
import {
  ALL_AUTHENTICATED,
  ALL_SERVICE_ACCOUNTS,
  ALL_UNAUTHENTICATED,
  ANONYMOUS_USER,
  POWERS,
  RoleIndex,
  formatRule,
  subjectGrants,
  subjectKey,
  type PowerPath,
  type Power,
  type SubjectGrant,
} from '../../../src/k8s/rbac.js';
import type { PolicyRule, RbacBinding, RbacRole, Subject } from '../../../src/contract/values/rbac.js';
import type { CheckOutput, OptionSchema, RawFinding } from '../../../src/contract/check.js';
import type { Collected } from '../../../src/contract/inputs.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import type { NodeInfo, ServerVersion } from '../../../src/contract/values/core.js';
import { DEFAULT_BINDINGS, DEFAULT_TABLES, type DefaultBinding, type Distribution } from '../data/default-bindings.js';

/**
 * Inputs of the checks that weigh power (cluster-admins, escalation primitives, risky
 * subjects). The ClusterRoles and ClusterRoleBindings are required: cluster-wide power is what
 * they judge first. The Roles and RoleBindings grant power in namespaces: without them that
 * power is not assessed (the engine names them) while the cluster-wide power still is. The
 * version and nodes tell the distribution whose default bindings are exempt.
 */
export const RBAC_REQUIRES = ['clusterroles', 'clusterrolebindings'] as const;
export const RBAC_OPTIONAL = ['roles', 'rolebindings', 'version', 'nodes'] as const;

/** Options every rbac check takes, with their defaults. */
/** Values of the `distribution` option: `auto` (detected) or a distribution whose defaults apply. */
export const DISTRIBUTIONS = ['auto', 'upstream', 'kubeadm', 'kind', 'k3s', 'eks'] as const;

export const COMMON_DEFAULTS = {
  distribution: 'auto' as (typeof DISTRIBUTIONS)[number],
  systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
  clusterEquivalentNamespaces: ['kube-system'],
};

export const COMMON_OPTION_SCHEMA: OptionSchema<CommonOptions> = {
  distribution: {
    type: 'string',
    enum: DISTRIBUTIONS,
    description:
      'whose default bindings are exempt: auto (detected from the server version, the nodes and the ' +
      'ClusterRoleBindings), kubeadm, kind (kubeadm and kind), k3s, eks, or upstream (bootstrap policy only)',
  },
  systemNamespaces: { type: 'string[]', description: 'namespaces (names or * globs) that are not application namespaces' },
  clusterEquivalentNamespaces: {
    type: 'string[]',
    description: 'namespaces where power granted by a RoleBinding counts as cluster-wide (their ServiceAccounts are cluster controllers)',
  },
};

export interface CommonOptions {
  distribution: (typeof DISTRIBUTIONS)[number];
  systemNamespaces: string[];
  clusterEquivalentNamespaces: string[];
}

export interface RbacObjects {
  clusterroles: RbacRole[];
  clusterrolebindings: RbacBinding[];
  roles: RbacRole[];
  rolebindings: RbacBinding[];
  version?: ServerVersion;
  nodes?: NodeInfo[];
}

export type SubjectClass = 'group-wide' | 'default-service-account' | 'app-service-account' | 'other';

/** A path with whether a default binding covers it. */
export interface ClassifiedPath extends PowerPath {
  isDefault: boolean;
}

/** A grant with its paths classified; `clusterWide` also for cluster-equivalent namespaces. */
export interface ClassifiedGrant extends Omit<SubjectGrant, 'paths'> {
  paths: ClassifiedPath[];
  clusterWide: boolean;
  /** Every path is a default: not reported. */
  exempt: boolean;
}

/** The grants of one subject. */
export interface SubjectGrants {
  subject: Subject;
  grants: ClassifiedGrant[];
}

/** The result of {@link analyzeRbac}; shared by the checks of a scan, so never modified. */
export interface RbacAnalysis {
  distribution: { name: Distribution | 'generic'; applied: Distribution[]; reason: string; entries: number };
  bindings: RbacBinding[];
  index: RoleIndex;
  grants: ClassifiedGrant[];
  /** {@link grants} grouped by subject ({@link bySubject}). */
  subjects: SubjectGrants[];
  /** The grants through RoleBindings (those with a `namespace`) by namespace, in {@link grants} order. */
  namespaceGrants: ReadonlyMap<string, ClassifiedGrant[]>;
  /** Number of distinct binding subjects (what the checks evaluated). */
  subjectCount: number;
  /** True when (binding, subject) is a default entry (regardless of the power exceptions). */
  isDefaultBinding(b: RbacBinding, s: Subject): boolean;
  classify(s: Subject): SubjectClass;
}

/**
 * Which default tables apply (`DEFAULT_TABLES`): those of the distribution detected from the
 * version, the nodes and the ClusterRoleBindings (`src/k8s/distribution.ts`), or of the one the
 * `distribution` option names (its values are checked against `COMMON_OPTION_SCHEMA` before
 * the check runs).
 */
export function resolveDistribution(
  option: CommonOptions['distribution'],
  version?: ServerVersion,
  nodes?: NodeInfo[],
  bindings?: RbacBinding[],
): RbacAnalysis['distribution'] {
  let name: Distribution | 'generic';
  let reason: string;
  let applied: readonly Distribution[];
  if (option !== 'auto') {
    name = option;
    reason = 'set by the distribution option';
    applied = name === 'upstream' ? ['upstream'] : name === 'kind' ? DEFAULT_TABLES.kind : ['upstream', name];
  } else {
    const d = detectDistribution({ version, nodes, bindings });
    applied = DEFAULT_TABLES[d.name];
    reason = d.evidence.join('; ') || 'no distribution signal';
    if (d.name === 'unknown') {
      name = 'generic';
      reason += `; kubeadm's entries apply too`;
    } else if (d.name === 'kubeadm' || d.name === 'kind' || d.name === 'k3s' || d.name === 'eks') {
      name = d.name;
    } else {
      name = 'upstream';
      reason += `; no default table for ${DISTRIBUTION_LABELS[d.name]}, only the upstream bootstrap policy applies`;
    }
  }
  const entries = DEFAULT_BINDINGS.filter((d) => applied.includes(d.distribution)).reduce((n, d) => n + d.subjects.length, 0);
  return { name, applied: [...applied], reason, entries };
}

/** True for a subject every user, every anonymous request or every ServiceAccount is part of. */
export function isGroupWide(s: Subject): boolean {
  if (s.kind === 'User') return s.name === ANONYMOUS_USER;
  if (s.kind !== 'Group') return false;
  return (
    s.name === ALL_AUTHENTICATED ||
    s.name === ALL_UNAUTHENTICATED ||
    s.name === ALL_SERVICE_ACCOUNTS ||
    s.name.startsWith(`${ALL_SERVICE_ACCOUNTS}:`)
  );
}

/**
 * Whether a namespace name matches one of the patterns (exact names or `*` globs), compiled
 * once: exact names in a set, the globs as one regular expression.
 */
export function namespaceMatcher(patterns: string[]): (ns: string) => boolean {
  const names = new Set(patterns.filter((p) => !p.includes('*')));
  const globs = patterns.filter((p) => p.includes('*'));
  const glob = globs.length > 0 ? new RegExp(`^(?:${globs.map((p) => p.split('*').map(escapeRegExp).join('.*')).join('|')})$`) : undefined;
  return (ns) => names.has(ns) || (glob?.test(ns) ?? false);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

const defaultKey = (kind: string, namespace: string | undefined, name: string, roleKind: string, roleName: string, s: Subject): string =>
  [kind, namespace ?? '', name, roleKind, roleName, subjectKey(s)].join('|');

/** Analyses made for a ClusterRoleBindings array, with the other objects and options they were made from. */
const analyses = new WeakMap<RbacBinding[], Array<{ objs: RbacObjects; options: string; analysis: RbacAnalysis }>>();

/**
 * Runs the analysis on the RBAC objects, or returns the one already made from the same objects
 * (the same arrays, version and nodes) and options.
 */
export function analyzeRbac(objs: RbacObjects, opts: CommonOptions): RbacAnalysis {
  const options = JSON.stringify([opts.distribution, opts.systemNamespaces, opts.clusterEquivalentNamespaces]);
  let made = analyses.get(objs.clusterrolebindings);
  if (!made) analyses.set(objs.clusterrolebindings, (made = []));
  const same = made.find(
    (m) =>
      m.options === options &&
      m.objs.clusterroles === objs.clusterroles &&
      m.objs.roles === objs.roles &&
      m.objs.rolebindings === objs.rolebindings &&
      m.objs.version === objs.version &&
      m.objs.nodes === objs.nodes,
  );
  if (same) return same.analysis;
  const analysis = analyze(objs, opts);
  made.push({ objs, options, analysis });
  return analysis;
}

function analyze(objs: RbacObjects, opts: CommonOptions): RbacAnalysis {
  const distribution = resolveDistribution(opts.distribution, objs.version, objs.nodes, objs.clusterrolebindings);
  const defaults = new Set<string>();
  const defaultNames = new Set<string>();
  for (const d of DEFAULT_BINDINGS.filter((x: DefaultBinding) => distribution.applied.includes(x.distribution))) {
    defaultNames.add(d.name);
    for (const s of d.subjects) defaults.add(defaultKey(d.kind, d.namespace, d.name, d.roleRef.kind, d.roleRef.name, s));
  }
  const bindings = [...objs.clusterrolebindings, ...objs.rolebindings];
  const index = new RoleIndex(objs.clusterroles, objs.roles);
  const isDefaultBinding = (b: RbacBinding, s: Subject): boolean =>
    defaultNames.has(b.name) && defaults.has(defaultKey(b.kind, b.namespace, b.name, b.roleRef.kind, b.roleRef.name, s));
  const isSystemNamespace = namespaceMatcher(opts.systemNamespaces);
  const isClusterEquivalent = namespaceMatcher(opts.clusterEquivalentNamespaces);
  const classify = (s: Subject): SubjectClass => {
    if (isGroupWide(s)) return 'group-wide';
    if (s.kind !== 'ServiceAccount') return 'other';
    if (s.name === 'default') return 'default-service-account';
    return isSystemNamespace(s.namespace ?? '') ? 'other' : 'app-service-account';
  };
  // A path (one subject, binding and rule) is shared by the grants of each power its rule gives;
  // its classified copies are too (one per value of `isDefault`), so their evidence is made once.
  const classified = new Map<PowerPath, { byDefault: boolean; copies: [ClassifiedPath?, ClassifiedPath?] }>();
  const classify1 = (p: PowerPath, subject: Subject, power: Power): ClassifiedPath => {
    let c = classified.get(p);
    if (!c) classified.set(p, (c = { byDefault: !isGroupWide(subject) && isDefaultBinding(p.binding, subject), copies: [] }));
    const isDefault =
      c.byDefault && (power !== 'wildcard' || (p.binding.roleRef.kind === 'ClusterRole' && p.binding.roleRef.name === 'cluster-admin'));
    // Built field by field (one object shape), not spread: there is one per path of the cluster.
    return (c.copies[isDefault ? 1 : 0] ??= {
      binding: p.binding,
      role: p.role,
      rule: p.rule,
      aggregatedFrom: p.aggregatedFrom,
      isDefault,
    });
  };
  const grants = subjectGrants(bindings, index).map((g): ClassifiedGrant => {
    const paths = g.paths.map((p) => classify1(p, g.subject, g.power));
    const clusterWide = g.namespace === undefined || isClusterEquivalent(g.namespace);
    return { subject: g.subject, power: g.power, namespace: g.namespace, paths, clusterWide, exempt: paths.every((p) => p.isDefault) };
  });
  const namespaceGrants = new Map<string, ClassifiedGrant[]>();
  for (const g of grants) {
    if (g.namespace === undefined) continue;
    let list = namespaceGrants.get(g.namespace);
    if (!list) namespaceGrants.set(g.namespace, (list = []));
    list.push(g);
  }
  return {
    distribution,
    bindings,
    index,
    grants,
    subjects: bySubject(grants),
    namespaceGrants,
    subjectCount: subjectCount(bindings),
    isDefaultBinding,
    classify,
  };
}

// ---- rendering ---------------------------------------------------------------------------------

/** The finding resource of a subject: a ServiceAccount object, or an RBAC User/Group. */
export function subjectResource(s: Subject): ResourceRef {
  return s.kind === 'ServiceAccount'
    ? { apiVersion: 'v1', kind: 'ServiceAccount', namespace: s.namespace ?? '', name: s.name }
    : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: s.kind, name: s.name };
}

/** `User alice`, `Group devs`, `ServiceAccount ci/deployer`. */
export function subjectLabel(s: Subject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount ${s.namespace}/${s.name}` : `${s.kind} ${s.name}`;
}

/** `formatRule` of each rule object: a role's rules are shared by every binding to it. */
const ruleTexts = new WeakMap<PowerPath['rule'], string>();

/** `formatRule(rule)`, made once per rule object. */
export function ruleText(rule: PowerPath['rule']): string {
  let text = ruleTexts.get(rule);
  if (text === undefined) ruleTexts.set(rule, (text = formatRule(rule)));
  return text;
}

/** A rule of a grant as evidence: its `formatRule` text, where it was aggregated from, the powers it gives. */
export interface RuleEvidence {
  rule: string;
  aggregatedFrom?: string;
  powers: Power[];
}

/**
 * A binding → role grant as evidence; `role` is an index in the evidence's `roles`, `roleRef`
 * the binding's own (its role's kind and name), so a grant reads without looking the role up.
 */
export interface GrantEvidence {
  binding: string;
  bindingKind: RbacBinding['kind'];
  namespace?: string;
  role: number;
  roleRef: { kind: RbacBinding['roleRef']['kind']; name: string };
}

/**
 * A grant of the access review: with whether it is cluster-wide (a ClusterRoleBinding, or a
 * RoleBinding of a `clusterEquivalentNamespaces` namespace) and since when (the binding's
 * creationTimestamp, null when unknown).
 */
export interface ReviewGrantEvidence extends GrantEvidence {
  clusterWide: boolean;
  since: string | null;
}

/** A role as evidence: the rules of it that give a power through the grants referring to it, with the powers each gives. */
export interface RoleEvidence {
  kind: RbacRole['kind'];
  name: string;
  namespace?: string;
  rules: RuleEvidence[];
}

/**
 * A reference of one {@link GrantList.add} call to a grant: the powers held through it, and
 * whether its paths are defaults (a grant both by default and not has two references).
 */
export interface GrantRef {
  grant: number;
  powers: Power[];
  default: boolean;
}

/**
 * A node of {@link GrantList.evidence}'s trie of a role's rule lists: the role entry of the
 * rules (id and powers) on its path, and the nodes after it, keyed by `id * POWER_BITS + powers`.
 */
interface RoleNode {
  entry?: RoleEvidence;
  next: Map<number, RoleNode>;
}

/** One more than the largest power mask (bit i: `POWERS[i]`). */
const POWER_BITS = 2 ** POWERS.length;
const POWER_BIT = Object.fromEntries(POWERS.map((p, i) => [p, 2 ** i])) as Record<Power, number>;

/** The powers of a mask, in `POWERS` order. */
function powersOf(mask: number): Power[] {
  const out: Power[] = [];
  for (let i = 0; i < POWERS.length; i++) if (mask & (2 ** i)) out.push(POWERS[i]!);
  return out;
}

/** Rule ids by `<text>|<aggregatedFrom>`, and by rule object and `aggregatedFrom`: shared by every {@link GrantList}. */
const textIds = new Map<string, number>();
const textIdOf = new WeakMap<PolicyRule, Map<string, number>>();

/**
 * The id of a rule and `aggregatedFrom` (`''`: none), equal for equal `formatRule` text and
 * `aggregatedFrom`. Made once per rule object and process, so each namespace's evidence looks
 * its rules up instead of writing their text again. The table holds one entry per distinct rule
 * text the process has seen.
 */
function textRuleId(rule: PolicyRule, from: string): number {
  let byFrom = textIdOf.get(rule);
  if (!byFrom) textIdOf.set(rule, (byFrom = new Map<string, number>()));
  let id = byFrom.get(from);
  if (id === undefined) {
    const key = `${ruleText(rule)}|${from}`;
    id = textIds.get(key);
    if (id === undefined) textIds.set(key, (id = textIds.size));
    byFrom.set(from, id);
  }
  return id;
}

/**
 * Role entries of `rules: 'text'` evidence by role object, shared by every {@link GrantList}:
 * equal ids mean equal rule text, so the entry of `admin` with the same rules and powers is one
 * object in every namespace's evidence (evidence is never modified).
 */
const sharedRoles = new WeakMap<RbacRole, RoleNode>();

/** What a {@link GrantList} gathers. */
export interface GrantListOptions {
  /** Keep default paths (their references `default: true`), as the access review does; else leave them out. */
  defaults?: boolean;
  /**
   * How rules of a grant are told apart: `text`, by `formatRule` text and `aggregatedFrom`
   * (equal rules of a role are one entry), or `object`, by rule object (each rule of the role once).
   */
  rules?: 'text' | 'object';
  /** Give each grant `clusterWide` and `since` ({@link ReviewGrantEvidence}). */
  scope?: boolean;
}

/**
 * Grants (binding → role) and the roles they refer to, as findings' evidence and the access
 * review of `rbac-cluster-admins` list them: `{grants: [{binding, bindingKind, namespace?,
 * role: <index in roles>, roleRef: {kind, name}, clusterWide?, since?}], roles: [{kind, name, namespace?, rules:
 * [{rule, aggregatedFrom?, powers}]}]}`. Each binding → role once, each role once per distinct
 * list of rules and powers its grants give (so a role bound by several grants has its rules
 * written once), each rule once per grant. Grants and rules in the order their paths come;
 * powers in `POWERS` order. Default paths are left out unless `defaults` ({@link GrantListOptions}).
 */
export class GrantList {
  private readonly gathered: Array<{
    binding: RbacBinding;
    role: RbacRole;
    /** `clusterWide` of the first grant through the binding. */
    clusterWide: boolean;
    /** The grant's rules in order: their ids, objects, `aggregatedFrom` and powers (masks). */
    ids: number[];
    rules: PolicyRule[];
    from: Array<string | undefined>;
    masks: number[];
    /** Position in `ids` by rule id. */
    byId: Map<number, number>;
  }> = [];
  private readonly byBinding = new Map<RbacBinding, number>();
  /** Rule ids by rule object (`rules: 'object'`). */
  private readonly objectIds = new Map<PolicyRule, number>();
  private readonly defaults: boolean;
  private readonly byText: boolean;
  private readonly scope: boolean;

  constructor(options: GrantListOptions = {}) {
    this.defaults = options.defaults ?? false;
    this.byText = (options.rules ?? 'text') === 'text';
    this.scope = options.scope ?? false;
  }

  /**
   * Adds the paths of `grants` (one subject's); returns the references to their grants, one
   * per grant (and whether it is a default), in order.
   */
  add(grants: ClassifiedGrant[]): GrantRef[] {
    const refs: Array<{ grant: number; mask: number; default: boolean }> = [];
    // The references of this call by grant index: [not default, default].
    const refOf = new Map<number, [number?, number?]>();
    for (const g of grants) {
      const bit = POWER_BIT[g.power];
      for (const p of g.paths) {
        if (p.isDefault && !this.defaults) continue;
        let index = this.byBinding.get(p.binding);
        if (index === undefined) {
          this.byBinding.set(p.binding, (index = this.gathered.length));
          this.gathered.push({
            binding: p.binding,
            role: p.role,
            clusterWide: g.clusterWide,
            ids: [],
            rules: [],
            from: [],
            masks: [],
            byId: new Map(),
          });
        }
        const e = this.gathered[index]!;
        const id = this.ruleId(p);
        let at = e.byId.get(id);
        if (at === undefined) {
          e.byId.set(id, (at = e.ids.length));
          e.ids.push(id);
          e.rules.push(p.rule);
          e.from.push(p.aggregatedFrom);
          e.masks.push(0);
        }
        e.masks[at]! |= bit;
        let pair = refOf.get(index);
        if (!pair) refOf.set(index, (pair = [undefined, undefined]));
        const d = p.isDefault ? 1 : 0;
        let ref = pair[d];
        if (ref === undefined) {
          pair[d] = ref = refs.length;
          refs.push({ grant: index, mask: 0, default: p.isDefault });
        }
        refs[ref]!.mask |= bit;
      }
    }
    return refs.map((r) => ({ grant: r.grant, powers: powersOf(r.mask), default: r.default }));
  }

  /** The id of a path's rule: equal for equal text and `aggregatedFrom` (`rules: 'text'`, {@link textRuleId}), else one per rule object. */
  private ruleId(p: ClassifiedPath): number {
    if (this.byText) return textRuleId(p.rule, p.aggregatedFrom ?? '');
    let id = this.objectIds.get(p.rule);
    if (id === undefined) this.objectIds.set(p.rule, (id = this.objectIds.size));
    return id;
  }

  /** The grants added so far, and the roles they refer to. */
  evidence(): { grants: GrantEvidence[]; roles: RoleEvidence[] } {
    const roles: RoleEvidence[] = [];
    const indexOf = new Map<RoleEvidence, number>();
    const local = new Map<RbacRole, RoleNode>();
    const tries = this.byText ? sharedRoles : local;
    const grants = this.gathered.map(({ binding, role, clusterWide, ids, rules, from, masks }): GrantEvidence => {
      let node: RoleNode | undefined = tries.get(role);
      if (!node) tries.set(role, (node = { next: new Map() }));
      for (let i = 0; i < ids.length; i++) {
        const key = ids[i]! * POWER_BITS + masks[i]!;
        let next: RoleNode | undefined = node.next.get(key);
        if (!next) node.next.set(key, (next = { next: new Map() }));
        node = next;
      }
      const entry = (node.entry ??= {
        kind: role.kind,
        name: role.name,
        ...(role.namespace !== undefined ? { namespace: role.namespace } : {}),
        rules: rules.map((rule, i) => ({
          rule: ruleText(rule),
          ...(from[i] ? { aggregatedFrom: from[i] } : {}),
          powers: powersOf(masks[i]!),
        })),
      });
      let index = indexOf.get(entry);
      if (index === undefined) {
        indexOf.set(entry, (index = roles.length));
        roles.push(entry);
      }
      // Built field by field (one object shape per kind of binding), not spread: one per grant.
      const roleRef = { kind: binding.roleRef.kind, name: binding.roleRef.name };
      const grant: GrantEvidence | ReviewGrantEvidence =
        binding.namespace === undefined
          ? { binding: binding.name, bindingKind: binding.kind, role: index, roleRef }
          : { binding: binding.name, bindingKind: binding.kind, namespace: binding.namespace, role: index, roleRef };
      if (this.scope) {
        const scoped = grant as ReviewGrantEvidence;
        scoped.clusterWide = clusterWide;
        scoped.since = binding.creationTimestamp ?? null;
      }
      return grant;
    });
    return { grants, roles };
  }
}

/** The non-default paths of one subject's grants as evidence ({@link GrantList}). */
export function grantEvidence(grants: ClassifiedGrant[]): { grants: GrantEvidence[]; roles: RoleEvidence[] } {
  const list = new GrantList();
  list.add(grants);
  return list.evidence();
}

/**
 * `ClusterRoleBinding ops → ClusterRole cluster-admin, …`: each grant whose role gives a rule
 * in the evidence, once (a role with several such rules is named once), for messages.
 */
export function viaText({ grants, roles }: { grants: GrantEvidence[]; roles: RoleEvidence[] }): string {
  const paths = new Set<string>();
  for (const g of grants) {
    const role = roles[g.role]!;
    if (role.rules.length > 0) paths.add(`${g.bindingKind} ${g.binding} → ${role.kind} ${role.name}`);
  }
  return [...paths].join(', ');
}

/**
 * Commands that remove the subject from the non-default bindings of its paths: `kubectl delete`
 * when the subject is the binding's only subject, else `kubectl edit` to drop it from `subjects`.
 */
export function removalCommands(subject: Subject, grants: ClassifiedGrant[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const g of grants) {
    for (const p of g.paths) {
      if (p.isDefault) continue;
      const b = p.binding;
      const ref = b.kind === 'ClusterRoleBinding' ? `clusterrolebinding ${b.name}` : `-n ${b.namespace} rolebinding ${b.name}`;
      if (seen.has(ref)) continue;
      seen.add(ref);
      lines.push(
        b.subjects.length <= 1 ? `kubectl delete ${ref}` : `kubectl edit ${ref}   # remove ${subjectLabel(subject)} from subjects`,
      );
    }
  }
  return lines.join('\n');
}

/** Grants of each subject, subjects in order of their first grant (subject-key order for sorted grants). */
export function bySubject(grants: ClassifiedGrant[]): SubjectGrants[] {
  const m = new Map<string, SubjectGrants>();
  for (const g of grants) {
    const k = subjectKey(g.subject);
    let e = m.get(k);
    if (!e) m.set(k, (e = { subject: g.subject, grants: [] }));
    e.grants.push(g);
  }
  return [...m.values()];
}

/** Powers of grants in `POWERS` order, each once. */
export function powerList(grants: ClassifiedGrant[]): Power[] {
  return POWERS.filter((p) => grants.some((g) => g.power === p));
}

/** Number of distinct binding subjects (what the checks evaluated). */
function subjectCount(bindings: RbacBinding[]): number {
  const s = new Set<string>();
  for (const b of bindings)
    for (const x of b.subjects) s.add(subjectKey(x.kind === 'ServiceAccount' && !x.namespace ? { ...x, namespace: b.namespace } : x));
  return s.size;
}

/**
 * The inputs the rbac checks declare: Roles and RoleBindings required (`rbac-dangling-bindings`)
 * or optional (`RBAC_OPTIONAL`), version and nodes optional.
 */
export interface RbacCheckInputs {
  clusterroles: RbacRole[];
  clusterrolebindings: RbacBinding[];
  roles?: RbacRole[];
  rolebindings?: RbacBinding[];
  optional: {
    version: Collected<ServerVersion>;
    nodes: Collected<NodeInfo[]>;
    roles?: Collected<RbacRole[]>;
    rolebindings?: Collected<RbacBinding[]>;
  };
}

/** The Roles or RoleBindings of inputs that were not read: one array, so the analysis is made once. */
const NO_ROLES: RbacRole[] = [];
const NO_ROLE_BINDINGS: RbacBinding[] = [];

/**
 * {@link analyzeRbac} on a check's inputs. Optional Roles or RoleBindings that were not read
 * count as none here; the engine reports them as unknowns, so the check is never `pass`.
 */
export function analyzeInputs(inputs: RbacCheckInputs, opts: CommonOptions): RbacAnalysis {
  const o = inputs.optional;
  return analyzeRbac(
    {
      clusterroles: inputs.clusterroles,
      clusterrolebindings: inputs.clusterrolebindings,
      roles: inputs.roles ?? o.roles?.value ?? NO_ROLES,
      rolebindings: inputs.rolebindings ?? o.rolebindings?.value ?? NO_ROLE_BINDINGS,
      version: o.version.value,
      nodes: o.nodes.value,
    },
    opts,
  );
}

/** A check's output: every binding subject evaluated; not applicable without any binding. */
export function checkOutput(a: RbacAnalysis, findings: RawFinding[], details?: Record<string, unknown>): CheckOutput {
  return {
    evaluated: a.subjectCount,
    findings,
    ...(details ? { details } : {}),
    ...(a.bindings.length === 0 ? { notApplicable: 'the cluster has no RoleBindings or ClusterRoleBindings' } : {}),
  };
}
