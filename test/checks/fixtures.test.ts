/**
 * Runs every fixture case of every built-in check through the engine
 * (fixtures/checks/<id>/<status>-<case>/ with expected.json).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { listFixtureCases, runFixtureCase } from '../../src/testing/fixtures.js';

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
