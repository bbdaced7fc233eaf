/**
 * Pathological shapes for the drain simulation (`checks/pdb/pdb-drain-plan.ts`), on top of the
 * synthetic dump of `synthetic.ts`:
 *
 * - `writeAntiAffinityDump(dir, { nodes, pods })`: the synthetic dump where every Deployment pod
 *   (and its Deployment's template) carries the usual HA rule, a required pod anti-affinity on
 *   `kubernetes.io/hostname` against the pods of its own Deployment (`app: <name>`). The
 *   synthetic placement already puts the 10 replicas of a Deployment on 10 different nodes, so
 *   the cluster as written satisfies the rule; every drain then has to keep each evicted pod away
 *   from the nodes of its siblings.
 * - `writeParallelDrainConfig(file, maxParallelDrains)`: a `--config` file asking the drain plan
 *   for waves of up to `maxParallelDrains` nodes (default 20), for `scan --config <file>`.
 *
 * Usage (after `npm run build`): `node dist/bench/shapes-drain.js <dir> [nodes] [pods]` writes the
 * anti-affinity dump into `<dir>` and the config into `<dir>.drain-config.yaml`.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeSyntheticDump } from './synthetic.js';

/** Size of the anti-affinity dump: node and pod counts (500 namespaces, as `npm run bench`). */
export interface AntiAffinitySize {
  nodes: number;
  pods: number;
  namespaces?: number;
}

interface Obj {
  metadata?: { labels?: Record<string, string>; ownerReferences?: Array<{ kind?: string }> };
  spec?: Record<string, unknown> & { template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } };
}

/** `affinity` with one required anti-affinity term: no two pods of the app on one node. */
function antiAffinity(app: string): unknown {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }],
    },
  };
}

/** Rewrites every page of `resources/<resource>/` through `edit` (each object in place). */
async function rewrite(dir: string, resource: string, edit: (o: Obj) => void): Promise<void> {
  const d = join(dir, 'resources', resource);
  for (const f of (await readdir(d)).filter((n) => n.endsWith('.json'))) {
    const page = JSON.parse(await readFile(join(d, f), 'utf8')) as { items: Obj[] };
    for (const o of page.items) edit(o);
    await writeFile(join(d, f), JSON.stringify(page));
  }
}

/**
 * Writes the synthetic dump (`writeSyntheticDump`) into `dir`, then gives every pod owned by a
 * ReplicaSet, and every Deployment's pod template, a required hostname anti-affinity against
 * its own `app` label. Returns the objects written per resource. Throws what the file system
 * throws (the directory must be writable).
 */
export async function writeAntiAffinityDump(dir: string, size: AntiAffinitySize): Promise<Record<string, number>> {
  const counts = await writeSyntheticDump(dir, { nodes: size.nodes, pods: size.pods, namespaces: size.namespaces ?? 500 });
  await rewrite(dir, 'pods', (p) => {
    const app = p.metadata?.labels?.app;
    if (app && p.spec && p.metadata?.ownerReferences?.some((r) => r.kind === 'ReplicaSet')) p.spec.affinity = antiAffinity(app);
  });
  await rewrite(dir, 'deployments.apps', (d) => {
    const app = d.spec?.template?.metadata?.labels?.app;
    if (app && d.spec?.template?.spec) d.spec.template.spec.affinity = antiAffinity(app);
  });
  return counts;
}

/** Writes a `--config` file setting the drain plan's `maxParallelDrains` (default 20). */
export async function writeParallelDrainConfig(file: string, maxParallelDrains = 20): Promise<void> {
  await writeFile(file, `apiVersion: kube-preflight/v1\nkind: Config\nchecks:\n  pdb-drain-plan:\n    options:\n      maxParallelDrains: ${maxParallelDrains}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, nodes = '5000', pods = '150000'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: node dist/bench/shapes-drain.js <dir> [nodes] [pods]\n');
    process.exit(2);
  }
  const counts = await writeAntiAffinityDump(dir, { nodes: Number(nodes), pods: Number(pods) });
  await writeParallelDrainConfig(`${dir}.drain-config.yaml`);
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}
