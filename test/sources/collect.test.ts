/**
 * `collect` as a library call: what it writes (pages, files, metadata.json), that no Secret
 * value, private key or Helm release payload is written, and that loading the collected dump
 * gives the same inputs as the live read it came from (folder and .tar.gz).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Collected } from '../../src/contract/inputs.js';
import { FatalError } from '../../src/contract/errors.js';
import { R } from '../../src/k8s/resources.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { collect, redactFile } from '../../src/sources/collect.js';
import { DumpSource } from '../../src/sources/dump.js';
import type { FileInputDef, InputDef, ResourceInputDef } from '../../src/sources/input-def.js';
import { versionInput } from '../../src/sources/inputs/core.js';
import type { ScanOptions } from '../../src/sources/scan-options.js';
import { TestApiServer } from '../support/apiserver.js';
import { makeTestPki } from '../support/tls.js';
import { openTestLive, tempDir, type TempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const SECRET_VALUES = ['hunter2-plain-password', 'PRIVATE-KEY-MATERIAL', 'helm-values-password', 'kubeconfig-client-key'];
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

let server: TestApiServer;
let dir: TempDir;
let kubeconfig: string;
let pkiDir: string;
const certPem = makeTestPki().certPem;

/** A dump with Secrets holding values, Helm release records, a ConfigMap, namespaces and nodes. */
function writeSourceDump(root: string): void {
  mkdirSync(join(root, 'resources'), { recursive: true });
  mkdirSync(join(root, 'metrics'), { recursive: true });
  for (const f of ['resources/namespaces.json', 'resources/nodes.json', 'version.json', 'metrics/apiserver.txt'])
    copyFileSync(join(LAB, f), join(root, f));
  const release = (kind: 'Secret' | 'ConfigMap'): object => {
    const payload = gzipSync(
      JSON.stringify({
        name: 'web',
        namespace: 'prod',
        version: 1,
        config: { password: 'helm-values-password' },
        manifest: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
      }),
    );
    return {
      apiVersion: 'v1',
      kind,
      metadata: {
        name: 'sh.helm.release.v1.web.v1',
        namespace: 'prod',
        labels: { owner: 'helm', name: 'web', status: 'deployed', version: '1' },
      },
      data: { release: kind === 'Secret' ? b64(b64(payload)) : b64(payload) },
      ...(kind === 'Secret' ? { type: 'helm.sh/release.v1' } : {}),
    };
  };
  const secrets = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: 'db',
          namespace: 'prod',
          resourceVersion: '10',
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'db' },
              stringData: { password: 'hunter2-plain-password' },
            }),
          },
        },
        type: 'Opaque',
        data: { password: b64('hunter2-plain-password') },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'web-tls', namespace: 'prod', resourceVersion: '11' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': b64(certPem), 'tls.key': b64('PRIVATE-KEY-MATERIAL'), 'ca.crt': b64(certPem) },
      },
      release('Secret'),
    ],
  };
  writeFileSync(join(root, 'resources', 'secrets.json'), JSON.stringify(secrets));
  writeFileSync(
    join(root, 'resources', 'configmaps.json'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        release('ConfigMap'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'prod' }, data: { mode: 'fast' } },
      ],
    }),
  );
}

/** Keeps what a check could read of a Secret or ConfigMap: names, data keys and values, annotations. */
const raw = (key: string, resource: ResourceInputDef['resources'][number], select?: ResourceInputDef['select']): ResourceInputDef => ({
  type: 'resources',
  key,
  description: `test: ${resource.resource}`,
  resources: [resource],
  ...(select ? { select } : {}),
  normalize: (o) => ({ ns: o.metadata.namespace, name: o.metadata.name, data: o.data, annotations: o.metadata.annotations }),
});

