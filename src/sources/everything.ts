/**
 * Which resources an input that reads everything (`ResourceInputDef.everything`, the
 * `api-usage` input) reads: shared by both sources, the live permission plan and the RBAC
 * the CLI prints, so that all four agree on one rule.
 */
import type { ResourceInputDef } from './input-def.js';

/**
 * Resources an `everything` input never reads, whatever it excludes: events (high-volume,
 * short-lived records that nobody applies from manifests).
 */
const EVERYTHING_SKIPS: ReadonlySet<string> = new Set(['events', 'events.events.k8s.io']);

/** True when the `everything` input `def` reads the resource `name` (`plural[.group]`). */
export function everythingReads(def: ResourceInputDef, name: string): boolean {
  return def.everything !== undefined && !EVERYTHING_SKIPS.has(name) && !def.everything.exclude.includes(name);
}
