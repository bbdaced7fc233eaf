/**
 * What every certificate input yields: `FoundCertificate`, the decoded facts of one certificate
 * (never the PEM) and where it was found, or why it could not be read; and how the
 * certificates read from one field or file become found certificates (`found`).
 */
import type { ResourceRef } from '../../../contract/resource.js';
import type { CertificateInfo, CertificatesRead } from '../../../k8s/x509.js';

export type CertificateSource =
  | 'pki-file'
  | 'kubeconfig'
  | 'tls-secret'
  | 'webhook-ca-bundle'
  | 'apiservice-ca-bundle'
  | 'crd-ca-bundle'
  | 'apiserver-client-ca'
  | 'apiserver-requestheader-ca'
  | 'apiserver-serving'
  | 'user-kubeconfig';

/** One certificate found somewhere, or a certificate that could not be read there. */
export interface FoundCertificate {
  /** Where it was found; the resource of findings and unknowns about it. */
  resource: ResourceRef;
  source: CertificateSource;
  /**
   * `leaf`: the certificate presented by a server or client (first of `tls.crt`, of a client
   * certificate, of a serving chain, or a non-CA PKI file); `ca`: a trust anchor or a chain CA
   * (CA bundles, `ca.crt`, `certificate-authority-data`, CA files, CAs after a leaf).
   */
  role: 'ca' | 'leaf';
  /** kubeadm's name (`apiserver`, `etcd-ca`, `admin.conf`) for the certificates kubeadm manages. */
  kubeadmName?: string;
  /** The kubeconfig user whose client certificate it is. */
  kubeconfigUser?: string;
  /** The cert-manager Certificate that writes the Secret (annotation `cert-manager.io/certificate-name`). */
  certManagerCertificate?: string;
  /** What cert-manager's cainjector copies the CA bundle from (annotation `cert-manager.io/inject-ca-from[-secret]`). */
  injectCaFrom?: string;
  /** The certificate's facts; absent when it could not be read. */
  cert?: CertificateInfo;
  /** Why it could not be read. */
  error?: string;
}

export type Context = Pick<FoundCertificate, 'source' | 'kubeadmName' | 'kubeconfigUser' | 'certManagerCertificate' | 'injectCaFrom'>;

/**
 * How the certificates of one field take their role: `presented` (the first is the leaf, later
 * CA certificates are its chain), `trust` (all are CAs), `own` (each by its basicConstraints).
 */
export type Layout = 'presented' | 'trust' | 'own';

/**
 * The found certificates of one field or file. `kubeadmName` and `kubeconfigUser` name the
 * first certificate only: the ones after it are its chain.
 */
export function found(read: CertificatesRead, ctx: Context, layout: Layout, at: (i: number) => ResourceRef): FoundCertificate[] {
  return read.certificates.map((r) => {
    const own = r.index === 0 ? ctx : { ...ctx, kubeadmName: undefined, kubeconfigUser: undefined };
    const base = { resource: at(r.index), ...defined(own) };
    if ('error' in r) return { ...base, role: 'leaf' as const, error: r.error };
    const role =
      layout === 'trust' || (layout === 'presented' ? r.index > 0 && r.cert.isCA : r.cert.isCA) ? ('ca' as const) : ('leaf' as const);
    return { ...base, role, cert: r.cert };
  });
}

/** `o` without its properties that are `undefined` (so they do not appear in the report). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `#n` for the n-th certificate of a file or kubeconfig field, nothing for the first. */
export const nth = (i: number): string => (i > 0 ? `#${i}` : '');

/** The values of the certificate inputs (defined in `pki.ts`, `api-objects.ts`, `scanner.ts`). */
declare module '../../../contract/inputs.js' {
  interface InputTypes {
    pki: FoundCertificate[];
    'tls-secrets': FoundCertificate[][];
    'ca-bundles': FoundCertificate[][];
    'apiserver-client-ca': FoundCertificate[][];
    'apiserver-serving-cert': FoundCertificate[];
    'user-kubeconfig': FoundCertificate[];
  }
}
