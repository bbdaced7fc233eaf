/**
 * Validation of the figures a check returns (`CheckOutput.figures`) against `$defs/figure` of
 * the report schema (`schema/report-v1.schema.json`), so a plugin's malformed figure is the
 * check's error, named in one line, and never reaches a renderer. A figure is checked against
 * the branch of its `shape`, so the error names what that shape is missing.
 */
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { figureByShape } from './report-validators.generated.js';

/**
 * The validator of each figure `shape` (`$defs/figure` of the report schema), generated at build
 * time by scripts/report-validators.js (Ajv standalone code, all errors, with ajv-formats), in
 * the schema's order.
 */
const shapes = figureByShape as Map<string, ValidateFunction>;

/**
 * Why `figures` is not a list of valid figures, as one line (`figures[1]/cards/0: must have
 * required property 'title'`); undefined when it is.
 */
export function figuresProblem(figures: unknown): string | undefined {
  if (!Array.isArray(figures)) return 'figures is not a list';
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
