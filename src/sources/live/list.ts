/**
 * Paged LIST requests (README, "What a scan costs"): `limit` items a page, following `continue`
 * tokens; each page's items are handed over and dropped before the next page is requested.
 * A `410 Gone` on a continued page (the token expired: the server compacted past its
 * resourceVersion) restarts the list once from the beginning; items seen twice collapse
 * downstream by identity.
 *
 * Items of an API list carry no `kind`/`apiVersion` (built-in types); they are set from the
 * listed kind and the requested group-version.
 */
import { JSONParser } from '@streamparser/json';
import type { InputStatus } from '../../contract/inputs.js';
import { isRecord, type KubeObject } from '../../k8s/objects.js';
import { jsonErrorMessage } from '../../k8s/parse-errors.js';
import type { Selection } from '../input-def.js';
import { describeStatus, type ApiHttp, type BodyObserver, type HttpResponse } from './http.js';

/** Items a page: what kubectl and the API server's own clients use. */
export const PAGE_LIMIT = 500;

export interface ListTarget {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Served by a CustomResourceDefinition: a 404 means it was uninstalled (`absent`). */
  crd?: boolean;
  select?: Selection;
}

export interface ListOutcome {
  status: InputStatus;
  reason?: string;
  /** Items handed over (across a restart, items read twice count twice). */
  items: number;
  pages: number;
}

/** The collection path, with the selection's namespace and selectors: `/api/v1/namespaces/kube-system/pods?labelSelector=…`. */
export function listPath(t: ListTarget): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  const ns = t.namespaced && t.select?.namespace ? `/namespaces/${encodeURIComponent(t.select.namespace)}` : '';
  const q = new URLSearchParams();
  if (t.select?.labelSelector) q.set('labelSelector', t.select.labelSelector);
  if (t.select?.fieldSelector) q.set('fieldSelector', t.select.fieldSelector);
  const query = q.toString();
  return `${base}${ns}/${t.resource}${query ? `?${query}` : ''}`;
}

/** Bytes of a page's body read for its `continue` token before the rest of it is waited for. */
const HEAD_BYTES = 64 * 1024;
/** Bytes given to the head's parser at a time: it reads all it is given, and past the head are items. */
const HEAD_SLICE = 1024;

/**
 * The top-level `metadata` of a list response, read from the first chunks of its body as they
 * arrive (`@streamparser/json`, fed at most `HEAD_BYTES`). Resolves with `{ metadata }` once the
 * object is read, or with undefined when it cannot be read first: the items come before it
 * (an unstructured list of a custom resource: keys in alphabetical order), there is none, the
 * head is not JSON, or the response is not 200. The API server writes a built-in list's
 * `kind`, `apiVersion` and `metadata` before its `items` (the order of the Go types' fields).
 */
function headMetadata(): { observe: BodyObserver; metadata: Promise<{ metadata: unknown } | undefined>; settle: () => void } {
  let settle!: (v: { metadata: unknown } | undefined) => void;
  const metadata = new Promise<{ metadata: unknown } | undefined>((resolve) => (settle = resolve));
  const observe: BodyObserver = (status) => {
    if (status !== 200) return undefined;
    const parser = new JSONParser({ paths: ['$.metadata', '$.items.*'], keepStack: false });
    let done = false;
    let fed = 0;
    parser.onValue = ({ value, key, stack }) => {
      done = true;
      settle(key === 'metadata' && stack.length === 1 ? { metadata: value } : undefined);
    };
    return (chunk) => {
      for (let at = 0; !done && at < chunk.length; at += HEAD_SLICE) {
        try {
          parser.write(chunk.subarray(at, at + HEAD_SLICE));
        } catch {
          done = true;
        }
        fed += HEAD_SLICE;
        if (fed >= HEAD_BYTES) done = true;
      }
      if (done) settle(undefined);
    };
  };
  return { observe, metadata, settle: () => settle(undefined) };
}

