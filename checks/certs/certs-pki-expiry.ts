/**
 * Expiry of the control-plane PKI: every certificate of the kubeadm PKI folder (`pki/` of a
 * dump, or `--pki-dir` on a control-plane node), CA bundles split into each certificate, and
 * the client and CA certificates of the kubeconfigs there (`admin.conf`, `super-admin.conf`,
 * `controller-manager.conf`, `scheduler.conf`, `kubelet.conf`). kubeadm leaf certificates live
 * one year and CAs ten; a control plane nobody upgraded for a year stops when they expire.
 *
 * Covers what `kubeadm certs check-expiration` lists (same names, same days: `kubeadmName` in
 * the evidence and in `kubeadm certs renew <name>`), plus what it does not: `kubelet.conf`,
 * non-kubeadm files, every certificate of a bundle.
 *
 * Rules and thresholds: `lib/expiry.ts`. `details.certificates`: the timeline, one entry per
 * distinct certificate `{ name, where, locations, subject, issuer, sha256Fingerprint,
 * notAfter, daysLeft, isCA, managedBy? }` (`TimelineEntry`), soonest first. `figures`: the
 * `cert-timeline` timeline (`timelineFigure` in `lib/expiry.ts`), merged first.
 */
import { defineCheck } from '../../src/contract/check.js';
import { certificatesOf, inventory, ok } from './lib/inventory.js';
import { EXPIRY_OPTION_SCHEMA, EXPIRY_OPTIONS, EXPIRY_RULES, evaluateExpiry } from './lib/expiry.js';
import { CA_ROTATION_URL, KUBEADM_CERTS_URL, KUBELET_CERT_URL } from './lib/renewal.js';

export default defineCheck({
  id: 'certs-pki-expiry',
  family: 'certs',
  title: 'Control-plane PKI and kubeconfig certificates are not expired or about to expire',
  summary:
    'the kubeadm PKI and its kubeconfigs (`admin.conf`, `super-admin.conf`, `controller-manager.conf`, ' +
    '`scheduler.conf`, `kubelet.conf`): expired (critical), under `criticalDays` 7 (critical), under `warnDays` 30 ' +
    '(high), CAs under `caWarnDays` 365 (high), not yet valid (high). Names and days match `kubeadm certs ' +
    'check-expiration`; each finding gives its `kubeadm certs renew <name>` command.',
  rationale:
    'kubeadm issues the control-plane certificates for one year and its CAs for ten, and renews them ' +
    'only on `kubeadm upgrade` or `kubeadm certs renew`. When one expires, the component that ' +
    'presents it can no longer talk to the API server or etcd, and the control plane goes down ' +
    'overnight. An expired CA takes every certificate it signed with it.',
  remediation:
    'Renew kubeadm leaf certificates with `kubeadm certs renew <name>` (or `all`) on every ' +
    'control-plane node and restart the control-plane static pods; rotate CAs by hand; see each ' +
    'finding for the command for that certificate.',
  references: [KUBEADM_CERTS_URL, CA_ROTATION_URL, KUBELET_CERT_URL, 'https://kubernetes.io/docs/setup/best-practices/certificates/'],
  defaultSeverity: 'high',
  rules: EXPIRY_RULES,
  requires: ['pki'],
  defaultOptions: EXPIRY_OPTIONS,
  optionSchema: EXPIRY_OPTION_SCHEMA,
  run({ pki }, ctx) {
    const { subjects, unknowns } = inventory(certificatesOf([ok('pki', pki)]));
    const { findings, timeline, figure } = evaluateExpiry(subjects, ctx.options, ctx.now);
    return {
      evaluated: subjects.length,
      findings,
      unknowns,
      details: { certificates: timeline },
      figures: subjects.length > 0 ? [figure] : [],
      ...(subjects.length === 0 ? { notApplicable: 'the PKI folder holds no readable certificate' } : {}),
    };
  },
});
