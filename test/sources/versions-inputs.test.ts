/**
 * Inputs of the versions family: kube-system add-on images, and the local kubectl version
 * (live: `kubectl version --client -o json`; dump: kubectl-version.json or version.json).
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/objects.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';
import { inputDef } from '../../src/sources/inputs.js';
import { addonImagesInput, fetchKubectlVersion, kubectlVersionInput, type CommandRunner } from '../../src/sources/inputs/versions.js';

const workload = (
  kind: string,
  name: string,
  image: string,
  labels: Record<string, string> = {},
  nodeSelector?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name, namespace: 'kube-system', labels },
  spec: { template: { spec: { ...(nodeSelector ? { nodeSelector } : {}), containers: [{ name, image }] } } },
});

describe('addon-images', () => {
  it('keeps the kube-proxy DaemonSet and the CoreDNS Deployment, reduced to their images', () => {
    expect(
      addonImagesInput.normalize(
        workload(
          'DaemonSet',
          'kube-proxy',
          'registry.k8s.io/kube-proxy:v1.30.4',
          { 'k8s-app': 'kube-proxy' },
          { 'kubernetes.io/os': 'linux' },
        ),
      ),
    ).toEqual({
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'kube-proxy',
      addon: 'kube-proxy',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      images: [{ container: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.30.4' }],
    });
    expect(addonImagesInput.normalize(workload('Deployment', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.1'))?.addon).toBe('coredns');
    expect(
      addonImagesInput.normalize(
        workload('Deployment', 'rke2-coredns-rke2-coredns', 'rancher/hardened-coredns:v1.11.1-build20240305', { 'k8s-app': 'kube-dns' }),
      )?.addon,
    ).toBe('coredns');
    expect(
      addonImagesInput.normalize(
        workload('DaemonSet', 'kube-proxy-windows', 'sigwindowstools/kube-proxy:v1.29.0', { 'k8s-app': 'kube-proxy' }),
      )?.addon,
    ).toBe('kube-proxy');
  });

  it('drops other workloads (GKE kube-dns, CNI DaemonSets)', () => {
    expect(
      addonImagesInput.normalize(workload('Deployment', 'kube-dns', 'gke.gcr.io/k8s-dns-kube-dns:1.23.0', { 'k8s-app': 'kube-dns' })),
    ).toBeUndefined();
    expect(
      addonImagesInput.normalize(workload('DaemonSet', 'cilium', 'quay.io/cilium/cilium:v1.16.3', { 'k8s-app': 'cilium' })),
    ).toBeUndefined();
  });

  it('a field of the wrong type in an add-on workload names its path', () => {
    const proxy = (spec: unknown): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      spec: { template: { spec } },
    });
    expect(() => addonImagesInput.normalize(proxy({ containers: { name: 'kube-proxy' } }))).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.spec.template.spec.containers: expected a list, got an object' }),
    );
    expect(() => addonImagesInput.normalize(proxy({ containers: [{ name: 'kube-proxy', image: 130 }] }))).toThrow(
      expect.objectContaining({ message: '.spec.template.spec.containers[0].image: expected a string, got an integer' }),
    );
    expect(() => addonImagesInput.normalize(proxy({ nodeSelector: ['linux'], containers: [] }))).toThrow(
      expect.objectContaining({ message: '.spec.template.spec.nodeSelector: expected an object, got a list' }),
    );
    const kubeDns: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'rke2-coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: { template: { spec: { containers: [{ image: ['coredns'] }] } } },
    };
    expect(() => addonImagesInput.normalize(kubeDns)).toThrow(
      expect.objectContaining({ message: '.spec.template.spec.containers[0].image: expected a string, got a list' }),
    );
    // Other kube-system workloads are not read: their containers cannot make the input incomplete.
    expect(addonImagesInput.normalize({ ...kubeDns, metadata: { name: 'metrics-server', namespace: 'kube-system' } })).toBeUndefined();
  });
});

const file = (path: string, doc: unknown): { path: string; content: Buffer } => ({
  path,
  content: Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)),
});

describe('kubectl-version', () => {
  it('prefers kubectl-version.json, else the clientVersion of version.json', () => {
    const v = file('version.json', { clientVersion: { gitVersion: 'v1.30.1' }, serverVersion: { gitVersion: 'v1.30.4' } });
    const k = file('kubectl-version.json', {
      clientVersion: { gitVersion: 'v1.31.0', platform: 'linux/arm64' },
      kustomizeVersion: 'v5.4.2',
    });
    expect(kubectlVersionInput.parse([v, k]).value).toEqual({
      gitVersion: 'v1.31.0',
      platform: 'linux/arm64',
      file: 'kubectl-version.json',
    });
    expect(kubectlVersionInput.parse([v]).value).toEqual({ gitVersion: 'v1.30.1', file: 'version.json' });
  });

  it('is absent when version.json holds only the server version (no kubectl recorded), failed when it is not JSON', () => {
    expect(kubectlVersionInput.parse([file('version.json', { gitVersion: 'v1.30.4', major: '1', minor: '30' })])).toEqual({
      value: undefined,
      status: 'absent',
      reason: 'version.json: no clientVersion (the dump records no kubectl version)',
      count: 0,
    });
    expect(() => kubectlVersionInput.parse([file('version.json', '{ not json')])).toThrow(
      /version.json:1:3: invalid JSON: expected a double-quoted property name/,
    );
  });

  it('fails naming the file and path when a field it reads has the wrong type (never read as no kubectl)', () => {
    expect(() => kubectlVersionInput.parse([file('kubectl-version.json', { clientVersion: { gitVersion: 132 } })])).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'kubectl-version.json .clientVersion.gitVersion: expected a string, got an integer',
      }),
    );
    expect(() => kubectlVersionInput.parse([file('version.json', { clientVersion: 'v1.32.4' })])).toThrow(
      expect.objectContaining({ name: 'InputError', message: 'version.json .clientVersion: expected an object, got a string' }),
    );
    expect(() => kubectlVersionInput.parse([file('kubectl-version.json', ['v1.32.4'])])).toThrow(
      expect.objectContaining({ message: 'kubectl-version.json .: expected an object, got a list' }),
    );
    expect(kubectlVersionInput.parse([file('version.json', { clientVersion: { gitVersion: 'v1.30.1', platform: null } })]).value).toEqual({
      gitVersion: 'v1.30.1',
      file: 'version.json',
    });
  });

  it("reads the real dump's kubectl (v1.32.4-dispatcher)", async () => {
    const src = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
    try {
      const got = await src.load([inputDef('kubectl-version')!], { requestTimeoutMs: 30_000 });
      expect(got.get('kubectl-version')).toMatchObject({ status: 'ok', value: { gitVersion: 'v1.32.4-dispatcher', file: 'version.json' } });
    } finally {
      await src.close();
    }
  });

  const ctx = { options: { requestTimeoutMs: 5000 } };

  it('live: records the output of kubectl version --client -o json as kubectl-version.json', async () => {
    const calls: string[][] = [];
    const run: CommandRunner = async (f, args) => {
      calls.push([f, ...args]);
      return '{"clientVersion":{"gitVersion":"v1.31.2"}}';
    };
    const got = await fetchKubectlVersion(ctx, run);
    expect(calls).toEqual([['kubectl', 'version', '--client', '-o', 'json']]);
    expect(got.status).toBe('ok');
    if (got.status === 'ok') {
      expect(got.files.map((f) => f.path)).toEqual(['kubectl-version.json']);
      expect(kubectlVersionInput.parse(got.files).value?.gitVersion).toBe('v1.31.2');
    }
  });

  it('live: no kubectl on the PATH is absent; a timeout or a failure is failed', async () => {
    const enoent: CommandRunner = async () => {
      throw Object.assign(new Error('spawn kubectl ENOENT'), { code: 'ENOENT' });
    };
    expect(await fetchKubectlVersion(ctx, enoent)).toMatchObject({ status: 'absent', reason: 'kubectl is not on the PATH' });
    const killed: CommandRunner = async () => {
      throw Object.assign(new Error('Command failed'), { killed: true });
    };
    expect(await fetchKubectlVersion(ctx, killed)).toMatchObject({
      status: 'failed',
      reason: 'kubectl version --client timed out after 5000 ms',
    });
    const broken: CommandRunner = async () => {
      throw new Error('Command failed: kubectl version --client -o json\nerror: unknown flag');
    };
    expect(await fetchKubectlVersion(ctx, broken)).toMatchObject({
      status: 'failed',
      reason: 'kubectl version --client: Command failed: kubectl version --client -o json',
    });
  });

  describe('live, with a kubectl on the PATH', () => {
    let dir: string;
    const savedPath = process.env.PATH;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kube-preflight-kubectl-'));
      await writeFile(join(dir, 'kubectl'), '#!/bin/sh\necho \'{"clientVersion":{"gitVersion":"v1.30.9","platform":"linux/amd64"}}\'\n');
      await chmod(join(dir, 'kubectl'), 0o755);
    });
    afterAll(async () => {
      process.env.PATH = savedPath;
      await rm(dir, { recursive: true, force: true });
    });

    it('runs it, and finds none on an empty PATH', async () => {
      process.env.PATH = dir;
      const got = await kubectlVersionInput.live!({ options: { requestTimeoutMs: 10_000 } } as never);
      expect(got.status).toBe('ok');
      if (got.status === 'ok')
        expect(kubectlVersionInput.parse(got.files).value).toEqual({
          gitVersion: 'v1.30.9',
          platform: 'linux/amd64',
          file: 'kubectl-version.json',
        });
      process.env.PATH = join(dir, 'nothing-here');
      expect((await kubectlVersionInput.live!({ options: { requestTimeoutMs: 10_000 } } as never)).status).toBe('absent');
      process.env.PATH = savedPath;
    });
  });
});

describe('version.json and nodes: a field of the wrong type names its path', () => {
  it('a serverVersion whose gitVersion is a number', async () => {
    const { parseVersionDocument } = await import('../../src/sources/inputs/core.js');
    expect(() => parseVersionDocument('version.json', Buffer.from('{"serverVersion":{"gitVersion":130}}'))).toThrow(
      expect.objectContaining({ name: 'InputError', message: 'version.json .serverVersion.gitVersion: expected a string, got an integer' }),
    );
    expect(() => parseVersionDocument('version.json', Buffer.from('{"serverVersion":"v1.30.2"}'))).toThrow(
      expect.objectContaining({ message: 'version.json .serverVersion: expected an object, got a string' }),
    );
    expect(parseVersionDocument('version.json', Buffer.from('{"gitVersion":"v1.30.2","platform":null}'))).toEqual({
      gitVersion: 'v1.30.2',
    });
  });

  it('a node whose taints are not a list', async () => {
    const { normalizeNode } = await import('../../src/sources/inputs/core.js');
    expect(() => normalizeNode({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { taints: 'NoSchedule' } })).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.spec.taints: expected a list, got a string' }),
    );
  });
});
