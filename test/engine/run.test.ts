/**
 * The runner assigns statuses in the documented order (docs/architecture.md), isolates failing checks, applies config
 * overrides, and orders findings deterministically; the verdict follows the exit-code contract.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, type Config } from '../../src/engine/config.js';
import { defineCheck, type CheckOutput, type RegisteredCheck, type FailOn } from '../../src/contract/check.js';
import { runChecks } from '../../src/engine/run.js';
import { computeVerdict, EXIT_CODES } from '../../src/engine/verdict.js';
import { CheckError } from '../../src/contract/errors.js';
import type { Collected } from '../../src/contract/inputs.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import { groupProblems } from '../../src/report/problems.js';
import type { CheckResult, Finding } from '../../src/contract/report.js';

/** The verdict with the problems the report builder groups first. */
const verdictOf = (checks: CheckResult[], findings: Finding[], failOn: FailOn) =>
  computeVerdict(checks, findings, failOn, groupProblems(findings, checks, failOn));

const node = (name: string): NodeInfo => ({
  name,
  labels: {},
  roles: [],
  unschedulable: false,
  taints: [],
  ready: 'True',
  allocatable: {},
});

function check(
  id: string,
  run: (nodes: NodeInfo[]) => CheckOutput,
  extra: Partial<{ optional: ['version']; defaultOptions: Record<string, number> }> = {},
): RegisteredCheck {
  const def = defineCheck({
    id,
    family: 'versions',
    title: id,
    rationale: 'r',
    remediation: 'fix it',
    references: ['https://example.com'],
    defaultSeverity: 'high',
    rules: { a: { title: 'rule a' }, b: { title: 'rule b', severity: 'low', remediation: 'rule b fix' } },
    requires: ['nodes'],
    optional: extra.optional,
    defaultOptions: extra.defaultOptions ?? {},
    run: ({ nodes }) => run(nodes),
  });
  return { def: def, origin: 'builtin' };
}

const inputs = (nodes: Collected<unknown>): Map<string, Collected<unknown>> => new Map([['nodes', nodes]]);
const ok = inputs({ key: 'nodes', status: 'ok', value: [node('n1'), node('n2')] });
const opts = { now: new Date('2026-11-23T07:00:00Z'), source: { type: 'dump' as const }, config: EMPTY_CONFIG };
const finding = (rule: string, name: string) => ({ rule, resource: { apiVersion: 'v1', kind: 'Node', name }, message: `m ${name}` });

