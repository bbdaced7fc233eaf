/**
 * Values of the `rbac` family's inputs: Roles, ClusterRoles, their bindings and ServiceAccounts
 * (`src/sources/inputs/rbac.ts` reads them; `src/k8s/rbac.ts` resolves them).
 */
import type { LabelSelector } from './selectors.js';

/** A ServiceAccount, by namespace and name. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

/** A binding subject; `namespace` only for ServiceAccounts. */
export interface Subject {
  kind: SubjectKind;
  name: string;
  namespace?: string;
}

/** `rbac.authorization.k8s.io/v1` PolicyRule with absent lists normalized to `[]`. */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A Role or ClusterRole. `aggregationRule` holds the `clusterRoleSelectors` of a ClusterRole. */
export interface RbacRole {
  kind: 'ClusterRole' | 'Role';
  /** Set for a Role. */
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  rules: PolicyRule[];
  aggregationRule?: LabelSelector[];
}

/** A RoleBinding or ClusterRoleBinding. */
export interface RbacBinding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  /** Set for a RoleBinding. */
  namespace?: string;
  name: string;
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects: Subject[];
  /** The binding's labels (`kubernetes.io/bootstrapping=rbac-defaults` is a claim, not a proof). */
  labels?: Record<string, string>;
  /** `metadata.creationTimestamp` (RFC 3339): since when the binding grants its role. */
  creationTimestamp?: string;
}
