/**
 * The one HTTP path of live scans. Every request to the API server goes through `send`,
 * which refuses any method other than GET (kube-preflight is read-only, docs/architecture.md
 * "Data flow"), enforces the per-request timeout (headers and body) and the response size limit
 * (`maxResponseBytes`), and decompresses gzip.
 *
 * Two exceptions, both reviews the API server answers and stores nothing for (a review is not
 * an object that is created): a POST of a `SelfSubjectAccessReview` for the permission plan —
 * the API's way to ask "may I list secrets?" (`scan --no-permission-check` sends none) — and of
 * a `SelfSubjectReview`, the API's "who am I?" (`kubectl auth whoami`), so the report names the
 * identity that scanned. No other path may be POSTed to.
 * `ApiHttp.get` adds the kubeconfig's credentials, connection reuse and retries:
 *
 * - 429 and 500/502/503/504 are retried up to `maxAttempts` in all, waiting `Retry-After`
 *   seconds when the server sends it (the API server's priority and fairness does on 429),
 *   else an exponential backoff (`baseDelayMs` × 2^n, halved at random, at most `maxDelayMs`);
 *   after the last attempt the last response is returned as it is;
 * - a connection reset by the peer (a keep-alive socket the server closed) is retried the same way;
 * - a timeout, a refused connection, a DNS or a TLS failure, a body over the size limit is not
 *   retried: it rejects with `TransportError`, whose message is one line.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket, DetailedPeerCertificate } from 'node:tls';
import { createGunzip } from 'node:zlib';
import { limits, overLimit } from '../../limits.js';
import { ToolError, type ErrorCode } from '../../contract/errors.js';
import type { RawResponse } from '../live-context.js';

/** A path a POST may go to: a review that the API server answers and does not store. */
export const SELF_SUBJECT_ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

/**
 * The other paths a POST may go to: `SelfSubjectReview` (authentication.k8s.io, GA as `v1` in
 * Kubernetes 1.28, `v1beta1` from 1.27), in the order they are tried.
 */
export const SELF_SUBJECT_REVIEW_PATHS = [
  '/apis/authentication.k8s.io/v1/selfsubjectreviews',
  '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews',
] as const;

/** Every path a POST may go to. */
const REVIEW_PATHS: readonly string[] = [SELF_SUBJECT_ACCESS_REVIEW_PATH, ...SELF_SUBJECT_REVIEW_PATHS];

/** Thrown when asked to send anything but GET (or a review POST). Nothing is sent. */
export class ReadOnlyViolation extends ToolError {
  override name = 'ReadOnlyViolation';
  readonly errorCode: ErrorCode = 'KP_READ_ONLY';
}

