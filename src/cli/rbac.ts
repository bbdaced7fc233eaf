/**
 * `kube-preflight rbac`: the least-privilege ClusterRole for a read-only service account that
 * runs the selected checks — `get`/`list` on exactly the resources their inputs read, and `get`
 * on the non-resource URLs they fetch — optionally with the ServiceAccount and binding.
 */
import { Command } from 'commander';
import { stringify } from 'yaml';
import { inputsFor } from '../engine/scan.js';
import type { RegisteredCheck } from '../engine/types.js';
import { FatalError } from '../errors.js';
import type { InputDef } from '../sources/input-def.js';
import { loadRegistry } from './common.js';
import { parseList } from './options.js';

/** Non-resource URLs every live scan reads: discovery and the server version. */
const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/version'];

export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

/** The rules a service account needs to collect the given inputs. */
export function rulesFor(defs: InputDef[]): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  let everything = false;
  const urls = new Set(DISCOVERY_URLS);
  for (const d of defs) {
    if (d.type === 'files') {
      for (const u of d.apiPaths ?? []) urls.add(u.split('?')[0]!);
      continue;
    }
    if (d.everything) everything = true;
    for (const r of d.resources) {
      const set = byGroup.get(r.group) ?? new Set<string>();
      set.add(r.resource);
      byGroup.set(r.group, set);
    }
  }
  const rules: PolicyRule[] = [];
  if (everything) rules.push({ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] });
  else {
    for (const g of [...byGroup.keys()].sort()) rules.push({ apiGroups: [g], resources: [...byGroup.get(g)!].sort(), verbs: ['get', 'list'] });
  }
  rules.push({ nonResourceURLs: [...urls].sort(), verbs: ['get'] });
  return rules;
}

export function clusterRoleManifests(checks: RegisteredCheck[], name: string, serviceAccount?: { namespace: string; name: string }): Array<Record<string, unknown>> {
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'kube-preflight' } },
    rules: rulesFor(inputsFor(checks)),
  };
  if (!serviceAccount) return [role];
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: serviceAccount.name, namespace: serviceAccount.namespace, labels: { 'app.kubernetes.io/name': 'kube-preflight' } } },
    role,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels: { 'app.kubernetes.io/name': 'kube-preflight' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }],
    },
  ];
}

export function rbacCommand(): Command {
  return new Command('rbac')
    .description('Print the read-only ClusterRole (get/list only) the selected checks need, for a scanning service account')
    .option('--checks <ids>', 'only these checks or families, comma-separated', parseList)
    .option('--skip <ids>', 'skip these checks or families, comma-separated', parseList)
    .option('--name <name>', 'name of the ClusterRole (and binding)', 'kube-preflight-reader')
    .option('--service-account <namespace/name>', 'also print the ServiceAccount and the ClusterRoleBinding to it')
    .option('--plugin <path|package>', 'include third-party checks (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (flags: { checks?: string[]; skip?: string[]; name: string; serviceAccount?: string; plugin?: string[] }) => {
      const registry = await loadRegistry(flags.plugin);
      const { selected } = registry.select(flags.checks, flags.skip);
      let sa: { namespace: string; name: string } | undefined;
      if (flags.serviceAccount) {
        const m = flags.serviceAccount.match(/^([a-z0-9-]+)\/([a-z0-9.-]+)$/);
        if (!m) throw new FatalError('--service-account: expected NAMESPACE/NAME');
        sa = { namespace: m[1]!, name: m[2]! };
      }
      const docs = clusterRoleManifests(selected, flags.name, sa);
      process.stdout.write(`# kube-preflight rbac for ${selected.length} check(s): ${selected.map((c) => c.def.id).join(', ')}\n`);
      process.stdout.write(docs.map((d) => stringify(d, { lineWidth: 0 })).join('---\n'));
    });
}