const pkiInput: FileInputDef<string[]> = {
  type: 'files',
  key: 'test-pki',
  description: 'test: pki files, from --pki-dir',
  files: ['pki/'],
  async fromOptions(opts) {
    if (!opts.pkiDir) return undefined;
    const files = readdirSync(opts.pkiDir).map((f) => ({ path: `pki/${f}`, content: readFileSync(join(opts.pkiDir!, f)) }));
    return { status: 'ok', files };
  },
  parse: (files) => ({ value: files.map((f) => `${f.path}:${f.content.toString().includes('BEGIN CERTIFICATE')}`) }),
};
const etcdInput: FileInputDef<number> = {
  type: 'files',
  key: 'test-etcd',
  description: 'test: dump only',
  files: ['etcd/'],
  parse: (f) => ({ value: f.length }),
};
const metricsInput: FileInputDef<number> = {
  type: 'files',
  key: 'test-metrics',
  description: 'test: metrics',
  files: ['metrics/apiserver.txt'],
  async live(ctx) {
    const res = await ctx.get('/metrics', { accept: 'text/plain' });
    return { status: 'ok', files: [{ path: 'metrics/apiserver.txt', content: res.body }] };
  },
  parse: (f) => ({ value: f[0]!.content.length }),
};

const everythingInput: ResourceInputDef<string> = {
  type: 'resources',
  key: 'everything',
  description: 'test: every object but ConfigMaps',
  resources: [],
  everything: { exclude: ['configmaps'] },
  normalize: (o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
};

const defs: InputDef[] = [
  everythingInput,
  raw('secrets', R.secrets),
  raw('prod-secrets', R.secrets, { namespace: 'prod', fieldSelector: 'type=kubernetes.io/tls' }),
  raw('configmaps', R.configmaps),
  raw('nodes', R.nodes),
  raw('widgets', { group: 'example.com', versions: ['v1'], resource: 'widgets', kind: 'Widget', namespaced: true, crd: true }),
  versionInput,
  pkiInput,
  etcdInput,
  metricsInput,
];

function withoutSources(m: Map<string, Collected<unknown>>): Record<string, unknown> {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, { sources: _s, ...c }]) => [k, c]));
}

function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(root, f)).isFile());
}

beforeAll(async () => {
  dir = tempDir();
  writeSourceDump(join(dir.path, 'served'));
  server = await TestApiServer.start(join(dir.path, 'served'));
  kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
  pkiDir = join(dir.path, 'pki');
  mkdirSync(pkiDir);
  writeFileSync(join(pkiDir, 'ca.crt'), certPem);
  writeFileSync(join(pkiDir, 'apiserver.pem'), `${certPem}-----BEGIN PRIVATE KEY-----\nPRIVATE-KEY-MATERIAL\n-----END PRIVATE KEY-----\n`);
  writeFileSync(
    join(pkiDir, 'admin.conf'),
    `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: ${b64(certPem)}\n    client-key-data: ${b64('kubeconfig-client-key')}\n    token: kubeconfig-client-key\n`,
  );
});
afterAll(async () => {
  await server.close();
  dir.remove();
});
beforeEach(() => server.reset());

async function collectTo(out: string, options: Partial<ScanOptions> = {}) {
  const { source } = await openTestLive(server, kubeconfig);
  const opts = { ...source.context.options, pkiDir, ...options };
  try {
    const live = await source.read(defs, opts);
    const summary = await collect(source, defs, opts, out, undefined, new Date('2026-11-23T07:00:18Z'));
    return { live, summary };
  } finally {
    await source.close();
  }
}

async function loadDump(path: string): Promise<Map<string, Collected<unknown>>> {
  const dump = await DumpSource.open(path);
  try {
    return await dump.load(defs, { requestTimeoutMs: 1000 });
  } finally {
    await dump.close();
  }
}

