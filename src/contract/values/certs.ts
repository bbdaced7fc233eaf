/**
 * Values of the `certs` family's inputs: the facts of one X.509 certificate and where it was
 * found (`src/sources/inputs/certs/` reads them; `src/k8s/x509.ts` decodes them).
 */
import type { ResourceRef } from '../resource.js';

/** The facts of one certificate (plain JSON; dates as ISO 8601 strings). */
export interface CertificateInfo {
  /** Subject as RFC 4514 text, most specific first, as Go and kubectl print it (`CN=kube-apiserver,O=system:masters`). */
  subject: string;
  issuer: string;
  /** Subject `CN`. */
  commonName?: string;
  /** Subject `O` values (Kubernetes groups for a client certificate). */
  organizations: string[];
  /** Serial number, upper-case hex (as `openssl x509 -serial` prints it). */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** basicConstraints `cA`. */
  isCA: boolean;
  /** Subject equals issuer and, when both are present, the authority key id equals the subject key id. */
  selfSigned: boolean;
  /** `RSA`, `ECDSA`, `Ed25519`, `Ed448`, `DSA`, or Node's name for another key type. */
  keyAlgorithm: string;
  /** RSA/DSA modulus length, or the EC curve size. */
  keySizeBits?: number;
  /** NIST name of an EC curve (`P-256`), or the OpenSSL name when it has none. */
  curve?: string;
  /** OpenSSL name of the signature algorithm (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `ED25519`), or its OID when unknown. */
  signatureAlgorithm: string;
  /** Digest of the signature (`SHA-256`, `SHA-1`, `MD5`); absent for EdDSA and unknown algorithms. */
  signatureHash?: string;
  /** subjectAltName entries: `DNS:…`, `IP:…`, `URI:…`, `email:…`. */
  sans: string[];
  /** keyUsage bits that are set (`digitalSignature`, `keyCertSign`…). */
  keyUsage: string[];
  /** extendedKeyUsage: `serverAuth`, `clientAuth`… (an OID when it has no name); empty when absent. */
  extKeyUsage: string[];
  /** Lower-case hex. */
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** SHA-256 of the DER, colon-separated upper-case hex (as `openssl x509 -fingerprint -sha256`). */
  sha256Fingerprint: string;
}

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