describe('runChecks statuses', () => {
  it('assigns pass, fail, incomplete and not-applicable from the output', () => {
    const r = runChecks(
      [
        check('versions-p', (n) => ({ evaluated: n.length, findings: [] })),
        check('versions-f', (n) => ({
          evaluated: n.length,
          findings: [finding('a', 'n1')],
          unknowns: [{ resource: { kind: 'Node', name: 'n2' }, reason: 'x' }],
        })),
        check('versions-i', (n) => ({
          evaluated: n.length,
          findings: [],
          unknowns: [{ resource: { kind: 'Node', name: 'n2' }, reason: 'unparseable' }],
        })),
        check('versions-na', () => ({ evaluated: 0, findings: [], notApplicable: 'managed control plane' })),
        check('versions-na2', () => ({ evaluated: 0, findings: [] })),
      ],
      [],
      ok,
      opts,
    );
    expect(r.checks.map((c) => [c.id, c.status, c.reason])).toEqual([
      ['versions-p', 'pass', undefined],
      ['versions-f', 'fail', '1 subject not assessed: x'],
      ['versions-i', 'incomplete', '1 subject not assessed: unparseable'],
      ['versions-na', 'not-applicable', 'managed control plane'],
      ['versions-na2', 'not-applicable', 'nothing to evaluate'],
    ]);
  });

  it('is error when a required input is not ok, and runs on an absent one', () => {
    const c = check('versions-x', (n) => ({ evaluated: n.length + 1, findings: [] }));
    for (const status of ['missing', 'forbidden', 'failed'] as const) {
      const r = runChecks([c], [], inputs({ key: 'nodes', status, reason: 'because' }), opts);
      expect(r.checks[0]).toMatchObject({ status: 'error', reason: `input nodes is ${status}: because` });
    }
    const absent = runChecks([c], [], inputs({ key: 'nodes', status: 'absent', value: [] }), opts);
    expect(absent.checks[0]!.status).toBe('pass');
  });

  it('isolates a throwing check; a CheckError keeps its message', () => {
    const crashed: string[] = [];
    const r = runChecks(
      [
        check('versions-boom', () => {
          throw new TypeError('x is undefined');
        }),
        check('versions-config', () => {
          throw new CheckError('target 1.25 is older than the cluster (1.26.4)');
        }),
        check('versions-after', (n) => ({ evaluated: n.length, findings: [] })),
      ],
      [],
      ok,
      { ...opts, onCrash: (id) => crashed.push(id) },
    );
    expect(r.checks.map((c) => [c.status, c.reason])).toEqual([
      ['error', 'internal error (KP_INTERNAL) in the check: x is undefined'],
      ['error', 'target 1.25 is older than the cluster (1.26.4)'],
      ['pass', undefined],
    ]);
    expect(crashed).toEqual(['versions-boom']);
  });

  it('rejects output with an unknown rule or a bad resource', () => {
    const r = runChecks(
      [
        check('versions-u', () => ({ evaluated: 1, findings: [finding('zzz', 'n1')] })),
        check('versions-v', () => ({ evaluated: 1, findings: [{ rule: 'a', resource: { kind: '', name: 'x' }, message: 'm' }] })),
      ],
      [],
      ok,
      opts,
    );
    expect(r.checks.map((c) => c.reason)).toEqual([
      'internal error (KP_INTERNAL) in the check: finding with unknown rule "zzz"',
      'internal error (KP_INTERNAL) in the check: finding "a" has an invalid resource',
    ]);
    expect(r.findings).toEqual([]);
  });

  it('adds no unknown for an unread optional input the result did not need, and refuses a notNeeded that is not optional', () => {
    const withVersionMissing = new Map<string, Collected<unknown>>([
      ...ok,
      ['version', { key: 'version', status: 'missing', reason: 'not in the dump' }],
    ]);
    const na = { evaluated: 0, findings: [], notApplicable: 'no etcd' };
    const r = runChecks(
      [
        check('versions-counted', () => na, { optional: ['version'] }),
        check('versions-not-needed', () => ({ ...na, notNeeded: ['version'] }), { optional: ['version'] }),
        check('versions-required', () => ({ ...na, notNeeded: ['nodes'] }), { optional: ['version'] }),
        check('versions-not-a-list', () => ({ ...na, notNeeded: 'version' as unknown as string[] }), { optional: ['version'] }),
      ],
      [],
      withVersionMissing,
      opts,
    );
    expect(r.checks.map((c) => [c.id, c.status])).toEqual([
      ['versions-counted', 'incomplete'],
      ['versions-not-needed', 'not-applicable'],
      ['versions-required', 'error'],
      ['versions-not-a-list', 'error'],
    ]);
    expect(r.checks[0]!.unknowns.map((u) => u.input)).toEqual(['version']);
    expect(r.checks[1]!.unknowns).toEqual([]);
    expect(r.checks[1]!.reason).toBe('no etcd');
    expect(r.checks[2]!.reason).toBe('internal error (KP_INTERNAL) in the check: notNeeded names "nodes", not one of the optional inputs');
    expect(r.checks[3]!.reason).toBe('internal error (KP_INTERNAL) in the check: notNeeded is not a list');
  });

  it('keeps valid figures, leaves an empty list out, and refuses a malformed figure in one line', () => {
    const cards = {
      shape: 'cards',
      key: 'nodes',
      title: 'Nodes',
      caption: 'Nodes.',
      items: 'nodes',
      cards: [{ key: 'n1', title: 'n1', facts: [] }],
    };
    const r = runChecks(
      [
        check('versions-f', () => ({ evaluated: 1, findings: [], figures: [cards as never] })),
        check('versions-g', () => ({ evaluated: 1, findings: [], figures: [] })),
        check('versions-h', () => ({
          evaluated: 1,
          findings: [],
          figures: [cards, { ...cards, cards: [{ key: 'n1', facts: [] }] }] as never,
        })),
        check('versions-i', () => ({ evaluated: 1, findings: [], figures: [{ ...cards, shape: 'pie' }] as never })),
        check('versions-j', () => ({ evaluated: 1, findings: [], figures: cards as never })),
      ],
      [],
      ok,
      opts,
    );
    expect(r.checks.map((c) => [c.status, c.reason, c.figures])).toEqual([
      ['pass', undefined, [cards]],
      ['pass', undefined, undefined],
      ['error', "internal error (KP_INTERNAL) in the check: figures[1]/cards/0: must have required property 'title'", undefined],
      [
        'error',
        'internal error (KP_INTERNAL) in the check: figures[0]/shape: must be one of timeline, ages, cards, plan, matrix',
        undefined,
      ],
      ['error', 'internal error (KP_INTERNAL) in the check: figures is not a list', undefined],
    ]);
  });

  it('lists skipped checks and config-disabled ones as skipped', () => {
    const c1 = check('versions-a', (n) => ({ evaluated: n.length, findings: [] }));
    const c2 = check('versions-b', (n) => ({ evaluated: n.length, findings: [] }));
    const config: Config = { file: 'kp.yaml', checks: { 'versions-b': { enabled: false } } };
    const r = runChecks([c2], [{ check: c1, reason: 'skipped with --skip' }], ok, { ...opts, config });
    expect(r.checks.map((c) => [c.id, c.status, c.reason])).toEqual([
      ['versions-a', 'skipped', 'skipped with --skip'],
      ['versions-b', 'skipped', 'disabled in kp.yaml'],
    ]);
  });
});

