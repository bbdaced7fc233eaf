/**
 * Coverage is judged by the engine (README, "Statuses, unknowns and the verdict"): unread
 * optional inputs and unread input parts become unknowns of every check that declared them,
 * a check with unknowns is never `pass`, and the verdict is GO only when everything selected
 * was fully assessed. Also: a selection of no checks and an impossible `--target-version` are
 * usage errors, and `--fail-on none` never reads as GO.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { defineCheck, type CheckOutput, type RegisteredCheck, type FailOn } from '../../src/contract/check.js';
import { validateCheck } from '../../src/engine/define-check.js';
import { Registry } from '../../src/engine/registry.js';
import { runChecks } from '../../src/engine/run.js';
import { scan, targetVersionProblem } from '../../src/report/scan.js';
import { computeVerdict, EXIT_CODES, notAssessed } from '../../src/engine/verdict.js';
import type { Collected, InputPart } from '../../src/contract/inputs.js';
import { DumpSource } from '../../src/sources/dump.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import type { WorkloadInfo } from '../../src/contract/values/pdb.js';
import { groupProblems } from '../../src/report/problems.js';
import type { CheckResult, Finding } from '../../src/contract/report.js';

/** The verdict with the problems the report builder groups first. */
const verdictOf = (checks: CheckResult[], findings: Finding[], failOn: FailOn) =>
  computeVerdict(checks, findings, failOn, groupProblems(findings, checks, failOn));

const SAMPLE = 'fixtures/dumps/lab-1.26';
const node = (name: string): NodeInfo => ({
  name,
  labels: {},
  roles: [],
  unschedulable: false,
  taints: [],
  ready: 'True',
  allocatable: {},
});
const opts = { now: new Date('2026-11-23T07:00:00Z'), source: { type: 'dump' as const }, config: EMPTY_CONFIG };

const base = {
  family: 'versions' as const,
  title: 't',
  rationale: 'r',
  remediation: 'fix it',
  references: ['https://example.com'],
  defaultSeverity: 'high' as const,
  rules: { a: { title: 'rule a' }, b: { title: 'rule b', severity: 'low' as const } },
  defaultOptions: {},
};

const reg = (def: unknown): RegisteredCheck => ({ def: def as RegisteredCheck['def'], origin: 'builtin' });
const nodesOk: Collected<unknown> = { key: 'nodes', status: 'ok', value: [node('n1'), node('n2')] };
const finding = (rule: string, name: string) => ({ rule, resource: { apiVersion: 'v1', kind: 'Node', name }, message: `m ${name}` });

/** A check that requires nodes, may read version, and reports what `out` says. */
const nodesCheck = (id: string, out: (n: NodeInfo[]) => CheckOutput) =>
  reg(defineCheck({ ...base, id, requires: ['nodes'], optional: ['version'], run: ({ nodes }) => out(nodes) }));

const statefulSetsPart: InputPart = {
  source: 'statefulsets.apps',
  status: 'missing',
  reason: 'not in the dump: no statefulsets.apps file',
  subjects: 'StatefulSets',
  resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: '*' },
};

