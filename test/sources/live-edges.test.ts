/**
 * Live scans at the edges: a resource forbidden among several (the input keeps the others and
 * lists the forbidden part), a server that is not a Kubernetes API (fatal), a permission plan
 * that does not ask about CRDs that are not installed, and a plain-HTTP server (`kubectl proxy`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { FatalError } from '../../src/contract/errors.js';
import { R } from '../../src/k8s/resources.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { workloadsInput } from '../../src/sources/inputs/pdb.js';
import { LiveSource } from '../../src/sources/live.js';
import type { ApiHttp } from '../../src/sources/live/http.js';
import { whoAmI } from '../../src/sources/live/identity.js';
import { permissionPlan } from '../../src/sources/live/permissions.js';
import { TestApiServer } from '../support/apiserver.js';
import { liveOptions, namesInput, openTestLive, tempDir, type TempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const WIDGETS = { group: 'example.com', versions: ['v1'], resource: 'widgets', kind: 'Widget', namespaced: true, crd: true };

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

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
}

describe('a live resource input by part', () => {
  it('a forbidden resource is a part; the input keeps the other resources', async () => {
    server.fault('/apis/apps/v1/statefulsets', { status: 403 });
    const { source } = await openTestLive(server, kubeconfig);
    try {
      const w = (await source.read([workloadsInput], source.context.options)).get('workloads')!;
      expect(w.status).toBe('ok');
      expect(w.reason).toBeUndefined();
      expect((w.value as unknown[]).length).toBeGreaterThan(0);
      expect(w.partial).toEqual([
        {
          source: 'statefulsets.apps',
          status: 'forbidden',
          reason: 'GET /apis/apps/v1/statefulsets: HTTP 403 Forbidden: injected HTTP 403 for /apis/apps/v1/statefulsets',
          subjects: 'StatefulSets',
          resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: '*' },
        },
      ]);
    } finally {
      await source.close();
    }
  });
});

describe('a server that is not a Kubernetes API', () => {
  it('404 on /version and /api: opening fails with one line', async () => {
    server.fault('/version', { status: 404 });
    server.fault('/api', { status: 404 });
    const e = await rejection(LiveSource.open(liveOptions(kubeconfig)));
    expect(e).toBeInstanceOf(FatalError);
    expect((e as Error).message).toBe(`${server.url}: not a Kubernetes API server (GET /api: 404 Not Found)`);
  });

  it('404 on /api when reading: the read fails with the same FatalError', async () => {
    const { source } = await openTestLive(server, kubeconfig);
    try {
      server.fault('/api', { status: 404 });
      const e = await rejection(source.read([namesInput('nodes', R.nodes)], source.context.options));
      expect(e).toBeInstanceOf(FatalError);
      expect((e as Error).message).toBe(`${server.url}: not a Kubernetes API server (GET /api: 404 Not Found)`);
    } finally {
      await source.close();
    }
  });
});

describe('permission plan', () => {
  it('asks only about served resources: a CRD that is not installed is not asked about', async () => {
    server.fault('/apis/example.com/v1/widgets', { status: 403 });
    server.fault('/api/v1/nodes', { status: 403 });
    const { source } = await openTestLive(server, kubeconfig);
    try {
      const plan = await source.permissionPlan([namesInput('widgets', WIDGETS), namesInput('nodes', R.nodes)]);
      expect(plan).toEqual({ reviewed: 1, denied: [{ request: 'list nodes', inputs: ['nodes'], reason: 'denied by an injected 403' }] });
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      await source.close();
    }
  });
});

describe('review answers that are not JSON', () => {
  // A proxy's error page in place of the review: the errors say so and quote none of it.
  const page = { status: 201, headers: {}, body: Buffer.from('<html>token=not-for-errors</html>') };

  it('make the permission plan an error naming the review, not the body', async () => {
    const http = { accessReview: () => Promise.resolve(page) } as unknown as ApiHttp;
    const plan = await permissionPlan(http, [namesInput('nodes', R.nodes)]);
    expect(plan).toEqual({ reviewed: 1, denied: [], error: 'SelfSubjectAccessReview: the answer is not a JSON object' });
  });

  it('leave the user unknown, saying the answer is not JSON', async () => {
    const http = { selfReview: () => Promise.resolve(page) } as unknown as ApiHttp;
    expect(await whoAmI(http)).toEqual({ error: '/apis/authentication.k8s.io/v1/selfsubjectreviews: the answer is not JSON' });
  });
});

describe('a plain-HTTP server (kubectl proxy)', () => {
  let proxy: TestApiServer;
  beforeAll(async () => {
    proxy = await TestApiServer.start(LAB, { plainHttp: true });
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('scans through http:// as kubectl does: no TLS, no insecure-skip-tls-verify, no user needed', async () => {
    const file = join(dir.path, 'proxy-kubeconfig');
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        'current-context': 'proxy',
        clusters: [{ name: 'proxy', cluster: { server: proxy.url } }],
        users: [{ name: 'someone', user: { token: 'ignored-by-the-proxy' } }],
        contexts: [
          { name: 'proxy', context: { cluster: 'proxy' } },
          { name: 'with-user', context: { cluster: 'proxy', user: 'someone' } },
        ],
      }),
    );
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const context of ['proxy', 'with-user']) {
      const source = await LiveSource.open(liveOptions(file, context), { sleep: () => Promise.resolve() });
      try {
        expect(source.info.server).toBe(proxy.url);
        const plan = await source.permissionPlan([namesInput('nodes', R.nodes)]);
        expect(plan).toEqual({ reviewed: 1, denied: [] });
        const nodes = (await source.read([namesInput('nodes', R.nodes)], source.context.options)).get('nodes')!;
        expect(nodes).toMatchObject({ status: 'ok', count: 5 });
      } finally {
        await source.close();
      }
    }
    expect(proxy.writes()).toEqual([]);
  });
});
