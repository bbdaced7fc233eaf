/**
 * The deploy/ manifests validate against the Kubernetes schemas (kubernetes-models), their RBAC
 * is exactly what `kube-preflight rbac` prints for the CronJob's checks, and every
 * kube-preflight command in deploy/ and the CI examples uses flags the CLI has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Namespace, PersistentVolumeClaim, ServiceAccount } from 'kubernetes-models/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clusterRoleManifests } from '../../src/cli/rbac.js';
import { program } from '../../src/cli/main.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { FILE_NAMES, FORMATS } from '../../src/render/index.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace: Namespace as never,
  ServiceAccount: ServiceAccount as never,
  ClusterRole: ClusterRole as never,
  ClusterRoleBinding: ClusterRoleBinding as never,
  PersistentVolumeClaim: PersistentVolumeClaim as never,
  CronJob: CronJob as never,
};

const docs = parseAllDocuments(readFileSync(join(PACKAGE_ROOT, 'deploy', 'kube-preflight.yaml'), 'utf8')).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as { kind: string; metadata: { name: string }; spec?: Record<string, unknown> };
});
const cronJob = docs.find((d) => d.kind === 'CronJob') as unknown as {
  spec: { schedule: string; jobTemplate: { spec: { template: { spec: { serviceAccountName: string; containers: Array<{ args: string[] }> } } } } };
};
const args = cronJob.spec.jobTemplate.spec.template.spec.containers[0]!.args;

/** The long flags `kube-preflight <command>` accepts. */
function flagsOf(command: string): Set<string> {
  const cmd = program().commands.find((c) => c.name() === command)!;
  return new Set(cmd.options.flatMap((o) => [o.long, o.short].filter((x): x is string => Boolean(x))));
}

describe('deploy/kube-preflight.yaml', () => {
  it('holds valid Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, PVC and CronJob objects', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolumeClaim', 'CronJob']);
    for (const d of docs) expect(() => new MODELS[d.kind]!(d as never).validate(), d.kind).not.toThrow();
    expect(cronJob.spec.schedule).toBe('0 6 * * 1');
  });

  it('grants exactly what kube-preflight rbac prints for the checks the CronJob runs', async () => {
    const registry = new Registry(await loadBuiltinChecks());
    const skip = args[args.indexOf('--skip') + 1]!.split(',');
    const { selected } = registry.select(undefined, skip);
    const expected = clusterRoleManifests(selected, 'kube-preflight-reader', { namespace: 'kube-preflight', name: 'kube-preflight' });
    expect(docs.filter((d) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'].includes(d.kind))).toEqual(expected);
    expect(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('kube-preflight');
    const role = expected.find((d) => d.kind === 'ClusterRole') as { rules: Array<{ verbs: string[] }> };
    for (const r of role.rules) expect(r.verbs.every((v) => v === 'get' || v === 'list')).toBe(true);
  });

  it('runs a scan with flags and formats the CLI has', () => {
    expect(args[0]).toBe('scan');
    const known = flagsOf('scan');
    for (const a of args.filter((x) => x.startsWith('-'))) expect(known, a).toContain(a);
    for (const f of args[args.indexOf('--format') + 1]!.split(',')) expect(FORMATS).toContain(f);
  });
});

describe('CI examples', () => {
  const commands = (file: string): string[][] => {
    const text = readFileSync(join(PACKAGE_ROOT, 'deploy', 'ci', file), 'utf8');
    expect(() => parse(text)).not.toThrow();
    return [...text.matchAll(/kube-preflight (scan [^\n]*(?:\n\s+--[^\n]*)*)/g)].map((m) => m[1]!.split(/\s+/).filter(Boolean));
  };

  it('upload the files the scan writes', () => {
    expect(readFileSync(join(PACKAGE_ROOT, 'deploy', 'ci', 'github-actions.yml'), 'utf8')).toContain(`reports/${FILE_NAMES.sarif}`);
    expect(readFileSync(join(PACKAGE_ROOT, 'deploy', 'ci', 'gitlab-ci.yml'), 'utf8')).toContain(`reports/${FILE_NAMES.junit}`);
  });

  it.each(['github-actions.yml', 'gitlab-ci.yml'])('%s is YAML and its scans use flags and formats the CLI has', (file) => {
    const cmds = commands(file);
    expect(cmds.length).toBeGreaterThanOrEqual(2);
    const known = flagsOf('scan');
    for (const c of cmds) {
      for (const a of c.filter((x) => x.startsWith('--'))) expect(known, `${file}: ${a}`).toContain(a);
      for (const f of c[c.indexOf('--format') + 1]!.split(',')) expect(FORMATS, `${file}: --format ${f}`).toContain(f);
    }
  });
});
