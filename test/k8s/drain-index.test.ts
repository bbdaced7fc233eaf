/**
 * The drain simulation (`src/k8s/drain.ts`) on the indexed placement: anti-affinity by hostname
 * and by zone, a node whose pods only one kind of node admits, and waves of several nodes whose
 * placements build on each other — each with its exact plan.
 */
import { describe, expect, it } from 'vitest';
import { DrainPlanner, type DrainInputs } from '../../src/k8s/drain.js';
import type { PodAffinityTerm } from '../../src/contract/values/scheduling.js';
import { fromLabelSelector } from '../../src/k8s/selectors.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import type { PodInfo } from '../../src/contract/values/pdb.js';
import { node, ownedBy, pdb, pod, workload } from './pdb-builders.js';

function inputs(over: Partial<DrainInputs>): DrainInputs {
  return { nodes: [], pods: [], pdbs: [], workloads: [], persistentVolumes: [], persistentVolumeClaims: [], ...over };
}

const ZONE = 'topology.kubernetes.io/zone';
const cpu = (cpuCores: number) => ({ requests: { cpuCores, memoryBytes: 0 } });
const awayFrom = (app: string, topologyKey: string): PodAffinityTerm => ({
  topologyKey,
  selector: fromLabelSelector({ matchLabels: { app } }),
  namespaces: [],
});
const names = (p: DrainPlanner) => {
  const drains = p.simulateAll();
  return { drains, blocked: drains.filter((d) => d.blocked).map((d) => d.node) };
};

describe('drains with required pod anti-affinity', () => {
  const rs = workload('ReplicaSet', 'shop', 'web-5d4f8', { replicas: 3 });
  const term = awayFrom('web', 'kubernetes.io/hostname');
  const web = (name: string, nodeName: string) =>
    pod('shop', name, { nodeName, labels: { app: 'web' }, requiredAntiAffinity: [term], ...ownedBy(rs), ...cpu(0.5) });
  const pods = [web('web-1', 'n-1'), web('web-2', 'n-2'), web('web-3', 'n-3')];

  it('by hostname: a replica only goes where no sibling runs', () => {
    const nodes = [node('n-1'), node('n-2'), node('n-3'), node('n-4', { unschedulable: true })];
    const p = new DrainPlanner(inputs({ nodes, pods, workloads: [rs] }));
    const { drains, blocked } = names(p);
    expect(blocked).toEqual(['n-1', 'n-2', 'n-3']);
    expect(drains[0]!.fitsNowhere).toEqual([
      {
        pod: 'shop/web-1',
        cpuCores: 0.5,
        memoryBytes: 0,
        rejections: { 'being drained': 1, "didn't match pod anti-affinity rules": 2, 'node unschedulable': 1 },
      },
    ]);
    expect(p.order(drains, 1)).toEqual([['n-4']]);
  });

  it('by hostname, in waves: two replicas never need the one spare node at once', () => {
    const nodes = [node('n-1'), node('n-2'), node('n-3'), node('n-4')];
    const p = new DrainPlanner(inputs({ nodes, pods, workloads: [rs] }));
    const { drains, blocked } = names(p);
    expect(blocked).toEqual([]);
    // n-1's replica takes n-4; n-2's and n-3's would have nowhere to go, and n-4 cannot join
    // without sending web-1 back next to a sibling
    expect(p.order(drains, 4)).toEqual([['n-1'], ['n-2'], ['n-3'], ['n-4']]);
  });

  it('by zone: one replica per zone; a replica may return to its own zone only', () => {
    const zoned = (name: string, zone: string) => node(name, { labels: { 'kubernetes.io/hostname': name, [ZONE]: zone } });
    const db = workload('ReplicaSet', 'data', 'db-7c9f', { replicas: 3 });
    const zoneTerm = awayFrom('db', ZONE);
    const dbPod = (name: string, nodeName: string) =>
      pod('data', name, { nodeName, labels: { app: 'db' }, requiredAntiAffinity: [zoneTerm], ...ownedBy(db) });
    const nodes = [zoned('a-1', 'a'), zoned('a-2', 'a'), zoned('b-1', 'b'), zoned('c-1', 'c')];
    const p = new DrainPlanner(
      inputs({ nodes, pods: [dbPod('db-a', 'a-1'), dbPod('db-b', 'b-1'), dbPod('db-c', 'c-1')], workloads: [db] }),
    );
    const { drains, blocked } = names(p);
    expect(blocked).toEqual(['b-1', 'c-1']);
    expect(drains.find((d) => d.node === 'b-1')!.fitsNowhere).toEqual([
      {
        pod: 'data/db-b',
        cpuCores: 0.1,
        memoryBytes: 128 * 2 ** 20,
        rejections: { 'being drained': 1, "didn't match pod anti-affinity rules": 3 },
      },
    ]);
    // a-1 and a-2 together would leave db-a no node in zone a
    expect(p.order(drains, 2)).toEqual([['a-1'], ['a-2']]);
  });
});

