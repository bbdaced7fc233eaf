/** The disruption controller's arithmetic and the Eviction API's answers (`src/k8s/disruption.ts`). */
import { describe, expect, it } from 'vitest';
import {
  compareKeys,
  evictionVerdict,
  expectedScale,
  isZero,
  keyOf,
  PdbCoverage,
  resolveIntOrPercent,
  scaleOwner,
  specBudget,
  statusFresh,
  WorkloadIndex,
} from '../../src/k8s/disruption.js';
import { ownedBy, pdb, pod, workload } from './pdb-builders.js';

describe('compareKeys', () => {
  it('orders objects as their namespace/name strings sort, also when one namespace prefixes another', () => {
    const objects = [
      { namespace: 'a', name: 'z' },
      { namespace: 'a-b', name: 'a' },
      { namespace: 'a', name: 'b' },
      { namespace: 'ab', name: 'a' },
      { namespace: 'b', name: 'a' },
      { namespace: 'a.', name: 'x' },
      { namespace: 'a', name: 'b' },
    ];
    const byString = [...objects].sort((x, y) => (keyOf(x) < keyOf(y) ? -1 : keyOf(x) > keyOf(y) ? 1 : 0));
    expect([...objects].sort(compareKeys).map(keyOf)).toEqual(byString.map(keyOf));
    expect([...objects].sort(compareKeys).map(keyOf)).toEqual(['a-b/a', 'a./x', 'a/b', 'a/b', 'a/z', 'ab/a', 'b/a']);
    expect(compareKeys({ namespace: 'a', name: 'b' }, { namespace: 'a', name: 'b' })).toBe(0);
  });
});

describe('resolveIntOrPercent', () => {
  it('rounds percentages up, as GetScaledValueFromIntOrPercent(…, true)', () => {
    expect(resolveIntOrPercent(2, 10)).toBe(2);
    expect(resolveIntOrPercent('50%', 3)).toBe(2);
    expect(resolveIntOrPercent('90%', 3)).toBe(3);
    expect(resolveIntOrPercent('66%', 3)).toBe(2);
    expect(resolveIntOrPercent('1%', 3)).toBe(1);
    expect(resolveIntOrPercent('0%', 100)).toBe(0);
    expect(resolveIntOrPercent('100%', 0)).toBe(0);
  });

  it('rejects what the controller rejects', () => {
    expect(resolveIntOrPercent('1', 3)).toBeUndefined();
    expect(resolveIntOrPercent('abc%', 3)).toBeUndefined();
    expect(resolveIntOrPercent(1.5, 3)).toBeUndefined();
  });

  it('knows zero budgets', () => {
    expect([0, '0%', '00%', 1, '1%', undefined].map(isZero)).toEqual([true, true, true, false, false, false]);
  });
});

describe('specBudget', () => {
  const p = (spec: { minAvailable?: number | string; maxUnavailable?: number | string }) => pdb('ns', 'p', {}, spec);
  it('maxUnavailable: desired = expected − maxUnavailable, at least 0', () => {
    expect(specBudget(p({ maxUnavailable: 1 }), 3)).toEqual({
      expectedPods: 3,
      desiredHealthy: 2,
      allowedWhenHealthy: 1,
      maxUnavailable: 1,
    });
    expect(specBudget(p({ maxUnavailable: '10%' }), 3)).toMatchObject({ desiredHealthy: 2, allowedWhenHealthy: 1 });
    expect(specBudget(p({ maxUnavailable: 5 }), 3)).toMatchObject({ desiredHealthy: 0, allowedWhenHealthy: 3 });
    expect(specBudget(p({ maxUnavailable: 0 }), 3)).toMatchObject({ allowedWhenHealthy: 0 });
  });
  it('minAvailable: integer as is, percentage rounded up', () => {
    expect(specBudget(p({ minAvailable: 2 }), 2)).toMatchObject({ desiredHealthy: 2, allowedWhenHealthy: 0 });
    expect(specBudget(p({ minAvailable: 5 }), 2)).toMatchObject({ desiredHealthy: 5, allowedWhenHealthy: 0 });
    expect(specBudget(p({ minAvailable: '100%' }), 4)).toMatchObject({ desiredHealthy: 4, allowedWhenHealthy: 0 });
    expect(specBudget(p({ minAvailable: '50%' }), 3)).toMatchObject({ desiredHealthy: 2, allowedWhenHealthy: 1 });
  });
  it('allows nothing without expected pods, and has no answer without a budget', () => {
    expect(specBudget(p({ maxUnavailable: 1 }), 0)).toMatchObject({ allowedWhenHealthy: 0 });
    expect(specBudget(p({}), 3)).toBeUndefined();
    expect(specBudget(p({ minAvailable: 'x' }), 3)).toBeUndefined();
  });
});

