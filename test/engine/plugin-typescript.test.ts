/**
 * A plugin written in TypeScript, as a user writes one: it imports `kube-preflight` (resolved to
 * this repository's built package, `dist/src/index.d.ts`), is compiled with `tsc`, and runs with
 * `scan --plugin`. Guards the published declarations: every built-in input key must be a key of
 * `InputTypes` there (src/contract/inputs.ts lists them all, their value types in src/contract/values/),
 * with its value type. Needs the built package (`npm test` builds).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { INPUTS } from '../../src/sources/inputs.js';
import type { Report } from '../../src/contract/report.js';
import { runCli } from '../support/cli.js';

const TSC = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const PLUGIN = `import { defineCheck, type MatrixFigure, type NodeInfo } from 'kube-preflight';

/** Minor version of a kubelet (\`v1.24.13\` → 24); undefined when not reported. */
function minorOf(node: NodeInfo): number | undefined {
  const m = /^v1\\.(\\d+)\\./.exec(node.kubeletVersion ?? '');
  return m ? Number(m[1]) : undefined;
}

const oldKubelet = defineCheck({
  id: 'versions-kubelet-floor',
  family: 'versions',
  title: 'Kubelets are at or above the fleet floor',
  rationale: 'The team supports kubelets from a given minor version on.',
  remediation: 'Upgrade the kubelet of the node.',
  references: ['https://kubernetes.io/releases/version-skew-policy/'],
  defaultSeverity: 'medium',
  rules: { 'below-floor': { title: 'kubelet below the fleet floor' } },
  requires: ['nodes'],
  optional: ['pdbs'],
  defaultOptions: { minMinor: 25 },
  optionSchema: { minMinor: { type: 'integer', min: 0, description: 'lowest supported kubelet minor version (1.<minMinor>)' } },
  run({ nodes, optional }, ctx) {
    const pdbs = optional.pdbs.value?.length ?? 0;
    const findings = nodes
      .filter((n) => (minorOf(n) ?? Infinity) < ctx.options.minMinor)
      .map((n) => ({
        rule: 'below-floor',
        resource: { apiVersion: 'v1', kind: 'Node', name: n.name },
        message: \`Node \${n.name} runs kubelet \${n.kubeletVersion} (\${pdbs} PDBs in the cluster).\`,
        evidence: { kubeletVersion: n.kubeletVersion ?? null },
      }));
    const figure: MatrixFigure = {
      shape: 'matrix',
      key: 'kubelet-floor',
      title: 'Kubelet floor',
      caption: \`Each node's kubelet against the floor 1.\${ctx.options.minMinor}.\`,
      items: 'nodes',
      subject: 'Node',
      columns: [{ key: 'kubelet', label: 'kubelet' }],
      rows: nodes.map((n) => ({
        key: n.name,
        label: n.name,
        cells: [{ column: 'kubelet', text: n.kubeletVersion ?? 'unknown', status: (minorOf(n) ?? 0) < ctx.options.minMinor ? 'bad' : 'ok' }],
      })),
    };
    return { evaluated: nodes.length, findings, figures: [figure] };
  },
});

export default { meta: { name: 'fleet', version: '0.1.0' }, checks: [oldKubelet] };
`;

/** Fails to compile unless the published InputKey is exactly the set of built-in input keys. */
function keysFile(keys: string[]): string {
  return `import type { InputKey, InputTypes } from 'kube-preflight';
const KEYS = ${JSON.stringify(keys)} as const;
type Listed = (typeof KEYS)[number];
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const same: Exact<InputKey, Listed> = true;
export const nodesAreTyped: InputTypes['nodes'][number]['kubeletVersion'] = 'v1.26.4';
export const certsAreTyped: NonNullable<InputTypes['pki'][number]['cert']>['notAfter'] = '2027-01-01T00:00:00Z';
export const backupsAreTyped: InputTypes['velero-backups'][number]['errors'] = 0;
`;
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kp-ts-plugin-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(dir, 'node_modules', 'kube-preflight'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fleet-checks', type: 'module', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        outDir: 'out',
        types: ['node'],
        typeRoots: [join(PACKAGE_ROOT, 'node_modules', '@types')],
      },
      files: ['plugin.ts', 'keys.ts'],
    }),
  );
  writeFileSync(join(dir, 'plugin.ts'), PLUGIN);
  writeFileSync(join(dir, 'keys.ts'), keysFile([...INPUTS.keys()]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a TypeScript plugin', () => {
  it('compiles against the built package, with every built-in input key typed', () => {
    const tsc = spawnSync(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    expect(readFileSync(join(dir, 'out', 'plugin.js'), 'utf8')).toContain("from 'kube-preflight'");
  }, 120_000);

  it('runs with scan --plugin and reports its findings', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      'fixtures/dumps/lab-1.26',
      '--plugin',
      join(dir, 'out', 'plugin.js'),
      '--checks',
      'fleet/versions-kubelet-floor',
      '--format',
      'json',
      '--now',
      '2026-11-23T07:00:18Z',
    ]);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    expect(report.checks.map((c) => [c.id, c.status])).toEqual([['fleet/versions-kubelet-floor', 'fail']]);
    const figure = report.checks[0]!.figures?.[0];
    expect(figure?.shape === 'matrix' ? figure.rows.map((row) => [row.key, row.cells[0]!.status]) : []).toEqual([
      ['lab-control-plane', 'ok'],
      ['lab-worker-1', 'ok'],
      ['lab-worker-2', 'ok'],
      ['lab-worker-3', 'bad'],
      ['lab-worker-old', 'bad'],
    ]);
    expect(report.findings.map((f) => [f.rule, f.severity, f.resource, f.message])).toEqual([
      [
        'below-floor',
        'medium',
        { apiVersion: 'v1', kind: 'Node', name: 'lab-worker-3' },
        'Node lab-worker-3 runs kubelet v1.24.13 (4 PDBs in the cluster).',
      ],
      [
        'below-floor',
        'medium',
        { apiVersion: 'v1', kind: 'Node', name: 'lab-worker-old' },
        'Node lab-worker-old runs kubelet v1.23.17 (4 PDBs in the cluster).',
      ],
    ]);
  }, 120_000);
});
