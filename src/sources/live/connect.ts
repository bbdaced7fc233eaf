/**
 * The first request of a live scan: loading the kubeconfig and asking the API server for
 * `GET /version` (reachability, credentials, and the TLS chain for `peerCertificates`). Kept
 * apart from the reading code (`../live.ts`: inputs, paging, redaction, schemas), which loads
 * while this request is on its way.
 */
import { FatalError } from '../../contract/errors.js';
import type { ScanOptions } from '../scan-options.js';
import { notKubernetes } from './discovery.js';
import { ApiHttp, TransportError, type HttpResponse, type RetryPolicy } from './http.js';
import { loadKubeconfig, type ClusterConnection, type KubeconfigEnv } from './kubeconfig.js';

/** Lists (and file fetches) run at the same time. */
export const LIST_CONCURRENCY = 4;

/** Knobs for tests and benchmarks; the CLI uses the defaults. */
export interface LiveTuning {
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  concurrency?: number;
  pageLimit?: number;
  /** `$KUBECONFIG` and the home folder (default: the process's). */
  env?: KubeconfigEnv;
}

/** An API server that answered `GET /version`: its kubeconfig context, the HTTP client, and its TLS chain (DER). */
export interface Connection {
  conn: ClusterConnection;
  http: ApiHttp;
  peer: Buffer[];
  /** The answer to `GET /version` (any status but 401), which the `version` input reuses. */
  version: HttpResponse;
}

/**
 * Loads the kubeconfig, selects the context and checks that the API server answers
 * (`GET /version`). Throws `FatalError` (one line) for a bad kubeconfig or context, a
 * server that cannot be reached (refused, DNS, TLS, timeout), credentials it rejects (401),
 * or a server that is not a Kubernetes API (404 on `/version` and on `/api`).
 */
export async function connect(options: ScanOptions, tuning: LiveTuning = {}): Promise<Connection> {
  const conn = loadKubeconfig(options, tuning.env);
  const http = new ApiHttp({
    server: conn.server,
    credentials: conn.credentials,
    useCredentialAgent: conn.proxy,
    timeoutMs: options.requestTimeoutMs,
    retry: tuning.retry,
    sleep: tuning.sleep,
    maxSockets: 2 * (tuning.concurrency ?? LIST_CONCURRENCY),
  });
  const where = `the API server ${conn.server} (context "${conn.context}")`;
  try {
    const res = await http.get('/version', { peerCertificates: true });
    if (res.status === 401) throw new FatalError(`${where} rejected the credentials (401 Unauthorized)`);
    // Every API server serves /version; when it is not found, see whether /api is.
    if (res.status === 404) {
      const api = await http.get('/api');
      if (api.status === 404) throw notKubernetes(conn.server, api);
    }
    return { conn, http, peer: res.peerCertificates ?? [], version: res };
  } catch (e) {
    http.close();
    if (e instanceof FatalError) throw e;
    if (e instanceof TransportError) throw new FatalError(`cannot reach ${where}: ${e.message}`);
    throw new FatalError(
      `cannot get credentials for context "${conn.context}": ` +
        `${((e as Partial<Error> | null | undefined)?.message ?? String(e)).split('\n')[0]}`,
    );
  }
}
