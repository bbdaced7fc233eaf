/**
 * Core types shared by the engine, the sources, the checks and the renderers.
 *
 * The shapes here mirror the report contract in `schema/report-v1.schema.json`
 * (see docs/report-contract.md). Change them only together with the schema.
 */
import type { InputKey, InputTypes } from '../sources/input-types.js';

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

/**
 * What a finding or an unknown subject is about: a Kubernetes object, a non-API subject
 * (an etcd member, an RBAC User or Group, the cluster itself), or a file of the dump/PKI dir.
 * `field` narrows it to a place inside the object or file (`data["tls.crt"]#1`,
 * `webhooks[0].clientConfig.caBundle`), so two certificates of one Secret stay distinct.
 */
export type ResourceRef =
  | { apiVersion?: string; kind: string; namespace?: string; name: string; field?: string }
  | { file: string; field?: string };

/** Status of one collected input (docs/architecture.md, "Inputs and their statuses"). */
export type InputStatus = 'ok' | 'absent' | 'missing' | 'forbidden' | 'failed';

/**
 * One input as collected from a source. `value` is set when `status` is `ok` or `absent`
 * (an absent input is an empty value: the CRD is not installed, so none exist).
 */
export interface Collected<T> {
  key: string;
  status: InputStatus;
  value?: T;
  /** Why the input is not `ok`: names the file (and line) or the API request. */
  reason?: string;
  /** Number of objects or files the input holds. */
  count?: number;
  /** Where it came from: dump paths, API paths. */
  sources?: string[];
  /**
   * For an input read from several resources, files or objects: the parts that could not be
   * read (a forbidden resource, a missing file, an object that did not normalize). Set on an
   * `ok` input (its `value` holds what the other parts gave) and on an input that no part
   * could feed. They are unknown subjects, never "none exist": the engine turns each into an
   * unknown of every check that declared the input.
   */
  partial?: InputPart[];
}

/** One part of an input that was not read (README, "Statuses, unknowns and the verdict"). */
export interface InputPart {
  /** What was not read: a resource (`statefulsets.apps`), a dump path, or `file#object`. */
  source: string;
  /** `missing`, `forbidden` or `failed`; never `ok` or `absent`. */
  status: InputStatus;
  /** Why, naming the file (and line) or the request. */
  reason: string;
  /** The class of subjects left unjudged, for a person: "StatefulSets", "Helm releases stored in ConfigMaps", "Pod prod/web-1". */
  subjects: string;
  /**
   * The subjects as a report resource: `{ apiVersion, kind, name: '*' }` (plus `namespace`
   * when the input's selection has one) for a whole resource; the object's own
   * `{ apiVersion, kind, namespace?, name }` for one object; `{ file }` for a file.
   */
  resource: ResourceRef;
}

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
  /** Check-specific data for renderers (timelines, member tables, drain plans); plain JSON. */
  details?: Record<string, unknown>;
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

/** Thrown by a check for a configuration problem (e.g. a target version older than the cluster). */
export class CheckError extends Error {
  override name = 'CheckError';
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
  /** One line per option, with its unit, for `explain`. */
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
