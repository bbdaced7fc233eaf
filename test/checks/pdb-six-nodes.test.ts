/**
 * The realistic six-node, three-zone cluster of
 * `fixtures/checks/pdb-drain-plan/fail-six-nodes-three-zones/`, whose answer was written down
 * (ANSWER.md there) before the simulation ran: every `pdb` check's findings, the per-node
 * blockers and the drain order, one at a time and in waves of up to three.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, type Config } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import type { NodeDrain } from '../../src/k8s/drain.js';
import { DumpSource } from '../../src/sources/dump.js';

const DUMP = 'fixtures/checks/pdb-drain-plan/fail-six-nodes-three-zones';
const registry = new Registry(await loadBuiltinChecks());

async function run(config: Config = EMPTY_CONFIG) {
  const source = await DumpSource.open(DUMP);
  try {
    const { report } = await scan({
      source,
      registry,
      config,
      only: ['pdb'],
      now: new Date('2026-11-23T07:00:00Z'),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return report;
  } finally {
    await source.close();
  }
}

const report = await run();
const plan = report.checks.find((c) => c.id === 'pdb-drain-plan')!.details as { drainOrder: string[][]; nodes: NodeDrain[] };
const nodeOf = (name: string) => plan.nodes.find((n) => n.node === name)!;

describe('six nodes in three zones', () => {
  it('finds what ANSWER.md says, for every pdb check', () => {
    const got = report.findings.map(
      (f) =>
        `${f.severity} ${f.checkId} ${f.rule} ${'namespace' in f.resource && f.resource.namespace ? `${f.resource.namespace}/` : ''}${'name' in f.resource ? f.resource.name : ''}`,
    );
    expect(got).toEqual([
      'critical pdb-drain-plan drain-blocked-by-pdb w-b2',
      'critical pdb-overlap pod-in-several-pdbs shop/api',
      'critical pdb-overlap pod-in-several-pdbs shop/backend',
      'high pdb-drain-plan pods-fit-nowhere w-b2',
      'high pdb-drain-plan drain-needs-force w-c1',
      'medium pdb-coverage single-replica ml/trainer',
      'medium pdb-drain-plan pods-on-local-volumes w-a',
      'medium pdb-drain-plan pods-on-local-volumes w-b1',
      'medium pdb-drain-plan pods-on-local-volumes w-c1',
      'low pdb-coverage no-pdb kube-system/coredns',
      'low pdb-coverage no-pdb shop/cache',
      'low pdb-drain-plan emptydir-data-deleted w-b1',
      'low pdb-drain-plan emptydir-data-deleted w-c2',
    ]);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({ 'pdb-blocking': 'pass', 'pdb-misconfigured': 'pass' });
  });

  it('gives each node its blockers', () => {
    expect(plan.nodes.map((n) => [n.node, n.blocked])).toEqual([
      ['cp-1', false],
      ['w-a', false],
      ['w-b1', false],
      ['w-b2', true],
      ['w-c1', true],
      ['w-c2', false],
    ]);
    expect(nodeOf('cp-1')).toMatchObject({ evicted: 0, skipped: { daemonSet: 2, mirror: 2 } });
    expect(nodeOf('w-b2').pdbBlocked).toEqual([
      { pod: 'shop/api-6b7f9c8d5e-b8c4d', reason: 'several-pdbs', pdbs: ['shop/api', 'shop/backend'] },
      { pod: 'shop/api-6b7f9c8d5e-f2g6h', reason: 'several-pdbs', pdbs: ['shop/api', 'shop/backend'] },
    ]);
    expect(nodeOf('w-b2').fitsNowhere).toEqual([
      {
        pod: 'ml/trainer-5f6d7c8b9a-z1x2c',
        cpuCores: 3,
        memoryBytes: 8 * 2 ** 30,
        rejections: { 'Insufficient cpu': 4, 'being drained': 1, 'untolerated taint {node-role.kubernetes.io/control-plane: }': 1 },
      },
    ]);
    expect(nodeOf('w-c1').needsForce).toEqual([{ pod: 'default/debug', reason: 'no-controller' }]);
    expect(nodeOf('w-c1').localVolumes).toEqual([{ pod: 'data/db-2', persistentVolumes: ['local-pv-w-c1'] }]);
    expect(nodeOf('w-b1').emptyDir).toEqual([{ pod: 'shop/cache-74c5b9f6d8-r6t1y', volumes: ['data'] }]);
    expect(nodeOf('w-a').budgets).toEqual([
      { pdb: 'data/db', pods: 1, disruptionsAllowed: 1 },
      { pdb: 'shop/web', pods: 1, disruptionsAllowed: 2 },
    ]);
  });

  it('drains one node at a time, control plane first', () => {
    expect(plan.drainOrder).toEqual([['cp-1'], ['w-a'], ['w-b1'], ['w-c2']]);
  });

  it('in waves of three, never puts two nodes sharing a budget of 1 together', async () => {
    const waves = await run({ checks: { 'pdb-drain-plan': { options: { maxParallelDrains: 3 } } } });
    const d = waves.checks.find((c) => c.id === 'pdb-drain-plan')!.details as { drainOrder: string[][] };
    expect(d.drainOrder).toEqual([['cp-1'], ['w-a', 'w-c2'], ['w-b1']]);
  });
});
