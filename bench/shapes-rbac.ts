/**
 * A pathological RBAC shape for the scale benchmark: many namespaces, each with several
 * RoleBindings that make it exceed `maxNamespaceAdmins`, subjects shared by every namespace,
 * ServiceAccount subjects without a namespace, and bindings to ServiceAccounts that do not exist.
 * The dump has the layout `collect` writes (`resources/<resource>/<nnnn>.json` pages of 500
 * objects, objects shaped like what the API returns); the cluster-scoped RBAC objects
 * (ClusterRoles with their aggregation, ClusterRoleBindings), the nodes and the version come
 * from the bundled lab-1.26 dump, whose Namespaces, ServiceAccounts, Roles and RoleBindings are
 * kept alongside the generated ones.
 *
 * Per generated namespace `team-<i>` (i = 1…namespaces): the Namespace, ServiceAccounts
 * `default` and `deployer`, a Role `pod-debugger` (exec into pods, read logs), and
 * `bindingsPerNamespace` RoleBindings cycling through five templates:
 * 1. `team-admins`: ClusterRole `admin` to Group `team-<i>-admins`;
 * 2. `team-lead`: ClusterRole `admin` to User `lead-<i>@example.com`;
 * 3. `deployer-edit`: ClusterRole `edit` to ServiceAccount `deployer` (namespace omitted: the
 *    binding's);
 * 4. `oncall-debug`: Role `pod-debugger` to Group `oncall` and User `auditor@example.com`, the
 *    same two subjects in every namespace;
 * 5. `ci-builder`: ClusterRole `edit` to ServiceAccount `ci/builder-<i>`, which does not exist.
 * Template k ≥ 5 repeats template k mod 5 with the suffix `-<k div 5>` on the binding and on
 * its per-namespace subjects.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { writePaged } from './synthetic.js';

export interface RbacShape {
  /** Generated namespaces (`team-1` … `team-<namespaces>`). */
  namespaces: number;
  /** RoleBindings in each generated namespace. */
  bindingsPerNamespace: number;
}

const RBAC_API = 'rbac.authorization.k8s.io/v1';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const CREATED = '2026-05-04T09:12:33Z';

/** `metadata` of a generated object; `serial` (1, 2, …) makes its uid and resourceVersion. */
function metadata(serial: number, name: string, namespace?: string, labels?: Record<string, string>): Record<string, unknown> {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    uid: `20000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    resourceVersion: String(10_000 + serial),
    creationTimestamp: CREATED,
    ...(labels ? { labels } : {}),
  };
}

type Subject = { kind: 'User' | 'Group'; apiGroup: string; name: string } | { kind: 'ServiceAccount'; name: string; namespace?: string };
const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });

function roleBinding(
  serial: number,
  namespace: string,
  name: string,
  roleKind: 'ClusterRole' | 'Role',
  roleName: string,
  subjects: Subject[],
): unknown {
  return {
    apiVersion: RBAC_API,
    kind: 'RoleBinding',
    metadata: metadata(serial, name, namespace),
    roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName },
    subjects,
  };
}

/** The `bindingsPerNamespace` RoleBindings of namespace `team-<i>` (see the module comment). */
function bindingsOf(i: number, count: number, next: () => number): unknown[] {
  const ns = `team-${i}`;
  const out: unknown[] = [];
  for (let k = 0; k < count; k++) {
    const sfx = k < 5 ? '' : `-${Math.floor(k / 5)}`;
    switch (k % 5) {
      case 0:
        out.push(roleBinding(next(), ns, `team-admins${sfx}`, 'ClusterRole', 'admin', [group(`${ns}-admins${sfx}`)]));
        break;
      case 1:
        out.push(roleBinding(next(), ns, `team-lead${sfx}`, 'ClusterRole', 'admin', [user(`lead-${i}${sfx}@example.com`)]));
        break;
      case 2:
        out.push(
          roleBinding(next(), ns, `deployer-edit${sfx}`, 'ClusterRole', 'edit', [{ kind: 'ServiceAccount', name: `deployer${sfx}` }]),
        );
        break;
      case 3:
        out.push(roleBinding(next(), ns, `oncall-debug${sfx}`, 'Role', 'pod-debugger', [group('oncall'), user('auditor@example.com')]));
        break;
      default:
        out.push(
          roleBinding(next(), ns, `ci-builder${sfx}`, 'ClusterRole', 'edit', [
            { kind: 'ServiceAccount', name: `builder-${i}${sfx}`, namespace: 'ci' },
          ]),
        );
    }
  }
  return out;
}

async function labItems(resource: string): Promise<unknown[]> {
  const file = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26', 'resources', `${resource}.json`);
  return (JSON.parse(await readFile(file, 'utf8')) as { items: unknown[] }).items;
}

/**
 * Writes the dump into `dir` (created when missing) and returns the number of objects written
 * per resource. Throws the file system's error when `dir` cannot be written.
 */
export async function writeRbacDump(dir: string, shape: RbacShape): Promise<Record<string, number>> {
  const namespaces = await labItems('namespaces');
  const serviceaccounts = await labItems('serviceaccounts');
  const roles = await labItems('roles.rbac.authorization.k8s.io');
  const rolebindings = await labItems('rolebindings.rbac.authorization.k8s.io');
  let serial = 0;
  const next = (): number => ++serial;
  for (let i = 1; i <= shape.namespaces; i++) {
    const ns = `team-${i}`;
    namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: metadata(next(), ns, undefined, { 'kubernetes.io/metadata.name': ns }),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    for (const sa of ['default', 'deployer'])
      serviceaccounts.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(next(), sa, ns) });
    roles.push({
      apiVersion: RBAC_API,
      kind: 'Role',
      metadata: metadata(next(), 'pod-debugger', ns),
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      ],
    });
    rolebindings.push(...bindingsOf(i, shape.bindingsPerNamespace, next));
  }
  const counts: Record<string, number> = {};
  for (const [resource, items] of [
    ['namespaces', namespaces],
    ['serviceaccounts', serviceaccounts],
    ['roles.rbac.authorization.k8s.io', roles],
    ['rolebindings.rbac.authorization.k8s.io', rolebindings],
    ['clusterroles.rbac.authorization.k8s.io', await labItems('clusterroles.rbac.authorization.k8s.io')],
    ['clusterrolebindings.rbac.authorization.k8s.io', await labItems('clusterrolebindings.rbac.authorization.k8s.io')],
    ['nodes', await labItems('nodes')],
  ] as const) {
    await writePaged(dir, resource, items);
    counts[resource] = items.length;
  }
  const lab = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
  await cp(join(lab, 'version.json'), join(dir, 'version.json'));
  await writeFile(join(dir, 'metadata.json'), JSON.stringify({ collectedAt: '2026-11-23T07:00:18Z', collectedBy: 'bench/shapes-rbac.ts' }));
  return counts;
}