describe('unread inputs and parts become unknowns', () => {
  it('an optional input that was not read: one unknown naming its subjects; the check is incomplete, never pass', () => {
    const inputs = new Map<string, Collected<unknown>>([
      ['nodes', nodesOk],
      ['version', { key: 'version', status: 'forbidden', reason: 'GET /version: 403 Forbidden' }],
    ]);
    const r = runChecks([nodesCheck('versions-opt', (n) => ({ evaluated: n.length, findings: [] }))], [], inputs, opts);
    expect(r.checks[0]).toMatchObject({
      status: 'incomplete',
      unknowns: [
        {
          resource: { file: 'version.json' },
          input: 'version',
          reason: 'API server version (/version; version.json in a dump): forbidden (GET /version: 403 Forbidden)',
        },
      ],
    });
    expect(r.checks[0]!.reason).toBe(
      '1 subject not assessed: API server version (/version; version.json in a dump): forbidden (GET /version: 403 Forbidden)',
    );
  });

  it('an absent optional input (known none) is no gap', () => {
    const inputs = new Map<string, Collected<unknown>>([
      ['nodes', nodesOk],
      ['version', { key: 'version', status: 'absent', value: undefined }],
    ]);
    const r = runChecks([nodesCheck('versions-abs', (n) => ({ evaluated: n.length, findings: [] }))], [], inputs, opts);
    expect(r.checks[0]).toMatchObject({ status: 'pass', unknowns: [] });
  });

  it('a required input with an unread part: the check runs on what was read, keeps its findings, and names the part', () => {
    const workloads: WorkloadInfo[] = [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'prod',
        name: 'web',
        replicas: 3,
        scale: true,
        selector: [],
        templateLabels: {},
      },
    ];
    const def = defineCheck({
      ...base,
      id: 'versions-parts',
      requires: ['workloads'],
      run: ({ workloads: w }) => ({
        evaluated: w.length,
        findings: w.map((x) => ({
          rule: 'a',
          resource: { apiVersion: x.apiVersion, kind: x.kind, namespace: x.namespace, name: x.name },
          message: 'one replica short',
        })),
      }),
    });
    const inputs = new Map<string, Collected<unknown>>([
      ['workloads', { key: 'workloads', status: 'ok', value: workloads, partial: [statefulSetsPart] }],
    ]);
    const r = runChecks([reg(def)], [], inputs, opts);
    expect(r.findings.map((f) => [f.rule, f.resource])).toEqual([
      ['a', { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' }],
    ]);
    expect(r.checks[0]).toMatchObject({
      status: 'fail',
      unknowns: [
        {
          resource: statefulSetsPart.resource,
          input: 'workloads',
          reason: 'StatefulSets: missing (not in the dump: no statefulsets.apps file)',
        },
      ],
    });
  });

  it("a check's own unknown for the same subject wins over the engine's", () => {
    const def = defineCheck({
      ...base,
      id: 'versions-dedupe',
      requires: ['workloads'],
      run: () => ({
        evaluated: 1,
        findings: [],
        unknowns: [
          {
            resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: '*' },
            reason: 'StatefulSets were not read: their pods cannot be matched to an owner',
          },
        ],
      }),
    });
    const inputs = new Map<string, Collected<unknown>>([
      ['workloads', { key: 'workloads', status: 'ok', value: [], partial: [statefulSetsPart] }],
    ]);
    const r = runChecks([reg(def)], [], inputs, opts);
    expect(r.checks[0]!.unknowns).toEqual([
      {
        resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: '*' },
        reason: 'StatefulSets were not read: their pods cannot be matched to an owner',
        input: 'workloads',
      },
    ]);
  });

  it('requiresAnyOf: error when no alternative was read; no gap for the unread alternative when one was', () => {
    const def = defineCheck({
      ...base,
      id: 'versions-anyof',
      requires: [],
      optional: ['api-discovery', 'api-services'],
      requiresAnyOf: [['api-discovery', 'api-services']],
      run: () => ({ evaluated: 1, findings: [] }),
    });
    const none = new Map<string, Collected<unknown>>([
      ['api-discovery', { key: 'api-discovery', status: 'missing', reason: 'not in the dump' }],
      ['api-services', { key: 'api-services', status: 'forbidden', reason: '403' }],
    ]);
    expect(runChecks([reg(def)], [], none, opts).checks[0]).toMatchObject({
      status: 'error',
      reason:
        'none of the inputs api-discovery, api-services could be read (api-discovery is missing: not in the dump; api-services is forbidden: 403)',
    });
    const one = new Map<string, Collected<unknown>>([...none, ['api-services', { key: 'api-services', status: 'ok', value: [] }]]);
    expect(runChecks([reg(def)], [], one, opts).checks[0]).toMatchObject({ status: 'pass', unknowns: [] });
  });
});

