/**
 * The indexed placement of `ClusterFit` (`src/k8s/scheduling.ts`): the freest feasible node
 * over the whole cluster, anti-affinity counted per topology domain, one-signature pods, waves
 * in an undoable session, and the fast path of `unplaceable`.
 */
import { describe, expect, it, vi } from 'vitest';
import { ClusterFit, type PlacementRequest } from '../../src/k8s/scheduling.js';
import type { PodAffinityTerm } from '../../src/contract/values/scheduling.js';
import { fromLabelSelector } from '../../src/k8s/selectors.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import type { PodInfo } from '../../src/contract/values/pdb.js';
import { node, pod } from './pdb-builders.js';

const req = (p: PodInfo): PlacementRequest<PodInfo> => ({ pod: p, volumeAffinity: [] });
const cpu = (cpuCores: number) => ({ requests: { cpuCores, memoryBytes: 0 } });
const ZONE = 'topology.kubernetes.io/zone';
const zoned = (name: string, zone: string, over: Partial<NodeInfo> = {}) =>
  node(name, { labels: { 'kubernetes.io/hostname': name, [ZONE]: zone }, ...over });
const awayFrom = (app: string, topologyKey: string): PodAffinityTerm => ({
  topologyKey,
  selector: fromLabelSelector({ matchLabels: { app } }),
  namespaces: [],
});

describe('ClusterFit placement order', () => {
  it('takes the freest feasible node of the whole cluster, not of the first 100 feasible ones', () => {
    // 150 nodes with one core used, the last one empty: the scheduler at 100% of nodes scored
    // picks the empty one; scoring only the first 100 feasible nodes (the former rule) took n-000
    const nodes = Array.from({ length: 150 }, (_, i) => node(`n-${String(i).padStart(3, '0')}`));
    const bound = nodes.slice(0, 149).map((n) => pod('a', `on-${n.name}`, { nodeName: n.name, ...cpu(1) }));
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    const p = pod('a', 'new', cpu(1));
    expect(fit.place([req(p)], new Set())).toEqual([{ pod: p, node: 'n-149' }]);
  });

  it('spreads a batch over the freest nodes, ties broken by name', () => {
    const fit = new ClusterFit<PodInfo>([node('n-1'), node('n-2'), node('n-3')], [pod('a', 'x', { nodeName: 'n-3', ...cpu(1) })]);
    const out = fit.place(
      ['p', 'q', 'r'].map((n) => req(pod('a', n, cpu(1)))),
      new Set(),
    );
    // p: n-1 and n-2 tie (empty), n-1 by name; q: n-2 (empty); r: n-1, n-2 and n-3 all hold one core: n-1
    expect(out.map((r) => [r.pod.name, r.node])).toEqual([
      ['p', 'n-1'],
      ['q', 'n-2'],
      ['r', 'n-1'],
    ]);
  });

  it('puts pods that only one signature admits on its nodes, and counts why the others refuse', () => {
    const gpuTaint = [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }];
    const gpu = (name: string) => node(name, { labels: { 'kubernetes.io/hostname': name, accelerator: 'a100' }, taints: gpuTaint });
    const nodes = [gpu('gpu-1'), gpu('gpu-2'), node('cpu-1'), node('cpu-2')];
    const onGpu = {
      nodeSelector: { accelerator: 'a100' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    };
    const bound = [
      pod('ml', 'resident', { nodeName: 'gpu-2', ...onGpu, ...cpu(2) }),
      pod('shop', 'busy', { nodeName: 'cpu-1', ...cpu(1) }),
    ];
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    const trainer = pod('ml', 'trainer', { ...onGpu, ...cpu(2) });
    const web = pod('shop', 'web', cpu(1));
    // the trainer fits only on gpu-2 (2 of 4 cores free); web avoids the tainted nodes, cpu-2 is the freest
    expect(fit.place([req(web), req(trainer)], new Set(['gpu-1'])).map((r) => [r.pod.name, r.node])).toEqual([
      ['trainer', 'gpu-2'],
      ['web', 'cpu-2'],
    ]);
    const big = pod('ml', 'big', { ...onGpu, ...cpu(3) });
    expect(fit.unplaceable([req(web), req(big)], new Set(['gpu-1']))).toEqual([
      { pod: big, rejections: { 'being drained': 1, 'Insufficient cpu': 1, "didn't match Pod's node affinity/selector": 2 } },
    ]);
  });
});

