/**
 * RBAC inputs: ClusterRoles, ClusterRoleBindings, Roles, RoleBindings, and the names of the
 * ServiceAccounts (to tell a binding to a ServiceAccount that does not exist).
 *
 * Objects are reduced to what RBAC evaluation reads (`src/k8s/rbac.ts`): names, labels (for
 * `aggregationRule` selectors and the `kubernetes.io/bootstrapping` claim), rules,
 * `aggregationRule.clusterRoleSelectors`, `roleRef`, `subjects`. Absent lists become `[]`.
 * A subject of an unknown kind (never valid in the API) is dropped; a ServiceAccount subject
 * of a RoleBinding without namespace takes the binding's namespace, as the authorizer does.
 */
import { arr, dig, isRecord, str, strMap, type KubeObject } from '../../k8s/objects.js';
import type { PolicyRule, RbacBinding, RbacRole, Subject } from '../../k8s/rbac.js';
import { R } from '../../k8s/resources.js';
import type { LabelSelector } from '../../k8s/selectors.js';
import type { ApiResource, ResourceInputDef } from '../input-def.js';

/** A ServiceAccount, by namespace and name. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

declare module '../input-types.js' {
  interface InputTypes {
    clusterroles: RbacRole[];
    clusterrolebindings: RbacBinding[];
    roles: RbacRole[];
    rolebindings: RbacBinding[];
    serviceaccounts: ServiceAccountRef[];
  }
}

const strings = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

/** A PolicyRule with every list present. */
export function normalizeRule(r: unknown): PolicyRule {
  return {
    verbs: strings(dig(r, 'verbs')),
    apiGroups: strings(dig(r, 'apiGroups')),
    resources: strings(dig(r, 'resources')),
    resourceNames: strings(dig(r, 'resourceNames')),
    nonResourceURLs: strings(dig(r, 'nonResourceURLs')),
  };
}

export function normalizeRole(o: KubeObject): RbacRole {
  const selectors = dig(o, 'aggregationRule', 'clusterRoleSelectors');
  const role: RbacRole = {
    kind: o.kind === 'Role' ? 'Role' : 'ClusterRole',
    name: o.metadata.name!,
    labels: strMap(o.metadata.labels),
    rules: arr(o.rules).filter(isRecord).map(normalizeRule),
  };
  if (o.kind === 'Role') role.namespace = o.metadata.namespace;
  if (o.kind !== 'Role' && Array.isArray(selectors)) role.aggregationRule = selectors.filter(isRecord) as LabelSelector[];
  return role;
}

export function normalizeBinding(o: KubeObject): RbacBinding {
  const kind = o.kind === 'RoleBinding' ? 'RoleBinding' : 'ClusterRoleBinding';
  const namespace = kind === 'RoleBinding' ? o.metadata.namespace : undefined;
  const subjects: Subject[] = [];
  for (const s of arr(o.subjects)) {
    const k = str(dig(s, 'kind'));
    const name = str(dig(s, 'name'));
    if ((k !== 'User' && k !== 'Group' && k !== 'ServiceAccount') || name === undefined) continue;
    if (k === 'ServiceAccount') subjects.push({ kind: k, name, namespace: str(dig(s, 'namespace')) || namespace || '' });
    else subjects.push({ kind: k, name });
  }
  const refKind = str(dig(o, 'roleRef', 'kind')) === 'Role' ? 'Role' : 'ClusterRole';
  const b: RbacBinding = { kind, name: o.metadata.name!, roleRef: { kind: refKind, name: str(dig(o, 'roleRef', 'name')) ?? '' }, subjects, labels: strMap(o.metadata.labels) };
  if (namespace !== undefined) b.namespace = namespace;
  return b;
}

function rbacInput<T>(key: string, description: string, resource: ApiResource, normalize: (o: KubeObject) => T): ResourceInputDef<T> {
  return { type: 'resources', key, description, resources: [resource], normalize };
}

export const clusterRolesInput = rbacInput('clusterroles', 'ClusterRoles (rules, aggregationRule, labels)', R.clusterroles, normalizeRole);
export const clusterRoleBindingsInput = rbacInput('clusterrolebindings', 'ClusterRoleBindings (roleRef, subjects, labels)', R.clusterrolebindings, normalizeBinding);
export const rolesInput = rbacInput('roles', 'Roles of every namespace (rules, labels)', R.roles, normalizeRole);
export const roleBindingsInput = rbacInput('rolebindings', 'RoleBindings of every namespace (roleRef, subjects, labels)', R.rolebindings, normalizeBinding);
export const serviceAccountsInput = rbacInput<ServiceAccountRef>('serviceaccounts', 'ServiceAccounts (namespace and name only)', R.serviceaccounts, (o) => ({
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name!,
}));
export const RBAC_INPUTS = [clusterRolesInput, clusterRoleBindingsInput, rolesInput, roleBindingsInput, serviceAccountsInput];
