/** The scheduling approximation (`src/k8s/scheduling.ts`). */
import { describe, expect, it } from 'vitest';
import { ClusterFit, matchesNodeSelectorTerms, tolerates, untoleratedTaint } from '../../src/k8s/scheduling.js';
import { fromLabelSelector } from '../../src/k8s/selectors.js';
import type { PodInfo } from '../../src/contract/values/pdb.js';
import { node, pod } from './pdb-builders.js';

describe('taints and tolerations', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it('follows ToleratesTaint', () => {
    expect(tolerates({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, taint)).toBe(false);
    expect(tolerates({ key: 'dedicated', operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ operator: 'Exists' }, taint)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(false);
    expect(tolerates({ key: 'other', operator: 'Exists' }, taint)).toBe(false);
  });
  it('ignores PreferNoSchedule', () => {
    expect(untoleratedTaint([], [{ key: 'a', effect: 'PreferNoSchedule' }])).toBeUndefined();
    expect(untoleratedTaint([], [{ key: 'a', effect: 'NoExecute' }])).toEqual({ key: 'a', effect: 'NoExecute' });
  });
});

describe('matchesNodeSelectorTerms', () => {
  const n = { name: 'n-1', labels: { zone: 'a', cores: '16' } };
  const term = (
    matchExpressions: Array<{ key: string; operator: string; values: string[] }>,
    matchFields: typeof matchExpressions = [],
  ) => ({ matchExpressions, matchFields });
  it('ORs terms and ANDs requirements', () => {
    expect(
      matchesNodeSelectorTerms(
        [term([{ key: 'zone', operator: 'In', values: ['b'] }]), term([{ key: 'zone', operator: 'In', values: ['a'] }])],
        n,
      ),
    ).toBe(true);
    expect(
      matchesNodeSelectorTerms(
        [
          term([
            { key: 'zone', operator: 'In', values: ['a'] },
            { key: 'gpu', operator: 'Exists', values: [] },
          ]),
        ],
        n,
      ),
    ).toBe(false);
  });
  it('supports Gt, Lt, NotIn, DoesNotExist and matchFields on metadata.name', () => {
    expect(matchesNodeSelectorTerms([term([{ key: 'cores', operator: 'Gt', values: ['8'] }])], n)).toBe(true);
    expect(matchesNodeSelectorTerms([term([{ key: 'cores', operator: 'Lt', values: ['8'] }])], n)).toBe(false);
    expect(matchesNodeSelectorTerms([term([{ key: 'zone', operator: 'Gt', values: ['1'] }])], n)).toBe(false);
    expect(
      matchesNodeSelectorTerms(
        [
          term([
            { key: 'gpu', operator: 'NotIn', values: ['x'] },
            { key: 'gpu', operator: 'DoesNotExist', values: [] },
          ]),
        ],
        n,
      ),
    ).toBe(true);
    expect(matchesNodeSelectorTerms([term([], [{ key: 'metadata.name', operator: 'In', values: ['n-1'] }])], n)).toBe(true);
    expect(matchesNodeSelectorTerms([term([], [{ key: 'metadata.name', operator: 'NotIn', values: ['n-1'] }])], n)).toBe(false);
  });
  it('an empty term matches nothing', () => {
    expect(matchesNodeSelectorTerms([term([])], n)).toBe(false);
  });
});

describe('ClusterFit', () => {
  const req = (p: PodInfo, volumeAffinity: Array<PodInfo['requiredNodeAffinity']> = []) => ({ pod: p, volumeAffinity });

  it('fits by requests against allocatable minus bound pods, on the most free node', () => {
    const nodes = [node('n-1'), node('n-2'), node('n-3')];
    const bound = [
      pod('a', 'x', { nodeName: 'n-2', requests: { cpuCores: 3, memoryBytes: 0 } }),
      pod('a', 'y', { nodeName: 'n-3', requests: { cpuCores: 1, memoryBytes: 0 } }),
    ];
    const fit = new ClusterFit<PodInfo>(nodes, bound);
    const big = pod('a', 'big', { requests: { cpuCores: 2, memoryBytes: 2 ** 30 } });
    expect(fit.place([req(big)], new Set(['n-1']))).toEqual([{ pod: big, node: 'n-3' }]);
    const huge = pod('a', 'huge', { requests: { cpuCores: 3.5, memoryBytes: 0 } });
    expect(fit.place([req(huge)], new Set(['n-1']))).toEqual([{ pod: huge, rejections: { 'being drained': 1, 'Insufficient cpu': 2 } }]);
  });

  it('takes the room earlier placements used, larger and higher-priority pods first', () => {
    const fit = new ClusterFit<PodInfo>(
      [
        node('n-1', { allocatable: { cpuCores: 2, memoryBytes: 2 ** 34, pods: 110 } }),
        node('n-2', { allocatable: { cpuCores: 2, memoryBytes: 2 ** 34, pods: 110 } }),
      ],
      [],
    );
    const a = pod('a', 'a', { requests: { cpuCores: 1.5, memoryBytes: 0 } });
    const b = pod('a', 'b', { requests: { cpuCores: 1, memoryBytes: 0 } });
    const c = pod('a', 'c', { requests: { cpuCores: 1, memoryBytes: 0 }, priority: 1000 });
    const out = fit.place([req(b), req(a), req(c)], new Set(['n-1']));
    expect(out.map((r) => [r.pod.name, r.node])).toEqual([
      ['c', 'n-2'],
      ['a', undefined],
      ['b', 'n-2'],
    ]);
  });

  it('respects memory and pod count', () => {
    const fit = new ClusterFit<PodInfo>(
      [
        node('n-1', { allocatable: { cpuCores: 8, memoryBytes: 2 ** 30, pods: 1 } }),
        node('n-2', { allocatable: { cpuCores: 8, memoryBytes: 2 ** 30, pods: 110 } }),
      ],
      [pod('a', 'x', { nodeName: 'n-1' })],
    );
    const r = fit.place([req(pod('a', 'm', { requests: { cpuCores: 0, memoryBytes: 2 ** 31 } }))], new Set());
    expect(r[0]).toMatchObject({ rejections: { 'Too many pods': 1, 'Insufficient memory': 1 } });
  });

  it('keeps pods off NotReady, cordoned and tainted nodes unless tolerated', () => {
    const nodes = [
      node('down', { ready: 'Unknown' }),
      node('cordoned', { unschedulable: true }),
      node('cp', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    ];
    const fit = new ClusterFit<PodInfo>(nodes, []);
    expect(fit.place([req(pod('a', 'p'))], new Set())[0]).toMatchObject({
      rejections: { 'node not Ready': 1, 'node unschedulable': 1, 'untolerated taint {node-role.kubernetes.io/control-plane: }': 1 },
    });
    const tolerant = pod('a', 't', {
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ],
    });
    expect(fit.place([req(tolerant)], new Set(['cp']))[0]!.node).toBe('cordoned');
  });

  it('applies nodeSelector, required node affinity and PV node affinity', () => {
    const nodes = [
      node('a-1', { labels: { zone: 'a', disk: 'ssd' } }),
      node('b-1', { labels: { zone: 'b', disk: 'ssd' } }),
      node('b-2', { labels: { zone: 'b' } }),
    ];
    const fit = new ClusterFit<PodInfo>(nodes, []);
    const zoneB = [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }], matchFields: [] }];
    expect(fit.place([req(pod('x', 'sel', { nodeSelector: { disk: 'ssd' }, requiredNodeAffinity: zoneB }))], new Set())[0]!.node).toBe(
      'b-1',
    );
    expect(fit.place([req(pod('x', 'pv', { nodeSelector: { disk: 'ssd' } }), [zoneB])], new Set(['b-1']))[0]).toMatchObject({
      rejections: { 'being drained': 1, "didn't match Pod's node affinity/selector": 1, 'volume node affinity conflict': 1 },
    });
  });

  it('applies required hostname anti-affinity both ways, and among the pods it places', () => {
    const term = { topologyKey: 'kubernetes.io/hostname', selector: fromLabelSelector({ matchLabels: { app: 'db' } }), namespaces: [] };
    const existing = pod('data', 'db-0', { nodeName: 'n-1', labels: { app: 'db' }, requiredAntiAffinity: [term] });
    const fit = new ClusterFit<PodInfo>([node('n-1'), node('n-2'), node('n-3')], [existing]);
    const db1 = pod('data', 'db-1', { labels: { app: 'db' }, requiredAntiAffinity: [term] });
    const db2 = pod('data', 'db-2', { labels: { app: 'db' }, requiredAntiAffinity: [term] });
    expect(fit.place([req(db1), req(db2)], new Set(['n-3'])).map((r) => r.node)).toEqual(['n-2', undefined]);
    // the existing pod's term keeps a plain pod with its labels away (symmetry)
    const plain = pod('data', 'plain', { labels: { app: 'db' } });
    expect(fit.place([req(plain)], new Set(['n-2', 'n-3']))[0]).toMatchObject({
      rejections: { "didn't match pod anti-affinity rules": 1 },
    });
    // another namespace is not selected unless named
    expect(fit.place([req(pod('other', 'db', { labels: { app: 'db' } }))], new Set(['n-2', 'n-3']))[0]!.node).toBe('n-1');
  });

  it('resolves anti-affinity namespace selectors with namespace labels', () => {
    const term = {
      topologyKey: 'kubernetes.io/hostname',
      selector: fromLabelSelector({ matchLabels: { app: 'db' } }),
      namespaces: [],
      namespaceSelector: fromLabelSelector({ matchLabels: { team: 'data' } })!,
    };
    const existing = pod('data-2', 'db', { nodeName: 'n-1', labels: { app: 'db' } });
    const labels = new Map([
      ['data-2', { team: 'data' }],
      ['data', { team: 'data' }],
    ]);
    const fit = new ClusterFit<PodInfo>([node('n-1'), node('n-2')], [existing], labels);
    expect(
      fit.place(
        [{ pod: pod('data', 'db-1', { labels: { app: 'db' }, requiredAntiAffinity: [term] }), volumeAffinity: [] }],
        new Set(['n-2']),
      )[0]!.node,
    ).toBeUndefined();
    const all = { ...term, namespaceSelector: [] };
    expect(
      new ClusterFit<PodInfo>([node('n-1')], [existing]).place(
        [{ pod: pod('x', 'y', { requiredAntiAffinity: [all], labels: {} }), volumeAffinity: [] }],
        new Set(),
      )[0]!.node,
    ).toBeUndefined();
  });
});
