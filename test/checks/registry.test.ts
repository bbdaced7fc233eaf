/**
 * The registry of built-in checks: unique ids equal to file names, documentation fields,
 * and the minimum fixture cases (pass, fail, error) for every check.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCheck } from '../../src/engine/define-check.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { INPUTS } from '../../src/sources/inputs.js';
import { listFixtureCases } from '../../src/testing/fixtures.js';

const checks = await loadBuiltinChecks();

describe('built-in checks', () => {
  it('has checks, with unique ids', () => {
    expect(checks.length).toBeGreaterThan(0);
    const ids = checks.map((c) => c.def.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(checks.map((c) => [c.def.id, c] as const))('%s: metadata is valid and the id is the file name', (id, c) => {
    expect(validateCheck(c.def, new Set(INPUTS.keys()))).toEqual([]);
    expect(c.file?.replace(/\\/g, '/')).toMatch(new RegExp(`/checks/${c.def.family}/${id}\\.(ts|js)$`));
    for (const r of c.def.references) expect(r).toMatch(/^https:\/\//);
  });

  it.each(checks.map((c) => [c.def.id] as const))('%s: has pass, fail and error fixture cases', (id) => {
    const dir = join(PACKAGE_ROOT, 'fixtures', 'checks', id);
    expect(existsSync(dir)).toBe(true);
    const statuses = new Set(listFixtureCases(dir).map((c) => c.expectedStatus));
    expect([...statuses]).toEqual(expect.arrayContaining(['pass', 'fail', 'error']));
  });
});

describe('input catalog', () => {
  it('has unique keys matching the definitions', () => {
    for (const [k, d] of INPUTS) expect(d.key).toBe(k);
  });
});
