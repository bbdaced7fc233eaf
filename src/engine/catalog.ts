/**
 * A check's entry in the check catalog, the document `Registry.catalogVersion` digests. Built-in
 * checks' entries are computed at build time into the generated index of built-in checks
 * (scripts/checks-index.js), so that a scan digests the whole catalog without importing the
 * checks it does not run.
 */
import type { CheckDefinition } from '../contract/check.js';

/** What the catalog digest covers of one check: id, origin, rule severities, inputs, option defaults. */
export interface CatalogEntry {
  id: string;
  origin: string;
  defaultSeverity: string;
  /** `[rule, severity]` pairs, in the check's rule order (a rule without a severity has the check's). */
  rules: Array<[string, string]>;
  requires: readonly string[];
  optional: readonly string[];
  defaultOptions: Record<string, unknown>;
}

/** The catalog entry of `def`, registered from `origin` (`builtin`, or `<plugin>@<version>`). */
export function catalogEntry(def: CheckDefinition, origin: string): CatalogEntry {
  return {
    id: def.id,
    origin,
    defaultSeverity: def.defaultSeverity,
    rules: Object.entries(def.rules).map(([k, r]) => [k, r.severity ?? def.defaultSeverity]),
    requires: def.requires,
    optional: def.optional ?? [],
    defaultOptions: def.defaultOptions,
  };
}

/** A built-in check in the generated index (src/engine/builtin-checks.generated.ts). */
export interface BuiltinCheck {
  /** The file name without `.ts`: the check's id. */
  id: string;
  /** The folder under `checks/`: the check's family. */
  family: string;
  /** Its catalog entry, computed from the definition at build time. */
  catalog: CatalogEntry;
  /** Imports the check's module (its own chunk in the bundled CLI). */
  load: () => Promise<{ default?: unknown }>;
}