describe('scaleOwner / expectedScale', () => {
  const deploy = workload('Deployment', 'shop', 'web', { replicas: 4 });
  const rs = workload('ReplicaSet', 'shop', 'web-5d8f', {
    replicas: 4,
    controller: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: deploy.uid! },
  });
  const lonelyRs = workload('ReplicaSet', 'shop', 'legacy', { replicas: 2 });
  const sts = workload('StatefulSet', 'data', 'db', { replicas: 3 });
  const rc = workload('ReplicationController', 'shop', 'nginx', { replicas: 2 });
  const ds = workload('DaemonSet', 'mon', 'agent');
  const job = workload('Job', 'batch', 'etl');
  const idx = new WorkloadIndex([deploy, rs, lonelyRs, sts, rc, ds, job]);

  it('follows a ReplicaSet to its Deployment', () => {
    const o = scaleOwner(pod('shop', 'web-1', ownedBy(rs)), idx);
    expect(o).toMatchObject({ type: 'scale', replicas: 4, workload: { kind: 'Deployment', name: 'web' } });
  });
  it('uses a ReplicaSet, StatefulSet or ReplicationController of its own', () => {
    expect(scaleOwner(pod('shop', 'l-1', ownedBy(lonelyRs)), idx)).toMatchObject({ type: 'scale', replicas: 2 });
    expect(scaleOwner(pod('data', 'db-0', ownedBy(sts)), idx)).toMatchObject({ type: 'scale', replicas: 3 });
    expect(scaleOwner(pod('shop', 'nginx-1', ownedBy(rc)), idx)).toMatchObject({ type: 'scale', replicas: 2 });
  });
  it('knows owners without scale, missing owners, bare pods and unknown kinds', () => {
    expect(scaleOwner(pod('mon', 'agent-1', ownedBy(ds)), idx)).toEqual({
      type: 'no-scale',
      kind: 'DaemonSet',
      name: 'agent',
      missing: false,
    });
    expect(scaleOwner(pod('batch', 'etl-1', ownedBy(job)), idx)).toMatchObject({ type: 'no-scale', kind: 'Job' });
    expect(scaleOwner(pod('kube-system', 'etcd-cp', { controller: { apiVersion: 'v1', kind: 'Node', name: 'cp' } }), idx)).toMatchObject({
      type: 'no-scale',
      kind: 'Node',
    });
    expect(
      scaleOwner(pod('shop', 'gone-1', { controller: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone' } }), idx),
    ).toMatchObject({ type: 'no-scale', missing: true });
    expect(
      scaleOwner(pod('shop', 'x', { controller: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'other' } }), idx),
    ).toMatchObject({ type: 'no-scale', missing: true });
    expect(scaleOwner(pod('shop', 'bare'), idx)).toEqual({ type: 'unmanaged' });
    expect(
      scaleOwner(pod('shop', 'r-1', { controller: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'r' } }), idx),
    ).toMatchObject({ type: 'unknown', kind: 'Rollout' });
  });
  it('sums each owner once', () => {
    const pods = [
      pod('shop', 'web-1', ownedBy(rs)),
      pod('shop', 'web-2', ownedBy(rs)),
      pod('shop', 'l-1', ownedBy(lonelyRs)),
      pod('shop', 'bare'),
    ];
    const e = expectedScale(pods, idx);
    expect(e.scaleCount).toBe(6);
    expect(e.owners.map((w) => `${w.kind}/${w.name}`)).toEqual(['Deployment/web', 'ReplicaSet/legacy']);
    expect(e.unmanaged.map((p) => p.name)).toEqual(['bare']);
  });
});

