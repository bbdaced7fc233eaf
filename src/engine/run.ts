/**
 * The runner: gives each check its declared inputs, isolates its failures, and assigns its
 * status in this order (docs/architecture.md, "Check statuses"):
 * `skipped` → `error` → `fail` → `incomplete` → `not-applicable` → `pass`.
 * A check never says "pass" itself.
 */
import { performance } from 'node:perf_hooks';
import type { SourceInfo } from '../sources/source.js';
import { fingerprint, resourceIdentity } from '../k8s/fingerprint.js';
import type { CheckResult, Finding } from '../contract/report.js';
import type { Config } from './config.js';
import { figuresProblem } from './figures.js';
import { optionProblem } from './options.js';
import { CheckError, InternalError } from '../contract/errors.js';
import {
  SEVERITIES,
  type CheckContext,
  type CheckOutput,
  type Options,
  type RegisteredCheck,
  type Severity,
  type Unknown,
} from '../contract/check.js';
import type { Collected } from '../contract/inputs.js';
import type { ResourceRef } from '../contract/resource.js';
import { inputDef } from '../sources/inputs.js';
import { apiVersionOf } from '../sources/input-def.js';

export interface RunOptions {
  now: Date;
  targetVersion?: string;
  source: { type: SourceInfo['type'] };
  config: Config;
  /** Called with an unexpected exception of a check (for `--debug`). */
  onCrash?: (checkId: string, error: unknown) => void;
}

export interface RunResult {
  checks: CheckResult[];
  findings: Finding[];
}

const zeroCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** Runs the selected checks; `skipped` ones are listed with their reason. Never throws. */
export function runChecks(
  selected: RegisteredCheck[],
  skipped: Array<{ check: RegisteredCheck; reason: string }>,
  inputs: ReadonlyMap<string, Collected<unknown>>,
  opts: RunOptions,
): RunResult {
  const checks: CheckResult[] = [];
  const findings: Finding[] = [];
  for (const { check, reason } of skipped) checks.push(base(check, 'skipped', reason));
  for (const check of selected) {
    const cfg = opts.config.checks[check.def.id];
    if (cfg?.enabled === false) {
      checks.push(base(check, 'skipped', `disabled in ${opts.config.file ?? 'the config'}`));
      continue;
    }
    const r = runOne(check, inputs, opts);
    checks.push(r.result);
    findings.push(...r.findings);
  }
  return { checks, findings: sortFindings(findings) };
}

function base(check: RegisteredCheck, status: CheckResult['status'], reason?: string): CheckResult {
  const r: CheckResult = {
    id: check.def.id,
    family: check.def.family,
    title: check.def.title,
    status,
    evaluated: 0,
    durationMs: 0,
    findings: zeroCounts(),
    unknowns: [],
    origin: check.origin,
  };
  if (reason !== undefined) r.reason = reason;
  return r;
}

