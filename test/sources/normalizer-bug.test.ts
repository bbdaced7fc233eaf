/**
 * A bug in an input's normalizer (here a `TypeError` thrown for one real PodDisruptionBudget of
 * the lab-1.26 dump) is reported as a crashing check is: an internal error naming the input,
 * with its code; the scan still completes, judging every other input and check, and the verdict
 * is not GO.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { renderText } from '../../src/render/text.js';
import { scan } from '../../src/report/scan.js';
import { DumpSource } from '../../src/sources/dump.js';
import { normalizePdb, pdbsInput } from '../../src/sources/inputs/pdb.js';

afterEach(() => vi.restoreAllMocks());

const BUG =
  'internal error (KP_INTERNAL) in the normalizer of input pdbs (resources/poddisruptionbudgets.policy.json item 2): ' +
  "Cannot read properties of undefined (reading 'minAvailable')";

async function scanWithBuggyNormalizer() {
  vi.spyOn(pdbsInput, 'normalize').mockImplementation((o) => {
    if (o.metadata.name === 'web-pdb-blocks-drain') return (undefined as unknown as { minAvailable: number }).minAvailable as never;
    return normalizePdb(o);
  });
  const source = await DumpSource.open('fixtures/dumps/lab-1.26');
  try {
    return await scan({
      source,
      registry: new Registry(await loadBuiltinChecks()),
      config: EMPTY_CONFIG,
      only: ['pdb', 'rbac-dangling-bindings'],
      now: new Date('2026-11-23T07:00:18Z'),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
  } finally {
    await source.close();
  }
}

describe('a bug in an input normalizer', () => {
  it('fails that input as an internal error; the scan completes and is not GO', async () => {
    const { report, inputs } = await scanWithBuggyNormalizer();
    expect(inputs.get('pdbs')).toEqual({
      key: 'pdbs',
      status: 'failed',
      reason: BUG,
      count: 3,
      sources: ['resources/poddisruptionbudgets.policy.json'],
    });
    // The other inputs read the same dump and stay ok.
    expect(['pods', 'workloads', 'nodes'].map((k) => [k, inputs.get(k)!.status])).toEqual([
      ['pods', 'ok'],
      ['workloads', 'ok'],
      ['nodes', 'ok'],
    ]);
    expect(report.checks.map((c) => [c.id, c.status, c.reason])).toEqual([
      ['pdb-blocking', 'error', `input pdbs is failed: ${BUG}`],
      [
        'pdb-coverage',
        'fail',
        '1 subject not assessed: PodDisruptionBudgets (selector, minAvailable/maxUnavailable, unhealthyPodEvictionPolicy, status): ' +
          `failed (${BUG})`,
      ],
      ['pdb-drain-plan', 'error', `input pdbs is failed: ${BUG}`],
      ['pdb-misconfigured', 'error', `input pdbs is failed: ${BUG}`],
      ['pdb-overlap', 'error', `input pdbs is failed: ${BUG}`],
      ['rbac-dangling-bindings', 'pass', undefined],
    ]);
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.inputs.find((i) => i.key === 'pdbs')).toMatchObject({ status: 'failed', reason: BUG });
    expect(renderText(report, { color: false, width: 200 })).toContain(BUG);
  });
});
