/**
 * The package's public API, for plugins and programmatic use.
 */
export { defineCheck } from './engine/define-check.js';
export { CheckError } from './engine/types.js';
export type {
  CheckContext,
  CheckDefinition,
  CheckOutput,
  Collected,
  Family,
  RawFinding,
  ResourceRef,
  Severity,
  Unknown,
} from './engine/types.js';
export type { InputTypes, InputKey } from './sources/input-types.js';
export type { Report, Finding, CheckResult } from './report/model.js';
export { runFixtureCase, listFixtureCases, type FixtureCase, type FixtureOutcome } from './testing/fixtures.js';
