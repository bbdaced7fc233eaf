/**
 * `kube-preflight rbac`: the least-privilege RBAC for a read-only identity that runs the
 * selected checks, derived from their inputs (`INPUTS`):
 *
 * - the reader ClusterRole: `list` on exactly the resources the inputs list (the live source
 *   sends paged LISTs only, never a GET of one object), and `get` on the non-resource URLs file
 *   inputs fetch (`apiPaths`: `/version`, `/metrics`, `/readyz`, `/apis`). No wildcard, no
 *   subresource (so no `pods/exec`, no `nodes/proxy`), no Secrets. An input that reads every
 *   resource (`api-usage`) gets the built-in resources of the catalog (`BUILTIN_RESOURCE_NAMES`)
 *   it does not exclude, plus the custom resources named with `--custom-resources`;
 * - the Secrets ClusterRole (opt-in, `--with-secrets`): `list` on Secrets, for the inputs that
 *   read them (TLS Secrets, Helm release records). Without it those inputs are forbidden and
 *   their subjects reported as not assessed.
 *
 * Not granted because Kubernetes' default bindings give them to every authenticated user:
 * discovery (`/api`, `/api/*`, `/apis/*`: ClusterRole `system:discovery`) and the
 * SelfSubjectAccessReviews of the permission plan (`system:basic-user`).
 * With `--service-account NS/NAME`, the output also holds the Namespace, the ServiceAccount
 * and one ClusterRoleBinding per role, in an order `kubectl apply -f -` accepts on a fresh cluster.
 */
import { Document } from 'yaml';
import { inputsFor } from '../report/scan.js';
import type { RegisteredCheck } from '../contract/check.js';
import { BUILTIN_RESOURCE_NAMES } from '../k8s/resources.js';
import type { InputDef } from '../sources/input-def.js';
import { everythingReads } from '../sources/everything.js';

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** Built-in resources that cannot be listed (`bindings` only accepts `create`). */
const NOT_LISTABLE: ReadonlySet<string> = new Set(['bindings']);

/** `plural[.group]` of Secrets, granted only by the opt-in Secrets role. */
const SECRETS = 'secrets';

/** What to grant beyond the inputs' fixed resources. */
export interface RbacOptions {
  /** Emit the Secrets role (and its binding). */
  withSecrets?: boolean;
  /** Custom resources (`plural.group`) for the inputs that read every resource. */
  customResources?: string[];
}

/** The rules of the reader role, and of the Secrets role with the input keys that need it. */
export interface RolePlan {
  reader: PolicyRule[];
  /** `undefined` when no selected input reads Secrets. */
  secrets?: { rules: PolicyRule[]; inputs: string[] };
}

/** `{ group, resource }` of a `plural[.group]` name. */
function splitName(name: string): { group: string; resource: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { group: '', resource: name } : { group: name.slice(dot + 1), resource: name.slice(0, dot) };
}

/** The rules the given inputs need (see the module comment). */
export function rulesFor(defs: InputDef[], options: RbacOptions = {}): RolePlan {
  const byGroup = new Map<string, Set<string>>();
  const urls = new Set<string>();
  const secretInputs = new Set<string>();
  const add = (def: InputDef, name: string): void => {
    if (name === SECRETS) {
      secretInputs.add(def.key);
      return;
    }
    const { group, resource } = splitName(name);
    byGroup.set(group, (byGroup.get(group) ?? new Set<string>()).add(resource));
  };
  for (const d of defs) {
    if (d.type === 'files') {
      for (const u of d.apiPaths ?? []) urls.add(u.split('?')[0]!);
      continue;
    }
    for (const r of d.resources) add(d, r.group ? `${r.resource}.${r.group}` : r.resource);
    if (d.everything) {
      for (const name of BUILTIN_RESOURCE_NAMES) if (!NOT_LISTABLE.has(name) && everythingReads(d, name)) add(d, name);
      for (const name of options.customResources ?? []) if (everythingReads(d, name)) add(d, name);
    }
  }
  const reader: PolicyRule[] = [...byGroup.keys()]
    .sort()
    .map((g) => ({ apiGroups: [g], resources: [...byGroup.get(g)!].sort(), verbs: ['list'] }));
  if (urls.size > 0) reader.push({ nonResourceURLs: [...urls].sort(), verbs: ['get'] });
  if (secretInputs.size === 0) return { reader };
  return { reader, secrets: { rules: [{ apiGroups: [''], resources: [SECRETS], verbs: ['list'] }], inputs: [...secretInputs].sort() } };
}

/** A manifest, with the comment printed above it. */
export interface Manifest {
  object: Record<string, unknown>;
  comment?: string;
}

export interface ManifestOptions extends RbacOptions {
  /** Name of the reader ClusterRole and its binding; the Secrets role is `<name>-secrets`. */
  name: string;
  serviceAccount?: { namespace: string; name: string };
  /** Labels of the Namespace (deploy/ enforces the `restricted` Pod Security Standard). */
  namespaceLabels?: Record<string, string>;
}

const LABELS = { 'app.kubernetes.io/name': 'kube-preflight' };
const RBAC_API = 'rbac.authorization.k8s.io/v1';

/**
 * The manifests for the selected checks: Namespace and ServiceAccount (with `serviceAccount`),
 * the ClusterRoles, then their bindings (with `serviceAccount`).
 */
export function clusterRoleManifests(checks: RegisteredCheck[], o: ManifestOptions): Manifest[] {
  const plan = rulesFor(inputsFor(checks), o);
  const secretsName = `${o.name}-secrets`;
  const roles: Manifest[] = [
    {
      object: { apiVersion: RBAC_API, kind: 'ClusterRole', metadata: { name: o.name, labels: LABELS }, rules: plan.reader },
      comment:
        ` Read-only: list on what the checks read, get on the non-resource URLs they fetch. Discovery ` +
        `(/api, /apis/*) and\n SelfSubjectAccessReviews are granted to every authenticated user by ` +
        `system:discovery and system:basic-user.`,
    },
  ];
  if (o.withSecrets && plan.secrets) {
    roles.push({
      object: { apiVersion: RBAC_API, kind: 'ClusterRole', metadata: { name: secretsName, labels: LABELS }, rules: plan.secrets.rules },
      comment:
        ` Opt-in (--with-secrets): list on Secrets in every namespace, for ${plan.secrets.inputs.join(', ')}: expiry of\n` +
        ' kubernetes.io/tls certificates and Helm release records. RISK: list returns the data of every Secret (tokens, keys,\n' +
        ' passwords); kube-preflight keeps only tls.crt/ca.crt, but whoever holds this identity can read them all, and the\n' +
        ' rbac checks report it (rbac-escalation-primitives, secrets-read, high). Without it those subjects are not assessed.',
    });
  }
  if (!o.serviceAccount) return roles;
  const sa = o.serviceAccount;
  const binding = (name: string): Manifest => ({
    object: {
      apiVersion: RBAC_API,
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
    },
  });
  return [
    {
      object: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: sa.namespace, ...(o.namespaceLabels ? { labels: o.namespaceLabels } : {}) },
      },
    },
    { object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa.name, namespace: sa.namespace, labels: LABELS } } },
    ...roles,
    ...roles.map((r) => binding((r.object.metadata as { name: string }).name)),
  ];
}

/** The manifests as one multi-document YAML stream (`---` between documents, comments kept). */
export function manifestsText(manifests: Manifest[]): string {
  return manifests
    .map((m) => {
      const doc = new Document(m.object);
      if (m.comment) doc.commentBefore = m.comment;
      return doc.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
