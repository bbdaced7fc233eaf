/**
 * The check contract: what a check (built-in or plugin) is written against, and the shapes the
 * engine, the report and the renderers share with it (severities, families, statuses,
 * resources, findings, unknowns).
 *
 * The shapes here mirror the report contract in `schema/report-v1.schema.json`
 * (see docs/report-contract.md). Change them only together with the schema.
 */
import type { Collected, InputKey, InputTypes } from './inputs.js';
import type { Figure } from './figures.js';
import type { ResourceRef } from './resource.js';

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** `--fail-on` accepts a severity or `none` (never NO-GO). */
export type FailOn = Severity | 'none';

/** Check families (docs/checks/README.md lists their checks). */
export const FAMILIES = ['certs', 'etcd', 'versions', 'apis', 'pdb', 'backup', 'rbac'] as const;
export type Family = (typeof FAMILIES)[number];

/** Check statuses, in the order the engine assigns them (docs/architecture.md, "Check statuses"). */
export const CHECK_STATUSES = ['skipped', 'error', 'fail', 'incomplete', 'not-applicable', 'pass'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/**
 * The scan's answer (README, "Statuses, unknowns and the verdict"): `NO-GO` when a finding
 * gates; `INCOMPLETE` when anything selected was not fully assessed; `REPORT-ONLY` with
 * `--fail-on none` (the gate is off: the report is evidence, not a decision); else `GO`.
 */
export type Verdict = 'GO' | 'NO-GO' | 'INCOMPLETE' | 'REPORT-ONLY';

/** A finding as a check's `run` returns it; the engine adds severity, fingerprint, check id. */
export interface RawFinding {
  /** Key of an entry of the check's `rules` table. */
  rule: string;
  resource: ResourceRef;
  /** One or two sentences for a person: what is wrong, with the numbers. */
  message: string;
  /** Facts that support the finding (dates as ISO 8601, units in key names). */
  evidence?: Record<string, unknown>;
  /** Overrides the rule's or the check's remediation with commands for this subject. */
  remediation?: string;
}

/**
 * A subject the check could not assess (a certificate that does not parse, a stale status),
 * or a class of subjects it could not see: the engine adds one per declared input or input
 * part that was not read (`resource` then names the class, e.g. `{ kind: 'StatefulSet',
 * name: '*' }`, and `input` the input key).
 */
export interface Unknown {
  resource: ResourceRef;
  reason: string;
  /** Set on unknowns the engine derived from an unread input or part: the input key. */
  input?: string;
}

/** What `run` returns. */
export interface CheckOutput {
  /** Number of subjects evaluated (certificates, members, nodes, bindings…). */
  evaluated: number;
  findings: RawFinding[];
  unknowns?: Unknown[];
  /** When `evaluated` is 0: why there was nothing to evaluate (status `not-applicable`). */
  notApplicable?: string;
  /**
   * Optional inputs (keys of the check's `optional`) this result did not need: when one was
   * not read, the engine adds no unknown for it, since reading it would not have changed the
   * result (etcd-quorum on a cluster without etcd never judges `/readyz`). Never for an input
   * whose absence the result leans on.
   */
  notNeeded?: string[];
  /** Check-specific data (the tables, fleet and trend read it); plain JSON. */
  details?: Record<string, unknown>;
  /** Data for the report's pictures, by shape (`src/contract/figures.ts`). */
  figures?: Figure[];
}

/** Clock, target and options a check runs with; checks do no I/O and read no clock. */
export interface CheckContext<O> {
  options: O;
  /** `--target-version` as `major.minor` (e.g. `1.31`), if given. */
  targetVersion?: string;
  /** The scan's clock (`--now`, else the time the scan started). */
  now: Date;
  /** `none` with `--no-cluster` (only local files: manifests, PKI, snapshots). */
  source: { type: 'live' | 'dump' | 'none' };
  /** Status of every input the check declared (required and optional). */
  inputs: Record<string, Collected<unknown>>;
}

export interface RuleDefinition {
  /** Short title shown in tables; defaults the finding title. */
  title: string;
  /** Defaults to the check's `defaultSeverity`. */
  severity?: Severity;
  /** Defaults to the check's `remediation`. */
  remediation?: string;
}

export type OptionValue = number | string | boolean | string[];
export type Options = Record<string, OptionValue>;

/** Units an option's number can be in; shown by `explain`, the check pages and option errors. */
export type OptionUnit = 'days' | 'hours' | 'seconds' | 'bytes' | 'percent' | 'bits';

/**
 * What values an option accepts. The engine checks every configured value against it before
 * the check runs (a bad value is a `ConfigError` naming the file, check, option and value);
 * the registry checks that the default satisfies it.
 */
export interface OptionSpec {
  /** `integer` and `number` are finite numbers; `string[]` a list of strings. */
  type: 'integer' | 'number' | 'string' | 'boolean' | 'string[]';
  /** Smallest allowed number (inclusive). */
  min?: number;
  /** Largest allowed number (inclusive). */
  max?: number;
  /** The allowed strings (`type: 'string'`). */
  enum?: readonly string[];
  unit?: OptionUnit;
  /** One line: what the option sets. */
  description: string;
}

/** The spec of every option of a check, by option name. */
export type OptionSchema<O = Options> = { [K in keyof O]: OptionSpec };

/** Value of each required input, and `Collected<T>` of each optional one. */
export type CheckInputs<R extends readonly InputKey[], P extends readonly InputKey[]> = {
  [K in R[number]]: InputTypes[K];
} & { optional: { [K in P[number]]: Collected<InputTypes[K]> } };

/** A check, as written in `checks/<family>/<id>.ts` (docs/writing-a-check.md). */
export interface CheckDefinition<
  R extends readonly InputKey[] = readonly InputKey[],
  P extends readonly InputKey[] = readonly InputKey[],
  O extends Options = Options,
> {
  /** kebab-case, prefixed with the family (`certs-expiry`), equal to the file name. */
  id: string;
  family: Family;
  title: string;
  /** Why the check matters, for `explain` and the report. */
  rationale: string;
  /**
   * What the check reports, with severities and default thresholds, as one Markdown paragraph:
   * the README's table of the family (written by `npm run docs`; checks with the same summary
   * share a row). Optional for plugins.
   */
  summary?: string;
  /** What to do about findings, with real commands. */
  remediation: string;
  /** URLs of the sources of the rules (policy pages, guides). */
  references: string[];
  defaultSeverity: Severity;
  /** The rules findings can carry, by key. */
  rules: Record<string, RuleDefinition>;
  /** Inputs without which the check cannot run (status `error` when not ok/absent). */
  requires: R;
  /**
   * Inputs the check uses when present. One that is not `ok`/`absent`, or that has unread
   * parts, makes the engine add unknowns naming what was not read: the check is then never
   * `pass` (README, "Statuses, unknowns and the verdict").
   */
  optional?: P;
  /**
   * Groups of alternative inputs, each listed in `optional` too: the check is `error` when no
   * input of a group is `ok`/`absent`; when one is, the others of the group are not counted
   * as unread (the check reads whichever is there, and names what it lacks itself).
   */
  requiresAnyOf?: ReadonlyArray<ReadonlyArray<P[number]>>;
  /**
   * Groups of inputs that each feed their own subjects, each listed in `optional` too: the
   * check is `error` when no input of a group is `ok`/`absent` (it can say nothing), and every
   * unread input of the group is still an unknown (the certificates of the TLS Secrets are not
   * judged because the PKI folder was read).
   */
  requiresSomeOf?: ReadonlyArray<ReadonlyArray<P[number]>>;
  defaultOptions: O;
  /**
   * The spec of every option (type, range, allowed strings, unit, description). Without it,
   * a configured value only has to have the default's type (a number ≥ 0 for numbers).
   */
  optionSchema?: OptionSchema<O>;
  /** One line per option, with its unit, for `explain`; for checks without `optionSchema`. */
  optionDocs?: { [K in keyof O]?: string };
  run(inputs: CheckInputs<R, P>, ctx: CheckContext<O>): CheckOutput;
}

/** A registered check: a definition plus where it came from. */
export interface RegisteredCheck {
  def: CheckDefinition;
  /** `builtin` or the plugin's name. */
  origin: string;
  /** File that defined it (for messages). */
  file?: string;
}

const BRAND = Symbol.for('kube-preflight.check');

/**
 * Marks and returns a check definition; input keys and options are typed from the literal.
 * How a check is written (docs/writing-a-check.md):
 *
 * ```ts
 * export default defineCheck({
 *   id: 'versions-kubelet-skew', family: 'versions', title: '…', rationale: '…', remediation: '…',
 *   references: ['https://kubernetes.io/releases/version-skew-policy/'],
 *   defaultSeverity: 'high',
 *   rules: { 'kubelet-too-old': { title: 'kubelet older than the skew policy allows' } },
 *   requires: ['nodes', 'version'],
 *   defaultOptions: {},
 *   run({ nodes, version }, ctx) { return { evaluated: nodes.length, findings: [] }; },
 * });
 * ```
 *
 * The registry validates the metadata when it loads the check (`validateCheck`,
 * src/engine/define-check.ts).
 */
export function defineCheck<
  const R extends readonly InputKey[],
  const P extends readonly InputKey[] = readonly [],
  O extends Options = Record<string, never>,
>(def: CheckDefinition<R, P, O>): CheckDefinition<R, P, O> {
  Object.defineProperty(def, BRAND, { value: true, enumerable: false });
  return Object.freeze(def);
}

/** True for a value returned by `defineCheck`. */
export function isCheck(v: unknown): v is CheckDefinition {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[BRAND] === true;
}
