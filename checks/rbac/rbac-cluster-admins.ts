/**
 * Who is cluster-admin or equivalent, beyond what the distribution itself creates, and how many
 * of them there are: the sprawl as a number to track, and the access-review table.
 *
 * A subject counts as admin-equivalent cluster-wide when a non-default path (binding → role →
 * rule) gives it one of the powers of `POWERS` (`src/k8s/rbac.ts`) through a
 * ClusterRoleBinding, or through a RoleBinding in a `clusterEquivalentNamespaces` namespace.
 * It counts as admin-equivalent in a namespace when a RoleBinding of that namespace gives it one
 * of those powers (a subject already counted cluster-wide is counted there only).
 *
 * Findings:
 * - `cluster-admin` (low): a User, a Group, or a ServiceAccount of a system namespace holding
 *   `*` on `*` cluster-wide. Group-wide subjects and ServiceAccounts named `default` or of
 *   application namespaces are reported by `rbac-risky-subjects`, other powers by
 *   `rbac-escalation-primitives`; each (subject, power) is reported once. Evidence
 *   `{subject, power, grants, roles}`.
 * - `too-many-cluster-admins` (high): more distinct non-default admin-equivalent subjects than
 *   `maxClusterAdmins`; resource `{kind: Cluster, name: cluster}`. Evidence `{clusterAdminCount,
 *   maxClusterAdmins, subjects: [{label, powers, grants: [<index in grants>]}], grants, roles}`.
 * - `too-many-namespace-admins` (high): more than `maxNamespaceAdmins` in one namespace.
 *   Evidence `{namespace, namespaceAdminCount, maxNamespaceAdmins, subjects: [{label, powers,
 *   grants: [<index in grants>]}], grants, roles}`.
 * In evidence, `grants` lists each non-default binding → role once, `{binding, bindingKind,
 * namespace?, role: <index in roles>, roleRef: {kind, name}}` (`roleRef`: the binding's, so a
 * grant names its role without the lookup), and `roles` each role once per distinct list of the
 * rules that give its grants a power, `{kind, name, namespace?, rules: [{rule, aggregatedFrom?,
 * powers}]}`, as in the access review below.
 *
 * `details`:
 * `{ distribution: {name, applied, reason, entries}, clusterAdminCount, maxClusterAdmins,
 *    namespaceAdminCounts: {<ns>: n}, builtin: [{subject, note}], accessReview }`, where
 * `accessReview` lists every subject with an admin-equivalent power, defaults included and
 * marked, ready for an access review, with each grant once:
 * `{ powers: {<power>: title},
 *    roles: [{kind, name, namespace?, rules: [{rule, aggregatedFrom?, powers}]}],
 *    grants: [{binding, bindingKind, namespace?, role: <index in roles>, roleRef: {kind, name},
 *      clusterWide, since}],
 *    subjects: [{subject: {kind, name, namespace?}, default: boolean,
 *      grants: [{grant: <index in grants>, powers, default: boolean}]}] }`.
 * A grant is a binding → role (`clusterWide`: a ClusterRoleBinding or a RoleBinding in a
 * `clusterEquivalentNamespaces` namespace; `since`: the binding's creationTimestamp, null when
 * unknown). Its role entry lists the role's rules that give its subjects a power, with the
 * powers each gives: a role is listed once per distinct such list (`admin` bound in namespaces
 * once, bound cluster-wide once more), so its rules are written once however many bindings
 * refer to it. Whether a grant is a default depends on the subject (the default tables name
 * subjects, and a default covers `wildcard` only through `cluster-admin`), so `default` is on
 * each subject's reference to it: a subject holding powers through one grant both by default
 * and not has two references. A subject is `default` when all its powers are. The size of the
 * review is linear in the bindings, their subjects and the rules of the roles they bind.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { POWER_TITLES, SYSTEM_MASTERS, type Power } from '../../src/k8s/rbac.js';
import type { Subject } from '../../src/contract/values/rbac.js';
import {
  COMMON_DEFAULTS,
  COMMON_OPTION_SCHEMA,
  RBAC_OPTIONAL,
  RBAC_REQUIRES,
  analyzeInputs,
  checkOutput,
  bySubject,
  GrantList,
  grantEvidence,
  removalCommands,
  subjectLabel,
  subjectResource,
  viaText,
  type ClassifiedGrant,
  type SubjectGrants,
} from './lib/analysis.js';

export default defineCheck({
  id: 'rbac-cluster-admins',
  family: 'rbac',
  title: 'Cluster-admin and equivalent subjects are few and known',
  summary:
    'subjects with `*` on `*` outside the defaults (low each), and more than `maxClusterAdmins` 3 (or ' +
    '`maxNamespaceAdmins` 3 in a namespace) non-default admin-equivalent subjects (high); `details` is the ' +
    'access-review table, defaults included and marked',
  rationale:
    'Every subject that can do anything in the cluster is a credential whose theft is a full ' +
    'compromise. Besides bindings to cluster-admin, a subject is admin-equivalent when it can ' +
    'escalate or bind roles, impersonate, create pods or workloads anywhere, read every secret, ' +
    'proxy to kubelets, exec into pods, approve API client certificates or mint service-account ' +
    'tokens. Counting the subjects that hold such power outside the defaults the distribution ' +
    'creates turns "who is admin" into a number an access review can track.',
  remediation:
    'Review each subject in the access-review table (the report details list binding → role → rule). ' +
    'Remove bindings that are no longer needed (`kubectl delete clusterrolebinding <name>`), replace ' +
    'cluster-wide bindings with namespaced RoleBindings to narrower roles (`kubectl create ' +
    'rolebinding <name> --clusterrole=edit --group=<group> -n <ns>`), and keep cluster-admin for a ' +
    'small break-glass group.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings',
    'https://www.cisecurity.org/benchmark/kubernetes',
  ],
  defaultSeverity: 'low',
  rules: {
    'cluster-admin': { title: 'Subject has cluster-admin (* on * cluster-wide) outside the defaults', severity: 'low' },
    'too-many-cluster-admins': { title: 'More admin-equivalent subjects than maxClusterAdmins', severity: 'high' },
    'too-many-namespace-admins': { title: 'More admin-equivalent subjects in a namespace than maxNamespaceAdmins', severity: 'high' },
  },
  requires: RBAC_REQUIRES,
  optional: RBAC_OPTIONAL,
  defaultOptions: { maxClusterAdmins: 3, maxNamespaceAdmins: 3, ...COMMON_DEFAULTS },
  optionSchema: {
    maxClusterAdmins: {
      type: 'integer',
      min: 0,
      description: 'most distinct non-default subjects with cluster-wide admin-equivalent power before the count is a finding',
    },
    maxNamespaceAdmins: {
      type: 'integer',
      min: 0,
      description: 'most distinct non-default subjects with admin-equivalent power in one namespace (through its RoleBindings)',
    },
    ...COMMON_OPTION_SCHEMA,
  },
  run(inputs, ctx) {
    const a = analyzeInputs(inputs, ctx.options);
    const findings: RawFinding[] = [];
    const subjects = a.subjects;

    // Cluster-wide admins and per-namespace admins (non-default).
    const clusterGrants = new GrantList();
    const clusterAdmins: AdminEntry[] = [];
    const nsAdmins = new Map<string, Set<string>>();
    for (const { subject, grants } of subjects) {
      const live = grants.filter((g) => !g.exempt);
      const cluster = live.filter((g) => g.clusterWide);
      if (cluster.length > 0) {
        clusterAdmins.push(adminEntry(clusterGrants, subject, cluster));
      } else {
        for (const g of live) {
          if (!nsAdmins.has(g.namespace!)) nsAdmins.set(g.namespace!, new Set());
          nsAdmins.get(g.namespace!)!.add(subjectLabel(subject));
        }
      }
      const wildcard = cluster.filter((g) => g.power === 'wildcard');
      if (wildcard.length > 0 && a.classify(subject) === 'other') {
        const granted = grantEvidence(wildcard);
        findings.push({
          rule: 'cluster-admin',
          resource: subjectResource(subject),
          message: `${subjectLabel(subject)} can do anything in the cluster through ${viaText(granted)}.`,
          evidence: { subject: subjectLabel(subject), power: 'wildcard', ...granted },
          remediation: removalCommands(subject, wildcard),
        });
      }
    }

    const count = clusterAdmins.length;
    if (count > ctx.options.maxClusterAdmins) {
      findings.push({
        rule: 'too-many-cluster-admins',
        resource: { kind: 'Cluster', name: 'cluster' },
        message:
          `${count} subjects outside the distribution's defaults are cluster-admin or equivalent ` +
          `(maxClusterAdmins ${ctx.options.maxClusterAdmins}): ` +
          `${clusterAdmins.map((c) => c.label).join(', ')}.`,
        evidence: {
          clusterAdminCount: count,
          maxClusterAdmins: ctx.options.maxClusterAdmins,
          subjects: clusterAdmins,
          ...clusterGrants.evidence(),
        },
      });
    }
    const namespaceAdminCounts: Record<string, number> = {};
    const collator = new Intl.Collator(); // the order of `localeCompare`, without a collator per comparison
    for (const [ns, set] of [...nsAdmins.entries()].sort(([x], [y]) => collator.compare(x, y))) {
      namespaceAdminCounts[ns] = set.size;
      if (set.size > ctx.options.maxNamespaceAdmins) {
        const nsGrants = (a.namespaceGrants.get(ns) ?? []).filter((g) => !g.exempt && !g.clusterWide && set.has(subjectLabel(g.subject)));
        const granted = new GrantList();
        const nsSubjects = bySubject(nsGrants).map(({ subject, grants }) => adminEntry(granted, subject, grants));
        findings.push({
          rule: 'too-many-namespace-admins',
          resource: { apiVersion: 'v1', kind: 'Namespace', name: ns },
          message:
            `${set.size} subjects are admin-equivalent in namespace ${ns} through its RoleBindings ` +
            `(maxNamespaceAdmins ${ctx.options.maxNamespaceAdmins}): ${[...set].sort().join(', ')}.`,
          evidence: {
            namespace: ns,
            namespaceAdminCount: set.size,
            maxNamespaceAdmins: ctx.options.maxNamespaceAdmins,
            subjects: nsSubjects,
            ...granted.evidence(),
          },
        });
      }
    }

    return checkOutput(a, findings, {
      distribution: a.distribution,
      clusterAdminCount: count,
      maxClusterAdmins: ctx.options.maxClusterAdmins,
      namespaceAdminCounts,
      builtin: [
        {
          subject: { kind: 'Group', name: SYSTEM_MASTERS },
          note:
            'members bypass RBAC and authorization webhooks; membership comes from client certificates ' +
            '(O=system:masters), not from bindings',
        },
      ],
      accessReview: accessReview(subjects),
    });
  },
});

/** A subject of a `too-many-*` finding's evidence: its label, its powers, and its grants' indexes in `list`. */
interface AdminEntry {
  label: string;
  powers: Power[];
  grants: number[];
}

function adminEntry(list: GrantList, subject: Subject, grants: ClassifiedGrant[]): AdminEntry {
  return { label: subjectLabel(subject), powers: [...new Set(grants.map((g) => g.power))], grants: list.add(grants).map((r) => r.grant) };
}

/** `details.accessReview` (see the module comment): every path, defaults included, rules by object. */
function accessReview(subjects: SubjectGrants[]): Record<string, unknown> {
  const list = new GrantList({ defaults: true, rules: 'object', scope: true });
  const review = subjects.map(({ subject, grants }) => ({ subject, default: grants.every((g) => g.exempt), grants: list.add(grants) }));
  const { grants, roles } = list.evidence();
  return { powers: POWER_TITLES, roles, grants, subjects: review };
}
