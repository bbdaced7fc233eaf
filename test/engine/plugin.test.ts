/**
 * Third-party checks through `--plugin`: loading, id prefixing, validation, and the exported
 * fixture tester run on the plugin's own fixtures. Needs the built package (`npm test` builds).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlugin } from '../../src/engine/registry.js';
import { FatalError } from '../../src/contract/errors.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { listFixtureCases, runFixtureCase } from '../../src/testing/fixtures.js';

const pluginDir = join(PACKAGE_ROOT, 'fixtures', 'plugins', 'sample-plugin');

describe('loadPlugin', () => {
  it('loads the sample plugin and prefixes its ids', async () => {
    const checks = await loadPlugin(pluginDir);
    expect(checks.map((c) => [c.def.id, c.origin])).toEqual([['sample/versions-container-runtime', 'sample@1.0.0']]);
  });

  it('runs the plugin fixture cases with the exported tester', async () => {
    const [check] = await loadPlugin(pluginDir);
    const cases = listFixtureCases(join(pluginDir, 'fixtures', 'versions-container-runtime'));
    expect(cases.map((c) => c.expectedStatus)).toEqual(['error', 'fail', 'pass']);
    for (const c of cases) expect((await runFixtureCase(check!, c)).problems).toEqual([]);
  });

  it('rejects a missing plugin, a bad export and an invalid check', async () => {
    await expect(loadPlugin('./no-such-plugin.js')).rejects.toThrow(FatalError);
    await expect(loadPlugin('no-such-package-kp')).rejects.toThrow('plugin no-such-package-kp: package not found');
    const dir = await mkdtemp(join(tmpdir(), 'kp-plugin-'));
    try {
      await writeFile(join(dir, 'bad.mjs'), 'export default { checks: [] };');
      await expect(loadPlugin(join(dir, 'bad.mjs'))).rejects.toThrow(
        'must default-export { meta: { name (kebab-case), version }, checks: [...] }',
      );
      await writeFile(join(dir, 'raw.mjs'), "export default { meta: { name: 'x', version: '1' }, checks: [{ id: 'certs-a' }] };");
      await expect(loadPlugin(join(dir, 'raw.mjs'))).rejects.toThrow('plugin x: checks[0] was not made with defineCheck()');
      await writeFile(
        join(dir, 'invalid.mjs'),
        `import { defineCheck } from '${join(PACKAGE_ROOT, 'dist/src/index.js')}';
export default { meta: { name: 'x', version: '1' }, checks: [defineCheck({ id: 'certs-a', family: 'certs', title: 't', rationale: 'r', remediation: 'm', references: ['https://x'], defaultSeverity: 'high', rules: { a: { title: 'a' } }, requires: ['no-such-input'], defaultOptions: {}, run: () => ({ evaluated: 0, findings: [] }) })] };`,
      );
      await expect(loadPlugin(join(dir, 'invalid.mjs'))).rejects.toThrow(
        'plugin x: check "certs-a": input "no-such-input" is not in the input catalog',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
