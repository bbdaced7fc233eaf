/**
 * RBAC inputs: ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, and the names of the
 * ServiceAccounts (to tell a binding to a ServiceAccount that does not exist).
 *
 * Objects are reduced to what RBAC evaluation reads (`src/k8s/rbac.ts`): names, labels (for
 * `aggregationRule` selectors and the `kubernetes.io/bootstrapping` claim), rules,
 * `aggregationRule.clusterRoleSelectors`, `roleRef`, `subjects`. Absent lists become `[]`.
 * A subject of an unknown kind (never valid in the API) is dropped; a ServiceAccount subject
 * of a RoleBinding without namespace takes the binding's namespace, as the authorizer does.
 * A field of the wrong type (`subjects` that is not a list, a rule's `verbs` that is a string)
 * throws `InputError` naming its path: the object is an unread part, never a role without rules.
 */
import type { KubeObject } from '../../k8s/objects.js';
import type { PolicyRule, RbacBinding, RbacRole, Subject, ServiceAccountRef } from '../../contract/values/rbac.js';
import { R } from '../../k8s/resources.js';
import type { LabelSelector } from '../../contract/values/selectors.js';
import type { ApiResource } from '../../contract/inputs.js';
import type { ResourceInputDef } from '../input-def.js';
import { labelSelector, optList, optStr, optStrings, readAs, z } from '../schema.js';

const RULE = z.object({
  verbs: optStrings,
  apiGroups: optStrings,
  resources: optStrings,
  resourceNames: optStrings,
  nonResourceURLs: optStrings,
});

/** A PolicyRule with every list present (absent lists are `[]`). */
function ruleOf(r: z.output<typeof RULE>): PolicyRule {
  return {
    verbs: r.verbs ?? [],
    apiGroups: r.apiGroups ?? [],
    resources: r.resources ?? [],
    resourceNames: r.resourceNames ?? [],
    nonResourceURLs: r.nonResourceURLs ?? [],
  };
}

const ROLE = z.object({
  rules: z.array(RULE).nullish(),
  aggregationRule: z.object({ clusterRoleSelectors: z.array(labelSelector).nullish() }).nullish(),
});

/** A Role or ClusterRole. Throws `InputError` for a field of the wrong type. */
export function normalizeRole(o: KubeObject): RbacRole {
  const { rules, aggregationRule } = readAs(ROLE, o);
  const selectors = aggregationRule?.clusterRoleSelectors;
  const role: RbacRole = {
    kind: o.kind === 'Role' ? 'Role' : 'ClusterRole',
    name: o.metadata.name!,
    labels: o.metadata.labels ?? {},
    rules: (rules ?? []).map(ruleOf),
  };
  if (o.kind === 'Role') role.namespace = o.metadata.namespace;
  if (o.kind !== 'Role' && selectors) role.aggregationRule = selectors as LabelSelector[];
  return role;
}

const BINDING = z.object({
  roleRef: z.object({ kind: optStr, name: optStr }).nullish(),
  subjects: optList({ kind: optStr, name: optStr, namespace: optStr }),
});

/** A RoleBinding or ClusterRoleBinding. Throws `InputError` for a field of the wrong type. */
export function normalizeBinding(o: KubeObject): RbacBinding {
  const kind = o.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding';
  const namespace = kind === 'RoleBinding' ? o.metadata.namespace : undefined;
  const raw = readAs(BINDING, o);
  const subjects: Subject[] = [];
  for (const s of raw.subjects ?? []) {
    const k = s.kind;
    const name = s.name;
    if ((k !== 'User' && k !== 'Group' && k !== 'ServiceAccount') || name == null) continue;
    if (k === 'ServiceAccount') subjects.push({ kind: k, name, namespace: s.namespace || namespace || '' });
    else subjects.push({ kind: k, name });
  }
  const refKind = raw.roleRef?.kind === 'Role' ? 'Role' : 'ClusterRole';
  const b: RbacBinding = {
    kind,
    name: o.metadata.name!,
    roleRef: { kind: refKind, name: raw.roleRef?.name ?? '' },
    subjects,
    labels: o.metadata.labels ?? {},
  };
  if (namespace !== undefined) b.namespace = namespace;
  if (typeof o.metadata.creationTimestamp === 'string') b.creationTimestamp = o.metadata.creationTimestamp;
  return b;
}

function rbacInput<T>(key: string, description: string, resource: ApiResource, normalize: (o: KubeObject) => T): ResourceInputDef<T> {
  return { type: 'resources', key, description, resources: [resource], normalize };
}

export const clusterRolesInput = rbacInput('clusterroles', 'ClusterRoles (rules, aggregationRule, labels)', R.clusterroles, normalizeRole);
export const clusterRoleBindingsInput = rbacInput(
  'clusterrolebindings',
  'ClusterRoleBindings (roleRef, subjects, labels)',
  R.clusterrolebindings,
  normalizeBinding,
);
export const rolesInput = rbacInput('roles', 'Roles of every namespace (rules, labels)', R.roles, normalizeRole);
export const roleBindingsInput = rbacInput(
  'rolebindings',
  'RoleBindings of every namespace (roleRef, subjects, labels)',
  R.rolebindings,
  normalizeBinding,
);
export const serviceAccountsInput = rbacInput<ServiceAccountRef>(
  'serviceaccounts',
  'ServiceAccounts (namespace and name only)',
  R.serviceaccounts,
  (o) => ({
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name!,
  }),
);
export const RBAC_INPUTS = [clusterRolesInput, clusterRoleBindingsInput, rolesInput, roleBindingsInput, serviceAccountsInput];
