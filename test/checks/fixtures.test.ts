/**
 * Runs every fixture case of every built-in check through the engine
 * (fixtures/checks/<id>/<status>-<case>/ with expected.json), and pins how the tester fills the
 * resource inputs a case leaves out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { listFixtureCases, runFixtureCase, type Expected } from '../../src/testing/fixtures.js';

const checks = await loadBuiltinChecks();

for (const check of checks) {
  const cases = listFixtureCases(join(PACKAGE_ROOT, 'fixtures', 'checks', check.def.id));
  describe(check.def.id, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const outcome = await runFixtureCase(check, c);
      expect(outcome.problems).toEqual([]);
    });
  });
}

describe('inputs a case leaves out', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kube-preflight-cases-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const readiness = checks.find((c) => c.def.id === 'versions-node-readiness')!;
  const NODE =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: { name: worker-a }\n  status:\n    conditions: [{ type: Ready, status: "True" }]\n    nodeInfo: { kubeletVersion: v1.30.2 }\n';
  /** Writes one case folder (files by dump path) and returns the tester's outcome. */
  async function run(name: string, expected: Expected, files: Record<string, string> = {}) {
    const dir = join(tmp, name);
    mkdirSync(join(dir, 'resources'), { recursive: true });
    writeFileSync(join(dir, 'expected.json'), JSON.stringify(expected));
    for (const [p, text] of Object.entries(files)) writeFileSync(join(dir, p), text);
    const [c] = listFixtureCases(tmp).filter((x) => x.name === name);
    return runFixtureCase(readiness, c!);
  }

  it('reads a declared resource input without a file as an empty list', async () => {
    const o = await run('not-applicable-no-nodes-file', { findings: [], reason: 'the cluster has no Node objects' });
    expect(o.problems).toEqual([]);
    expect(o.report!.inputs.find((i) => i.key === 'nodes')).toEqual(expect.objectContaining({ status: 'ok', count: 0 }));
  });

  it('leaves an input the check does not declare unread', async () => {
    const o = await run('not-applicable-no-namespaces', { findings: [] });
    expect(o.problems).toEqual([]);
    expect(o.report!.inputs.find((i) => i.key === 'namespaces')).toMatchObject({ status: 'missing' });
  });

  it('keeps an input listed in `missing` missing', async () => {
    const o = await run('error-nodes-missing', { findings: [], reason: 'input nodes is missing', missing: ['nodes'] });
    expect(o.problems).toEqual([]);
    expect(o.result!.status).toBe('error');
  });

  it('names a `missing` key the check does not declare, or one the case holds', async () => {
    const undeclared = await run('pass-undeclared-missing', { findings: [], missing: ['pdbs'] }, { 'resources/nodes.yaml': NODE });
    expect(undeclared.problems).toEqual(['expected.json: missing lists "pdbs", which the check does not declare']);
    const held = await run('pass-held-missing', { findings: [], missing: ['nodes'] }, { 'resources/nodes.yaml': NODE });
    expect(held.problems).toEqual(['expected.json: missing lists "nodes", but the case holds it (ok)']);
  });

  it('does not fill a resource that metadata.json records', async () => {
    const meta = JSON.stringify({ resources: { nodes: { status: 'missing', reason: 'not listed' } } });
    const o = await run('error-nodes-recorded-missing', { findings: [], reason: 'input nodes is missing' }, { 'metadata.json': meta });
    expect(o.problems).toEqual([]);
  });

  it('compares `figures` exactly when expected.json gives them', async () => {
    const none = await run('not-applicable-no-figures', { findings: [], figures: [] });
    expect(none.problems).toEqual([]);
    const card = { key: 'n', title: 'n', facts: [] };
    const figures = [{ shape: 'cards' as const, key: 'nodes', title: 'Nodes', caption: 'Nodes.', items: 'nodes', cards: [card] }];
    const wrong = await run('not-applicable-wrong-figures', { findings: [], figures });
    expect(wrong.problems).toEqual([`figures are [], expected ${JSON.stringify(figures)}`]);
  });
});