describe('ClusterFit anti-affinity index', () => {
  it('by hostname: keeps replicas off the nodes of their siblings, and counts placed ones', () => {
    const term = awayFrom('web', 'kubernetes.io/hostname');
    const web = (name: string, nodeName?: string) =>
      pod('shop', name, { labels: { app: 'web' }, requiredAntiAffinity: [term], ...(nodeName ? { nodeName } : {}) });
    const nodes = ['n-1', 'n-2', 'n-3', 'n-4', 'n-5'].map((n) => node(n));
    const bound = [web('web-1', 'n-1'), web('web-2', 'n-2'), web('web-3', 'n-3')];
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    // draining n-1: web-1 leaves it, n-2 and n-3 hold siblings: n-4
    expect(fit.place([req(bound[0]!)], new Set(['n-1']))).toEqual([{ pod: bound[0], node: 'n-4' }]);
    // two new replicas with n-4 drained: the first takes n-5, the second finds every node taken
    const extra = [web('web-4'), web('web-5')];
    expect(fit.place(extra.map(req), new Set(['n-4']))).toEqual([
      { pod: extra[0], node: 'n-5' },
      { pod: extra[1], rejections: { 'being drained': 1, "didn't match pod anti-affinity rules": 4 } },
    ]);
  });

  it('by zone: a pod may return to the zone it leaves, not to a zone holding a sibling, either way round', () => {
    const term = awayFrom('db', ZONE);
    const nodes = [zoned('a-1', 'a'), zoned('a-2', 'a'), zoned('b-1', 'b'), zoned('c-1', 'c'), node('no-zone')];
    const db = (name: string, nodeName: string) => pod('data', name, { nodeName, labels: { app: 'db' }, requiredAntiAffinity: [term] });
    const bound = [db('db-a', 'a-1'), db('db-b', 'b-1'), db('db-c', 'c-1')];
    // a tool pod selected by the db pods' term, without a term of its own
    const tool = pod('data', 'db-tool', { nodeName: 'b-1', labels: { app: 'db' } });
    const fit = new ClusterFit<PodInfo>(nodes, [...bound, tool]);
    // db-a leaves zone a: a-2 is free of siblings again; a node without the zone label is in no domain
    expect(fit.place([req(bound[0]!)], new Set(['a-1']))[0]!.node).toBe('a-2');
    // db-b and the tool leave b-1, the only node of zone b: zones a and c hold db pods
    expect(fit.place([req(bound[1]!), req(tool)], new Set(['b-1', 'no-zone']))).toEqual([
      { pod: bound[1], rejections: { 'being drained': 2, "didn't match pod anti-affinity rules": 3 } },
      { pod: tool, rejections: { 'being drained': 2, "didn't match pod anti-affinity rules": 3 } },
    ]);
    // the tool alone, with db-b staying: zone b holds a db pod whose term selects the tool
    expect(fit.place([req(tool)], new Set(['no-zone']))).toEqual([
      { pod: tool, rejections: { 'being drained': 1, "didn't match pod anti-affinity rules": 4 } },
    ]);
  });

  it('leaves the index as it was after each call', () => {
    const term = awayFrom('web', 'kubernetes.io/hostname');
    const nodes = ['n-1', 'n-2', 'n-3'].map((n) => node(n));
    const bound = [pod('shop', 'web-1', { nodeName: 'n-1', labels: { app: 'web' }, requiredAntiAffinity: [term] })];
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    const batch = [1, 2, 3].map((i) => req(pod('shop', `new-${i}`, { labels: { app: 'web' }, requiredAntiAffinity: [term] })));
    const first = fit.place(batch, new Set());
    expect(first.map((r) => r.node)).toEqual(['n-2', 'n-3', undefined]);
    const s = fit.session();
    expect(s.drain('n-2', batch.slice(0, 1))).toBe(true);
    s.close();
    expect(fit.place(batch, new Set())).toEqual(first);
    expect(new ClusterFit<PodInfo>(nodes, bound).place(batch, new Set())).toEqual(first);
  });
});

describe('ClusterFit session (drain waves)', () => {
  const size = (cpuCores: number) => ({ allocatable: { cpuCores, memoryBytes: 2 ** 34, pods: 110 } });
  const nodes = [node('w-1', size(2)), node('w-2', size(2)), node('w-3', size(2)), node('w-4', size(3))];

  it('re-places the pods a wave put on a node that joins it, and undoes a refused node', () => {
    const a = pod('shop', 'a', { nodeName: 'w-1', ...cpu(1) });
    const b = pod('shop', 'b', { nodeName: 'w-2', ...cpu(1.5) });
    const fit = new ClusterFit<PodInfo>(nodes, [a, b]);
    const s = fit.session();
    expect(s.drain('w-1', [req(a)])).toBe(true); // a → w-3 (w-3 and w-4 empty: equal free shares, by name)
    expect(s.drain('w-2', [req(b)])).toBe(true); // b → w-4
    expect(s.drain('w-4', [])).toBe(false); // b would have to leave w-4: w-3 has 1 core left next to a
    expect(s.drain('w-3', [])).toBe(true); // a moves on to w-4, next to b (1.5 of 3 cores free)
    s.close();
    expect(fit.place([req(a), req(b)], new Set(['w-1', 'w-2'])).map((r) => [r.pod.name, r.node])).toEqual([
      ['b', 'w-3'],
      ['a', 'w-4'],
    ]);
  });

  it('keeps the room a refused node holds: its pods stay counted after their moves are undone', () => {
    const a = pod('shop', 'a', { nodeName: 'w-1', ...cpu(1) });
    const b = pod('shop', 'b', { nodeName: 'w-2', ...cpu(1.5) });
    const c = pod('shop', 'c', { nodeName: 'w-5', ...cpu(3) });
    const fit = new ClusterFit<PodInfo>([...nodes, node('w-5', size(4))], [a, b, c]);
    const s = fit.session();
    expect(s.drain('w-1', [req(a)])).toBe(true); // a → w-3
    expect(s.drain('w-2', [req(b)])).toBe(true); // b → w-4 (1.5 of 3 cores left)
    expect(s.drain('w-4', [])).toBe(false); // b fits neither w-3 (1 core left) nor w-5 (1 core left)
    expect(s.drain('w-5', [req(c)])).toBe(false); // c needs 3 cores: w-4 still has b, so 1.5 left at most
    expect(s.drain('w-3', [])).toBe(true); // a moves on to w-4 (free share 0.5 against w-5's 0.25)
    s.close();
    expect(fit.place([req(c)], new Set(['w-5'])).map((r) => r.node)).toEqual(['w-4']);
  });
});

