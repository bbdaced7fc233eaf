/**
 * `--config`: severity overrides and typed options per check id; mistakes name the file, line and key.
 */
import { describe, expect, it } from 'vitest';
import { configuredCheckIds, parseConfig } from '../../src/engine/config.js';
import { Registry } from '../../src/engine/registry.js';
import { ConfigError } from '../../src/contract/errors.js';
import { defineCheck } from '../../src/contract/check.js';

const def = defineCheck({
  id: 'certs-demo',
  family: 'certs',
  title: 't',
  rationale: 'r',
  remediation: 'm',
  references: ['https://example.com'],
  defaultSeverity: 'high',
  rules: { expired: { title: 'expired', severity: 'critical' }, soon: { title: 'soon' } },
  requires: ['nodes'],
  defaultOptions: { warnDays: 30, issuers: ['ca'], strict: false },
  run: () => ({ evaluated: 0, findings: [] }),
});
const registry = new Registry([{ def: def, origin: 'builtin' }]);

describe('parseConfig', () => {
  it('reads severities, rule severities, options and enabled', () => {
    const c = parseConfig(
      'apiVersion: kube-preflight/v1\nkind: Config\nchecks:\n  certs-demo:\n    enabled: true\n    severity: medium\n    rules: { expired: high }\n    options: { warnDays: 45, issuers: [a, b], strict: true }\n',
      'kp.yaml',
      registry,
    );
    expect(c).toEqual({
      file: 'kp.yaml',
      checks: {
        'certs-demo': {
          enabled: true,
          severity: 'medium',
          rules: { expired: 'high' },
          options: { warnDays: 45, issuers: ['a', 'b'], strict: true },
        },
      },
    });
  });

  it('accepts an empty file', () => {
    expect(parseConfig('', 'kp.yaml', registry)).toEqual({ file: 'kp.yaml', checks: {} });
  });

  it.each([
    ['checks:\n  certs-nope: {}\n', 'config kp.yaml:2: checks.certs-nope: unknown check id'],
    [
      'checks:\n  certs-demo:\n    options:\n      warnDayz: 3\n',
      'config kp.yaml:4: checks.certs-demo.options.warnDayz: unknown option (known: warnDays, issuers, strict)',
    ],
    [
      'checks:\n  certs-demo:\n    options:\n      warnDays: soon\n',
      'config kp.yaml:4: checks.certs-demo.options.warnDays: got "soon", expected a number ≥ 0',
    ],
    [
      'checks:\n  certs-demo:\n    options:\n      issuers: ca\n',
      'config kp.yaml:4: checks.certs-demo.options.issuers: got "ca", expected a list of strings',
    ],
    [
      'checks:\n  certs-demo:\n    rules:\n      nope: high\n',
      'config kp.yaml:4: checks.certs-demo.rules.nope: unknown rule (known: expired, soon)',
    ],
    [
      'checks:\n  certs-demo:\n    severity: urgent\n',
      'config kp.yaml:3: checks.certs-demo.severity: expected one of critical, high, medium, low, info',
    ],
    ['checks:\n  certs-demo:\n    enable: false\n', 'checks.certs-demo.enable: unknown key (expected enabled, severity, rules, options)'],
    ['kind: Waivers\n', 'config kp.yaml:1: kind: must be Config'],
    ['checks:\n\tcerts-demo: {}\n', 'config kp.yaml:2:1: invalid YAML: Tabs are not allowed as indentation'],
  ])('rejects %j', (text, message) => {
    expect(() => parseConfig(text, 'kp.yaml', registry)).toThrow(ConfigError);
    expect(() => parseConfig(text, 'kp.yaml', registry)).toThrow(message);
  });
});

