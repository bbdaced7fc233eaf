/**
 * The node-by-node drain plan figure (key `drain-plan`, a `plan` figure) of `pdb-drain-plan`:
 * one step per node, in the order they are drained — the waves of `drainOrder`, then nodes out
 * of the plan (not planned, then blocked), by name within each — with what the drain meets
 * on the node, as `kubectl drain` would.
 */
import type { PlanFigure, PlanStep } from '../../../src/contract/figures.js';
import type { NodeDrain } from '../../../src/k8s/drain.js';

const pods = (n: number): string => `${n} pod${n === 1 ? '' : 's'}`;

function step(n: NodeDrain, wave: number | undefined): PlanStep & { rank: number } {
  const facts: PlanStep['facts'] = [];
  if (n.controlPlane) facts.push({ text: 'control plane' });
  if (n.ready && n.ready !== 'True') facts.push({ text: `not Ready (${n.ready})` });
  facts.push({ text: `evicts ${pods(n.evicted)}` });
  if (n.pdbBlocked.length > 0) {
    const pdbs = [...new Set(n.pdbBlocked.flatMap((p) => p.pdbs))];
    facts.push({ text: `${pods(n.pdbBlocked.length)} held by ${pdbs.join(', ')}` });
  }
  if (n.needsForce.length > 0) facts.push({ text: `${n.needsForce.length} pod(s) need --force (no controller)` });
  if (n.fitsNowhere.length > 0) facts.push({ text: `${n.fitsNowhere.length} pod(s) fit on no other node` });
  if (n.localVolumes.length > 0) facts.push({ text: `${n.localVolumes.length} pod(s) on local volumes wait for the node` });
  if (n.emptyDir.length > 0) facts.push({ text: `${n.emptyDir.length} pod(s) lose emptyDir data` });
  if (n.stale.length > 0) facts.push({ text: `${n.stale.length} pod(s) under a PDB with a stale status` });
  const waits = n.budgets.filter((b) => b.pods > b.disruptionsAllowed);
  for (const b of waits) facts.push({ text: `waits for ${b.pdb}: ${b.pods} pods, ${b.disruptionsAllowed} at a time` });
  return {
    key: n.node,
    title: n.node,
    badge: n.blocked ? 'blocked' : wave !== undefined ? `wave ${wave}` : 'not planned',
    status: n.blocked
      ? 'bad'
      : waits.length > 0 || n.emptyDir.length > 0 || n.localVolumes.length > 0
        ? 'warn'
        : wave !== undefined
          ? 'ok'
          : 'muted',
    facts,
    wave: n.blocked ? null : (wave ?? null),
    rank: n.blocked ? 1_000 : (wave ?? 999),
  };
}

/** The plan from the simulated drains and `drainOrder` (waves of node names, wave 1 first). */
export function drainPlanFigure(drains: readonly NodeDrain[], drainOrder: readonly string[][], maxParallelDrains: number): PlanFigure {
  const wave = new Map<string, number>();
  drainOrder.forEach((w, i) => {
    for (const n of w) wave.set(n, i + 1);
  });
  const steps = drains.map((d) => step(d, wave.get(d.node))).sort((a, b) => a.rank - b.rank || a.title.localeCompare(b.title));
  const blocked = drains.filter((d) => d.blocked).length;
  return {
    shape: 'plan',
    key: 'drain-plan',
    title: 'Node-by-node drain plan',
    caption:
      `The order nodes can be drained in (${maxParallelDrains} at a time), as kubectl drain would meet them. ` +
      (blocked === 0 ? 'No node is blocked.' : `${blocked} of ${drains.length} nodes cannot be drained as things stand.`),
    items: 'nodes',
    steps: steps.map(({ rank: _rank, ...s }) => s),
  };
}