describe('ClusterFit.unplaceable', () => {
  /** A small deterministic generator (mulberry32), for clusters of many shapes. */
  function random(seed: number): () => number {
    let s = seed;
    return () => {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('answers as placing does, fast path or not, on 300 generated clusters', () => {
    let allFit = 0;
    let fastWithAntiAffinity = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const nodes = Array.from({ length: 3 + Math.floor(rnd() * 6) }, (_, i) =>
        zoned(`n-${i}`, pick(['a', 'b']), {
          allocatable: { cpuCores: pick([1, 2, 4]), memoryBytes: 2 ** 32, pods: pick([3, 110]) },
          ...(rnd() < 0.2 ? { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] } : {}),
        }),
      );
      const pods = Array.from({ length: 4 + Math.floor(rnd() * 12) }, (_, i) => {
        const app = pick(['web', 'db', 'cache']);
        const anti = rnd() < 0.25 ? [awayFrom(app, pick(['kubernetes.io/hostname', ZONE]))] : [];
        return pod('shop', `p-${i}`, {
          nodeName: pick(nodes).name,
          labels: { app },
          requiredAntiAffinity: anti,
          ...cpu(pick([0.1, 0.25, 0.5, 1])),
          ...(rnd() < 0.2 ? { nodeSelector: { [ZONE]: pick(['a', 'b']) } } : {}),
        });
      });
      const fit = new ClusterFit<PodInfo>(nodes, pods);
      const placing = vi.spyOn(fit, 'place');
      for (const drained of nodes) {
        const batch = pods.filter((p) => p.nodeName === drained.name).map(req);
        const slow = fit
          .place(batch, new Set([drained.name]))
          .flatMap((r) => (r.node === undefined ? [{ pod: r.pod, rejections: r.rejections }] : []));
        const calls = placing.mock.calls.length;
        const answer = fit.unplaceable(batch, new Set([drained.name]));
        expect(answer).toEqual(slow);
        if (batch.length > 0 && answer.length === 0) allFit++;
        if (placing.mock.calls.length === calls && batch.some((r) => r.pod.requiredAntiAffinity.length > 0)) fastWithAntiAffinity++;
      }
    }
    expect(allFit).toBeGreaterThan(100);
    expect(fastWithAntiAffinity).toBeGreaterThan(100);
  });

  it('takes the fast path with anti-affinity when a free node holds no sibling, not when the pods reject each other', () => {
    const term = (app: string) => awayFrom(app, 'kubernetes.io/hostname');
    const nodes = ['n-1', 'n-2', 'n-3', 'n-4'].map((n) => node(n));
    // replicas of web and api spread one per node; n-4 is the freest and holds no replica
    const web = (i: number, nodeName: string) =>
      pod('shop', `web-${i}`, { nodeName, labels: { app: 'web' }, requiredAntiAffinity: [term('web')], ...cpu(1) });
    const api = (i: number, nodeName: string) =>
      pod('shop', `api-${i}`, { nodeName, labels: { app: 'api' }, requiredAntiAffinity: [term('api')], ...cpu(1) });
    const bound = [web(1, 'n-1'), api(1, 'n-1'), web(2, 'n-2'), api(2, 'n-3')];
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    const placing = vi.spyOn(fit, 'place');
    expect(fit.unplaceable([req(bound[0]!), req(bound[1]!)], new Set(['n-1']))).toEqual([]);
    expect(placing).not.toHaveBeenCalled();
    // a pod whose term selects another pod of the batch (labels changed after scheduling): both
    // may not share a hostname, so no single node can be shown to take both; placing decides
    const tool = pod('shop', 'tool', { nodeName: 'n-1', labels: { app: 'tool' }, requiredAntiAffinity: [term('web')], ...cpu(1) });
    const fit2 = new ClusterFit<PodInfo>(nodes, [...bound, tool]);
    const placing2 = vi.spyOn(fit2, 'place');
    expect(fit2.unplaceable([req(bound[0]!), req(tool)], new Set(['n-1']))).toEqual([]);
    expect(placing2).toHaveBeenCalledTimes(1);
    expect(fit2.place([req(bound[0]!), req(tool)], new Set(['n-1'])).map((r) => [r.pod.name, r.node])).toEqual([
      ['tool', 'n-4'],
      ['web-1', 'n-3'],
    ]);
  });
});
