/**
 * The certificates kubeadm manages, by the names `kubeadm certs check-expiration` and
 * `kubeadm certs renew <name>` use.
 *
 * Source: `kubernetes/kubernetes:cmd/kubeadm/app/phases/certs/certlist.go` (`GetDefaultCertList`:
 * names, base file names and CAs), `cmd/kubeadm/app/phases/certs/renewal/manager.go` (the
 * kubeconfig files it renews; `kubelet.conf` is excluded because the kubelet rotates its own
 * client certificate), `cmd/kubeadm/app/constants/constants.go` (file names); `super-admin.conf`
 * exists since kubeadm 1.29 (KEP 4214); kubeadm docs "Certificate Management with kubeadm".
 */

/** kubeadm certificate name → file path relative to the PKI folder (`/etc/kubernetes/pki`). */
export const KUBEADM_PKI_CERTS: Readonly<Record<string, string>> = {
  ca: 'ca.crt',
  apiserver: 'apiserver.crt',
  'apiserver-kubelet-client': 'apiserver-kubelet-client.crt',
  'front-proxy-ca': 'front-proxy-ca.crt',
  'front-proxy-client': 'front-proxy-client.crt',
  'etcd-ca': 'etcd/ca.crt',
  'etcd-server': 'etcd/server.crt',
  'etcd-peer': 'etcd/peer.crt',
  'etcd-healthcheck-client': 'etcd/healthcheck-client.crt',
  'apiserver-etcd-client': 'apiserver-etcd-client.crt',
};

/** The CAs among them; kubeadm never renews a CA (`kubeadm certs renew` has no subcommand for them). */
export const KUBEADM_CAS: ReadonlySet<string> = new Set(['ca', 'front-proxy-ca', 'etcd-ca']);

/** Kubeconfig files kubeadm writes in `/etc/kubernetes` whose embedded client certificate it renews. */
export const KUBEADM_KUBECONFIGS: readonly string[] = ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf'];

/** Kubeconfig files kubeadm writes in `/etc/kubernetes`, `kubelet.conf` included. */
export const KUBEADM_KUBECONFIG_FILES: readonly string[] = [...KUBEADM_KUBECONFIGS, 'kubelet.conf'];

/** Kubeconfigs whose client certificate is meant to carry `O=system:masters` (`admin.conf` before kubeadm 1.29). */
export const SUPERUSER_KUBECONFIGS: ReadonlySet<string> = new Set(['admin.conf', 'super-admin.conf']);

const BY_PATH = new Map(Object.entries(KUBEADM_PKI_CERTS).map(([name, path]) => [path, name]));

/**
 * The kubeadm name of a PKI certificate file, from its path relative to the PKI folder
 * (`etcd/server.crt` → `etcd-server`). Also accepts the layout of a copy of `/etc/kubernetes`
 * (`pki/etcd/server.crt`). Undefined for other files.
 */
export function kubeadmCertName(relPath: string): string | undefined {
  return BY_PATH.get(relPath) ?? (relPath.startsWith('pki/') ? BY_PATH.get(relPath.slice(4)) : undefined);
}

/** The kubeadm name of a kubeconfig file at the top of the PKI folder (`admin.conf`), if kubeadm renews it. */
export function kubeadmKubeconfigName(relPath: string): string | undefined {
  return KUBEADM_KUBECONFIGS.includes(relPath) ? relPath : undefined;
}
