/**
 * The live source against the loopback test API server serving the lab-1.26 dump: kubeconfig
 * and context selection, reachability, discovery and version choice, paging, selectors,
 * statuses (403, 404, 429, 500, timeout), `everything` inputs and file inputs.
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { EXIT_CODES } from '../../src/engine/verdict.js';
import { FatalError } from '../../src/contract/errors.js';
import { R } from '../../src/k8s/resources.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { FileInputDef, ResourceInputDef } from '../../src/sources/input-def.js';
import { fetchAsFile } from '../../src/sources/file-inputs.js';
import { apiDiscoveryInput } from '../../src/sources/inputs/apis.js';
import { versionInput } from '../../src/sources/inputs/core.js';
import { LiveSource } from '../../src/sources/live.js';
import { loadKubeconfig } from '../../src/sources/live/kubeconfig.js';
import { TestApiServer } from '../support/apiserver.js';
import { liveOptions, namesInput, openTestLive, tempDir, type TempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const VELERO_BACKUPS = { group: 'velero.io', versions: ['v1'], resource: 'backups', kind: 'Backup', namespaced: true, crd: true };
const WIDGETS = { group: 'example.com', versions: ['v1'], resource: 'widgets', kind: 'Widget', namespaced: true, crd: true };

/** Pods of `prod` labelled web or api on lab-worker-1, and what the lab dump has of them. */
const PROD_WEB = namesInput('prod-web', R.pods, {
  namespace: 'prod',
  labelSelector: 'app in (web,api)',
  fieldSelector: 'spec.nodeName=lab-worker-1',
});
const PROD_WEB_PODS = ['prod/api-6fd4c54998-5kspm', 'prod/api-6fd4c54998-mg79d', 'prod/web-6df74f9d6c-587th'];

let server: TestApiServer;
let dir: TempDir;
let kubeconfig: string;

beforeAll(async () => {
  server = await TestApiServer.start(LAB);
  dir = tempDir();
  kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
});
afterAll(async () => {
  await server.close();
  dir.remove();
});
beforeEach(() => server.reset());

async function read(defs: Array<ResourceInputDef | FileInputDef>, tuning: Parameters<typeof openTestLive>[2] = {}) {
  const { source, waits } = await openTestLive(server, kubeconfig, tuning);
  try {
    const inputs = await source.read(defs, source.context.options);
    return { inputs, waits, sent: source.http.sent };
  } finally {
    await source.close();
  }
}

function fatal(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => {
      throw new Error('expected a FatalError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(FatalError);
      return (e as Error).message;
    },
  );
}

