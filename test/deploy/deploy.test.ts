/**
 * The deploy/ manifests validate against the Kubernetes schemas (kubernetes-models), their RBAC
 * is exactly what `kube-preflight rbac` generates for the CronJob's checks (regenerate it with
 * `UPDATE_DEPLOY=1 npx vitest run test/deploy/deploy.test.ts`), and every kube-preflight
 * command in deploy/ and the CI examples uses flags the CLI has. The optional upload patch
 * (deploy/s3-upload.patch.yaml) repeats the CronJob's args and merges into a valid CronJob.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Namespace, PersistentVolumeClaim, ServiceAccount } from 'kubernetes-models/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clusterRoleManifests, manifestsText } from '../../src/cli/rbac.js';
import { parseS3Url } from '../../src/fleet/s3.js';
import { program } from '../../src/cli/main.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { FILE_NAMES, FORMATS } from '../../src/render/index.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace: Namespace,
  ServiceAccount: ServiceAccount,
  ClusterRole: ClusterRole,
  ClusterRoleBinding: ClusterRoleBinding,
  PersistentVolumeClaim: PersistentVolumeClaim,
  CronJob: CronJob,
};

const DEPLOY = join(PACKAGE_ROOT, 'deploy', 'kube-preflight.yaml');
const BEGIN = '# --- begin generated RBAC ---\n';
const END = '# --- end generated RBAC ---\n';

/** deploy/'s RBAC for the checks the CronJob runs (`--skip`), its Namespace under the restricted Pod Security Standard. */
async function generatedRbac(skip: string[]): Promise<string> {
  const { selected } = new Registry(await loadBuiltinChecks()).select(undefined, skip);
  const manifests = clusterRoleManifests(selected, {
    name: 'kube-preflight-reader',
    serviceAccount: { namespace: 'kube-preflight', name: 'kube-preflight' },
    namespaceLabels: { 'app.kubernetes.io/name': 'kube-preflight', 'pod-security.kubernetes.io/enforce': 'restricted' },
  });
  return manifestsText(manifests);
}

if (process.env.UPDATE_DEPLOY === '1') {
  const text = readFileSync(DEPLOY, 'utf8');
  const skip = /- --skip\n\s+- (\S+)/.exec(text)![1]!.split(',');
  const [head, rest] = text.split(BEGIN) as [string, string];
  writeFileSync(DEPLOY, `${head}${BEGIN}${await generatedRbac(skip)}${END}${rest.slice(rest.indexOf(END) + END.length)}`);
}
const deployText = readFileSync(DEPLOY, 'utf8');
const docs = parseAllDocuments(deployText).map((d) => {
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

  it('holds, between its markers, exactly the RBAC kube-preflight rbac generates for the checks the CronJob runs', async () => {
    const skip = args[args.indexOf('--skip') + 1]!.split(',');
    const block = deployText.slice(deployText.indexOf(BEGIN) + BEGIN.length, deployText.indexOf(END));
    expect(block, 'regenerate with UPDATE_DEPLOY=1 npx vitest run test/deploy/deploy.test.ts').toBe(await generatedRbac(skip));
    expect(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName).toBe('kube-preflight');
    const role = docs.find((d) => d.kind === 'ClusterRole') as unknown as { rules: Array<{ apiGroups?: string[]; resources?: string[]; nonResourceURLs?: string[]; verbs: string[] }> };
    expect(role.rules.flatMap((r) => r.verbs).filter((v) => v !== 'list' && v !== 'get')).toEqual([]);
    expect(role.rules.flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.nonResourceURLs ?? [])]).filter((x) => x.includes('*') || (x.includes('/') && !x.startsWith('/')) || x === 'secrets')).toEqual([]);
  });

  it('runs a scan with flags and formats the CLI has', () => {
    expect(args[0]).toBe('scan');
    const known = flagsOf('scan');
    for (const a of args.filter((x) => x.startsWith('-'))) expect(known, a).toContain(a);
    for (const f of args[args.indexOf('--format') + 1]!.split(',')) expect(FORMATS).toContain(f);
  });
});