describe('parseConfig with --set', () => {
  it('sets values at the paths of the file, with no file at all', () => {
    const c = parseConfig('', undefined, registry, [
      'certs-demo.options.warnDays=45',
      'certs-demo.options.issuers=[a, b]',
      'certs-demo.rules.expired=high',
      'certs-demo.severity=medium',
      'certs-demo.enabled=false',
    ]);
    expect(c).toEqual({
      set: [
        'certs-demo.options.warnDays=45',
        'certs-demo.options.issuers=[a, b]',
        'certs-demo.rules.expired=high',
        'certs-demo.severity=medium',
        'certs-demo.enabled=false',
      ],
      checks: {
        'certs-demo': { enabled: false, severity: 'medium', rules: { expired: 'high' }, options: { warnDays: 45, issuers: ['a', 'b'] } },
      },
    });
  });

  it("sets over the file's values and keeps the others", () => {
    const c = parseConfig('checks:\n  certs-demo:\n    options: { warnDays: 10, strict: true }\n', 'kp.yaml', registry, [
      'certs-demo.options.warnDays=60',
      'certs-demo.options.warnDays=90',
    ]);
    expect(c.checks).toEqual({ 'certs-demo': { options: { warnDays: 90, strict: true } } });
    expect(c.file).toBe('kp.yaml');
  });

  it.each([
    [['certs-demo.options.warnDays'], '--set certs-demo.options.warnDays: expected <check>.<key>=<value>'],
    [['certs-demo=1'], '--set certs-demo=1: expected <check>.<key>=<value>'],
    [['certs-demo.options.a.b=1'], '--set certs-demo.options.a.b=1: expected <check>.<key>=<value>'],
    [['certs-demo..warnDays=1'], '--set certs-demo..warnDays=1: expected <check>.<key>=<value>'],
    [['certs-demo.options.issuers=[a, b'], '--set certs-demo.options.issuers: the value is not one line of YAML (write strings in quotes)'],
    [['certs-nope.enabled=false'], '--set certs-nope.enabled=false: certs-nope: unknown check id'],
    [['certs-demo.options.warnDays=soon'], '--set certs-demo.options.warnDays=soon: got "soon", expected a number ≥ 0'],
    [['certs-demo.options.warnDayz=3'], '--set certs-demo.options.warnDayz=3: unknown option (known: warnDays, issuers, strict)'],
    [['certs-demo.rules.nope=high'], '--set certs-demo.rules.nope=high: unknown rule (known: expired, soon)'],
    [['certs-demo.enable=false'], '--set certs-demo.enable=false: unknown key (expected enabled, severity, rules, options)'],
    [['certs-demo.severity=urgent'], '--set certs-demo.severity=urgent: expected one of critical, high, medium, low, info'],
  ])('rejects %j, naming the setting', (set, message) => {
    expect(() => parseConfig('', undefined, registry, set)).toThrow(ConfigError);
    expect(() => parseConfig('', undefined, registry, set)).toThrow(message);
  });

  it("blames the file for the file's mistakes, and a setting for its own", () => {
    const text = 'checks:\n  certs-demo:\n    severity: urgent\n';
    expect(() => parseConfig(text, 'kp.yaml', registry, ['certs-demo.options.warnDays=5'])).toThrow(
      'config kp.yaml:3: checks.certs-demo.severity: expected one of',
    );
    expect(() => parseConfig('checks:\n  certs-demo:\n    options: 5\n', 'kp.yaml', registry, ['certs-demo.options.warnDays=5'])).toThrow(
      '--set certs-demo.options.warnDays: the file sets certs-demo.options to a value that is not a mapping',
    );
    expect(() => parseConfig('checks: [a]\n', 'kp.yaml', registry, ['certs-demo.enabled=true'])).toThrow(
      'config kp.yaml: --set needs a file whose checks are a mapping',
    );
  });
});

describe('configuredCheckIds', () => {
  it.each([
    ['checks:\n  certs-demo: { enabled: false }\n  pdb-drain-plan: {}\n', [], ['certs-demo', 'pdb-drain-plan']],
    [
      'checks:\n  certs-demo: {}\n',
      ['rbac-cluster-admins.enabled=false', 'certs-demo.severity=low'],
      ['rbac-cluster-admins', 'certs-demo'],
    ],
    ['', ['etcd-alarms-space.options.quotaWarnPercent=80'], ['etcd-alarms-space']],
    // Text that does not parse names nothing; parseConfig reports it.
    ['checks: [unclosed\n', ['certs-demo.enabled=true'], ['certs-demo']],
    ['checks: 5\n', [], []],
  ])('%j with %j names %j', (text, set, ids) => {
    expect(configuredCheckIds(text, set)).toEqual(ids);
  });
});
