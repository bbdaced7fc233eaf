// Writes src/engine/report-validators.generated.ts: the report schema's validators
// (schema/report-v1.schema.json) as JavaScript generated ahead of time with Ajv's standalone code
// (ajv/dist/standalone), so a scan does not compile the schema (about 0.2 s of CPU) at run time.
// Plain JavaScript so that `npm run build` runs it before `tsc` compiles what it writes.
//
//   node scripts/report-validators.js           rewrite the generated file
//   node scripts/report-validators.js --check   exit 1 when the file differs from what it would write
//   --out FILE                                  another file than the generated one (tests)
//
// Exports of the generated module: `report` (the whole report, all errors), `reportValid` (the
// whole report, valid or not: no errors kept, from `fastSchema`'s equivalent of the schema) and
// `figureByShape` (a Map from a figure's `shape` to the validator of its branch of
// `$defs/figure`, in the schema's order).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { writeOrCheck } from './generated-file.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(ROOT, 'schema', 'report-v1.schema.json');
const GENERATED = join(ROOT, 'src', 'engine', 'report-validators.generated.ts');

/** Keywords that apply to instances of one JSON type only (JSON Schema 2020-12, validation). */
const TYPE_KEYWORDS = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems'],
  object: ['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties'],
  boolean: [],
  null: [],
};

/**
 * A `oneOf` whose branches each allow one JSON type, all different, with only keywords that
 * apply to that type (and `description`), as one schema: the union of the types and the
 * branches' keywords. It accepts exactly what the `oneOf` accepts (an instance has one type, so
 * it can match only the branch of that type, whose keywords the others' do not touch), without
 * the errors Ajv records for each branch that does not match. Undefined for any other `oneOf`.
 */
function mergedOneOf(branches) {
  const types = branches.map((b) => b.type);
  if (!types.every((t) => typeof t === 'string' && t in TYPE_KEYWORDS)) return undefined;
  if (new Set(types).size !== types.length || (types.includes('number') && types.includes('integer'))) return undefined;
  const merged = { type: types };
  for (const b of branches) {
    for (const [k, v] of Object.entries(b)) {
      if (k === 'type' || k === 'description') continue;
      if (!TYPE_KEYWORDS[b.type].includes(k) || k in merged) return undefined;
      merged[k] = v;
    }
  }
  return merged;
}

/**
 * The schema with each `oneOf` that `mergedOneOf` merges replaced by the merged schema (where
 * its parent has none of those keywords): the same reports valid, checked faster. A new object;
 * `schema` is not changed.
 */
function fastSchema(schema) {
  if (Array.isArray(schema)) return schema.map(fastSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'enum' || k === 'const' ? v : fastSchema(v)]));
  if (Array.isArray(out.oneOf)) {
    const merged = mergedOneOf(out.oneOf);
    if (merged && Object.keys(merged).every((k) => !(k in out))) {
      delete out.oneOf;
      Object.assign(out, merged);
    }
  }
  return out;
}

/** An Ajv for the report schema, with the options the report and its figures were validated with when Ajv compiled at run time. */
function newAjv(options) {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    ...options,
  });
  addFormats.default(ajv);
  return ajv;
}

/** The generated module's text for the schema at `schemaPath`. */
function generate(schemaPath = SCHEMA) {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const ajv = newAjv({ allErrors: true, code: { source: true, esm: true } });
  ajv.addSchema(schema);
  const shapes = schema.$defs.figure.oneOf.map((s) => s.properties.shape.const);
  const exports = { report: schema.$id };
  shapes.forEach((_, i) => (exports[`figure${i}`] = `${schema.$id}#/$defs/figure/oneOf/${i}`));
  const code = standaloneCode.default(ajv, exports).replace(/^"use strict";/, '');
  const byShape = shapes.map((s, i) => `[${JSON.stringify(s)}, figure${i}]`).join(', ');
  // The first error ends the check, without messages: its errors are not read.
  const fast = newAjv({ allErrors: false, messages: false, code: { source: true } });
  fast.addSchema(fastSchema(schema));
  const fastCode = standaloneCode.default(fast, { report: schema.$id }).replace(/^"use strict";/, '');
  return [
    '// @ts-nocheck',
    `// Generated by scripts/report-validators.js from ${relative(ROOT, schemaPath)} (Ajv standalone`,
    '// code): do not edit. `npm run build` rewrites it; test/engine/report-validators.test.ts fails',
    '// when it is stale.',
    "import { createRequire } from 'node:module';",
    '// Ajv refers to its runtime helpers and ajv-formats with require().',
    'const require = createRequire(import.meta.url);',
    code.trim(),
    `export const figureByShape = new Map([${byShape}]);`,
    '// Whether a report is valid, no errors kept: the schema as `fastSchema` rewrites it, first error',
    '// ends the check (its own scope: the names of its code are those of the code above).',
    'export const reportValid = (() => {',
    '  const exports = {};',
    fastCode.trim(),
    '  return exports.report;',
    '})();',
    '',
  ].join('\n');
}

function main(argv) {
  return writeOrCheck(argv, GENERATED, generate(), 'node scripts/report-validators.js', ROOT);
}

process.exitCode = main(process.argv.slice(2));