describe('opening: kubeconfig, context, reachability', () => {
  it('uses the current-context and reports the source', async () => {
    const { source } = await openTestLive(server, kubeconfig);
    await source.close();
    expect(source.info).toEqual({ type: 'live', location: server.url, context: 'test', server: server.url, warnings: [] });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /version']);
  });

  it('refuses an unknown --context, listing the available ones', async () => {
    const msg = await fatal(LiveSource.open(liveOptions(kubeconfig, 'tset')));
    expect(msg).toBe(`--context "tset" is not in kubeconfig ${kubeconfig} (available: test, bad-token, wrong-ca, unreachable)`);
    expect(server.requests).toEqual([]);
  });

  it('names a missing kubeconfig file, and never falls back to localhost:8080', async () => {
    const missing = join(dir.path, 'nope.yaml');
    expect(await fatal(LiveSource.open(liveOptions(missing)))).toBe(`kubeconfig ${missing} does not exist`);
    expect(() => loadKubeconfig({}, { home: dir.path })).toThrow(`no kubeconfig: ${join(dir.path, '.kube', 'config')} does not exist`);
    expect(() => loadKubeconfig({}, { KUBECONFIG: missing })).toThrow('none of the files in $KUBECONFIG exists');
  });

  it('uses the pod service account when there is no kubeconfig, as kubectl does in a pod', async () => {
    const prefix = join(dir.path, 'pod');
    const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), server.token);
    writeFileSync(join(sa, 'ca.crt'), server.caPem);
    const port = new URL(server.url).port;
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = port;
    try {
      const env = { home: join(dir.path, 'no-home'), serviceHost: '127.0.0.1', serviceAccountPrefix: prefix };
      const conn = loadKubeconfig({}, env);
      expect(conn).toMatchObject({ kubeconfigPath: 'in-cluster service account', context: 'inClusterContext', server: server.url });
      const creds = await conn.credentials();
      expect(creds.headers).toMatchObject({ Authorization: `Bearer ${server.token}` });
      expect(() => loadKubeconfig({ context: 'prod' }, env)).toThrow('--context "prod" needs a kubeconfig');
      expect(() => loadKubeconfig({}, { ...env, serviceHost: undefined })).toThrow('no kubeconfig');
    } finally {
      for (const [k, v] of [
        ['KUBERNETES_SERVICE_HOST', saved.host],
        ['KUBERNETES_SERVICE_PORT', saved.port],
      ] as const) {
        if (v === undefined) Reflect.deleteProperty(process.env, k);
        else process.env[k] = v;
      }
    }
  });

  it('says what is wrong with a file that is not a kubeconfig', async () => {
    const bad = join(dir.path, 'bad.yaml');
    writeFileSync(bad, 'clusters:\n- name: x\n  cluster: {}\n');
    expect(await fatal(LiveSource.open(liveOptions(bad)))).toBe(
      `kubeconfig ${bad} is not a valid kubeconfig: clusters[0].cluster.server is missing`,
    );
    const noCurrent = join(dir.path, 'no-current.yaml');
    writeFileSync(noCurrent, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: a\n  context: {cluster: a, user: a}\n');
    expect(await fatal(LiveSource.open(liveOptions(noCurrent)))).toBe(
      `kubeconfig ${noCurrent} has no current-context; choose one with --context (available: a)`,
    );
  });

  it('merges the files of $KUBECONFIG, the first one winning', () => {
    const first = join(dir.path, 'first.yaml');
    writeFileSync(first, 'apiVersion: v1\nkind: Config\ncurrent-context: wrong-ca\n');
    const conn = loadKubeconfig({}, { KUBECONFIG: [join(dir.path, 'absent.yaml'), first, kubeconfig].join(':') });
    expect(conn.context).toBe('wrong-ca');
    expect(conn.server).toBe(server.url);
  });

  it.each([
    [
      'unreachable',
      /^cannot reach the API server https:\/\/127\.0\.0\.1:9 \(context "unreachable"\): connection to 127\.0\.0\.1:9 refused$/,
    ],
    [
      'wrong-ca',
      /^cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(context "wrong-ca"\): TLS handshake with 127\.0\.0\.1:\d+ failed: .* \(\w+\)$/,
    ],
    ['bad-token', /^the API server https:\/\/127\.0\.0\.1:\d+ \(context "bad-token"\) rejected the credentials \(401 Unauthorized\)$/],
  ])('context %s: one-line fatal error', async (context, expected) => {
    const msg = await fatal(LiveSource.open(liveOptions(kubeconfig, context)));
    expect(msg).toMatch(expected);
    expect(msg).not.toContain('\n');
  });
});