describe('runChecks findings', () => {
  it('fills severity (config rule > config check > rule > default), remediation, references and fingerprints', () => {
    const c = check('versions-s', () => ({ evaluated: 2, findings: [finding('a', 'n1'), finding('b', 'n2')] }));
    const plain = runChecks([c], [], ok, opts);
    expect(plain.findings.map((f) => [f.rule, f.severity, f.remediation])).toEqual([
      ['a', 'high', 'fix it'],
      ['b', 'low', 'rule b fix'],
    ]);
    expect(plain.findings[0]!.fingerprint).toMatch(/^[0-9a-f]{24}$/);
    expect(plain.findings[0]!.references).toEqual(['https://example.com']);
    const config: Config = { checks: { 'versions-s': { severity: 'medium', rules: { b: 'critical' } } } };
    const over = runChecks([c], [], ok, { ...opts, config });
    expect(over.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['b', 'critical'],
      ['a', 'medium'],
    ]);
    expect(over.checks[0]!.findings).toEqual({ critical: 1, high: 0, medium: 1, low: 0, info: 0 });
    // fingerprints depend on check, rule and resource only
    expect(over.findings.find((f) => f.rule === 'a')!.fingerprint).toBe(plain.findings[0]!.fingerprint);
  });

  it('orders findings by severity, check, resource and rule whatever the emission order', () => {
    const c = check('versions-o', () => ({ evaluated: 3, findings: [finding('b', 'z'), finding('a', 'y'), finding('a', 'x')] }));
    const r = runChecks([c], [], ok, opts);
    expect(r.findings.map((f) => `${f.severity}:${'name' in f.resource ? f.resource.name : ''}`)).toEqual(['high:x', 'high:y', 'low:z']);
  });

  it('passes merged options and rejects a wrongly typed one', () => {
    let seen: unknown;
    const c: RegisteredCheck = {
      ...check('versions-opt', () => ({ evaluated: 1, findings: [] }), { defaultOptions: { warnDays: 30 } }),
    };
    const def = { ...c.def, run: (_i: unknown, ctx: { options: unknown }) => ((seen = ctx.options), { evaluated: 1, findings: [] }) };
    const rc = { ...c, def: def as RegisteredCheck['def'] };
    runChecks([rc], [], ok, { ...opts, config: { checks: { 'versions-opt': { options: { warnDays: 45 } } } } });
    expect(seen).toEqual({ warnDays: 45 });
    const bad = runChecks([rc], [], ok, { ...opts, config: { checks: { 'versions-opt': { options: { warnDays: 'soon' } } } } });
    expect(bad.checks[0]).toMatchObject({ status: 'error', reason: 'option warnDays: got "soon", expected a number ≥ 0' });
  });
});

describe('computeVerdict', () => {
  const c = check('versions-v', () => ({ evaluated: 1, findings: [finding('a', 'n1'), finding('b', 'n2')] }));
  const r = runChecks([c], [], ok, opts);

  it('is NO-GO at or above --fail-on, GO below it, and REPORT-ONLY with none', () => {
    expect(verdictOf(r.checks, r.findings, 'high').verdict).toBe('NO-GO');
    expect(verdictOf(r.checks, r.findings, 'critical')).toEqual({
      verdict: 'GO',
      reason: 'All 1 selected check fully assessed; no finding at or above critical (2 below it).',
    });
    expect(verdictOf(r.checks, r.findings, 'none').verdict).toBe('REPORT-ONLY');
    expect(verdictOf(r.checks, r.findings, 'low').reason).toBe(
      '2 problems (2 findings at or above low) must be fixed or waived: rule a: Node n1; rule b: Node n2.',
    );
  });

  it('ignores waived findings and baseline ones', () => {
    const waived = r.findings.map((f) => ({ ...f, waiver: { reason: 'r', owner: 'o', expires: '2027-01-01' } }));
    expect(verdictOf(r.checks, waived, 'low').verdict).toBe('GO');
    const old = r.findings.map((f) => ({ ...f, baseline: 'existing' as const }));
    expect(verdictOf(r.checks, old, 'low').verdict).toBe('GO');
  });

  it('is INCOMPLETE when a check errored and nothing blocks', () => {
    const e = runChecks([c], [], inputs({ key: 'nodes', status: 'forbidden', reason: '403' }), opts);
    const v = verdictOf([...r.checks, ...e.checks], r.findings, 'critical');
    expect(v.verdict).toBe('INCOMPLETE');
    expect(v.reason).toBe(
      'No finding at or above critical; 2 findings below it, but 1 check could not be fully assessed: versions-v (error).',
    );
    expect(EXIT_CODES).toEqual({ GO: 0, 'NO-GO': 1, INCOMPLETE: 3, 'REPORT-ONLY': 0 });
  });
});