function runOne(
  check: RegisteredCheck,
  inputs: ReadonlyMap<string, Collected<unknown>>,
  opts: RunOptions,
): { result: CheckResult; findings: Finding[] } {
  const def = check.def;
  const cfg = opts.config.checks[def.id] ?? {};
  const declared: Record<string, Collected<unknown>> = {};
  const values: Record<string, unknown> = {};
  const optional: Record<string, Collected<unknown>> = {};
  const problems: string[] = [];
  for (const key of def.requires) {
    const c = inputs.get(key) ?? { key, status: 'missing' as const, reason: 'not collected' };
    declared[key] = c;
    if (usable(c)) values[key] = c.value;
    else problems.push(`input ${key} is ${c.status}${c.reason ? `: ${c.reason}` : ''}`);
  }
  for (const key of def.optional ?? []) {
    const c = inputs.get(key) ?? { key, status: 'missing' as const, reason: 'not collected' };
    declared[key] = c;
    optional[key] = c;
  }
  // Alternatives (`requiresAnyOf`): one readable input of each group is enough, the others
  // are not gaps. `requiresSomeOf`: one readable input is needed, the others stay gaps.
  const alternatives = new Set<string>();
  const inputState = (k: string): string =>
    `${k} is ${declared[k]?.status ?? 'missing'}${declared[k]?.reason ? `: ${declared[k].reason}` : ''}`;
  for (const [group, alt] of [
    ...(def.requiresAnyOf ?? []).map((g) => [g, true] as const),
    ...(def.requiresSomeOf ?? []).map((g) => [g, false] as const),
  ]) {
    if (group.some((k) => usable(declared[k]))) {
      if (alt) for (const k of group) if (!usable(declared[k])) alternatives.add(k);
    } else {
      problems.push(`none of the inputs ${group.join(', ')} could be read (${group.map(inputState).join('; ')})`);
    }
  }
  if (problems.length > 0) return { result: base(check, 'error', problems.join('; ')), findings: [] };

  const options: Options = { ...def.defaultOptions, ...(cfg.options ?? {}) };
  for (const [k, v] of Object.entries(options)) {
    const p = optionProblem(def, k, v);
    if (p) return { result: base(check, 'error', `option ${k}: ${p}`), findings: [] };
  }
  const ctx: CheckContext<Options> = {
    options,
    targetVersion: opts.targetVersion,
    now: new Date(opts.now.getTime()),
    source: opts.source,
    inputs: declared,
  };
  const start = performance.now();
  let out: CheckOutput;
  try {
    out = def.run({ ...values, optional } as never, ctx);
  } catch (e) {
    const durationMs = Math.round(performance.now() - start);
    if (!(e instanceof CheckError)) opts.onCrash?.(def.id, e);
    const msg = e instanceof CheckError ? e.message : new InternalError('the check', e).message;
    return { result: { ...base(check, 'error', msg), durationMs }, findings: [] };
  }
  const durationMs = Math.round(performance.now() - start);
  const bad = outputProblem(out, def.rules, def.optional ?? []);
  if (bad) return { result: { ...base(check, 'error', new InternalError('the check', bad).message), durationMs }, findings: [] };

  const findings: Finding[] = out.findings.map((f) => {
    const rule = def.rules[f.rule]!;
    return {
      checkId: def.id,
      rule: f.rule,
      severity: cfg.rules?.[f.rule] ?? cfg.severity ?? rule.severity ?? def.defaultSeverity,
      title: rule.title,
      message: f.message,
      resource: f.resource,
      evidence: f.evidence ?? {},
      remediation: f.remediation ?? rule.remediation ?? def.remediation,
      references: [...def.references],
      fingerprint: fingerprint(def.id, f.rule, f.resource),
    };
  });
  // A check's own unknown about a subject the engine would also name keeps its (more specific)
  // reason and gains the input key.
  // Two inputs may leave the same subjects unread (Secrets hold Helm releases and TLS
  // certificates): one engine unknown per input and subject, grouped by subject.
  const unread = new Map<string, Unknown[]>();
  const notNeeded = new Set(out.notNeeded ?? []);
  for (const u of unreadUnknowns(def, declared, alternatives, opts.source.type)) {
    if (u.input !== undefined && notNeeded.has(u.input)) continue;
    const id = resourceIdentity(u.resource);
    const group = unread.get(id) ?? [];
    if (!group.some((g) => g.input === u.input)) group.push(u);
    unread.set(id, group);
  }
  const own = (out.unknowns ?? []).map((u) => {
    const id = resourceIdentity(u.resource);
    const same = unread.get(id);
    if (!same) return u;
    unread.delete(id);
    return u.input === undefined ? { ...u, input: same[0]!.input } : u;
  });
  const unknowns = [...own, ...[...unread.values()].flat()].sort(
    (a, b) => cmp(resourceIdentity(a.resource), resourceIdentity(b.resource)) || cmp(a.reason, b.reason),
  );
  const counts = zeroCounts();
  for (const f of findings) counts[f.severity]++;
  let status: CheckResult['status'];
  let reason: string | undefined;
  if (findings.length > 0) {
    status = 'fail';
    if (unknowns.length > 0) reason = notAssessedReason(unknowns);
  } else if (unknowns.length > 0) {
    status = 'incomplete';
    reason = notAssessedReason(unknowns);
  } else if (out.evaluated === 0) {
    status = 'not-applicable';
    reason = out.notApplicable ?? 'nothing to evaluate';
  } else status = 'pass';
  const result: CheckResult = { ...base(check, status, reason), evaluated: out.evaluated, durationMs, findings: counts, unknowns };
  if (out.details !== undefined) result.details = out.details;
  if (out.figures !== undefined && out.figures.length > 0) result.figures = out.figures;
  return { result, findings };
}

const usable = (c: Collected<unknown> | undefined): boolean => c !== undefined && (c.status === 'ok' || c.status === 'absent');