describe('lists', () => {
  it('pages through a list with limit and continue', async () => {
    const { inputs } = await read([namesInput('ns', R.namespaces)], { pageLimit: 2 });
    expect(inputs.get('ns')).toMatchObject({ status: 'ok', count: 9 });
    expect(inputs.get('ns')!.value).toEqual([
      'ci',
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'monitoring',
      'prod',
      'staging',
      'velero',
    ]);
    const lists = server.requests.filter((r) => r.path === '/api/v1/namespaces');
    expect(lists).toHaveLength(5);
    expect(lists[0]!.url).toBe('/api/v1/namespaces?limit=2');
    expect(lists[1]!.url).toMatch(/^\/api\/v1\/namespaces\?limit=2&continue=.+/);
  });

  it('sends the selection: namespace path, label and field selectors', async () => {
    const { inputs } = await read([PROD_WEB]);
    expect(inputs.get('prod-web')!.value).toEqual(PROD_WEB_PODS);
    const urls = server.requests.filter((r) => r.path.endsWith('/pods')).map((r) => decodeURIComponent(r.url.replace(/\+/g, ' ')));
    expect(urls).toEqual([
      '/api/v1/namespaces/prod/pods?labelSelector=app in (web,api)&fieldSelector=spec.nodeName=lab-worker-1&limit=500',
    ]);
  });

  it('reads a selection from the whole list of its resource when that is listed too', async () => {
    const { inputs } = await read([PROD_WEB, namesInput('all-pods', R.pods)]);
    expect(inputs.get('prod-web')).toMatchObject({ status: 'ok', value: PROD_WEB_PODS, sources: ['/api/v1/pods'] });
    expect(inputs.get('all-pods')!.count).toBe(11);
    expect(server.requests.filter((r) => r.path.endsWith('/pods')).map((r) => r.url)).toEqual(['/api/v1/pods?limit=500']);
  });

  it('sends the selection on its own when the whole list fails', async () => {
    server.fault('/api/v1/pods', { status: 403 });
    const { inputs } = await read([PROD_WEB, namesInput('all-pods', R.pods)]);
    expect(inputs.get('prod-web')).toMatchObject({ status: 'ok', value: PROD_WEB_PODS });
    expect(inputs.get('all-pods')).toMatchObject({ status: 'forbidden', count: 0 });
    expect(server.requests.filter((r) => r.path.endsWith('/pods')).map((r) => r.path)).toEqual([
      '/api/v1/pods',
      '/api/v1/namespaces/prod/pods',
    ]);
  });

  it('lists each distinct resource and selection once, however many inputs read it', async () => {
    await read([namesInput('a', R.nodes), namesInput('b', R.nodes)]);
    expect(server.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(1);
  });

  it('lists CRD resources, whose items already carry kind and apiVersion', async () => {
    const { inputs } = await read([namesInput('backups', VELERO_BACKUPS)]);
    expect(inputs.get('backups')).toMatchObject({ status: 'ok', count: 2 });
  });

  it('restarts a list once when its continue token expired (410)', async () => {
    server.expireContinue('/api/v1/namespaces', 1);
    const { inputs } = await read([namesInput('ns', R.namespaces)], { pageLimit: 4 });
    expect(inputs.get('ns')).toMatchObject({ status: 'ok', count: 9 });
    expect(server.requests.filter((r) => r.path === '/api/v1/namespaces').map((r) => r.url.includes('continue'))).toEqual([
      false,
      true,
      false,
      true,
      true,
    ]);
  });
});

describe('discovery and versions', () => {
  it('lists the first version of an ApiResource that the server serves', async () => {
    const flowschemas = {
      group: 'flowcontrol.apiserver.k8s.io',
      versions: ['v1', 'v1beta3', 'v1beta2'],
      resource: 'flowschemas',
      kind: 'FlowSchema',
      namespaced: false,
    };
    const { inputs } = await read([namesInput('fs', flowschemas), namesInput('pdb', R.poddisruptionbudgets)]);
    expect(inputs.get('fs')).toMatchObject({ status: 'ok', count: 14 });
    expect(inputs.get('pdb')).toMatchObject({ status: 'ok', count: 4 });
    const paths = server.requests.map((r) => r.path);
    expect(paths).toContain('/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas');
    expect(paths).not.toContain('/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas');
    expect(paths).not.toContain('/apis/flowcontrol.apiserver.k8s.io/v1beta2');
    expect(paths).toContain('/apis/policy/v1/poddisruptionbudgets');
  });

  it('reads only the discovery documents of the groups it needs', async () => {
    await read([namesInput('pdb', R.poddisruptionbudgets)]);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/version',
      '/api',
      '/apis',
      '/apis/policy/v1',
      '/apis/policy/v1/poddisruptionbudgets',
    ]);
  });

  it('a CRD that is not installed is absent, with no list sent', async () => {
    const { inputs } = await read([namesInput('widgets', WIDGETS)]);
    expect(inputs.get('widgets')).toMatchObject({ status: 'absent', value: [], count: 0 });
    expect(server.requests.some((r) => r.path.includes('widgets'))).toBe(false);
  });

  it('a built-in the server does not serve is absent', async () => {
    const vap = {
      group: 'admissionregistration.k8s.io',
      versions: ['v1', 'v1beta1'],
      resource: 'validatingadmissionpolicies',
      kind: 'ValidatingAdmissionPolicy',
      namespaced: false,
    };
    const { inputs } = await read([namesInput('vap', vap)]);
    expect(inputs.get('vap')).toMatchObject({ status: 'absent', value: [] });
  });

  it('a 404 on a CRD list (uninstalled since discovery) is absent', async () => {
    server.fault('/apis/velero.io/v1/backups', { status: 404 });
    const { inputs } = await read([namesInput('backups', VELERO_BACKUPS)]);
    expect(inputs.get('backups')).toMatchObject({ status: 'absent', value: [] });
  });

  it('a discovery document that fails makes its resources failed', async () => {
    server.fault('/apis/policy/v1', { status: 503 });
    const { inputs } = await read([namesInput('pdb', R.poddisruptionbudgets)], { retry: { maxAttempts: 2 } });
    expect(inputs.get('pdb')).toMatchObject({ status: 'failed' });
    expect(inputs.get('pdb')!.reason).toBe(
      'discovery of policy/v1 failed: GET /apis/policy/v1: HTTP 503 Service Unavailable: injected HTTP 503 for /apis/policy/v1',
    );
  });
});

