/**
 * Paging (`listPaged`) against a scripted client: the next page is asked for before the
 * current one is handed over, and a consumer that fails does not leave a rejection behind.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/sources/live/http.js';
import { listPaged, type ListTarget } from '../../src/sources/live/list.js';

const PODS: ListTarget = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

/** A PodList page of pods `names`, continuing with `next` when given. */
function page(names: string[], next?: string): HttpResponse {
  const doc = {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '42', ...(next ? { continue: next } : {}) },
    items: names.map((name) => ({ metadata: { name, namespace: 'prod' }, spec: { nodeName: 'worker-1' } })),
  };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(doc)) };
}

/** A client answering each request with the next of `answers` (a response, or an error to reject with). */
function scripted(answers: Array<HttpResponse | Error>): { get: (path: string) => Promise<HttpResponse>; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    get: (path) => {
      urls.push(path);
      const a = answers.shift();
      if (a === undefined) return Promise.reject(new Error(`unexpected request ${path}`));
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
  };
}

describe('listPaged', () => {
  it('asks for the next page before handing the current one over', async () => {
    const http = scripted([page(['a', 'b'], 't1'), page(['c', 'd'], 't2'), page(['e'])]);
    const seen: Array<{ names: string[]; requested: number }> = [];
    const outcome = await listPaged(
      http,
      PODS,
      (items) => {
        seen.push({ names: items.map((i) => i.metadata.name!), requested: http.urls.length });
      },
      2,
    );
    expect(outcome).toEqual({ status: 'ok', items: 5, pages: 3 });
    expect(seen).toEqual([
      { names: ['a', 'b'], requested: 2 },
      { names: ['c', 'd'], requested: 3 },
      { names: ['e'], requested: 3 },
    ]);
    expect(http.urls).toEqual(['/api/v1/pods?limit=2', '/api/v1/pods?limit=2&continue=t1', '/api/v1/pods?limit=2&continue=t2']);
  });

  it('sets kind and apiVersion on the items it hands over', async () => {
    const http = scripted([page(['a'])]);
    const items: unknown[] = [];
    await listPaged(http, { ...PODS, group: 'example.com', kind: 'Widget', resource: 'widgets' }, (p) => void items.push(...p));
    expect(items).toEqual([
      { metadata: { name: 'a', namespace: 'prod' }, spec: { nodeName: 'worker-1' }, kind: 'Widget', apiVersion: 'example.com/v1' },
    ]);
  });

  it('a transport error on a page already asked for is the outcome, after the pages before it', async () => {
    const http = scripted([page(['a'], 't1'), new Error('connection to 127.0.0.1:6443 reset')]);
    const names: string[] = [];
    const outcome = await listPaged(http, PODS, (p) => void names.push(...p.map((i) => i.metadata.name!)), 1);
    expect(names).toEqual(['a']);
    expect(outcome).toEqual({ status: 'failed', reason: 'GET /api/v1/pods: connection to 127.0.0.1:6443 reset', items: 1, pages: 1 });
  });

  it('rejects with the consumer error; the page in flight, failing later, leaves no unhandled rejection', async () => {
    let fail!: (e: Error) => void;
    const later = new Promise<HttpResponse>((_, reject) => (fail = reject));
    const urls: string[] = [];
    const http = {
      get: (path: string): Promise<HttpResponse> => {
        urls.push(path);
        return urls.length === 1 ? Promise.resolve(page(['a'], 't1')) : later;
      },
    };
    await expect(
      listPaged(
        http,
        PODS,
        () => {
          throw new Error('disk full writing pods.json');
        },
        1,
      ),
    ).rejects.toThrow('disk full writing pods.json');
    expect(urls).toHaveLength(2);
    fail(new Error('connection reset'));
    await new Promise((r) => setTimeout(r, 10));
  });
});
