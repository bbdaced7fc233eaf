/**
 * Chains of the certificates found anywhere (PKI, kubeconfigs, TLS Secrets, CA bundles, the
 * API server's serving chain): each certificate that is not self-signed should have its
 * issuer among the CA certificates found, and should not outlive it.
 *
 * - `outlives-issuer` (medium): `notAfter` is after the issuer's `notAfter`. The certificate
 *   stops verifying when its CA expires, earlier than its own date says, and renewing it
 *   changes nothing until the CA is rotated (kubeadm never renews CAs: "Certificate Management
 *   with kubeadm"). When several CA certificates
 *   match (a CA renewed with the same key), the one that expires last counts.
 * - `issuer-not-found` (info): no CA certificate found has the issuer's name (and key id),
 *   so the chain and its dates cannot be checked here (the CA may be a public root, or
 *   missing from the dump).
 *
 * Issuer matching is by name and key identifier (`mayHaveIssued` in `src/k8s/x509.ts`); the
 * signature is not verified. `evaluated` counts the certificates that are not self-signed.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { groupBy } from '../../src/k8s/objects.js';
import { daysLeft, mayHaveIssued } from '../../src/k8s/x509.js';
import { ALL_CERT_INPUTS, CLUSTER_CERT_SOURCES, allCertificates, certificateEvidence, describe, where } from './lib/inventory.js';
import { CA_ROTATION_URL } from './lib/renewal.js';

const DAY_MS = 86_400_000;

export default defineCheck({
  id: 'certs-chain',
  family: 'certs',
  title: 'Certificates have a known issuer that outlives them',
  summary: 'a certificate that outlives its issuer (medium), an issuer not among the CAs found (info)',
  rationale:
    'A certificate is only as valid as its CA: one that outlives its issuer stops working when the ' +
    'CA expires, whatever its own date says, and renewing it does not help until the CA is rotated. ' +
    'A certificate whose issuer is not among the CAs found cannot have its chain checked.',
  remediation:
    'Rotate the issuing CA before it expires (or re-issue the certificate with a lifetime inside the ' +
    "CA's); for an unknown issuer, add the CA to the dump (pki/) or confirm it is a public CA.",
  references: [
    CA_ROTATION_URL,
    'https://www.rfc-editor.org/rfc/rfc5280#section-6.1',
    'https://kubernetes.io/docs/setup/best-practices/certificates/',
  ],
  defaultSeverity: 'medium',
  rules: {
    'outlives-issuer': { title: 'Certificate outlives its issuer', severity: 'medium' },
    'issuer-not-found': { title: 'Issuer not among the CA certificates found', severity: 'info' },
  },
  requires: [],
  optional: ALL_CERT_INPUTS,
  requiresSomeOf: [CLUSTER_CERT_SOURCES],
  defaultOptions: {},
  run(inputs, ctx) {
    const { subjects, unknowns } = allCertificates(inputs);
    const cas = subjects.filter((s) => s.cert.isCA || s.role === 'ca');
    // mayHaveIssued needs the CA's subject to be the certificate's issuer: look CAs up by it.
    const casBySubject = groupBy(cas, (ca) => ca.cert.subject);
    const findings: RawFinding[] = [];
    let evaluated = 0;
    for (const s of subjects) {
      if (s.cert.selfSigned) continue;
      evaluated++;
      const issuers = (casBySubject.get(s.cert.issuer) ?? []).filter((ca) => ca !== s && mayHaveIssued(ca.cert, s.cert));
      if (issuers.length === 0) {
        findings.push({
          rule: 'issuer-not-found',
          resource: s.at.resource,
          message:
            `The issuer of ${describe(s)}, ${s.cert.issuer}, is not among the ${cas.length} CA ` +
            `certificate(s) found, so its chain cannot be checked.`,
          evidence: { ...certificateEvidence(s), authorityKeyId: s.cert.authorityKeyId ?? null, caCertificatesFound: cas.length },
          remediation:
            'If the issuer is a private CA, add its certificate to the dump (pki/) or check that the CA ' +
            'bundles that should trust this certificate contain it; a public CA needs nothing.',
        });
        continue;
      }
      const issuer = issuers.reduce((a, b) => (Date.parse(b.cert.notAfter) > Date.parse(a.cert.notAfter) ? b : a));
      const beyondMs = Date.parse(s.cert.notAfter) - Date.parse(issuer.cert.notAfter);
      if (beyondMs > 0) {
        findings.push({
          rule: 'outlives-issuer',
          resource: s.at.resource,
          message:
            `${describe(s)} is valid until ${s.cert.notAfter.slice(0, 10)}, ${Math.ceil(beyondMs / DAY_MS)} ` +
            `day(s) after its issuer ${issuer.cert.subject} (${where(issuer.at)}) expires on ` +
            `${issuer.cert.notAfter.slice(0, 10)}.`,
          evidence: {
            ...certificateEvidence(s),
            daysLeft: daysLeft(s.cert.notAfter, ctx.now),
            issuerFoundIn: where(issuer.at),
            issuerNotAfter: issuer.cert.notAfter,
            issuerDaysLeft: daysLeft(issuer.cert.notAfter, ctx.now),
          },
          remediation:
            `Rotate the issuing CA (${where(issuer.at)}) before ${issuer.cert.notAfter.slice(0, 10)} ` +
            `(${CA_ROTATION_URL}) and re-issue this certificate from the new CA; until then it stops working ` +
            `on that date.`,
        });
      }
    }
    return {
      evaluated,
      findings,
      unknowns,
      ...(evaluated === 0
        ? { notApplicable: subjects.length === 0 ? 'no certificate was found' : 'every certificate found is self-signed' }
        : {}),
    };
  },
});
