/**
 * src/engine/report-validators.generated.ts is scripts/report-validators.js's output for the
 * shipped report schema (`npm run build` rewrites it): it must be current, and it must judge
 * reports and figures exactly as Ajv compiling the schema at run time does; its fast validator
 * (`reportValid`, from the schema with its type-per-branch `oneOf` merged) accepts exactly the
 * same reports.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { figureByShape, report, reportValid } from '../../src/engine/report-validators.generated.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { tempDir } from '../support/live.js';

const SCRIPT = join(PACKAGE_ROOT, 'scripts', 'report-validators.js');
const SCHEMA_PATH = join(PACKAGE_ROOT, 'schema', 'report-v1.schema.json');
const dir = tempDir('kp-validators-');
afterAll(() => dir.remove());

function generator(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('generated report validators', () => {
  it('are current (after a schema change: npm run build, or node scripts/report-validators.js)', () => {
    expect(generator('--check')).toEqual({ status: 0, stderr: '' });
  });

  it('a stale file fails the check with one line, and the script rewrites it', () => {
    const out = join(dir.path, 'validators.ts');
    writeFileSync(out, readFileSync(join(PACKAGE_ROOT, 'src', 'engine', 'report-validators.generated.ts'), 'utf8') + '// edited\n');
    const stale = generator('--check', '--out', out);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/^\S*validators\.ts is stale: run node scripts\/report-validators\.js \(or npm run build\)\n$/);
    execFileSync(process.execPath, [SCRIPT, '--out', out]);
    expect(generator('--check', '--out', out)).toEqual({ status: 0, stderr: '' });
  });

  it('give the errors Ajv compiling the schema at run time gives', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string; $defs: { figure: { oneOf: unknown[] } } };
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema(schema);
    const compiled = ajv.getSchema(schema.$id)!;
    const generated = report as unknown as ValidateFunction;
    const sample = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'render', 'golden', 'report.json'), 'utf8'));
    const broken = structuredClone(sample);
    broken.metadata.generatedAt = 'yesterday';
    broken.findings[0].severity = 'urgent';
    delete broken.checks[0].id;
    for (const [doc, valid] of [
      [sample, true],
      [broken, false],
    ] as const) {
      expect(generated(doc)).toBe(valid);
      expect(compiled(doc)).toBe(valid);
      expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
    }
    expect(compiled.errors!.map((e) => `${e.instancePath}: ${e.message}`)).toEqual([
      '/metadata/generatedAt: must match format "date-time"',
      "/checks/0: must have required property 'id'",
      '/findings/0/severity: must be equal to one of the allowed values',
    ]);

    const shapes = [...figureByShape.keys()];
    expect(shapes).toEqual(
      schema.$defs.figure.oneOf.map((s) => (s as { properties: { shape: { const: string } } }).properties.shape.const),
    );
    const cards = { shape: 'cards', title: 'x', cards: [{ value: 1 }] };
    const compiledCards = ajv.getSchema(`${schema.$id}#/$defs/figure/oneOf/${shapes.indexOf('cards')}`)!;
    const generatedCards = figureByShape.get('cards') as unknown as ValidateFunction;
    expect(generatedCards(cards)).toBe(compiledCards(cards));
    expect(generatedCards.errors).toEqual(compiledCards.errors);
  });

  it('judge every report valid or not as the full validator does, table cells and resources of every shape', () => {
    const sample = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'render', 'golden', 'report.json'), 'utf8')) as {
      tables: Array<{ rows: Array<{ cells: Record<string, unknown> }> }>;
      findings: Array<{ resource: Record<string, unknown>; previous?: unknown }>;
      metadata: { generatedAt: string };
    };
    const full = report as unknown as ValidateFunction;
    const fast = reportValid as (data: unknown) => boolean;
    const row = sample.tables.find((t) => t.rows.length > 0)!.rows[0]!;
    const column = Object.keys(row.cells)[0]!;
    const variants: Array<[string, (r: typeof sample) => void, boolean]> = [
      ['the sample', () => undefined, true],
      ...(
        [
          ['text', 'x', true],
          ['empty text', '', true],
          ['a number', 1.5, true],
          ['an integer', 3, true],
          ['a yes/no', false, true],
          ['nothing', null, true],
          ['several values', ['a', 'b'], true],
          ['no values', [], true],
          ['values not all text', ['a', 1], false],
          ['an object', { a: 'b' }, false],
          ['nested lists', [['a']], false],
        ] as const
      ).map(([what, cell, valid]): [string, (r: typeof sample) => void, boolean] => [
        `a cell of ${what}`,
        (r) => (r.tables.find((t) => t.rows.length > 0)!.rows[0]!.cells[column] = cell),
        valid,
      ]),
      ['a file resource', (r) => (r.findings[0]!.resource = { file: '/etc/kubernetes/pki/ca.crt' }), true],
      ['a resource that is both', (r) => (r.findings[0]!.resource = { file: 'x', kind: 'Pod', name: 'p' }), false],
      ['a resource that is neither', (r) => (r.findings[0]!.resource = { field: 'spec' }), false],
      ['a previous without a baseline change', (r) => (r.findings[0]!.previous = { severity: 'high' }), false],
      ['a bad date', (r) => (r.metadata.generatedAt = 'yesterday'), false],
    ];
    for (const [what, change, valid] of variants) {
      const doc = structuredClone(sample);
      change(doc);
      expect(full(doc), what).toBe(valid);
      expect(fast(doc), what).toBe(valid);
    }
    // The cells' oneOf is merged in the fast validator (so it keeps no error per branch).
    const text = readFileSync(join(PACKAGE_ROOT, 'src', 'engine', 'report-validators.generated.ts'), 'utf8');
    const oneOfPath = '#/$defs/table/properties/rows/items/properties/cells/additionalProperties/oneOf';
    const at = text.indexOf('export const reportValid');
    expect(text.slice(0, at)).toContain(oneOfPath);
    expect(text.slice(at)).not.toContain(oneOfPath);
  });
});