/**
 * The unknowns the engine adds to a check (docs/architecture.md, "Partial inputs and unknowns"): one per unread part of a declared
 * input (`Collected.partial`), and for an optional input that was not read at all and lists
 * no parts, one naming the input's subjects (its resources as `{ kind, name: '*' }`, or its
 * first dump path). Required inputs that were not read put the check in `error` instead, and
 * the unread members of a satisfied `requiresAnyOf` group are left out. In a `--no-cluster`
 * scan (`sourceType` `none`) the cluster is out of scope: an optional input that only a
 * cluster or dump can give (no `fromOptions` file input) is not counted.
 */
export function unreadUnknowns(
  def: Pick<RegisteredCheck['def'], 'requires' | 'optional'>,
  declared: Record<string, Collected<unknown>>,
  alternatives: ReadonlySet<string> = new Set(),
  sourceType: CheckContext<unknown>['source']['type'] = 'dump',
): Unknown[] {
  const out: Unknown[] = [];
  for (const key of [...def.requires, ...(def.optional ?? [])]) {
    const c = declared[key];
    if (!c || alternatives.has(key)) continue;
    if (sourceType === 'none' && !def.requires.includes(key)) {
      const d = inputDef(key);
      if (!(d?.type === 'files' && d.fromOptions)) continue;
    }
    if (c.partial && c.partial.length > 0) {
      for (const p of c.partial)
        out.push({ resource: p.resource, reason: `${p.subjects}: ${p.status}${p.reason ? ` (${p.reason})` : ''}`, input: key });
      continue;
    }
    if (usable(c)) continue;
    const why = `${c.status}${c.reason ? ` (${c.reason})` : ''}`;
    const d = inputDef(key);
    if (d?.type === 'resources' && d.resources.length > 0) {
      for (const r of d.resources) {
        const resource: ResourceRef = { apiVersion: apiVersionOf(r), kind: r.kind, name: '*' };
        if (d.select?.namespace) resource.namespace = d.select.namespace;
        out.push({ resource, reason: `${d.description}: ${why}`, input: key });
      }
    } else {
      const resource: ResourceRef = d?.type === 'files' && d.files[0] ? { file: d.files[0] } : { kind: 'Input', name: key };
      out.push({ resource, reason: `${d?.description ?? `input ${key}`}: ${why}`, input: key });
    }
  }
  return out;
}

/** `n subject(s) not assessed: <first reasons>` for a check's `reason`. */
function notAssessedReason(unknowns: Unknown[]): string {
  const first = [...new Set(unknowns.map((u) => u.reason))].slice(0, 2);
  const more = unknowns.length - first.length;
  return (
    `${unknowns.length} subject${unknowns.length === 1 ? '' : 's'} not assessed: ` +
    `${first.join('; ')}${more > 0 ? `; +${more} more` : ''}`
  );
}

/* eslint-disable @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-unnecessary-type-conversion --
   checks written in JavaScript reach here: the output is checked for the shape its type only promises */
function outputProblem(out: CheckOutput, rules: Record<string, unknown>, optional: readonly string[]): string | undefined {
  if (!out || typeof out !== 'object') return 'run() did not return an object';
  if (typeof out.evaluated !== 'number' || !Number.isInteger(out.evaluated) || out.evaluated < 0) return 'evaluated is not a count';
  if (!Array.isArray(out.findings)) return 'findings is not a list';
  for (const f of out.findings) {
    if (!(f.rule in rules)) return `finding with unknown rule "${String(f.rule)}"`;
    if (!validResource(f.resource)) return `finding "${f.rule}" has an invalid resource`;
    if (typeof f.message !== 'string' || f.message === '') return `finding "${f.rule}" has no message`;
  }
  for (const u of out.unknowns ?? []) if (!validResource(u.resource) || !u.reason) return 'unknown subject without resource or reason';
  if (out.notNeeded !== undefined && !Array.isArray(out.notNeeded)) return 'notNeeded is not a list';
  for (const k of out.notNeeded ?? []) if (!optional.includes(k)) return `notNeeded names "${String(k)}", not one of the optional inputs`;
  if (out.figures !== undefined) return figuresProblem(out.figures);
  return undefined;
}
/* eslint-enable @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-unnecessary-type-conversion */

function validResource(r: ResourceRef | undefined): boolean {
  if (!r || typeof r !== 'object') return false;
  if ('file' in r) return typeof r.file === 'string' && r.file !== '';
  return typeof r.kind === 'string' && r.kind !== '' && typeof r.name === 'string';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic order: severity (critical first), check, resource, rule. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      cmp(a.checkId, b.checkId) ||
      cmp(resourceIdentity(a.resource), resourceIdentity(b.resource)) ||
      cmp(a.rule, b.rule) ||
      cmp(a.fingerprint, b.fingerprint),
  );
}