/** The `continue` token of a list's `metadata`; undefined on the last page. */
function continueToken(metadata: unknown): string | undefined {
  const token = isRecord(metadata) ? metadata.continue : undefined;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/**
 * Lists a resource page by page, calling `onPage` with each page's items (kind and
 * apiVersion set). The next page is requested as soon as a page's `continue` token is read —
 * from the first bytes of the page when its `metadata` comes before its items (`headMetadata`),
 * else once the page is parsed — before `onPage` handles its items, so that the server prepares
 * it meanwhile: at most two requests of a list are in flight, the page being read and the next
 * one. Never rejects for an HTTP or transport problem (it becomes
 * the outcome's status: 403 → `forbidden`, 404 → `absent`, else `failed`); rejects only when
 * `onPage` does. A request sent ahead is left to finish unobserved when its page turns out not
 * to lead to it: the page's body fails (transport error, invalid JSON, not a list) after its
 * head was read, or its parsed `metadata` names another token than its head did (a duplicate key).
 */
export async function listPaged(
  http: Pick<ApiHttp, 'get'>,
  t: ListTarget,
  onPage: (items: KubeObject[]) => void | Promise<void>,
  limit = PAGE_LIMIT,
): Promise<ListOutcome> {
  const path = listPath(t);
  const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
  // `answer` settles with the response or the transport error, never rejects: a request still
  // in flight when `onPage` rejects is then left to finish unobserved. `head` settles, at the
  // latest with `answer`, with the page's `metadata` when read from its first bytes.
  const request = (cont: string | undefined): Pending => {
    const head = headMetadata();
    const answer = http
      .get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, {
        observe: head.observe,
      })
      .then(
        (res) => ({ res }),
        (error: unknown) => ({ error }),
      )
      .finally(head.settle);
    return { cont, answer, head: head.metadata };
  };
  let next = request(undefined);
  let restarted = false;
  let items = 0;
  let pages = 0;
  for (;;) {
    const current = next;
    // The next page, asked for as soon as this page's head gives its token.
    let ahead: Pending | undefined;
    const headRead = current.head.then((h) => {
      const token = h && continueToken(h.metadata);
      if (token !== undefined) ahead = request(token);
    });
    const answer = await current.answer;
    await headRead;
    if ('error' in answer) return { status: 'failed', reason: `GET ${path}: ${(answer.error as Error).message}`, items, pages };
    const res = answer.res;
    if (res.status === 410 && current.cont !== undefined && !restarted) {
      restarted = true;
      next = request(undefined);
      continue;
    }
    if (res.status !== 200) {
      const status: InputStatus = res.status === 403 ? 'forbidden' : res.status === 404 ? 'absent' : 'failed';
      let reason = `GET ${path}: ${describeStatus(res)}`;
      if (res.status === 404)
        reason = t.crd ? `${reason} (its CustomResourceDefinition was removed)` : `${reason} (not served by this server)`;
      return { status, reason, items, pages };
    }
    let list: unknown;
    const text = res.body.toString('utf8');
    try {
      list = JSON.parse(text);
    } catch (e) {
      return { status: 'failed', reason: jsonErrorMessage(`GET ${path}`, text, e), items, pages };
    }
    if (!isRecord(list) || !Array.isArray(list.items))
      return { status: 'failed', reason: `GET ${path}: the response is not a list`, items, pages };
    const raw: unknown[] = list.items;
    const token = continueToken(list.metadata);
    if (token !== undefined) next = ahead?.cont === token ? ahead : request(token);
    const page: KubeObject[] = [];
    for (const item of raw) {
      if (!isRecord(item) || !isRecord(item.metadata)) continue;
      item.kind = t.kind;
      item.apiVersion = apiVersion;
      page.push(item as KubeObject);
    }
    pages++;
    items += page.length;
    await onPage(page);
    if (token === undefined) return { status: 'ok', items, pages };
  }
}

/** A page asked for: its `continue` token (none for the first), its answer and its head. */
interface Pending {
  cont: string | undefined;
  answer: Promise<{ res: HttpResponse } | { error: unknown }>;
  head: Promise<{ metadata: unknown } | undefined>;
}
