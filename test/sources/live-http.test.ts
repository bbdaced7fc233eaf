/**
 * The HTTP layer of live scans: the GET-only guard, retries (429 with Retry-After, 5xx),
 * the per-request timeout, gzip, and the server's certificate chain.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { ApiHttp, ReadOnlyViolation, send, TransportError } from '../../src/sources/live/http.js';
import { TestApiServer, TEST_USER } from '../support/apiserver.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
let server: TestApiServer;

beforeAll(async () => {
  server = await TestApiServer.start(LAB);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function client(o: { timeoutMs?: number; maxAttempts?: number } = {}): { http: ApiHttp; waits: number[] } {
  const waits: number[] = [];
  const http = new ApiHttp({
    server: server.url,
    credentials: async () => ({ ca: server.caPem, headers: { Authorization: `Bearer ${server.token}` } }),
    timeoutMs: o.timeoutMs ?? 10_000,
    retry: { maxAttempts: o.maxAttempts ?? 5 },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { http, waits };
}

describe('send: the GET-only guard', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post'])('refuses %s before anything is sent', async (method) => {
    const url = new URL('/api/v1/namespaces', server.url);
    await expect(send(url, { method, ca: server.caPem, timeoutMs: 5000 })).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect(server.requests).toEqual([]);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('refuses %s even to the review path', async (method) => {
    const url = new URL('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', server.url);
    await expect(send(url, { method, ca: server.caPem, timeoutMs: 5000 })).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect(server.requests).toEqual([]);
  });

  it('allows a POST of a SelfSubjectReview ("who am I?") but not of another authentication review', async () => {
    const http = new ApiHttp({
      server: server.url,
      credentials: async () => ({ ca: server.caPem, headers: { Authorization: `Bearer ${server.token}` } }),
      timeoutMs: 5000,
    });
    try {
      const res = await http.selfReview('/apis/authentication.k8s.io/v1/selfsubjectreviews');
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body.toString())).toMatchObject({ kind: 'SelfSubjectReview', status: { userInfo: TEST_USER } });
      const tokenReview = new URL('/apis/authentication.k8s.io/v1/tokenreviews', server.url);
      await expect(send(tokenReview, { method: 'POST', body: '{}', ca: server.caPem, timeoutMs: 5000 })).rejects.toBeInstanceOf(
        ReadOnlyViolation,
      );
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /apis/authentication.k8s.io/v1/selfsubjectreviews']);
    } finally {
      http.close();
    }
  });

  it('allows a POST only of a SelfSubjectAccessReview, which the server answers and stores nowhere', async () => {
    const http = new ApiHttp({
      server: server.url,
      credentials: async () => ({ ca: server.caPem, headers: { Authorization: `Bearer ${server.token}` } }),
      timeoutMs: 5000,
    });
    try {
      const res = await http.accessReview({ resourceAttributes: { verb: 'list', group: '', resource: 'secrets' } });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body.toString())).toMatchObject({ kind: 'SelfSubjectAccessReview', status: { allowed: true } });
      await expect(
        send(new URL('/api/v1/namespaces/default/pods', server.url), { method: 'POST', body: '{}', ca: server.caPem, timeoutMs: 5000 }),
      ).rejects.toBeInstanceOf(ReadOnlyViolation);
      expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    } finally {
      http.close();
    }
  });

  it('sends GET', async () => {
    const res = await send(new URL('/version', server.url), {
      ca: server.caPem,
      headers: { Authorization: `Bearer ${server.token}` },
      timeoutMs: 5000,
    });
    expect(res.status).toBe(200);
    expect(server.requests.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('ApiHttp', () => {
  it('retries 429, waiting the Retry-After seconds', async () => {
    const { http, waits } = client();
    server.fault('/api/v1/nodes', { status: 429, times: 2, retryAfter: 3 });
    const res = await http.get('/api/v1/nodes?limit=500');
    http.close();
    expect(res.status).toBe(200);
    expect(waits).toEqual([3000, 3000]);
    expect(server.requests.filter((r) => r.path === '/api/v1/nodes')).toHaveLength(3);
  });

  it('retries 500 with a growing backoff, then returns the last response', async () => {
    const { http, waits } = client({ maxAttempts: 4 });
    server.fault('/api/v1/pods', { status: 500 });
    const res = await http.get('/api/v1/pods');
    http.close();
    expect(res.status).toBe(500);
    expect(server.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
    // base 500 ms doubled each time, halved at random at most
    expect(waits[0]).toBeGreaterThanOrEqual(250);
    expect(waits[0]).toBeLessThanOrEqual(500);
    expect(waits[2]).toBeGreaterThanOrEqual(1000);
    expect(waits[2]).toBeLessThanOrEqual(2000);
  });

  it('does not retry 403 or 404', async () => {
    const { http } = client();
    server.fault('/api/v1/secrets', { status: 403 });
    expect((await http.get('/api/v1/secrets')).status).toBe(403);
    expect((await http.get('/apis/example.com/v1/widgets')).status).toBe(404);
    http.close();
    expect(server.requests).toHaveLength(2);
  });

  it('fails a request that takes longer than the timeout, without retrying it', async () => {
    const { http } = client({ timeoutMs: 200 });
    server.fault('/version', { delayMs: 5000 });
    const err = await http.get('/version').catch((e: unknown) => e);
    http.close();
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('TIMEOUT');
    expect((err as Error).message).toBe('no response within 200ms (--request-timeout)');
    expect(server.requests).toHaveLength(1);
  });

  it('reads gzipped responses', async () => {
    const { http } = client();
    const res = await http.get('/metrics', { accept: 'text/plain' });
    http.close();
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.body.toString('utf8')).toContain('apiserver_requested_deprecated_apis');
  });

  it('gives the server certificate chain, leaf first', async () => {
    const { http } = client();
    const res = await http.get('/version', { peerCertificates: true });
    http.close();
    const chain = res.peerCertificates!.map((d) => new X509Certificate(d));
    expect(chain[0]!.subject).toBe('CN=kube-apiserver');
    expect(chain[0]!.raw.equals(new X509Certificate(server.pki.certPem).raw)).toBe(true);
    expect(chain.at(-1)!.subject).toBe('CN=kube-preflight-test-ca');
  });

  it('names a refused connection in one line', async () => {
    const http = new ApiHttp({ server: 'https://127.0.0.1:9', credentials: async () => ({}), timeoutMs: 5000 });
    const err = (await http.get('/version').catch((e: unknown) => e)) as TransportError;
    http.close();
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe('connection to 127.0.0.1:9 refused');
  });
});
