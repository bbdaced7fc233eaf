/**
 * Weak keys and signatures among the certificates found anywhere (PKI, kubeconfigs, TLS
 * Secrets, CA bundles, the API server's serving chain). Every key type is read (RSA, ECDSA
 * P-256/P-384/P-521, Ed25519); only the two rules below flag anything.
 *
 * - `rsa-key-too-small` (medium): an RSA key shorter than `minRsaKeyBits` (2048). NIST SP
 *   800-57 Part 1 and 800-131A disallow RSA below 2048 bits (112-bit security) since 2013;
 *   kubeadm's smallest choice is RSA-2048 (`encryptionAlgorithm`, page "kubeadm Configuration
 *   (v1beta4)").
 * - `weak-signature` (medium): signed with SHA-1, MD5 or MD2. SHA-1 collisions are practical
 *   (SHAttered, 2017); Go's crypto/x509, which Kubernetes components verify with, rejects
 *   SHA-1 certificate signatures since Go 1.18 (golang/go#41682). A self-signed certificate is
 *   exempt: a trust anchor's own signature is never verified (RFC 5280 §6.1), so its digest
 *   does not matter.
 *
 * `evaluated` counts the distinct certificates read.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { ALL_CERT_INPUTS, CLUSTER_CERT_SOURCES, allCertificates, certificateEvidence, describe } from './lib/inventory.js';
import { renewal } from './lib/renewal.js';

const WEAK_HASHES = new Set(['SHA-1', 'MD5', 'MD2']);

export default defineCheck({
  id: 'certs-weak-crypto',
  family: 'certs',
  title: 'Certificates use strong keys and signatures',
  summary: 'RSA keys under 2048 bits, SHA-1/MD5 signatures (medium)',
  rationale:
    "An RSA key under 2048 bits or a SHA-1/MD5 signature can be broken or forged with today's " +
    'means, and Go-based clients (kubectl, client-go, the API server itself) reject SHA-1 signatures ' +
    'since Go 1.18, so such a certificate is both a risk and a latent outage.',
  remediation:
    'Re-issue the certificate with RSA 2048 or larger, or ECDSA P-256/P-384, signed with SHA-256 or ' +
    'better; see each finding for the command for that certificate.',
  references: [
    'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final',
    'https://github.com/golang/go/issues/41682',
    'https://shattered.io/',
    'https://www.rfc-editor.org/rfc/rfc5280#section-6.1',
  ],
  defaultSeverity: 'medium',
  rules: {
    'rsa-key-too-small': { title: 'RSA key shorter than minRsaKeyBits', severity: 'medium' },
    'weak-signature': { title: 'Signed with SHA-1 or MD5', severity: 'medium' },
  },
  requires: [],
  optional: ALL_CERT_INPUTS,
  requiresSomeOf: [CLUSTER_CERT_SOURCES],
  defaultOptions: { minRsaKeyBits: 2048 },
  optionSchema: { minRsaKeyBits: { type: 'integer', min: 1, unit: 'bits', description: 'smallest acceptable RSA modulus' } },
  run(inputs, ctx) {
    const { subjects, unknowns } = allCertificates(inputs);
    const findings: RawFinding[] = [];
    for (const s of subjects) {
      const c = s.cert;
      if (
        (c.keyAlgorithm === 'RSA' || c.keyAlgorithm === 'RSA-PSS') &&
        c.keySizeBits !== undefined &&
        c.keySizeBits < ctx.options.minRsaKeyBits
      ) {
        findings.push({
          rule: 'rsa-key-too-small',
          resource: s.at.resource,
          message: `${describe(s)} has an RSA key of ${c.keySizeBits} bits, under ${ctx.options.minRsaKeyBits}.`,
          evidence: { ...certificateEvidence(s), minRsaKeyBits: ctx.options.minRsaKeyBits },
          remediation: renewal(s),
        });
      }
      if (c.signatureHash !== undefined && WEAK_HASHES.has(c.signatureHash) && !c.selfSigned) {
        findings.push({
          rule: 'weak-signature',
          resource: s.at.resource,
          message:
            `${describe(s)} is signed with ${c.signatureAlgorithm} (${c.signatureHash}); Go clients reject ` +
            `SHA-1 signatures and MD5 is broken.`,
          evidence: { ...certificateEvidence(s), signatureHash: c.signatureHash },
          remediation: renewal(s),
        });
      }
    }
    return {
      evaluated: subjects.length,
      findings,
      unknowns,
      ...(subjects.length === 0 ? { notApplicable: 'no certificate was found' } : {}),
    };
  },
});