describe('PdbCoverage', () => {
  const pods = [
    pod('shop', 'web-1', { labels: { app: 'web', tier: 'fe' } }),
    pod('shop', 'web-2', { labels: { app: 'web', tier: 'fe' } }),
    pod('shop', 'api-1', { labels: { app: 'api', tier: 'be' } }),
    pod('other', 'web-1', { labels: { app: 'web' } }),
  ];
  it('matches within the namespace, with the empty selector matching all and null none', () => {
    const web = pdb('shop', 'web', { matchLabels: { app: 'web' } });
    const all = pdb('shop', 'all', {});
    const none = pdb('shop', 'none', null);
    const multi = pdb('shop', 'multi', {
      matchExpressions: [
        { key: 'app', operator: 'In', values: ['web', 'api'] },
        { key: 'tier', operator: 'NotIn', values: ['be'] },
      ],
    });
    const notIn = pdb('shop', 'not-api', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['api'] }] });
    const c = new PdbCoverage([web, all, none, multi, notIn], pods);
    expect(c.podsOf(web).map((p) => p.name)).toEqual(['web-1', 'web-2']);
    expect(c.podsOf(all).map((p) => p.name)).toEqual(['web-1', 'web-2', 'api-1']);
    expect(c.podsOf(none)).toEqual([]);
    expect(c.podsOf(multi).map((p) => p.name)).toEqual(['web-1', 'web-2']);
    expect(c.podsOf(notIn).map((p) => p.name)).toEqual(['web-1', 'web-2']);
    expect(c.pdbsOf(pods[2]!).map((p) => p.name)).toEqual(['all']);
    expect(c.pdbsOf(pods[3]!)).toEqual([]);
  });

  it('selects a pod once when its value is listed twice, so one PDB is not taken for several', () => {
    const twice = pdb('shop', 'web', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'web'] }] });
    const c = new PdbCoverage([twice], pods);
    expect(c.podsOf(twice).map((p) => p.name)).toEqual(['web-1', 'web-2']);
    expect(c.pdbsOf(pods[0]!).map((p) => p.name)).toEqual(['web']);
  });
});

describe('statusFresh', () => {
  it('needs observedGeneration equal to generation and a disruptionsAllowed', () => {
    expect(statusFresh(pdb('a', 'b', {}))).toBe(true);
    expect(statusFresh(pdb('a', 'b', {}, { generation: 2 }))).toBe(false);
    expect(statusFresh(pdb('a', 'b', {}, { status: undefined }))).toBe(false);
    expect(statusFresh(pdb('a', 'b', {}, { status: { disruptedPods: 0, observedGeneration: 1 } }))).toBe(false);
  });
});

describe('evictionVerdict', () => {
  const labels = { app: 'web' };
  const verdict = (p: ReturnType<typeof pod>, ...pdbs: Array<ReturnType<typeof pdb>>) =>
    evictionVerdict(p, new PdbCoverage(pdbs, [p])).kind;
  const budget0 = (over = {}) =>
    pdb(
      'shop',
      'web',
      { matchLabels: labels },
      {
        status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 3, disruptedPods: 0 },
        ...over,
      },
    );

  it('ignores PDBs for Pending, finished and deleting pods', () => {
    for (const over of [{ phase: 'Pending' }, { phase: 'Succeeded' }, { phase: 'Failed' }, { deletionTimestamp: '2026-11-23T07:00:00Z' }]) {
      expect(verdict(pod('shop', 'w', { labels, ...over }), budget0())).toBe('ignores-pdb');
    }
  });
  it('answers by the budget for a Ready pod', () => {
    expect(verdict(pod('shop', 'w', { labels }))).toBe('no-pdb');
    expect(verdict(pod('shop', 'w', { labels }), budget0())).toBe('blocked');
    expect(verdict(pod('shop', 'w', { labels }), pdb('shop', 'web', { matchLabels: labels }))).toBe('allowed');
    expect(verdict(pod('shop', 'w', { labels }), budget0({ generation: 2 }))).toBe('stale');
    expect(verdict(pod('shop', 'w', { labels }), pdb('shop', 'a', {}), pdb('shop', 'b', { matchLabels: labels }))).toBe('several-pdbs');
  });
  it('lets unready pods go under AlwaysAllow, or while the budget is met (IfHealthyBudget)', () => {
    const unready = pod('shop', 'w', { labels, ready: false });
    expect(evictionVerdict(unready, new PdbCoverage([budget0({ unhealthyPodEvictionPolicy: 'AlwaysAllow' })], [unready]))).toMatchObject({
      kind: 'allowed',
      consumes: false,
    });
    expect(evictionVerdict(unready, new PdbCoverage([budget0()], [unready]))).toMatchObject({ kind: 'allowed', consumes: false });
    const short = budget0({
      status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 3, expectedPods: 3, disruptedPods: 0 },
    });
    expect(verdict(unready, short)).toBe('blocked');
    const noDesired = budget0({
      status: { observedGeneration: 1, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptedPods: 0 },
    });
    expect(verdict(unready, noDesired)).toBe('blocked');
  });
});