describe('collect', () => {
  it('writes pages, fetched files and metadata.json; the dump loads to the same inputs as the live read', async () => {
    const out = join(dir.path, 'out-folder');
    server.fault('/api/v1/nodes', { status: 403 });
    server.fault('/api/v1/configmaps', { status: 403 });
    const { live, summary } = await collectTo(out);
    expect(allFiles(out).sort()).toEqual([
      'metadata.json',
      'metrics/apiserver.txt',
      'pki/admin.conf',
      'pki/apiserver.pem',
      'pki/ca.crt',
      'resources/namespaces/0001.json',
      'resources/secrets/0001.json',
      'version.json',
    ]);
    const metadata = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(metadata).toEqual({
      collectedAt: '2026-11-23T07:00:18.000Z',
      server: server.url,
      context: 'test',
      collectedBy: expect.stringMatching(/^kube-preflight \d+\.\d+\.\d+\S* collect$/),
      resources: {
        configmaps: {
          status: 'forbidden',
          reason: 'GET /api/v1/configmaps: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/configmaps',
          apiVersion: 'v1',
          kind: 'ConfigMap',
          count: 0,
        },
        namespaces: { status: 'ok', count: 9 },
        nodes: {
          status: 'forbidden',
          reason: 'GET /api/v1/nodes: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/nodes',
          apiVersion: 'v1',
          kind: 'Node',
          count: 0,
        },
        secrets: { status: 'ok', count: 3 },
        'widgets.example.com': {
          status: 'absent',
          reason: 'widgets.example.com is not served by this server (its CustomResourceDefinition is not installed)',
          count: 0,
        },
      },
      inputs: { 'test-etcd': { status: 'missing', reason: 'not readable through the Kubernetes API: only in a dump (etcd/)' } },
    });
    // The prod TLS secret is read from the whole secrets list, not listed (and written) twice.
    expect(summary.objects).toBe(9 + 3);
    expect(summary.files).toBe(5);
    expect(live.get('nodes')!.status).toBe('forbidden');
    // ConfigMaps are excluded from the everything input: their 403 is not part of its partial.
    expect(live.get('everything')!.partial).toEqual([
      {
        source: 'nodes',
        status: 'forbidden',
        reason: 'GET /api/v1/nodes: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/nodes',
        subjects: 'Nodes',
        resource: { apiVersion: 'v1', kind: 'Node', name: '*' },
      },
    ]);
    expect(withoutSources(await loadDump(out))).toEqual(withoutSources(live));
  });

  it('writes no Secret value, private key, kubeconfig credential or Helm release payload', async () => {
    const out = join(dir.path, 'out-secrets');
    await collectTo(out);
    const text = allFiles(out)
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    for (const v of SECRET_VALUES) {
      expect(text).not.toContain(v);
      expect(text).not.toContain(b64(v));
    }
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('client-key-data');
    const secrets = JSON.parse(readFileSync(join(out, 'resources/secrets/0001.json'), 'utf8')).items;
    for (const s of secrets) expect(Object.keys(s.data ?? {}).every((k: string) => k === 'tls.crt' || k === 'ca.crt')).toBe(true);
    expect(secrets.find((s: { metadata: { name: string } }) => s.metadata.name === 'web-tls').data).toEqual({
      'tls.crt': b64(certPem),
      'ca.crt': b64(certPem),
    });
    const configmaps = JSON.parse(readFileSync(join(out, 'resources/configmaps/0001.json'), 'utf8')).items;
    const helmCm = configmaps.find((c: { metadata: { name: string } }) => c.metadata.name.startsWith('sh.helm.release'));
    expect(helmCm.data).toBeUndefined();
    expect(JSON.parse(helmCm.metadata.annotations['kube-preflight.io/helm-release']).objects).toEqual([
      { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'prod' },
    ]);
    expect(readFileSync(join(out, 'pki/admin.conf'), 'utf8')).toContain('client-certificate-data');
  });

  it('writes a .tar.gz that loads like the folder', async () => {
    const out = join(dir.path, 'tarballs', 'cluster.tar.gz');
    const { live } = await collectTo(out);
    expect(existsSync(out)).toBe(true);
    expect(withoutSources(await loadDump(out))).toEqual(withoutSources(live));
  });

  it('refuses to write into a folder that is not empty, or over a tarball', async () => {
    const out = join(dir.path, 'not-empty');
    mkdirSync(out);
    writeFileSync(join(out, 'x'), '');
    await expect(collectTo(out)).rejects.toThrow(FatalError);
    await expect(collectTo(out)).rejects.toThrow(`${out} is not empty`);
    const tgz = join(dir.path, 'tarballs', 'cluster.tar.gz');
    await expect(collectTo(tgz)).rejects.toThrow('already exists');
  });
});

describe('redactFile', () => {
  it('keeps files without secrets byte for byte', () => {
    const content = Buffer.from(certPem);
    expect(redactFile({ path: 'pki/ca.crt', content })).toBe(content);
  });
});