const f = (checkId: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding => ({
  checkId,
  rule: 'a',
  severity,
  title: 't',
  message: 'm',
  resource: { kind: 'Node', name: 'n1' },
  evidence: {},
  remediation: 'r',
  references: [],
  fingerprint: `${checkId}-${severity}`,
  ...extra,
});

describe('the verdict', () => {
  const check = reg(defineCheck({ ...base, id: 'versions-v', requires: ['nodes'], run: () => current }));
  let current: CheckOutput = { evaluated: 0, findings: [] };
  const run = (out: CheckOutput) => {
    current = out;
    return runChecks([check], [], new Map([['nodes', nodesOk]]), opts);
  };

  it('a fail with unknowns and findings below --fail-on is INCOMPLETE, never GO (the false GO of issue 14)', () => {
    const r = run({
      evaluated: 2,
      findings: [finding('a', 'n1')],
      unknowns: [{ resource: { file: 'pki/garbage.crt' }, reason: 'not a PEM certificate' }],
    });
    expect(r.checks[0]!.status).toBe('fail');
    const v = verdictOf(r.checks, r.findings, 'critical');
    expect(v).toEqual({
      verdict: 'INCOMPLETE',
      reason: 'No finding at or above critical; 1 finding below it, but 1 check could not be fully assessed: versions-v (1 unknown).',
    });
    expect(EXIT_CODES[v.verdict]).toBe(3);
    expect(notAssessed(r.checks)).toEqual([
      { checkId: 'versions-v', status: 'fail', unknowns: 1, reason: '1 subject not assessed: not a PEM certificate' },
    ]);
  });

  it('NO-GO still lists what was not assessed', () => {
    const r = run({
      evaluated: 2,
      findings: [finding('a', 'n1')],
      unknowns: [{ resource: { file: 'pki/garbage.crt' }, reason: 'not a PEM certificate' }],
    });
    expect(verdictOf(r.checks, r.findings, 'high')).toEqual({
      verdict: 'NO-GO',
      reason: '1 problem (1 finding at or above high) must be fixed or waived: rule a: Node n1.',
    });
    expect(notAssessed(r.checks).map((n) => n.checkId)).toEqual(['versions-v']);
  });

  it('GO only when every selected check was fully assessed', () => {
    const r = run({ evaluated: 2, findings: [finding('b', 'n1')] });
    expect(verdictOf(r.checks, r.findings, 'high')).toEqual({
      verdict: 'GO',
      reason: 'All 1 selected check fully assessed; no finding at or above high (1 below it).',
    });
  });

  it('--fail-on none is report-only: never GO over findings, INCOMPLETE when something was not assessed', () => {
    const checks = run({ evaluated: 2, findings: [] }).checks;
    const findings = [f('versions-v', 'critical'), f('versions-v', 'high')];
    const v = verdictOf(checks, findings, 'none');
    expect(v).toEqual({
      verdict: 'REPORT-ONLY',
      reason: 'Gate off (--fail-on none): 1 selected check fully assessed, 2 findings reported; nothing was judged GO or NO-GO.',
    });
    expect(EXIT_CODES['REPORT-ONLY']).toBe(0);
    const partial = run({
      evaluated: 1,
      findings: [],
      unknowns: [{ resource: { kind: 'Node', name: 'n2' }, reason: 'no version' }],
    }).checks;
    expect(verdictOf(partial, findings, 'none').verdict).toBe('INCOMPLETE');
  });
});

describe('usage errors instead of empty or impossible scans', () => {
  it('--target-version older than the cluster, past the release table, or not 1.x', () => {
    expect(targetVersionProblem('1.25', 'v1.26.4')).toBe(
      '--target-version 1.25 is older than the cluster (v1.26.4): downgrades are not supported; give the version you upgrade to',
    );
    expect(targetVersionProblem('1.26.2', 'v1.26.4')).toMatch(/^--target-version 1.26.2 is older than the cluster/);
    expect(targetVersionProblem('1.26', 'v1.26.4')).toBeUndefined();
    expect(targetVersionProblem('1.26.4', 'v1.26.4')).toBeUndefined();
    expect(targetVersionProblem('1.27', 'v1.26.4')).toBeUndefined();
    expect(targetVersionProblem('1.40')).toMatch(
      /^--target-version 1.40 is newer than the newest Kubernetes release this kube-preflight knows \(1\.\d+, table as of \d{4}-\d\d-\d\d\)/,
    );
    expect(targetVersionProblem('2.0')).toBe('--target-version 2.0: not a Kubernetes 1.x version such as 1.31 or 1.31.2');
  });

  it('a selection of no checks is a usage error, before anything is read', async () => {
    const registry = new Registry([nodesCheck('versions-only', () => ({ evaluated: 1, findings: [] }))]);
    const source = await DumpSource.open(SAMPLE);
    try {
      await expect(
        scan({
          source,
          registry,
          config: EMPTY_CONFIG,
          skip: ['versions'],
          now: opts.now,
          failOn: 'critical',
          options: { requestTimeoutMs: 30_000 },
        }),
      ).rejects.toThrow('no check selected: --skip versions leaves nothing to run (see `kube-preflight checks`)');
      await expect(
        scan({
          source,
          registry,
          config: EMPTY_CONFIG,
          now: opts.now,
          failOn: 'critical',
          targetVersion: '1.25',
          options: { requestTimeoutMs: 30_000 },
        }),
      ).rejects.toThrow('--target-version 1.25 is older than the cluster (v1.26.4)');
    } finally {
      await source.close();
    }
  });
});

describe('input groups are declared with their inputs', () => {
  it('validateCheck: a group member must be optional, and a group has two inputs or more', () => {
    const known = new Set(['api-discovery', 'api-services', 'version']);
    const def = {
      ...base,
      id: 'versions-groups',
      requires: [],
      optional: ['api-discovery'],
      requiresAnyOf: [['api-discovery', 'api-services']],
      requiresSomeOf: [['version']],
      run: () => ({ evaluated: 0, findings: [] }),
    };
    expect(validateCheck(def as never, known)).toEqual([
      'requiresAnyOf: input "api-services" is not listed in optional',
      'requiresSomeOf: a group needs two or more inputs',
    ]);
  });
});
