/**
 * Option schemas: a configured value outside a check's `optionSchema` is a one-line
 * `ConfigError` naming the file, line, check, option and value; a check without configured
 * options runs with its defaults; a schema its defaults do not fit is refused at load.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { ConfigError } from '../../src/contract/errors.js';
import { defineCheck, type CheckContext, type Options } from '../../src/contract/check.js';
import { runChecks } from '../../src/engine/run.js';
import { describeOption, optionProblem, optionSchemaProblems } from '../../src/engine/options.js';
import { validateCheck } from '../../src/engine/define-check.js';
import type { NodeInfo } from '../../src/contract/values/core.js';

let seen: Options | undefined;
const def = defineCheck({
  id: 'etcd-demo',
  family: 'etcd',
  title: 't',
  rationale: 'r',
  remediation: 'm',
  references: ['https://etcd.io/docs/v3.5/op-guide/maintenance/'],
  defaultSeverity: 'high',
  rules: { full: { title: 'full' } },
  requires: ['nodes'],
  defaultOptions: { warnPercent: 80, quotaBytes: 2147483648, mode: 'auto', skip: [] as string[], strict: false },
  optionSchema: {
    warnPercent: { type: 'number', min: 1, max: 100, unit: 'percent', description: 'share of the quota that is flagged' },
    quotaBytes: { type: 'integer', min: 1, unit: 'bytes', description: 'space quota' },
    mode: { type: 'string', enum: ['auto', 'kubeadm', 'k3s'], description: 'how members are found' },
    skip: { type: 'string[]', description: 'members not judged' },
    strict: { type: 'boolean', description: 'flag learners too' },
  },
  run: (_inputs: unknown, ctx: CheckContext<Options>) => {
    seen = ctx.options;
    return { evaluated: 1, findings: [] };
  },
});
const registry = new Registry([{ def, origin: 'builtin' }]);
const config = (options: string): string => `checks:\n  etcd-demo:\n    options:\n${options}`;

describe('option schemas in --config', () => {
  it.each([
    [
      '      warnPercent: 150\n',
      'config kp.yaml:4: checks.etcd-demo.options.warnPercent: got 150, expected a number from 1 to 100 (percent)',
    ],
    [
      '      warnPercent: "80"\n',
      'config kp.yaml:4: checks.etcd-demo.options.warnPercent: got "80", expected a number from 1 to 100 (percent)',
    ],
    ['      quotaBytes: 1.5\n', 'config kp.yaml:4: checks.etcd-demo.options.quotaBytes: got 1.5, expected an integer ≥ 1 (bytes)'],
    ['      quotaBytes: 0\n', 'config kp.yaml:4: checks.etcd-demo.options.quotaBytes: got 0, expected an integer ≥ 1 (bytes)'],
    ['      mode: openshift\n', 'config kp.yaml:4: checks.etcd-demo.options.mode: got "openshift", expected one of auto, kubeadm, k3s'],
    ['      skip: [a, 1]\n', 'config kp.yaml:4: checks.etcd-demo.options.skip: got ["a",1], expected a list of strings'],
    ['      strict: "yes"\n', 'config kp.yaml:4: checks.etcd-demo.options.strict: got "yes", expected true or false'],
  ])('refuses %j with one line', (options, message) => {
    const parse = (): unknown => parseConfig(config(options), 'kp.yaml', registry);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(new ConfigError(message));
  });

  it('accepts values inside the schema, bounds included', () => {
    const c = parseConfig(
      config('      warnPercent: 100\n      quotaBytes: 1\n      mode: k3s\n      skip: [etcd-0]\n'),
      'kp.yaml',
      registry,
    );
    expect(c.checks['etcd-demo']?.options).toEqual({ warnPercent: 100, quotaBytes: 1, mode: 'k3s', skip: ['etcd-0'] });
  });

  it('validates the migrated built-in schemas (etcd-alarms-space, rbac-cluster-admins)', async () => {
    const builtins = new Registry(await loadBuiltinChecks());
    expect(() => parseConfig('checks:\n  etcd-alarms-space:\n    options:\n      quotaWarnPercent: 120\n', 'kp.yaml', builtins)).toThrow(
      new ConfigError(
        'config kp.yaml:4: checks.etcd-alarms-space.options.quotaWarnPercent: got 120, expected a number from 0 to 100 (percent)',
      ),
    );
    expect(() =>
      parseConfig('checks:\n  rbac-cluster-admins:\n    options:\n      distribution: openshift\n', 'kp.yaml', builtins),
    ).toThrow(
      new ConfigError(
        'config kp.yaml:4: checks.rbac-cluster-admins.options.distribution: got "openshift", expected one of auto, upstream, kubeadm, kind, k3s, eks',
      ),
    );
    expect(() => parseConfig('checks:\n  pdb-drain-plan:\n    options:\n      maxParallelDrains: 0\n', 'kp.yaml', builtins)).toThrow(
      new ConfigError('config kp.yaml:4: checks.pdb-drain-plan.options.maxParallelDrains: got 0, expected an integer ≥ 1'),
    );
  });
});

describe('option schemas in the engine', () => {
  const node: NodeInfo = { name: 'n1', labels: {}, roles: [], unschedulable: false, taints: [], ready: 'True', allocatable: {} };
  const inputs = new Map([['nodes', { key: 'nodes', status: 'ok' as const, value: [node] }]]);
  const opts = { now: new Date('2026-11-23T07:00:00Z'), source: { type: 'dump' as const } };

  it('runs a check with its defaults, and with configured values over them', () => {
    seen = undefined;
    runChecks([{ def, origin: 'builtin' }], [], inputs, { ...opts, config: { checks: {} } });
    expect(seen).toEqual({ warnPercent: 80, quotaBytes: 2147483648, mode: 'auto', skip: [], strict: false });
    runChecks([{ def, origin: 'builtin' }], [], inputs, { ...opts, config: { checks: { 'etcd-demo': { options: { mode: 'k3s' } } } } });
    expect(seen).toEqual({ warnPercent: 80, quotaBytes: 2147483648, mode: 'k3s', skip: [], strict: false });
  });

  it('does not run a check with a value outside its schema (config built without the reader)', () => {
    seen = undefined;
    const r = runChecks([{ def, origin: 'builtin' }], [], inputs, {
      ...opts,
      config: { checks: { 'etcd-demo': { options: { warnPercent: -5 } } } },
    });
    expect(seen).toBeUndefined();
    expect(r.checks[0]).toMatchObject({ status: 'error', reason: 'option warnPercent: got -5, expected a number from 1 to 100 (percent)' });
  });
});

describe('option schemas at load', () => {
  it('refuses a schema that misses an option, names an unknown one or that its default does not fit', () => {
    const bad = {
      defaultOptions: { warnDays: 30, level: 'x', extra: 1 },
      optionSchema: {
        warnDays: { type: 'integer' as const, min: 60, unit: 'days' as const, description: 'd' },
        level: { type: 'string' as const, enum: ['a', 'b'], description: 'l' },
        other: { type: 'boolean' as const, description: 'o' },
      },
    };
    expect(optionSchemaProblems(bad as never)).toEqual([
      'option "extra" has no entry in optionSchema',
      'optionSchema: the default of "warnDays" does not fit: got 30, expected an integer ≥ 60 (days)',
      'optionSchema: the default of "level" does not fit: got "x", expected one of a, b',
      'optionSchema: "other" is not in defaultOptions',
    ]);
    expect(validateCheck({ ...def, ...bad }, new Set(['nodes']))).toContain('option "extra" has no entry in optionSchema');
    expect(validateCheck(def, new Set(['nodes']))).toEqual([]);
  });

  it('refuses malformed specs (plugins written in JavaScript reach the registry unchecked)', () => {
    const defaultOptions = { a: 1, b: 'x', c: 2, d: 3, e: 'y' };
    const optionSchema = {
      a: { type: 'float', description: 'a' },
      b: { type: 'string', min: 1, description: 'b' },
      c: { type: 'integer', min: 5, max: 1, description: 'c' },
      d: { type: 'integer' },
      e: { type: 'string', enum: 'y', description: 'e' },
    };
    expect(optionSchemaProblems({ defaultOptions, optionSchema } as never)).toEqual([
      'optionSchema: "a" has an unknown type "float" (known: integer, number, string, boolean, string[])',
      'optionSchema: "b" has min but is not a number option',
      'optionSchema: "c" has min above max',
      'optionSchema: "d" has no description',
      'optionSchema: "e" has an enum that is not a list of strings',
    ]);
    expect(optionSchemaProblems({ defaultOptions, optionSchema: 'x' } as never)).toEqual(['optionSchema is not an object']);
  });

  it('every built-in check declares a schema its defaults fit', async () => {
    for (const { def: d } of await loadBuiltinChecks()) {
      if (Object.keys(d.defaultOptions).length === 0) continue;
      expect(d.optionSchema, d.id).toBeDefined();
      expect(optionSchemaProblems(d), d.id).toEqual([]);
    }
  });

  it('infers a spec from the default without a schema, and describes specs', () => {
    const plain = { defaultOptions: { minMinor: 25, names: ['a'] } };
    expect(optionProblem(plain, 'minMinor', -1)).toBe('got -1, expected a number ≥ 0');
    expect(optionProblem(plain, 'minMinor', 26.5)).toBeUndefined();
    expect(optionProblem(plain, 'names', 'a')).toBe('got "a", expected a list of strings');
    expect(optionProblem(plain, 'nope', 1)).toBe('unknown option (known: minMinor, names)');
    expect(describeOption({ type: 'number', max: 5, unit: 'hours', description: '' })).toBe('a number ≤ 5 (hours)');
    expect(describeOption({ type: 'string', description: '' })).toBe('a string');
  });
});
