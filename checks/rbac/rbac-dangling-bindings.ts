/**
 * Bindings that point at nothing yet: a ServiceAccount that does not exist (whoever creates it
 * later, in a namespace they control or can create, inherits the binding) and a role that does
 * not exist (whoever creates a role of that name activates the binding).
 *
 * Rules:
 * - `missing-service-account` (medium): one finding per ServiceAccount subject of non-default
 *   bindings that is not among the cluster's ServiceAccounts; evidence lists the bindings
 *   (`binding`, `bindingKind`, `namespace`, `roleRef: {kind, name}`, as in the other RBAC
 *   checks' grants) and whether the namespace exists.
 * - `missing-role` (low): one finding per non-default binding whose `roleRef` names a
 *   ClusterRole (or a Role of its namespace) that does not exist.
 *
 * Default bindings (`data/default-bindings.ts`) are left out: upstream binds ServiceAccounts
 * that only exist when the matching controller or add-on runs (`kube-system/kube-dns` on
 * clusters with CoreDNS, `kube-system/cloud-provider`), and recreates them itself.
 * Sources: krane rule "non-existing roles", Popeye RBAC check 1300 (role not found).
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { subjectKey } from '../../src/k8s/rbac.js';
import type { RbacBinding, Subject } from '../../src/contract/values/rbac.js';
import { COMMON_DEFAULTS, COMMON_OPTION_SCHEMA, analyzeInputs, checkOutput, subjectLabel, subjectResource } from './lib/analysis.js';

export default defineCheck({
  id: 'rbac-dangling-bindings',
  family: 'rbac',
  title: 'Bindings refer to ServiceAccounts and roles that exist',
  summary: 'bindings to a ServiceAccount that does not exist (medium: it can be created later) or a role that does not ' + 'exist (low)',
  rationale:
    'A binding to a ServiceAccount that does not exist is a grant waiting for its holder: anyone who ' +
    "can create ServiceAccounts in that namespace (or create the namespace) gets the binding's " +
    'permissions. A binding to a missing role grants nothing today, and everything the role will ' +
    'hold once someone creates it under that name.',
  remediation:
    'Delete bindings that are left over (`kubectl delete clusterrolebinding <name>`, `kubectl -n ' +
    '<ns> delete rolebinding <name>`), or create the intended ServiceAccount or role now so the ' +
    'binding has a known holder.',
  references: [
    'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects',
    'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
  ],
  defaultSeverity: 'medium',
  rules: {
    'missing-service-account': { title: 'Binding to a ServiceAccount that does not exist', severity: 'medium' },
    'missing-role': { title: 'Binding to a role that does not exist', severity: 'low' },
  },
  requires: ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings', 'serviceaccounts'],
  optional: ['namespaces', 'version', 'nodes'],
  defaultOptions: { ...COMMON_DEFAULTS },
  optionSchema: { ...COMMON_OPTION_SCHEMA },
  run(inputs, ctx) {
    const a = analyzeInputs(inputs, ctx.options);
    const findings: RawFinding[] = [];
    const existing = new Set(inputs.serviceaccounts.map((s) => `${s.namespace}/${s.name}`));
    const namespaces = inputs.optional.namespaces.value ? new Set(inputs.optional.namespaces.value.map((n) => n.name)) : undefined;
    const missing = new Map<string, { subject: Subject; bindings: RbacBinding[] }>();
    for (const b of a.bindings) {
      const subjects = b.subjects.map((s) => (s.kind === 'ServiceAccount' && !s.namespace ? { ...s, namespace: b.namespace ?? '' } : s));
      const nonDefault = subjects.filter((s) => !a.isDefaultBinding(b, s));
      if (nonDefault.length > 0 && !a.index.resolve(b)) {
        findings.push({
          rule: 'missing-role',
          resource: {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: b.kind,
            ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
            name: b.name,
          },
          message:
            `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} refers to ${b.roleRef.kind} ` +
            `${b.roleRef.name}, which does not exist: creating it would grant its rules to ` +
            `${nonDefault.map(subjectLabel).join(', ')}.`,
          evidence: { roleRef: b.roleRef, subjects: nonDefault.map(subjectLabel) },
          remediation:
            b.kind === 'ClusterRoleBinding'
              ? `kubectl delete clusterrolebinding ${b.name}`
              : `kubectl -n ${b.namespace} delete rolebinding ${b.name}`,
        });
      }
      for (const s of nonDefault) {
        if (s.kind !== 'ServiceAccount' || existing.has(`${s.namespace}/${s.name}`)) continue;
        const k = subjectKey(s);
        if (!missing.has(k)) missing.set(k, { subject: s, bindings: [] });
        missing.get(k)!.bindings.push(b);
      }
    }
    // In `localeCompare` order of the subject keys (`missing`'s keys), with one collator for all comparisons.
    const collator = new Intl.Collator();
    const sorted = [...missing].sort(([x], [y]) => collator.compare(x, y));
    for (const [, { subject, bindings }] of sorted) {
      const nsExists = namespaces ? namespaces.has(subject.namespace ?? '') : undefined;
      const grants = bindings.map(
        (b) => `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} (${b.roleRef.kind} ${b.roleRef.name})`,
      );
      findings.push({
        rule: 'missing-service-account',
        resource: subjectResource(subject),
        message:
          `${subjectLabel(subject)} does not exist${nsExists === false ? ' (nor does its namespace)' : ''}, ` +
          `but ${grants.join(', ')} grant${bindings.length === 1 ? 's' : ''} it permissions.`,
        evidence: {
          subject: subjectLabel(subject),
          ...(nsExists !== undefined ? { namespaceExists: nsExists } : {}),
          bindings: bindings.map((b) => ({
            binding: b.name,
            bindingKind: b.kind,
            ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
            roleRef: { kind: b.roleRef.kind, name: b.roleRef.name },
          })),
        },
        remediation: bindings
          .map((b) => {
            const ref = b.kind === 'ClusterRoleBinding' ? `clusterrolebinding ${b.name}` : `-n ${b.namespace} rolebinding ${b.name}`;
            return b.subjects.length <= 1
              ? `kubectl delete ${ref}`
              : `kubectl edit ${ref}   # remove ${subjectLabel(subject)} from subjects`;
          })
          .join('\n'),
      });
    }
    return checkOutput(a, findings);
  },
});
