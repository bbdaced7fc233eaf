/**
 * The certificates the certs checks evaluate: the certificates of their inputs, one subject per
 * distinct certificate (by SHA-256 fingerprint), with every place it was found.
 *
 * The same certificate is often found in several places (kubeadm's `ca.crt` is also the
 * `certificate-authority-data` of every kubeconfig; one wildcard certificate is copied into many
 * Secrets). It is evaluated once; findings name the first place (inputs are read in the order
 * given, PKI files before kubeconfigs) and list the others in `alsoFoundIn`.
 */
import type { Collected } from '../../../src/contract/inputs.js';
import type { Unknown } from '../../../src/contract/check.js';
import { resourceLabel } from '../../../src/k8s/fingerprint.js';
import type { CertificateInfo, FoundCertificate } from '../../../src/contract/values/certs.js';

/** One distinct certificate and the places it was found. */
export interface Subject {
  cert: CertificateInfo;
  /** The first place it was found: the resource of findings. */
  at: FoundCertificate;
  /** Every place, `at` first. */
  locations: FoundCertificate[];
  /** `leaf` when some place presents it as a leaf, else `ca`. */
  role: 'ca' | 'leaf';
  /** kubeadm's name, from whichever place gives one. */
  kubeadmName?: string;
}

export interface Inventory {
  subjects: Subject[];
  /** Certificates that could not be read, as unknown subjects. */
  unknowns: Unknown[];
}

/** Groups found certificates by fingerprint, in the order given. */
export function inventory(found: Iterable<FoundCertificate>): Inventory {
  const byFingerprint = new Map<string, Subject>();
  const unknowns: Unknown[] = [];
  for (const f of found) {
    if (!f.cert) {
      unknowns.push({ resource: f.resource, reason: `certificate could not be read: ${f.error ?? 'unknown reason'}` });
      continue;
    }
    const s = byFingerprint.get(f.cert.sha256Fingerprint);
    if (!s) {
      byFingerprint.set(f.cert.sha256Fingerprint, {
        cert: f.cert,
        at: f,
        locations: [f],
        role: f.role,
        ...(f.kubeadmName ? { kubeadmName: f.kubeadmName } : {}),
      });
      continue;
    }
    s.locations.push(f);
    if (f.role === 'leaf') s.role = 'leaf';
    if (!s.kubeadmName && f.kubeadmName) s.kubeadmName = f.kubeadmName;
  }
  return { subjects: [...byFingerprint.values()], unknowns };
}

/** A place as text: `pki/apiserver.crt`, `Secret prod/web [tls.crt#0]`. */
export function where(f: FoundCertificate): string {
  return resourceLabel(f.resource);
}

const MAX_LISTED = 20;

/** The other places a certificate was found (at most 20, then a count). */
export function alsoFoundIn(s: Subject): string[] {
  const rest = s.locations.slice(1).map(where);
  return rest.length <= MAX_LISTED ? rest : [...rest.slice(0, MAX_LISTED), `… and ${rest.length - MAX_LISTED} more`];
}

/** A short name: kubeadm's, else the subject CN, else the whole subject. */
export function displayName(s: Subject): string {
  return s.kubeadmName ?? s.cert.commonName ?? s.cert.subject;
}

/** `pki/apiserver.crt (kubeadm "apiserver", CN=kube-apiserver)`. */
export function describe(s: Subject): string {
  const who = s.kubeadmName ? `kubeadm "${s.kubeadmName}", ${s.cert.subject || 'empty subject'}` : s.cert.subject || 'empty subject';
  return `${where(s.at)} (${who})`;
}

/** Facts of a certificate for a finding's evidence (dates ISO 8601, never key material). */
export function certificateEvidence(s: Subject): Record<string, unknown> {
  const c = s.cert;
  const e: Record<string, unknown> = {
    foundIn: where(s.at),
    ...(s.kubeadmName ? { kubeadmName: s.kubeadmName } : {}),
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    isCA: c.isCA,
    keyAlgorithm: c.keyAlgorithm,
  };
  if (c.keySizeBits !== undefined) e.keySizeBits = c.keySizeBits;
  if (c.curve !== undefined) e.curve = c.curve;
  e.signatureAlgorithm = c.signatureAlgorithm;
  e.sans = c.sans;
  e.sha256Fingerprint = c.sha256Fingerprint;
  if (s.locations.length > 1) e.alsoFoundIn = alsoFoundIn(s);
  return e;
}

/**
 * The certificates of the inputs that were read (`ok` or `absent`), in the order given. An
 * optional input that was not read adds nothing here: the engine reports it as an unknown of
 * the check (README, "Statuses, unknowns and the verdict"), never as "no certificate".
 */
export function certificatesOf(inputs: Array<Collected<FoundCertificate[] | FoundCertificate[][]>>): FoundCertificate[] {
  const found: FoundCertificate[] = [];
  for (const input of inputs) {
    if (input.status !== 'ok' && input.status !== 'absent') continue;
    for (const v of input.value) {
      if (Array.isArray(v)) found.push(...v);
      else found.push(v);
    }
  }
  return found;
}

/** A required input's value as a `Collected` (for `certificatesOf`, in `certs-pki-expiry`). */
export function ok<T>(key: string, value: T): Collected<T> {
  return { key, status: 'ok', value };
}

/**
 * Inputs every certificate of the cluster comes from, as the chain, crypto and system:masters
 * checks declare them: one `requiresSomeOf` group. Each holds a class of certificates (the
 * control-plane PKI, the API server's client CAs and serving chain, TLS Secrets, webhook and
 * APIService CA bundles, the scanner's kubeconfig): the checks judge every one that was read,
 * the engine names each one that was not, and with none of the cluster's read they are
 * `error` (the scanner's own kubeconfig, absent from a dump, does not count as one).
 */
export const CLUSTER_CERT_SOURCES = ['pki', 'apiserver-client-ca', 'tls-secrets', 'ca-bundles', 'apiserver-serving-cert'] as const;
export const ALL_CERT_INPUTS = [...CLUSTER_CERT_SOURCES, 'user-kubeconfig'] as const;

/** The values those checks receive. */
export interface AllCertificateInputs {
  optional: {
    'tls-secrets': Collected<FoundCertificate[][]>;
    'ca-bundles': Collected<FoundCertificate[][]>;
    pki: Collected<FoundCertificate[]>;
    'apiserver-client-ca': Collected<FoundCertificate[][]>;
    'apiserver-serving-cert': Collected<FoundCertificate[]>;
    'user-kubeconfig': Collected<FoundCertificate[]>;
  };
}

/** Every certificate of every input that was read, PKI first, grouped into subjects; unreadable certificates are unknowns. */
export function allCertificates(inputs: AllCertificateInputs): Inventory {
  return inventory(
    certificatesOf([
      inputs.optional.pki,
      inputs.optional['apiserver-client-ca'],
      inputs.optional['tls-secrets'],
      inputs.optional['ca-bundles'],
      inputs.optional['apiserver-serving-cert'],
      inputs.optional['user-kubeconfig'],
    ]),
  );
}