/** The request did not get an HTTP response: refused, DNS, TLS, reset or timeout. */
export class TransportError extends ToolError {
  override name = 'TransportError';
  readonly errorCode: ErrorCode = 'KP_TRANSPORT';
  constructor(
    message: string,
    /** Node's error code (`ECONNREFUSED`, `ERR_TLS_CERT_ALTNAME_INVALID`…), `TIMEOUT` or `TOO_LARGE`. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface HttpResponse extends RawResponse {
  /** DER of the server's certificate chain, leaf first (with `peerCertificates: true`, over TLS). */
  peerCertificates?: Buffer[];
}

export interface SendOptions extends https.RequestOptions {
  /** Whole-request timeout in milliseconds (connect, headers and body). */
  timeoutMs: number;
  /** Body of a review POST (JSON). */
  body?: string;
  /** Record the server's certificate chain. */
  peerCertificates?: boolean;
  /** Body observer: see `BodyObserver`. */
  observe?: BodyObserver;
}

/**
 * Called with a response's status when its headers arrive; the function it returns, if any,
 * is given the body's chunks (decompressed) as they arrive, before the whole body is read.
 * It must not throw.
 */
export type BodyObserver = (status: number) => ((chunk: Buffer) => void) | undefined;

/**
 * Output chunk of the gzip decoder, in bytes. zlib's default (16 KiB) makes a list page of
 * 1.5 MB about a hundred round trips between the event loop and the thread pool, each with its
 * callback on the event loop; 256 KiB makes it a few.
 */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

const TLS_CODES = /^(ERR_TLS_|UNABLE_TO_|CERT_|DEPTH_ZERO|SELF_SIGNED|ERR_SSL|EPROTO)/;

/**
 * Sends one GET request and reads the whole response. Rejects with `ReadOnlyViolation`
 * (before anything is sent) for another method, and with `TransportError` when no response
 * arrives in time, the connection fails, or the body (decompressed) exceeds
 * `maxResponseBytes` (code `TOO_LARGE`; the connection is then closed). Resolves with any
 * HTTP status.
 */
export async function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  const method = (options.method ?? 'GET').toUpperCase();
  const review = method === 'POST' && REVIEW_PATHS.some((p) => url.pathname.endsWith(p));
  if (method !== 'GET' && !review) {
    throw new ReadOnlyViolation(`refusing to send ${method} ${url.pathname}: kube-preflight is read-only and sends GET requests only`);
  }
  const { timeoutMs, peerCertificates: wantPeer, body: payload, observe, ...rest } = options;
  const mod = url.protocol === 'http:' ? http : https;
  const maxBytes = limits().maxResponseBytes;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(toTransportError(e, url));
    };
    const req = mod.request(url, { ...rest, method: review ? 'POST' : 'GET' }, (res) => {
      const peer = wantPeer ? peerChain(res.socket) : undefined;
      const watch = observe?.(res.statusCode ?? 0);
      const chunks: Buffer[] = [];
      let size = 0;
      const body = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES })) : res;
      res.on('error', fail);
      body.on('error', fail);
      body.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) req.destroy(new TransportError(overLimit('the response body', 'maxResponseBytes'), 'TOO_LARGE'));
        else {
          chunks.push(c);
          watch?.(c);
        }
      });
      body.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const r: HttpResponse = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
        if (peer) r.peerCertificates = peer;
        resolve(r);
      });
    });
    const timer = setTimeout(() => {
      req.destroy(new TransportError(`no response within ${formatMs(timeoutMs)} (--request-timeout)`, 'TIMEOUT'));
    }, timeoutMs);
    req.on('error', fail);
    req.end(review ? payload : undefined);
  });
}

function peerChain(socket: Socket | null): Buffer[] | undefined {
  const tls = socket as Partial<TLSSocket> | null;
  if (!tls || typeof tls.getPeerCertificate !== 'function') return undefined;
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = tls.getPeerCertificate(true);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- {} without a peer certificate; typed as always set
  while (c?.raw && !seen.has(c.fingerprint256)) {
    out.push(c.raw);
    seen.add(c.fingerprint256);
    c = c.issuerCertificate;
  }
  return out;
}

function toTransportError(e: unknown, url: URL): TransportError {
  if (e instanceof TransportError) return e;
  const { code, message: why } = (e ?? {}) as Partial<NodeJS.ErrnoException>;
  const host = url.host;
  let message: string;
  if (code === 'ECONNREFUSED') message = `connection to ${host} refused`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `host ${url.hostname} not found (DNS)`;
  else if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') message = `cannot connect to ${host} (${code})`;
  else if (code === 'ECONNRESET') message = `connection to ${host} reset`;
  else if (code && TLS_CODES.test(code)) message = `TLS handshake with ${host} failed: ${why ?? ''} (${code})`;
  else message = `${why ?? String(e)}${code ? ` (${code})` : ''}`;
  return new TransportError(message.split('\n')[0]!, code);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** First backoff wait without Retry-After, doubled each time. */
  baseDelayMs: number;
  /** Longest single wait, `Retry-After` included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE']);

export interface ApiHttpOptions {
  /** API server URL from the kubeconfig (may carry a path prefix, e.g. behind a proxy). */
  server: string;
  /** The kubeconfig's TLS options and credentials for one request (client-node's `applyToHTTPSOptions`). */
  credentials: () => Promise<https.RequestOptions>;
  /** Keep client-node's agent (it carries the kubeconfig's `proxy-url`). */
  useCredentialAgent?: boolean;
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /** Waits between attempts (tests replace it). */
  sleep?: (ms: number) => Promise<void>;
  /** Concurrent connections to the server. */
  maxSockets?: number;
}

