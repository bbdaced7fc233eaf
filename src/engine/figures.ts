/**
 * Validation of the figures a check returns (`CheckOutput.figures`) against `$defs/figure` of
 * the report schema (`schema/report-v1.schema.json`), so a plugin's malformed figure is the
 * check's error, named in one line, and never reaches a renderer. A figure is checked against
 * the branch of its `shape`, so the error names what that shape is missing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { SCHEMA_DIR } from '../paths.js';

/** The report schema's file, read once by {@link reportSchema}. */
const REPORT_SCHEMA_PATH = join(SCHEMA_DIR, 'report-v1.schema.json');

interface ReportSchema {
  $id: string;
  $defs: { figure: { oneOf: Array<{ properties: { shape: { const: string } } }> } };
}

let loaded: { ajv: Ajv2020; schema: ReportSchema } | undefined;

/**
 * One Ajv instance (all errors, formats) holding the report schema, shared by the figures'
 * validation here and the report's (`src/report/schema.ts`), so a scan reads and compiles the
 * schema once. Throws the file system's or Ajv's error when the shipped schema is unreadable.
 */
export function reportSchema(): { ajv: Ajv2020; schema: ReportSchema } {
  if (!loaded) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const schema = JSON.parse(readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as ReportSchema;
    ajv.addSchema(schema);
    loaded = { ajv, schema };
  }
  return loaded;
}

let byShape: Map<string, ValidateFunction> | undefined;

function validators(): Map<string, ValidateFunction> {
  if (!byShape) {
    const { ajv, schema } = reportSchema();
    byShape = new Map(
      schema.$defs.figure.oneOf.map((s, i) => [s.properties.shape.const, ajv.getSchema(`${schema.$id}#/$defs/figure/oneOf/${i}`)!]),
    );
  }
  return byShape;
}

/**
 * Why `figures` is not a list of valid figures, as one line (`figures[1]/cards/0: must have
 * required property 'title'`); undefined when it is.
 */
export function figuresProblem(figures: unknown): string | undefined {
  if (!Array.isArray(figures)) return 'figures is not a list';
  const shapes = validators();
  for (const [i, f] of figures.entries()) {
    const shape = (f as { shape?: unknown } | null)?.shape;
    const valid = typeof shape === 'string' ? shapes.get(shape) : undefined;
    if (!valid) return `figures[${i}]/shape: must be one of ${[...shapes.keys()].join(', ')}`;
    if (valid(f)) continue;
    const e = valid.errors?.[0];
    return `figures[${i}]${e?.instancePath ?? ''}: ${e?.message ?? 'is not a figure'}`;
  }
  return undefined;
}
