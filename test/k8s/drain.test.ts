/** The drain simulation (`src/k8s/drain.ts`): kubectl's filters, evictions, placement and order. */
import { describe, expect, it } from 'vitest';
import { describeRejections, drainAction, DrainPlanner, type DrainInputs } from '../../src/k8s/drain.js';
import type { PersistentVolumeClaimInfo, PersistentVolumeInfo } from '../../src/contract/values/pdb.js';
import { node, ownedBy, pdb, pod, workload } from './pdb-builders.js';

describe('drainAction (kubectl filters, in order)', () => {
  const ds = { controller: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' } };
  it('ignores DaemonSet pods, refuses orphaned ones, deletes finished ones', () => {
    expect(drainAction(pod('a', 'p', ds), true)).toBe('daemonset');
    expect(drainAction(pod('a', 'p', ds), false)).toBe('orphaned-daemonset');
    expect(drainAction(pod('a', 'p', { ...ds, phase: 'Failed' }), false)).toBe('terminal');
  });
  it('skips mirror pods, deletes finished bare pods, refuses running bare pods', () => {
    expect(drainAction(pod('a', 'p', { mirror: true, controller: { apiVersion: 'v1', kind: 'Node', name: 'n' } }), false)).toBe('mirror');
    expect(drainAction(pod('a', 'p', { phase: 'Succeeded' }), false)).toBe('terminal');
    expect(drainAction(pod('a', 'p'), false)).toBe('unmanaged');
    expect(drainAction(pod('a', 'p', { deletionTimestamp: '2026-11-23T07:00:00Z' }), false)).toBe('unmanaged');
    expect(drainAction(pod('a', 'p', { controller: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs' } }), false)).toBe('evict');
  });
});

function inputs(over: Partial<DrainInputs>): DrainInputs {
  return { nodes: [], pods: [], pdbs: [], workloads: [], persistentVolumes: [], persistentVolumeClaims: [], ...over };
}

describe('DrainPlanner', () => {
  const web = workload('ReplicaSet', 'shop', 'web', { replicas: 4 });
  const labels = { app: 'web' };
  const webPod = (name: string, nodeName: string, over = {}) => pod('shop', name, { nodeName, labels, ...ownedBy(web), ...over });

  it('counts healthy evictions per PDB, beyond which the drain waits for replacements', () => {
    const budget = pdb('shop', 'web', { matchLabels: labels });
    const p = new DrainPlanner(
      inputs({
        nodes: [node('n-1'), node('n-2')],
        pods: [webPod('a', 'n-1'), webPod('b', 'n-1'), webPod('c', 'n-1', { ready: false })],
        pdbs: [budget],
        workloads: [web],
      }),
    );
    const d = p.simulate(node('n-1'));
    expect(d.budgets).toEqual([{ pdb: 'shop/web', pods: 2, disruptionsAllowed: 1 }]);
    expect(d.blocked).toBe(false);
    expect(d.evicted).toBe(3);
  });

  it('marks pods under a stale PDB, and leaves their node out of the order', () => {
    const stale = pdb('shop', 'web', { matchLabels: labels }, { generation: 3 });
    const p = new DrainPlanner(inputs({ nodes: [node('n-1'), node('n-2')], pods: [webPod('a', 'n-1')], pdbs: [stale], workloads: [web] }));
    const drains = p.simulateAll();
    expect(drains[0]!.stale).toEqual([{ pod: 'shop/a', pdb: 'shop/web' }]);
    expect(p.order(drains, 1)).toEqual([['n-2']]);
  });

  it('does not place pods on local or hostPath volumes, or pods already deleting', () => {
    const pvs: PersistentVolumeInfo[] = [
      {
        name: 'local-1',
        local: true,
        nodeAffinity: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n-1'] }], matchFields: [] }],
      },
      { name: 'host-1', local: true, nodeAffinity: [] },
    ];
    const pvcs: PersistentVolumeClaimInfo[] = [
      { namespace: 'shop', name: 'data-a', volumeName: 'local-1' },
      { namespace: 'shop', name: 'b-scratch', volumeName: 'host-1' },
    ];
    const huge = { requests: { cpuCores: 64, memoryBytes: 0 } };
    const p = new DrainPlanner(
      inputs({
        nodes: [node('n-1'), node('n-2')],
        pods: [
          webPod('a', 'n-1', { ...huge, volumes: { kinds: ['persistentVolumeClaim'], emptyDir: [], hostPath: [], claims: ['data-a'] } }),
          webPod('b', 'n-1', { ...huge, volumes: { kinds: ['ephemeral'], emptyDir: [], hostPath: [], claims: ['b-scratch'] } }),
          webPod('c', 'n-1', { ...huge, deletionTimestamp: '2026-11-23T07:00:00Z' }),
        ],
        workloads: [web],
        persistentVolumes: pvs,
        persistentVolumeClaims: pvcs,
      }),
    );
    const d = p.simulate(node('n-1'));
    expect(d.localVolumes).toEqual([
      { pod: 'shop/a', persistentVolumes: ['local-1'] },
      { pod: 'shop/b', persistentVolumes: ['host-1'] },
    ]);
    expect(d.fitsNowhere).toEqual([]);
    expect(d.blocked).toBe(false);
  });

  it('keeps a pod within the zone of its volume', () => {
    const zone = (z: string) => ({ labels: { 'kubernetes.io/hostname': z, 'topology.kubernetes.io/zone': z.slice(0, 1) } });
    const pv: PersistentVolumeInfo = {
      name: 'pv-a',
      local: false,
      nodeAffinity: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }], matchFields: [] }],
    };
    const nodes = [
      node('a1', zone('a1')),
      node('a2', { ...zone('a2'), allocatable: { cpuCores: 1, memoryBytes: 2 ** 34, pods: 110 } }),
      node('b1', zone('b1')),
    ];
    const db = webPod('db', 'a1', {
      requests: { cpuCores: 2, memoryBytes: 0 },
      volumes: { kinds: ['persistentVolumeClaim'], emptyDir: [], hostPath: [], claims: ['data'] },
    });
    const p = new DrainPlanner(
      inputs({
        nodes,
        pods: [db],
        workloads: [web],
        persistentVolumes: [pv],
        persistentVolumeClaims: [{ namespace: 'shop', name: 'data', volumeName: 'pv-a' }],
      }),
    );
    expect(p.simulate(nodes[0]!).fitsNowhere).toEqual([
      {
        pod: 'shop/db',
        cpuCores: 2,
        memoryBytes: 0,
        rejections: { 'Insufficient cpu': 1, 'being drained': 1, 'volume node affinity conflict': 1 },
      },
    ]);
  });

  it('orders control-plane nodes first and builds waves within budgets and capacity', () => {
    const cp = node('cp', { roles: ['control-plane'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    const small = { allocatable: { cpuCores: 1, memoryBytes: 2 ** 34, pods: 110 } };
    const nodes = [node('w-1', small), node('w-2', small), node('w-3', small), node('w-4', small), cp];
    const one = pdb(
      'shop',
      'web',
      { matchLabels: labels },
      { status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 4, desiredHealthy: 3, expectedPods: 4, disruptedPods: 0 } },
    );
    const pods = ['w-1', 'w-2', 'w-3', 'w-4'].map((n) => webPod(`web-${n}`, n, { requests: { cpuCores: 0.5, memoryBytes: 0 } }));
    const p = new DrainPlanner(inputs({ nodes, pods, pdbs: [one], workloads: [web] }));
    const drains = p.simulateAll();
    expect(p.order(drains, 1)).toEqual([['cp'], ['w-1'], ['w-2'], ['w-3'], ['w-4']]);
    // every worker evicts one pod of a budget of 1: never two of them together
    expect(p.order(drains, 4)).toEqual([['cp'], ['w-1'], ['w-2'], ['w-3'], ['w-4']]);
    // with a budget of 2, two workers go together, as long as their pods fit on the other two
    const two = { ...one, status: { ...one.status!, disruptionsAllowed: 2 } };
    const p2 = new DrainPlanner(inputs({ nodes, pods, pdbs: [two], workloads: [web] }));
    expect(p2.order(p2.simulateAll(), 4)).toEqual([['cp'], ['w-1', 'w-2'], ['w-3', 'w-4']]);
  });

  it('does not join a node when the pods of the wave would not fit on the rest', () => {
    const tight = { allocatable: { cpuCores: 1, memoryBytes: 2 ** 34, pods: 110 } };
    const nodes = ['w-1', 'w-2', 'w-3', 'w-4'].map((n) => node(n, tight));
    const pods = [
      webPod('a', 'w-1', { requests: { cpuCores: 0.6, memoryBytes: 0 } }),
      webPod('b', 'w-2', { requests: { cpuCores: 0.6, memoryBytes: 0 } }),
    ];
    const p = new DrainPlanner(inputs({ nodes, pods, workloads: [web] }));
    // w-1 and w-2 together: a and b go to w-3 and w-4; a third node would leave one core for 1.2
    expect(p.order(p.simulateAll(), 3)).toEqual([
      ['w-1', 'w-2'],
      ['w-3', 'w-4'],
    ]);
  });
});

describe('describeRejections', () => {
  it('reads like the scheduler', () => {
    expect(describeRejections({ 'being drained': 1, 'Insufficient cpu': 3 })).toBe(
      '0/4 nodes are available: 3 Insufficient cpu, 1 being drained',
    );
  });
});