describe('statuses', () => {
  it('403 → forbidden, with the server message', async () => {
    server.fault('/api/v1/nodes', { status: 403 });
    const { inputs } = await read([namesInput('nodes', R.nodes)]);
    expect(inputs.get('nodes')).toEqual({
      key: 'nodes',
      status: 'forbidden',
      reason: 'GET /api/v1/nodes: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/nodes',
      count: 0,
      sources: [],
      partial: [
        {
          source: 'nodes',
          status: 'forbidden',
          reason: 'GET /api/v1/nodes: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/nodes',
          subjects: 'Nodes',
          resource: { apiVersion: 'v1', kind: 'Node', name: '*' },
        },
      ],
    });
  });

  it('429 with Retry-After is retried, honouring the wait', async () => {
    server.fault('/api/v1/nodes', { status: 429, times: 2, retryAfter: 1 });
    const { inputs, waits } = await read([namesInput('nodes', R.nodes)]);
    expect(inputs.get('nodes')).toMatchObject({ status: 'ok', count: 5 });
    expect(waits).toEqual([1000, 1000]);
  });

  it('500 is retried, then the input fails', async () => {
    server.fault('/api/v1/nodes', { status: 500 });
    const { inputs, waits } = await read([namesInput('nodes', R.nodes)]);
    expect(inputs.get('nodes')).toMatchObject({
      status: 'failed',
      reason: 'GET /api/v1/nodes: HTTP 500 Internal Server Error: injected HTTP 500 for /api/v1/nodes',
    });
    expect(server.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(5);
    expect(waits).toHaveLength(4);
  });

  it('a list that times out fails', async () => {
    server.fault('/api/v1/nodes', { delayMs: 3000 });
    const source = await LiveSource.open({ ...liveOptions(kubeconfig), requestTimeoutMs: 300 });
    const inputs = await source.read([namesInput('nodes', R.nodes)], source.context.options);
    await source.close();
    expect(inputs.get('nodes')).toMatchObject({
      status: 'failed',
      reason: 'GET /api/v1/nodes: no response within 300ms (--request-timeout)',
    });
    expect(server.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(1);
  });

  it('403 on nodes: the check is error and the verdict INCOMPLETE (exit 3)', async () => {
    server.fault('/api/v1/nodes', { status: 403 });
    const { source } = await openTestLive(server, kubeconfig);
    const registry = new Registry(await loadBuiltinChecks());
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      only: ['versions-node-readiness'],
      now: new Date('2026-11-23T07:00:18Z'),
      failOn: 'critical',
      options: source.context.options,
    });
    await source.close();
    expect(report.checks).toMatchObject([{ id: 'versions-node-readiness', status: 'error' }]);
    expect(report.checks[0]!.reason).toContain('forbidden');
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(EXIT_CODES[report.summary.verdict]).toBe(3);
  });
});

