/**
 * Subjects that are admin-equivalent without being bound to `*`: one finding per subject and
 * power, naming the binding → role → rule that grants it.
 *
 * Subjects: Users, Groups (other than the group-wide ones) and ServiceAccounts of system
 * namespaces (other than `default`) — the others are `rbac-risky-subjects`' — that do not hold
 * the `wildcard` power cluster-wide (then `rbac-cluster-admins` reports them and every
 * primitive is implied). Powers are cluster-wide: ClusterRoleBindings, and RoleBindings in
 * `clusterEquivalentNamespaces`. Paths covered by the distribution's default bindings are not
 * reported (`lib/analysis.ts`). Evidence: `{subject, power, grants: [{binding, bindingKind,
 * namespace?, role: <index in roles>, roleRef: {kind, name}}], roles: [{kind, name,
 * namespace?, rules: [{rule, aggregatedFrom?, powers}]}]}`, each non-default binding → role
 * once (`roleRef`: the binding's), each role once with the rules that give the power.
 *
 * One rule per power of `POWERS` (`src/k8s/rbac.ts`), all high: each gives a path to
 * cluster-admin ("RBAC Good Practices", "Privilege escalation risks"; CIS 5.1.2, 5.1.4, 5.1.8,
 * 5.1.10, 5.1.11, 5.1.13). Differences from other tools, on purpose: `list`/`watch` on secrets
 * count (they return the data; rbac-tool matches only `get`), `get` on `nodes/proxy` and on
 * `pods/exec` count (WebSocket upgrades are authorized as `get`), and `bind`/`escalate`/
 * `impersonate` restricted by `resourceNames` count when a named role or identity is itself
 * powerful (or is `system:masters`).
 */
import { defineCheck, type RawFinding, type RuleDefinition } from '../../src/contract/check.js';
import { POWERS, POWER_TITLES, type Power } from '../../src/k8s/rbac.js';
import {
  COMMON_DEFAULTS,
  COMMON_OPTION_SCHEMA,
  RBAC_OPTIONAL,
  RBAC_REQUIRES,
  analyzeInputs,
  checkOutput,
  grantEvidence,
  removalCommands,
  subjectLabel,
  subjectResource,
  viaText,
} from './lib/analysis.js';

const PRIMITIVES = POWERS.filter((p): p is Exclude<Power, 'wildcard'> => p !== 'wildcard');

const RULES: Record<string, RuleDefinition> = Object.fromEntries(
  PRIMITIVES.map((p) => [p, { title: `Subject can ${POWER_TITLES[p]} cluster-wide outside the defaults`, severity: 'high' }]),
);

export default defineCheck({
  id: 'rbac-escalation-primitives',
  family: 'rbac',
  title: 'No hidden admin-equivalent permissions (escalate, bind, impersonate, secrets, pods, kubelet proxy, CSR approval, tokens)',
  summary: 'each admin-equivalent power listed above, held cluster-wide outside the defaults by a subject without `*` on `*` (high)',
  rationale:
    'A subject that is not bound to cluster-admin can still become admin: escalate or bind lets it ' +
    'grant itself any role, impersonate lets it act as system:masters, creating pods or workloads ' +
    'anywhere lets it run as any ServiceAccount and mount the node, reading all secrets or minting ' +
    'ServiceAccount tokens yields their credentials, nodes/proxy and pods/exec run commands in any ' +
    'container, and approving kube-apiserver-client certificate requests mints a system:masters ' +
    'certificate. These grants are easy to miss in a review that only looks for cluster-admin.',
  remediation:
    'Narrow the role: drop the verb or resource, restrict it with resourceNames, or move it to a ' +
    'namespaced RoleBinding (`kubectl edit clusterrole <role>`); or remove the subject from the ' +
    'binding (`kubectl delete clusterrolebinding <name>`). Verify with `kubectl auth can-i --list ' +
    '--as=<user>`.',
  references: [
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks',
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping',
    'https://www.cisecurity.org/benchmark/kubernetes',
  ],
  defaultSeverity: 'high',
  rules: RULES,
  requires: RBAC_REQUIRES,
  optional: RBAC_OPTIONAL,
  defaultOptions: { ...COMMON_DEFAULTS },
  optionSchema: { ...COMMON_OPTION_SCHEMA },
  run(inputs, ctx) {
    const a = analyzeInputs(inputs, ctx.options);
    const findings: RawFinding[] = [];
    for (const { subject, grants } of a.subjects) {
      if (a.classify(subject) !== 'other') continue;
      const cluster = grants.filter((g) => g.clusterWide);
      if (cluster.some((g) => g.power === 'wildcard')) continue;
      for (const power of PRIMITIVES) {
        const live = cluster.filter((g) => g.power === power && !g.exempt);
        if (live.length === 0) continue;
        const granted = grantEvidence(live);
        findings.push({
          rule: power,
          resource: subjectResource(subject),
          message: `${subjectLabel(subject)} can ${POWER_TITLES[power]} cluster-wide through ${viaText(granted)}.`,
          evidence: { subject: subjectLabel(subject), power, ...granted },
          remediation: removalCommands(subject, live),
        });
      }
    }
    return checkOutput(a, findings);
  },
});
