/**
 * Paging (`listPaged`) against a scripted client: the next page is asked for before the
 * current one is handed over — as soon as its head gives the `continue` token when `metadata`
 * comes before the items — and a consumer that fails does not leave a rejection behind.
 */
import { describe, expect, it } from 'vitest';
import type { BodyObserver, HttpResponse } from '../../src/sources/live/http.js';
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

  it('a body that is not JSON fails the list, naming where, never quoting it', async () => {
    const body = Buffer.from('hunter2 is not a list');
    const http = scripted([{ status: 200, headers: { 'content-type': 'application/json' }, body }]);
    const outcome = await listPaged(http, PODS, () => undefined);
    expect(outcome).toEqual({
      status: 'failed',
      reason: 'GET /api/v1/pods:1:1: invalid JSON: expected a value (object, array, string, number, true, false or null)',
      items: 0,
      pages: 0,
    });
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

  describe('reading the continue token from the head of a page', () => {
    /**
     * A client that answers each request with the next of `bodies`, streamed to the request's
     * observer in two parts: the first `headBytes` bytes, then — when the test calls `finish` —
     * the rest, after which the response resolves.
     */
    function streaming(bodies: string[], headBytes: number) {
      const urls: string[] = [];
      const finishers: Array<() => void> = [];
      const get = (path: string, o: { observe?: BodyObserver } = {}): Promise<HttpResponse> => {
        urls.push(path);
        const body = bodies.shift();
        if (body === undefined) return Promise.reject(new Error(`unexpected request ${path}`));
        const bytes = Buffer.from(body);
        const watch = o.observe?.(200);
        watch?.(bytes.subarray(0, headBytes));
        return new Promise((resolve) => {
          finishers.push(() => {
            watch?.(bytes.subarray(headBytes));
            resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: bytes });
          });
        });
      };
      const finish = async (): Promise<void> => {
        finishers.shift()!();
        await new Promise((r) => setTimeout(r, 0));
      };
      return { get, urls, finish };
    }
    const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
    const body = (p: HttpResponse): string => p.body.toString('utf8');

    it('asks for the next page when the head of the page has arrived, before the rest of it', async () => {
      const first = body(page(['a', 'b'], 't1'));
      const http = streaming([first, body(page(['c']))], first.indexOf('"items"'));
      const names: string[] = [];
      const listing = listPaged(http, PODS, (p) => void names.push(...p.map((i) => i.metadata.name!)), 2);
      await settle();
      expect(http.urls).toEqual(['/api/v1/pods?limit=2', '/api/v1/pods?limit=2&continue=t1']);
      expect(names).toEqual([]);
      await http.finish();
      await http.finish();
      expect(await listing).toEqual({ status: 'ok', items: 3, pages: 2 });
      expect(names).toEqual(['a', 'b', 'c']);
      expect(http.urls).toHaveLength(2);
    });

    it('waits for the whole page when its items come before its metadata (a custom resource list)', async () => {
      const crd = (names: string[], next?: string): string =>
        JSON.stringify({
          apiVersion: 'example.com/v1',
          items: names.map((name) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: 'prod' } })),
          kind: 'WidgetList',
          metadata: { resourceVersion: '42', ...(next ? { continue: next } : {}) },
        });
      const first = crd(['a'], 't1');
      const http = streaming([first, crd(['b'])], first.length - 20);
      const target: ListTarget = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true, crd: true };
      const listing = listPaged(http, target, () => undefined, 1);
      await settle();
      expect(http.urls).toEqual(['/apis/example.com/v1/widgets?limit=1']);
      await http.finish();
      expect(http.urls).toEqual(['/apis/example.com/v1/widgets?limit=1', '/apis/example.com/v1/widgets?limit=1&continue=t1']);
      await http.finish();
      expect(await listing).toEqual({ status: 'ok', items: 2, pages: 2 });
    });

    it('asks for the token the parsed page names when its head named another (duplicate metadata)', async () => {
      const first =
        '{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"early"},"items":[{"metadata":{"name":"a"}}],"metadata":{"continue":"t1"}}';
      const http = streaming([first, body(page(['b'])), body(page(['c']))], first.indexOf('"items"'));
      const names: string[] = [];
      const listing = listPaged(http, PODS, (p) => void names.push(...p.map((i) => i.metadata.name!)), 1);
      await settle();
      await http.finish();
      expect(http.urls).toEqual(['/api/v1/pods?limit=1', '/api/v1/pods?limit=1&continue=early', '/api/v1/pods?limit=1&continue=t1']);
      await http.finish();
      await http.finish();
      expect(await listing).toEqual({ status: 'ok', items: 2, pages: 2 });
      expect(names).toEqual(['a', 'c']);
    });
  });
});