describe('inputs that read everything', () => {
  const everything = (exclude: string[]): ResourceInputDef<string> => ({
    type: 'resources',
    key: 'all',
    description: 'test: every object',
    resources: [],
    everything: { exclude },
    normalize: (o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
  });

  it('lists every listable resource but events and the excluded ones; unreadable ones go to partial', async () => {
    server.fault('/api/v1/secrets', { status: 403 });
    const { inputs } = await read([everything(['configmaps']), namesInput('pods', R.pods)]);
    const all = inputs.get('all')!;
    expect(all.status).toBe('ok');
    expect(all.partial).toEqual([
      {
        source: 'secrets',
        status: 'forbidden',
        reason: 'GET /api/v1/secrets: HTTP 403 Forbidden: injected HTTP 403 for /api/v1/secrets',
        subjects: 'Secrets',
        resource: { apiVersion: 'v1', kind: 'Secret', name: '*' },
      },
    ]);
    const values = all.value as string[];
    expect(values).toContain('velero.io/v1 Backup velero/daily-full-20261114020000');
    expect(values.some((v) => v.includes(' ConfigMap '))).toBe(false);
    expect(values.filter((v) => v.startsWith('v1 Pod '))).toHaveLength(11);
    const paths = server.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/api/v1/pods')).toHaveLength(1);
    expect(paths.some((p) => p.endsWith('/events') || p.includes('/status'))).toBe(false);
    expect(paths).toContain('/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas');
    expect(paths).not.toContain('/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas');
  });

  it('a group-version whose discovery fails goes to partial', async () => {
    server.fault('/apis/velero.io/v1', { status: 503 });
    const { inputs } = await read([everything([])], { retry: { maxAttempts: 1 } });
    expect(inputs.get('all')!.status).toBe('ok');
    expect(inputs.get('all')!.partial).toEqual([
      {
        source: 'velero.io/v1',
        status: 'failed',
        reason:
          'discovery of velero.io/v1 failed: GET /apis/velero.io/v1: HTTP 503 Service Unavailable: injected HTTP 503 for /apis/velero.io/v1',
        subjects: 'every resource of velero.io/v1',
        resource: { apiVersion: 'velero.io/v1', kind: '*', name: '*' },
      },
    ]);
  });
});

describe('progress', () => {
  it('reports each input starting, its object count per page, and its final status', async () => {
    const events: string[] = [];
    const progress = {
      start: (k: string) => events.push(`start ${k}`),
      update: (k: string, n: number) => events.push(`update ${k} ${n}`),
      done: (k: string, st: string) => events.push(`done ${k} ${st}`),
    };
    server.fault('/api/v1/nodes', { status: 403 });
    const { source } = await openTestLive(server, kubeconfig, { pageLimit: 5 });
    await source.read([namesInput('ns', R.namespaces), namesInput('nodes', R.nodes)], source.context.options, progress);
    await source.close();
    expect(events.filter((e) => e.includes(' ns'))).toEqual(['start ns', 'update ns 5', 'update ns 9', 'done ns ok']);
    expect(events.filter((e) => e.includes(' nodes'))).toEqual(['start nodes', 'done nodes forbidden']);
  });
});

describe('file inputs', () => {
  it('fetch through the context: GET, the TLS chain, and the reason when the API cannot give them', async () => {
    const metrics: FileInputDef<number> = {
      type: 'files',
      key: 'metrics',
      description: 'test: metrics lines',
      files: ['metrics/apiserver.txt'],
      async live(ctx) {
        const res = await ctx.get('/metrics', { accept: 'text/plain' });
        const chain = await ctx.peerCertificates();
        return {
          status: 'ok',
          files: [
            { path: 'metrics/apiserver.txt', content: res.body },
            { path: 'pki/apiserver.crt', content: Buffer.from(new X509Certificate(chain[0]!).toString()) },
          ],
        };
      },
      parse: (files) => ({ value: files[0]!.content.toString().split('\n').length }),
    };
    const pki: FileInputDef<number> = {
      type: 'files',
      key: 'pki',
      description: 'test: pki',
      files: ['pki/'],
      parse: (f) => ({ value: f.length }),
    };
    const { inputs } = await read([metrics, pki]);
    expect(inputs.get('metrics')).toMatchObject({ status: 'ok', value: 17206 });
    expect(inputs.get('pki')).toEqual({
      key: 'pki',
      status: 'missing',
      reason: 'not readable through the Kubernetes API: only in a dump (pki/)',
    });
  });
  it('reuse the answers to GET /version and the discovery documents instead of asking again', async () => {
    const { inputs } = await read([versionInput, apiDiscoveryInput, namesInput('pdb', R.poddisruptionbudgets)]);
    expect(inputs.get('version')).toMatchObject({ status: 'ok', value: { gitVersion: 'v1.26.4' } });
    expect(inputs.get('api-discovery')).toMatchObject({ status: 'ok' });
    expect((inputs.get('api-discovery')!.value as { groupVersions: string[] }).groupVersions).toContain('policy/v1');
    expect(server.requests.map((r) => r.url).sort()).toEqual([
      '/api',
      '/apis',
      '/apis/policy/v1',
      '/apis/policy/v1/poddisruptionbudgets?limit=500',
      '/version',
    ]);
  });

  it('a file input asking for another media type gets its own request', async () => {
    const raw: FileInputDef<string> = {
      type: 'files',
      key: 'raw-version',
      description: 'test: /version as text',
      files: ['version.txt'],
      live: (ctx) => fetchAsFile(ctx, '/version', 'version.txt', { accept: 'text/plain' }),
      parse: (files) => ({ value: files[0]!.content.toString().length > 0 ? 'read' : 'empty' }),
    };
    const { inputs } = await read([raw]);
    expect(inputs.get('raw-version')).toMatchObject({ status: 'ok', value: 'read' });
    expect(server.requests.map((r) => r.url)).toEqual(['/version', '/version']);
  });
});
