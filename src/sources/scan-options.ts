/**
 * Source options given on the command line that inputs may read (paths and endpoints).
 * Paths are as the user typed them (resolved against the working directory when read).
 */
export interface ScanOptions {
  /** `--kubeconfig` (live). */
  kubeconfig?: string;
  /** `--context` (live). */
  context?: string;
  /** `--pki-dir`: a kubeadm PKI folder (`/etc/kubernetes/pki`) read in place of `pki/`. */
  pkiDir?: string;
  /** `--etcd-endpoints` and TLS files, for the etcd inputs on a live scan. */
  etcd?: { endpoints: string[]; cacert?: string; cert?: string; key?: string };
  /** `--etcd-snapshot-dir`: folder of etcd snapshot files on a control-plane node. */
  etcdSnapshotDir?: string;
  /** `--manifests`: files or folders of manifests to check (apis family). */
  manifests?: string[];
  /** Per-request timeout in milliseconds (`--request-timeout`, default 30000). */
  requestTimeoutMs: number;
}