describe('deploy/s3-upload.patch.yaml', () => {
  interface Container { name: string; args: string[]; env: Array<{ name: string; value?: string }>; volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }> }
  interface PodSpec { containers: Container[]; volumes: Array<{ name: string; secret?: { secretName: string; defaultMode?: number } }> }
  // YAML 1.1, as Kubernetes reads manifests: defaultMode 0400 is octal.
  const patch = parse(readFileSync(join(PACKAGE_ROOT, 'deploy', 's3-upload.patch.yaml'), 'utf8'), { version: '1.1' }) as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } };
  const pod = patch.spec.jobTemplate.spec.template.spec;
  const container = pod.containers[0]!;

  it('repeats the CronJob\'s args and adds the upload, with flags the CLI has', () => {
    expect(pod.containers.map((c) => c.name)).toEqual(['scan']);
    expect(container.args).toEqual([...args, '--upload', 's3://kube-preflight-reports/fleet', '--upload-cluster', '$(CLUSTER_NAME)']);
    const known = flagsOf('scan');
    for (const a of container.args.filter((x) => x.startsWith('-'))) expect(known, a).toContain(a);
    expect(parseS3Url(container.args[container.args.indexOf('--upload') + 1]!)).toEqual({ bucket: 'kube-preflight-reports', prefix: 'fleet/' });
  });

  it('merged into the CronJob (strategic merge: containers, env and volumes by name, mounts by path), is a valid CronJob reading the credentials from a read-only Secret file', () => {
    const merged = structuredClone(cronJob) as unknown as { spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } } };
    const target = merged.spec.jobTemplate.spec.template.spec;
    const c = target.containers.find((x) => x.name === container.name)!;
    c.args = container.args;
    c.env = [...c.env.filter((e) => !container.env.some((p) => p.name === e.name)), ...container.env];
    c.volumeMounts = [...c.volumeMounts.filter((m) => !container.volumeMounts.some((p) => p.mountPath === m.mountPath)), ...container.volumeMounts];
    target.volumes = [...target.volumes.filter((v) => !pod.volumes.some((p) => p.name === v.name)), ...pod.volumes];
    expect(() => new CronJob(merged as never).validate()).not.toThrow();
    expect(c.env.map((e) => e.name)).toEqual(['POD_NAME', 'CLUSTER_NAME', 'AWS_REGION', 'AWS_SHARED_CREDENTIALS_FILE']);
    const mount = c.volumeMounts.find((m) => m.name === 's3-credentials')!;
    expect(mount.readOnly).toBe(true);
    expect(c.env.find((e) => e.name === 'AWS_SHARED_CREDENTIALS_FILE')!.value).toBe(`${mount.mountPath}/credentials`);
    expect(target.volumes.find((v) => v.name === 's3-credentials')!.secret).toEqual({ secretName: 'kube-preflight-s3', defaultMode: 0o400 });
    // No credential in the manifest itself.
    expect(c.env.map((e) => e.name).filter((n) => /SECRET|ACCESS_KEY|TOKEN/.test(n))).toEqual([]);
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

  it.each(['github-actions.yml', 'gitlab-ci.yml'])('%s installs the release tarball after checking its SHA-256, never a bare registry name', (file) => {
    const text = readFileSync(join(PACKAGE_ROOT, 'deploy', 'ci', file), 'utf8');
    const installs = text.split('\n').filter((l) => /npm (install|i) /.test(l));
    expect(installs.map((l) => l.trim().replace(/^- (run: )?/, ''))).toEqual(file === 'github-actions.yml' ? ['npm install -g ./kube-preflight.tgz', 'npm install -g ./kube-preflight.tgz'] : ['npm install -g ./kube-preflight.tgz']);
    expect(text.indexOf('sha256sum -c -')).toBeGreaterThan(-1);
    expect(text.indexOf('sha256sum -c -')).toBeLessThan(text.indexOf('npm install -g ./kube-preflight.tgz'));
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
