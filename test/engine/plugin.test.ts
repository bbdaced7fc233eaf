/**
 * Third-party checks through `--plugin`: loading, id prefixing, validation, and the exported
 * fixture tester run on the plugin's own fixtures. Needs the built package (`npm test` builds).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadPlugin, Registry } from '../../src/engine/registry.js';
import { renderHtml } from '../../src/render/html.js';
import { scan } from '../../src/report/scan.js';
import { DumpSource } from '../../src/sources/dump.js';
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

  it('gets a picture for its figure in the HTML report, with no renderer code of its own', async () => {
    const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
    const { report } = await scan({
      source,
      registry: new Registry(await loadPlugin(pluginDir)),
      config: EMPTY_CONFIG,
      now: new Date('2026-11-23T07:00:18Z'),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    }).finally(() => source.close());
    expect(report.checks[0]!.figures!.map((f) => [f.shape, f.key])).toEqual([['cards', 'container-runtimes']]);
    const html = renderHtml(report);
    const figure = /<figure id="pic-container-runtimes"[\s\S]*?<\/figure>/.exec(html)?.[0] ?? '';
    expect(figure).toContain('<strong id="pic-container-runtimes-title">Container runtimes</strong> The CRI runtime of each node');
    const cards = [
      ...figure.matchAll(
        /<li class="card (\w+)"><p class="card-title">([^<]+)<\/p><p class="card-badge">([^<]+)<\/p><p>([^<]+)<\/p><\/li>/g,
      ),
    ];
    expect(cards.map((m) => m.slice(1))).toEqual([
      ['ok', 'lab-control-plane', 'containerd://1.6.21', 'kubelet v1.26.4'],
      ['ok', 'lab-worker-1', 'containerd://1.6.21', 'kubelet v1.26.4'],
      ['ok', 'lab-worker-2', 'containerd://1.6.21', 'kubelet v1.25.9'],
      ['ok', 'lab-worker-3', 'containerd://1.6.21', 'kubelet v1.24.13'],
      ['ok', 'lab-worker-old', 'containerd://1.6.21', 'kubelet v1.23.17'],
    ]);
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
