/**
 * Admin-equivalent power held by subjects that should never hold it: every user or every
 * ServiceAccount at once, the `default` ServiceAccount of a namespace (which every pod without
 * `serviceAccountName` runs as), and ServiceAccounts of application namespaces (a compromised
 * workload becomes a cluster compromise).
 *
 * Rules (one finding per subject; its powers and the non-default grants that give them are in
 * the evidence, `{subject, powers, namespaces?, clusterWide, grants: [{binding, bindingKind,
 * namespace?, role: <index in roles>, roleRef: {kind, name}}], roles: [{kind, name,
 * namespace?, rules: [{rule, aggregatedFrom?, powers}]}]}`; `roleRef`: the binding's):
 * - `group-wide-admin` (critical): Group `system:authenticated`, `system:unauthenticated`,
 *   `system:serviceaccounts` or `system:serviceaccounts:<ns>`, or User `system:anonymous`, with
 *   any admin-equivalent power, cluster-wide or in a namespace. Defaults never excuse this.
 * - `default-service-account-admin` (critical): a ServiceAccount named `default` with
 *   admin-equivalent power cluster-wide.
 * - `app-service-account-admin` (high): a ServiceAccount of an application namespace (not in
 *   `systemNamespaces`) with admin-equivalent power cluster-wide.
 *
 * Powers and defaults are those of `lib/analysis.ts`; "cluster-wide" includes RoleBindings in
 * `clusterEquivalentNamespaces`.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { POWER_TITLES } from '../../src/k8s/rbac.js';
import {
  COMMON_DEFAULTS,
  COMMON_OPTION_SCHEMA,
  RBAC_OPTIONAL,
  RBAC_REQUIRES,
  analyzeInputs,
  checkOutput,
  grantEvidence,
  powerList,
  removalCommands,
  subjectLabel,
  subjectResource,
  type SubjectClass,
} from './lib/analysis.js';

const RULE_OF: Partial<Record<SubjectClass, string>> = {
  'group-wide': 'group-wide-admin',
  'default-service-account': 'default-service-account-admin',
  'app-service-account': 'app-service-account-admin',
};

export default defineCheck({
  id: 'rbac-risky-subjects',
  family: 'rbac',
  title: 'No admin-equivalent power for everyone, default ServiceAccounts or application ServiceAccounts',
  summary:
    "power for `system:authenticated`, `system:unauthenticated` or all ServiceAccounts, or a namespace's `default` " +
    'ServiceAccount (critical); ServiceAccounts of application namespaces (high)',
  rationale:
    'A grant to system:authenticated or system:unauthenticated gives the power to every user (or to ' +
    'anyone who can reach the API server); a grant to system:serviceaccounts gives it to every pod. ' +
    'The default ServiceAccount of a namespace is used by every pod that names none, and a ' +
    "ServiceAccount of an application runs in that application's pods: once one of those pods is " +
    'compromised, an admin-equivalent token makes the whole cluster compromised.',
  remediation:
    'Remove the subject from the binding (`kubectl edit clusterrolebinding <name>`, or delete the ' +
    'binding), give the workload its own ServiceAccount bound to a namespaced Role with only what it ' +
    'needs, and set `automountServiceAccountToken: false` on default ServiceAccounts.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions',
    'https://www.cisecurity.org/benchmark/kubernetes',
  ],
  defaultSeverity: 'critical',
  rules: {
    'group-wide-admin': { title: 'Every user, anonymous request or ServiceAccount has admin-equivalent power', severity: 'critical' },
    'default-service-account-admin': { title: 'A default ServiceAccount has admin-equivalent power', severity: 'critical' },
    'app-service-account-admin': { title: 'An application ServiceAccount has cluster-wide admin-equivalent power', severity: 'high' },
  },
  requires: RBAC_REQUIRES,
  optional: RBAC_OPTIONAL,
  defaultOptions: { ...COMMON_DEFAULTS },
  optionSchema: { ...COMMON_OPTION_SCHEMA },
  run(inputs, ctx) {
    const a = analyzeInputs(inputs, ctx.options);
    const findings: RawFinding[] = [];
    for (const { subject, grants } of a.subjects) {
      const cls = a.classify(subject);
      const rule = RULE_OF[cls];
      if (!rule) continue;
      const held = grants.filter((g) => !g.exempt && (cls === 'group-wide' || g.clusterWide));
      if (held.length === 0) continue;
      // `*` on `*` implies every other power: report it alone.
      const live = held.some((g) => g.power === 'wildcard') ? held.filter((g) => g.power === 'wildcard') : held;
      const powers = powerList(live);
      const namespaces = [...new Set(live.filter((g) => !g.clusterWide).map((g) => g.namespace!))].sort();
      const where = live.some((g) => g.clusterWide)
        ? 'cluster-wide'
        : `in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}`;
      findings.push({
        rule,
        resource: subjectResource(subject),
        message: `${subjectLabel(subject)} can ${powers.map((p) => POWER_TITLES[p]).join('; ')} ${where}.`,
        evidence: {
          subject: subjectLabel(subject),
          powers,
          ...(namespaces.length > 0 ? { namespaces } : {}),
          clusterWide: live.some((g) => g.clusterWide),
          ...grantEvidence(live),
        },
        remediation: removalCommands(subject, live),
      });
    }
    return checkOutput(a, findings);
  },
});