describe('a node whose pods only one kind of node admits', () => {
  const gpuTaint = [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }];
  const gpu = (name: string): NodeInfo => node(name, { labels: { 'kubernetes.io/hostname': name, accelerator: 'a100' }, taints: gpuTaint });
  const onGpu: Partial<PodInfo> = {
    nodeSelector: { accelerator: 'a100' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  };
  const job = workload('ReplicaSet', 'ml', 'trainer-6c5d', { replicas: 2 });

  it('fits while the other node of its kind has room, and says why not once it has none', () => {
    const nodes = [gpu('gpu-1'), gpu('gpu-2'), node('cpu-1'), node('cpu-2')];
    const trainer = (name: string, nodeName: string, cores: number) =>
      pod('ml', name, { nodeName, ...onGpu, ...ownedBy(job), ...cpu(cores) });
    const fits = new DrainPlanner(inputs({ nodes, pods: [trainer('t-1', 'gpu-1', 2), trainer('t-2', 'gpu-2', 2)], workloads: [job] }));
    expect(names(fits).blocked).toEqual([]);
    const tight = new DrainPlanner(inputs({ nodes, pods: [trainer('t-1', 'gpu-1', 3), trainer('t-2', 'gpu-2', 3)], workloads: [job] }));
    const { drains, blocked } = names(tight);
    expect(blocked).toEqual(['gpu-1', 'gpu-2']);
    expect(drains[2]!.fitsNowhere).toEqual([
      {
        pod: 'ml/t-1',
        cpuCores: 3,
        memoryBytes: 0,
        rejections: { 'being drained': 1, 'Insufficient cpu': 1, "didn't match Pod's node affinity/selector": 2 },
      },
    ]);
    expect(tight.order(drains, 3)).toEqual([['cpu-1', 'cpu-2']]);
  });
});

describe('waves (maxParallelDrains > 1)', () => {
  const rs = workload('ReplicaSet', 'shop', 'web-5d4f8', { replicas: 2 });
  const api = workload('ReplicaSet', 'shop', 'api-8b7c6', { replicas: 2 });
  const cp = node('cp', { roles: ['control-plane'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
  const workers = ['w-1', 'w-2', 'w-3', 'w-4', 'w-5', 'w-6'].map((n) => node(n));
  const pods = [
    pod('shop', 'web-1', { nodeName: 'w-1', labels: { app: 'web' }, ...ownedBy(rs), ...cpu(0.5) }),
    pod('shop', 'web-2', { nodeName: 'w-2', labels: { app: 'web' }, ...ownedBy(rs), ...cpu(0.5) }),
    pod('shop', 'api-1', { nodeName: 'w-3', labels: { app: 'api' }, ...ownedBy(api), ...cpu(0.5) }),
    pod('shop', 'api-2', { nodeName: 'w-4', labels: { app: 'api' }, ...ownedBy(api), ...cpu(0.5) }),
  ];
  const budget = pdb(
    'shop',
    'web',
    { matchLabels: { app: 'web' } },
    { status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptedPods: 0 } },
  );
  const planner = new DrainPlanner(inputs({ nodes: [cp, ...workers], pods, pdbs: [budget], workloads: [rs, api] }));
  const drains = planner.simulateAll();

  it('fills each wave within budgets and capacity', () => {
    // w-1: web-1 → w-5 (freest, by name); w-2 shares the web budget of 1: next wave;
    // w-3: api-1 → w-6; w-4: api-2 → w-2 (w-2, w-5, w-6 each hold half a core, by name)
    expect(planner.order(drains, 3)).toEqual([['cp'], ['w-1', 'w-3', 'w-4'], ['w-2', 'w-5', 'w-6']]);
  });

  it('moves on the pods a wave placed on a node that joins it', () => {
    // as above, then w-5 joins (web-1 moves on to w-6) and w-6 joins (web-1 and api-1 to w-2)
    expect(planner.order(drains, 20)).toEqual([['cp'], ['w-1', 'w-3', 'w-4', 'w-5', 'w-6'], ['w-2']]);
  });

  it('drains one at a time without placing anything again', () => {
    expect(planner.order(drains, 1)).toEqual([['cp'], ['w-1'], ['w-2'], ['w-3'], ['w-4'], ['w-5'], ['w-6']]);
  });
});
