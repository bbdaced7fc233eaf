/**
 * Who the scan ran as: the API server's answer to a `SelfSubjectReview` (`kubectl auth whoami`;
 * authentication.k8s.io `v1` from Kubernetes 1.28, `v1beta1` in 1.27), so a live report names
 * the authenticated user and groups, not only the kubeconfig context. The review is answered
 * and not stored, like the permission plan's access reviews. Only `username` and `groups` are
 * kept: `status.userInfo.extra` may carry token details and is dropped.
 */
import type { ScanUser } from '../../contract/report.js';
import { describeStatus, jsonBody, SELF_SUBJECT_REVIEW_PATHS, type ApiHttp } from './http.js';

/**
 * The authenticated user, or `{ error }` saying why it is not known: no version of the API
 * (404 on each: before 1.27, or the API disabled), forbidden or another status (with the
 * server's Status message), an answer that is not JSON (never quoted), or no response. Never
 * rejects.
 */
export async function whoAmI(http: ApiHttp): Promise<{ user: ScanUser } | { error: string }> {
  let last = '';
  for (const path of SELF_SUBJECT_REVIEW_PATHS) {
    try {
      const res = await http.selfReview(path);
      if (res.status === 404) {
        last = `${path}: 404 (the API server does not serve SelfSubjectReview: before Kubernetes 1.27, or disabled)`;
        continue;
      }
      if (res.status !== 201 && res.status !== 200) return { error: `${path}: ${describeStatus(res)}` };
      const body = jsonBody(res);
      if (body === undefined) return { error: `${path}: the answer is not JSON` };
      const info = userInfo(body);
      return info ? { user: info } : { error: `${path}: the answer has no status.userInfo.username` };
    } catch (e) {
      return { error: `${path}: ${e instanceof Error ? e.message.split('\n')[0]! : String(e)}` };
    }
  }
  return { error: last };
}

/** `status.userInfo` of a review: a string `username` and the `groups` that are strings. */
function userInfo(review: unknown): ScanUser | undefined {
  const info = (review as { status?: { userInfo?: { username?: unknown; groups?: unknown } } } | null)?.status?.userInfo;
  if (typeof info?.username !== 'string' || info.username === '') return undefined;
  const groups = Array.isArray(info.groups) ? info.groups.filter((g): g is string => typeof g === 'string') : [];
  return { username: info.username, groups };
}
