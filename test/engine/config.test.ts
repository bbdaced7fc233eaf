/**
 * `--config`: severity overrides and typed options per check id; mistakes name the file, line and key.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
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
