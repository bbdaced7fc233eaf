/**
 * What a file input's `live` function may use on a live scan. Everything here is read-only:
 * `get` sends GET requests only (the HTTP layer refuses any other method).
 */
import type { ScanOptions } from './scan-options.js';

export interface RawResponse {
  /** HTTP status code. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface LiveContext {
  /** API server URL from the kubeconfig (`https://10.0.0.1:6443`). */
  server: string;
  /** Kubeconfig file(s) in use, for messages, and its context name. */
  kubeconfigPath?: string;
  /** The kubeconfig files merged for the scan; empty when it uses a pod's service account. */
  kubeconfigFiles: string[];
  context?: string;
  options: ScanOptions;
  /**
   * GET a path of the API server (`/version`, `/metrics`, `/readyz/etcd?verbose`) with the
   * kubeconfig's credentials, the per-request timeout and retries on 429/5xx.
   * Resolves with any HTTP status; rejects only on transport errors (refused, TLS, timeout).
   */
  get(path: string, opts?: { accept?: string }): Promise<RawResponse>;
  /** DER of the certificate chain the API server presented in the TLS handshake (leaf first). */
  peerCertificates(): Promise<Buffer[]>;
}