/** GET requests to one API server with its credentials, keep-alive connections and retries. */
export class ApiHttp {
  readonly retry: RetryPolicy;
  /** Requests sent, retries included. */
  sent = 0;
  /** The API server URL, as the kubeconfig gives it. */
  readonly server: string;
  private readonly base: string;
  private readonly agent: http.Agent;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: ApiHttpOptions) {
    this.server = opts.server;
    this.base = opts.server.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    const keep = { keepAlive: true, maxSockets: opts.maxSockets ?? 8 };
    this.agent = this.base.startsWith('http:') ? new http.Agent(keep) : new https.Agent(keep);
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /**
   * GET `path` (with its query) of the API server. Resolves with the final response of
   * any status; rejects with `TransportError`, or with the credentials' error (exec plugin).
   * `observe` sees each attempt's response (retried ones included) as it arrives.
   */
  async get(path: string, o: { accept?: string; peerCertificates?: boolean; observe?: BodyObserver } = {}): Promise<HttpResponse> {
    return this.request(path, o);
  }

  /**
   * POSTs a SelfSubjectAccessReview (the one POST `send` allows) and returns the response.
   * Rejects like `get`.
   */
  async accessReview(spec: Record<string, unknown>): Promise<HttpResponse> {
    const body = JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });
    return this.request(SELF_SUBJECT_ACCESS_REVIEW_PATH, { body });
  }

  /**
   * POSTs a SelfSubjectReview to `path` (one of `SELF_SUBJECT_REVIEW_PATHS`) and returns the
   * response. Rejects like `get`.
   */
  async selfReview(path: (typeof SELF_SUBJECT_REVIEW_PATHS)[number]): Promise<HttpResponse> {
    const apiVersion = path.split('/').slice(2, 4).join('/');
    return this.request(path, { body: JSON.stringify({ apiVersion, kind: 'SelfSubjectReview' }) });
  }

  private async request(
    path: string,
    o: { accept?: string; peerCertificates?: boolean; body?: string; observe?: BodyObserver },
  ): Promise<HttpResponse> {
    const url = new URL(this.base + path);
    for (let attempt = 1; ; attempt++) {
      const { agent: credentialAgent, headers, ...tls } = await this.opts.credentials();
      this.sent++;
      let res: HttpResponse;
      try {
        res = await send(url, {
          ...tls,
          ...(o.body !== undefined ? { method: 'POST', body: o.body } : {}),
          headers: {
            ...(headers as Record<string, string>),
            Accept: o.accept ?? 'application/json',
            'Accept-Encoding': 'gzip',
            'User-Agent': 'kube-preflight',
            ...(o.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          agent: this.opts.useCredentialAgent ? credentialAgent : this.agent,
          timeoutMs: this.opts.timeoutMs,
          peerCertificates: o.peerCertificates,
          observe: o.observe,
        });
      } catch (e) {
        if (e instanceof TransportError && e.code && RETRY_CODES.has(e.code) && attempt < this.retry.maxAttempts) {
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw e;
      }
      if (!RETRY_STATUSES.has(res.status) || attempt >= this.retry.maxAttempts) return res;
      await this.sleep(this.waitFor(res, attempt));
    }
  }

  /** Milliseconds to wait after failed attempt `attempt` (1-based). */
  waitFor(res: Pick<RawResponse, 'headers'>, attempt: number): number {
    const ra = res.headers['retry-after'];
    const seconds = typeof ra === 'string' && /^\d+$/.test(ra.trim()) ? Number(ra) : undefined;
    if (seconds !== undefined) return Math.min(seconds * 1000, this.retry.maxDelayMs);
    return this.backoff(attempt);
  }

  private backoff(attempt: number): number {
    const full = Math.min(this.retry.baseDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    return Math.round(full / 2 + (Math.random() * full) / 2);
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * The body of a response as JSON, or undefined when it is not JSON: a caller says so in its own
 * words, since the parser's message would quote the body.
 */
export function jsonBody(res: RawResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The Kubernetes `Status` message of an error response, if the body is one. */
export function statusMessage(res: RawResponse): string | undefined {
  const s = jsonBody(res) as { kind?: string; message?: unknown } | null | undefined;
  return s?.kind === 'Status' && typeof s.message === 'string' ? s.message : undefined;
}

/** `HTTP 403 Forbidden: <Status message>` for a response. */
export function describeStatus(res: RawResponse): string {
  const text = http.STATUS_CODES[res.status];
  const msg = statusMessage(res);
  return `HTTP ${res.status}${text ? ` ${text}` : ''}${msg ? `: ${msg}` : ''}`;
}
