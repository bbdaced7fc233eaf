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
import type { InputStatus } from '../../contract/inputs.js';
import { isRecord, type KubeObject } from '../../k8s/objects.js';
import type { Selection } from '../input-def.js';
import { describeStatus, type ApiHttp, type HttpResponse } from './http.js';

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

/**
 * Lists a resource page by page, calling `onPage` with each page's items (kind and
 * apiVersion set). The next page is requested as soon as a page's `continue` token is read,
 * before `onPage` handles its items, so that the server prepares it meanwhile (at most one
 * request of a list is in flight). Never rejects for an HTTP or transport problem (it becomes
 * the outcome's status: 403 → `forbidden`, 404 → `absent`, else `failed`); rejects only when
 * `onPage` does.
 */
export async function listPaged(
  http: Pick<ApiHttp, 'get'>,
  t: ListTarget,
  onPage: (items: KubeObject[]) => void | Promise<void>,
  limit = PAGE_LIMIT,
): Promise<ListOutcome> {
  const path = listPath(t);
  const apiVersion = t.group ? `${t.group}/${t.version}` : t.version;
  // Settles with the response or the transport error, never rejects: a request still in
  // flight when `onPage` rejects is then left to finish unobserved.
  const request = (cont: string | undefined): Promise<{ res: HttpResponse } | { error: unknown }> =>
    http.get(`${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`).then(
      (res) => ({ res }),
      (error: unknown) => ({ error }),
    );
  let cont: string | undefined;
  let next = request(cont);
  let restarted = false;
  let items = 0;
  let pages = 0;
  for (;;) {
    const answer = await next;
    if ('error' in answer) return { status: 'failed', reason: `GET ${path}: ${(answer.error as Error).message}`, items, pages };
    const res = answer.res;
    if (res.status === 410 && cont !== undefined && !restarted) {
      restarted = true;
      cont = undefined;
      next = request(cont);
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
    try {
      list = JSON.parse(res.body.toString('utf8'));
    } catch (e) {
      return { status: 'failed', reason: `GET ${path}: invalid JSON: ${(e as Error).message}`, items, pages };
    }
    if (!isRecord(list) || !Array.isArray(list.items))
      return { status: 'failed', reason: `GET ${path}: the response is not a list`, items, pages };
    const raw: unknown[] = list.items;
    const token = isRecord(list.metadata) ? list.metadata.continue : undefined;
    const more = typeof token === 'string' && token !== '';
    if (more) {
      cont = token;
      next = request(cont);
    }
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
    if (!more) return { status: 'ok', items, pages };
  }
}
