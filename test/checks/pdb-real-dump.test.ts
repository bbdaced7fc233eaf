/**
 * The `pdb` family on the real dump `fixtures/dumps/lab-1.26` (kube-apiserver 1.26.4), whose
 * four PDBs were seeded: `maxUnavailable: 0` (prod/web-pdb-blocks-drain), `minAvailable` equal
 * to the replicas (prod/api-pdb-min-equals-replicas), one selecting nothing
 * (staging/orphan-pdb-selects-nothing) and one healthy (prod/cache-pdb-healthy).
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { DumpSource } from '../../src/sources/dump.js';

const source = await DumpSource.open('fixtures/dumps/lab-1.26');
const { report } = await scan({
  source,
  registry: new Registry(await loadBuiltinChecks()),
  config: EMPTY_CONFIG,
  only: ['pdb'],
  now: new Date('2026-11-23T07:00:18Z'),
  failOn: 'critical',
  options: { requestTimeoutMs: 30_000 },
});
await source.close();

const pdb = (namespace: string, name: string) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace, name });
const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });
const deployment = (namespace: string, name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });

describe('pdb family on the lab-1.26 dump', () => {
  it('reports exactly the seeded problems', () => {
    expect(report.findings.map((f) => ({ checkId: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }))).toEqual([
      { checkId: 'pdb-blocking', rule: 'min-available-all', severity: 'critical', resource: pdb('prod', 'api-pdb-min-equals-replicas') },
      { checkId: 'pdb-blocking', rule: 'max-unavailable-zero', severity: 'critical', resource: pdb('prod', 'web-pdb-blocks-drain') },
      { checkId: 'pdb-drain-plan', rule: 'drain-blocked-by-pdb', severity: 'critical', resource: node('lab-worker-1') },
      { checkId: 'pdb-drain-plan', rule: 'drain-blocked-by-pdb', severity: 'critical', resource: node('lab-worker-2') },
      { checkId: 'pdb-drain-plan', rule: 'drain-blocked-by-pdb', severity: 'critical', resource: node('lab-worker-3') },
      { checkId: 'pdb-coverage', rule: 'single-replica', severity: 'medium', resource: deployment('monitoring', 'prometheus') },
      { checkId: 'pdb-coverage', rule: 'single-replica', severity: 'medium', resource: deployment('staging', 'worker') },
      { checkId: 'pdb-misconfigured', rule: 'selects-no-pods', severity: 'low', resource: pdb('staging', 'orphan-pdb-selects-nothing') },
    ]);
  });

  it('passes the healthy PDB and finds no overlap', () => {
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'pdb-blocking': 'fail',
      'pdb-coverage': 'fail',
      'pdb-drain-plan': 'fail',
      'pdb-misconfigured': 'fail',
      'pdb-overlap': 'pass',
    });
    expect(report.findings.some((f) => 'name' in f.resource && f.resource.name === 'cache-pdb-healthy')).toBe(false);
  });

  it('gives the evidence of the blocking budgets', () => {
    const api = report.findings.find((f) => f.rule === 'min-available-all')!;
    expect(api.evidence).toMatchObject({
      minAvailable: 2,
      expectedPods: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      owners: ['Deployment/api'],
      pods: 2,
    });
    const web = report.findings.find((f) => f.rule === 'max-unavailable-zero')!;
    expect(web.evidence).toMatchObject({ maxUnavailable: 0, disruptionsAllowed: 0, currentHealthy: 3, pods: 3 });
    const w1 = report.findings.find((f) => f.checkId === 'pdb-drain-plan' && 'name' in f.resource && f.resource.name === 'lab-worker-1')!;
    expect(w1.evidence).toMatchObject({ podCount: 3, pdbs: ['prod/api-pdb-min-equals-replicas', 'prod/web-pdb-blocks-drain'] });
  });

  it('drains only the nodes without blocked pods, control plane first', () => {
    const plan = report.checks.find((c) => c.id === 'pdb-drain-plan')!.details as {
      drainOrder: string[][];
      nodes: Array<{ node: string; blocked: boolean; budgets: unknown[] }>;
    };
    expect(plan.drainOrder).toEqual([['lab-control-plane'], ['lab-worker-old']]);
    expect(plan.nodes.filter((n) => n.blocked).map((n) => n.node)).toEqual(['lab-worker-1', 'lab-worker-2', 'lab-worker-3']);
    // two cache pods on lab-worker-3 against a budget of 1: the drain waits for the first replacement
    expect(plan.nodes.find((n) => n.node === 'lab-worker-3')!.budgets).toEqual([
      { pdb: 'prod/cache-pdb-healthy', pods: 2, disruptionsAllowed: 1 },
    ]);
  });
});
