/**
 * The index of built-in checks (src/engine/builtin-checks.generated.ts, written by
 * scripts/checks-index.js) and the registry's loading from it: the index is current and lists
 * every file directly under checks/<family>/, its catalog entries are the checks' own, a
 * selection imports only the checks it names while the registry still knows the others, and
 * the registry rejects a module that is not a valid check.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineCheck } from '../../src/contract/check.js';
import { BUILTIN_CHECKS } from '../../src/engine/builtin-checks.generated.js';
import { catalogEntry, type BuiltinCheck } from '../../src/engine/catalog.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { CHECKS_DIR, PACKAGE_ROOT } from '../../src/paths.js';
import { tempDir } from '../support/live.js';

const SCRIPT = join(PACKAGE_ROOT, 'scripts', 'checks-index.js');
const GENERATED = join(PACKAGE_ROOT, 'src', 'engine', 'builtin-checks.generated.ts');
const dir = tempDir('kp-checks-index-');
afterAll(() => dir.remove());

function generator(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

const all = await loadBuiltinChecks();

describe('the index of built-in checks', () => {
  it('is current (after adding or changing a check: npm run build, or node scripts/checks-index.js)', () => {
    expect(generator('--check')).toEqual({ status: 0, stderr: '' });
  });

  it('a stale file fails the check with one line, and the script rewrites it', () => {
    const out = join(dir.path, 'index.ts');
    writeFileSync(out, readFileSync(GENERATED, 'utf8').replace(/ {2}\{\n {4}id: "certs-chain",[^]*?\n {2}\},\n/, ''));
    const stale = generator('--check', '--out', out);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/^\S*index\.ts is stale: run node scripts\/checks-index\.js \(or npm run build\)\n$/);
    expect(generator('--out', out).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(GENERATED, 'utf8'));
  });

  it('lists every file directly under checks/<family>/, as id and family', () => {
    const files = readdirSync(CHECKS_DIR)
      .filter((f) => statSync(join(CHECKS_DIR, f)).isDirectory())
      .flatMap((family) =>
        readdirSync(join(CHECKS_DIR, family))
          .filter((n) => n.endsWith('.ts') && statSync(join(CHECKS_DIR, family, n)).isFile())
          .map((n) => `${family}/${n.slice(0, -3)}`),
      );
    expect(files.length).toBe(36);
    expect(BUILTIN_CHECKS.map((b) => `${b.family}/${b.id}`).sort()).toEqual(files.sort());
  });

  it("holds each check's catalog entry, so a registry with the index digests the same catalog", () => {
    expect(all.length).toBe(BUILTIN_CHECKS.length);
    for (const c of all) expect(BUILTIN_CHECKS.find((b) => b.id === c.def.id)?.catalog).toEqual(catalogEntry(c.def, 'builtin'));
    const version = new Registry(all).catalogVersion();
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(new Registry(all, BUILTIN_CHECKS).catalogVersion()).toBe(version);
  });
});

describe('loading a selection', () => {
  it('imports the checks of the named families and ids only', async () => {
    const some = await loadBuiltinChecks(['certs', 'rbac-cluster-admins', 'not-a-check']);
    expect(some.map((c) => c.def.id).sort()).toEqual([
      'certs-chain',
      'certs-cluster-expiry',
      'certs-pki-expiry',
      'certs-system-masters',
      'certs-weak-crypto',
      'rbac-cluster-admins',
    ]);
    expect(some.every((c) => c.origin === 'builtin' && c.file === join(CHECKS_DIR, c.def.family, `${c.def.id}.ts`))).toBe(true);
  });

  it('the registry knows the checks it did not load: selection, unknown names and catalog version', async () => {
    const registry = new Registry(await loadBuiltinChecks(['certs']), BUILTIN_CHECKS);
    expect(registry.checks.map((c) => c.def.family)).toEqual(Array(5).fill('certs'));
    const { selected, skipped } = registry.select(['certs'], ['rbac', 'certs-chain']);
    expect(selected.map((c) => c.def.id)).toEqual([
      'certs-cluster-expiry',
      'certs-pki-expiry',
      'certs-system-masters',
      'certs-weak-crypto',
    ]);
    expect(skipped.map((c) => c.def.id)).toEqual(['certs-chain']);
    expect(() => registry.select(['certs', 'nope'], undefined)).toThrow(
      '--checks: unknown check or family: nope (see `kube-preflight checks`)',
    );
    expect(() => registry.select(['certs'], ['etcd-quorum', 'nope2'])).toThrow('--skip: unknown check or family: nope2');
    expect(registry.catalogVersion()).toBe(new Registry(all).catalogVersion());
  });

  it('a plugin check changes the catalog version whether the built-in checks are loaded or indexed', async () => {
    const base = all.find((c) => c.def.id === 'certs-chain')!.def;
    const plugin = { def: defineCheck({ ...base, id: 'acme/certs-extra' }), origin: 'acme@1.0.0' };
    const loaded = new Registry([...all, plugin]).catalogVersion();
    expect(loaded).not.toBe(new Registry(all).catalogVersion());
    expect(new Registry([...(await loadBuiltinChecks(['etcd'])), plugin], BUILTIN_CHECKS).catalogVersion()).toBe(loaded);
  });
});

describe('invalid built-in check modules', () => {
  it('are rejected, every one named with its file and what is wrong', async () => {
    const base = all.find((c) => c.def.id === 'etcd-quorum')!.def;
    const entry = (family: string, id: string, mod: { default?: unknown }): BuiltinCheck => ({
      id,
      family,
      catalog: catalogEntry(base, 'builtin'),
      load: () => Promise.resolve(mod),
    });
    const index = [
      entry('etcd', 'etcd-quorum', { default: base }),
      entry('etcd', 'etcd-helpers', {}),
      entry('etcd', 'etcd-plain', { default: { ...base, id: 'etcd-plain' } }),
      entry('etcd', 'etcd-renamed', { default: defineCheck({ ...base }) }),
      entry('pdb', 'etcd-moved', { default: defineCheck({ ...base, id: 'etcd-moved' }) }),
    ];
    const file = (family: string, id: string): string => join(CHECKS_DIR, family, `${id}.ts`);
    await expect(loadBuiltinChecks(undefined, index)).rejects.toThrow(
      new RegExp(
        `^${[
          'invalid built-in checks:',
          `${file('etcd', 'etcd-helpers')}: does not default-export defineCheck(...) (support modules belong in a subfolder)`,
          `${file('etcd', 'etcd-plain')}: does not default-export defineCheck(...) (support modules belong in a subfolder)`,
          `${file('etcd', 'etcd-renamed')}: id "etcd-quorum" differs from the file name`,
          `${file('pdb', 'etcd-moved')}: family "etcd" differs from its folder "pdb"`,
        ]
          .join('\n')
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
      ),
    );
    // Only the selected modules are imported, so only they are judged.
    expect((await loadBuiltinChecks(['etcd-quorum'], index)).map((c) => c.def.id)).toEqual(['etcd-quorum']);
  });
});
