/**
 * The expiry rules shared by `certs-pki-expiry` and `certs-cluster-expiry`.
 *
 * Thresholds (options, in days; `daysLeft` is whole days from `--now` to `notAfter`, rounded
 * down, as kubeadm's RESIDUAL TIME):
 * - `expired`: `notAfter` is before now → critical;
 * - `expires-very-soon`: `daysLeft < criticalDays` (7) → critical;
 * - `ca-expires-soon`: a CA (basicConstraints cA, used as a CA where found) whose validity is
 *   longer than `caWarnDays`, with `daysLeft < caWarnDays` (365) → high. CA rotation is manual
 *   everywhere (kubeadm and k3s never renew CAs: kubeadm "Certificate Management with kubeadm",
 *   k3s "k3s certificate" docs), hence the year of
 *   warning. A CA that lives `caWarnDays` or less (cert-manager's and webhooks' self-managed
 *   one-year CAs) is rotated like a leaf and gets the leaf threshold;
 * - `expires-soon`: any other certificate with `daysLeft < warnDays` (30) → high;
 * - `not-yet-valid`: `notBefore` is after now → high (a clock skew or a certificate issued
 *   with a wrong date; TLS peers reject it).
 * The defaults follow common practice: kube-prometheus alerts at 7 days
 * (`KubeClientCertificateExpiration`, `manifests/kubernetesControlPlane-prometheusRule.yaml`),
 * cert-manager renews at a third of the lifetime (`Certificate.spec.renewBefore`), k3s at 90 days.
 */
import type { OptionSchema, RawFinding, RuleDefinition } from '../../../src/contract/check.js';
import type { FigureStatus, TimelineFigure } from '../../../src/contract/figures.js';
import { daysLeft, lifetimeDays } from '../../../src/k8s/x509.js';
import { alsoFoundIn, certificateEvidence, describe, displayName, where, type Subject } from './inventory.js';
import { renewal } from './renewal.js';

export const EXPIRY_RULES = {
  expired: { title: 'Certificate has expired', severity: 'critical' },
  'expires-very-soon': { title: 'Certificate expires within criticalDays', severity: 'critical' },
  'expires-soon': { title: 'Certificate expires within warnDays', severity: 'high' },
  'ca-expires-soon': { title: 'CA certificate expires within caWarnDays', severity: 'high' },
  'not-yet-valid': { title: 'Certificate is not valid yet', severity: 'high' },
} satisfies Record<string, RuleDefinition>;

export const EXPIRY_OPTIONS = { warnDays: 30, criticalDays: 7, caWarnDays: 365 };

export const EXPIRY_OPTION_SCHEMA: OptionSchema<typeof EXPIRY_OPTIONS> = {
  warnDays: { type: 'number', min: 0, unit: 'days', description: 'time before notAfter from which a certificate is reported (high)' },
  criticalDays: {
    type: 'number',
    min: 0,
    unit: 'days',
    description: 'time before notAfter from which a certificate is reported as critical',
  },
  caWarnDays: {
    type: 'number',
    min: 0,
    unit: 'days',
    description: 'time before notAfter from which a CA that lives longer than this is reported (high)',
  },
};

/** One row of the certificate timeline in `details.certificates` (sorted by `notAfter`). */
export interface TimelineEntry {
  name: string;
  /** Where it was found (resource label). */
  where: string;
  /** Every place it was found, `where` first (at most 20, then a count: `alsoFoundIn`). */
  locations: string[];
  subject: string;
  issuer: string;
  /** SHA-256 of the DER certificate, colon-separated hex: one entry per distinct certificate. */
  sha256Fingerprint: string;
  notAfter: string;
  daysLeft: number;
  isCA: boolean;
  /** Who renews it, when a place says so: `kubeadm` (a kubeadm name), `cert-manager Certificate <ns>/<name>`, `cainjector <from>`. */
  managedBy?: string;
}

/** Who renews a certificate, from what its places say (kubeadm name, cert-manager annotations). */
function managedBy(s: Subject): string | undefined {
  if (s.kubeadmName) return 'kubeadm';
  for (const l of s.locations) {
    if (l.certManagerCertificate) {
      const ns = 'namespace' in l.resource && l.resource.namespace ? `${l.resource.namespace}/` : '';
      return `cert-manager Certificate ${ns}${l.certManagerCertificate}`;
    }
    if (l.injectCaFrom) return `cainjector ${l.injectCaFrom}`;
  }
  return undefined;
}

/** True when the CA threshold applies: used as a CA and longer-lived than `caWarnDays`. */
function longLivedCa(s: Subject, caWarnDays: number): boolean {
  return s.role === 'ca' && s.cert.isCA && lifetimeDays(s.cert) > caWarnDays;
}

function dateOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Status on the timeline picture by the rules the certificate meets (the worst wins; none: `ok`). */
const RULE_STATUS: Record<keyof typeof EXPIRY_RULES, 'bad' | 'warn'> = {
  expired: 'bad',
  'expires-very-soon': 'bad',
  'ca-expires-soon': 'warn',
  'expires-soon': 'warn',
  'not-yet-valid': 'warn',
};

/**
 * The certificate expiry timeline figure (key `cert-timeline`, shared by both expiry checks):
 * one row per distinct certificate (key: SHA-256 fingerprint) at its `notAfter`, coloured by
 * the rules it meets under `options` (`RULE_STATUS`), with a marker at `warnDays` from `now`.
 * `certs-pki-expiry` merges first (`mergeOrder` 0, its kubeadm names win), this check's
 * others after (1).
 */
function timelineFigure(
  timeline: TimelineEntry[],
  notBefore: ReadonlyMap<string, string>,
  status: ReadonlyMap<string, FigureStatus>,
  options: typeof EXPIRY_OPTIONS,
  now: Date,
  mergeOrder: number,
): TimelineFigure {
  return {
    shape: 'timeline',
    key: 'cert-timeline',
    title: 'Certificate expiry timeline',
    caption:
      'When each certificate expires, soonest first (square-root time scale: the coming weeks get the room); ' +
      'a certificate found in several places is one row (same SHA-256 fingerprint), its places listed below.',
    summary: { none: 'None expires within its warning window.', some: '{n} of {total} expire within their warning window.' },
    items: 'certificates',
    legend: [
      { status: 'bad', label: `expired or under ${options.criticalDays} days` },
      { status: 'warn', label: `under ${options.warnDays} days (a long-lived CA: under ${options.caWarnDays} days), or not valid yet` },
      { status: 'ok', label: 'later' },
    ],
    ...(mergeOrder !== 0 ? { mergeOrder } : {}),
    now: now.toISOString(),
    markers: [{ label: `warn (${options.warnDays} d)`, at: new Date(now.getTime() + options.warnDays * 86_400_000).toISOString() }],
    subject: 'Certificate',
    rows: timeline.map((t) => ({
      key: t.sha256Fingerprint,
      label: `${t.name}${t.isCA ? ' (CA)' : ''}`,
      locations: t.locations,
      ...(notBefore.has(t.sha256Fingerprint) ? { notBefore: notBefore.get(t.sha256Fingerprint)! } : {}),
      notAfter: t.notAfter,
      daysLeft: t.daysLeft,
      status: status.get(t.sha256Fingerprint) ?? 'ok',
    })),
  };
}

/**
 * Findings of the expiry rules for each subject, the timeline for the report's details, and
 * its figure (`mergeOrder`: see `timelineFigure`).
 */
export function evaluateExpiry(
  subjects: Subject[],
  options: typeof EXPIRY_OPTIONS,
  now: Date,
  mergeOrder = 0,
): { findings: RawFinding[]; timeline: TimelineEntry[]; figure: TimelineFigure } {
  const findings: RawFinding[] = [];
  const timeline: TimelineEntry[] = [];
  const status = new Map<string, FigureStatus>();
  const notBefore = new Map<string, string>();
  for (const s of subjects) {
    notBefore.set(s.cert.sha256Fingerprint, s.cert.notBefore);
    const left = daysLeft(s.cert.notAfter, now);
    const by = managedBy(s);
    timeline.push({
      name: displayName(s),
      where: where(s.at),
      locations: [where(s.at), ...alsoFoundIn(s)],
      subject: s.cert.subject,
      issuer: s.cert.issuer,
      sha256Fingerprint: s.cert.sha256Fingerprint,
      notAfter: s.cert.notAfter,
      daysLeft: left,
      isCA: s.role === 'ca' && s.cert.isCA,
      ...(by ? { managedBy: by } : {}),
    });
    const evidence = { ...certificateEvidence(s), daysLeft: left };
    const remediation = renewal(s);
    const push = (rule: keyof typeof EXPIRY_RULES, message: string, extra: Record<string, unknown> = {}): void => {
      findings.push({ rule, resource: s.at.resource, message, evidence: { ...evidence, ...extra }, remediation });
      if (status.get(s.cert.sha256Fingerprint) !== 'bad') status.set(s.cert.sha256Fingerprint, RULE_STATUS[rule]);
    };
    if (Date.parse(s.cert.notBefore) > now.getTime()) {
      push('not-yet-valid', `${describe(s)} is not valid before ${s.cert.notBefore}; peers reject it until then.`);
    }
    const expires = dateOf(s.cert.notAfter);
    if (Date.parse(s.cert.notAfter) < now.getTime()) {
      const ago = Math.floor((now.getTime() - Date.parse(s.cert.notAfter)) / 86_400_000);
      push('expired', `${describe(s)} expired on ${expires}${ago > 0 ? `, ${ago} day(s) ago` : ', less than a day ago'}.`);
    } else if (left < options.criticalDays) {
      push('expires-very-soon', `${describe(s)} expires on ${expires}, in ${left} day(s) (under ${options.criticalDays}).`, {
        criticalDays: options.criticalDays,
      });
    } else if (longLivedCa(s, options.caWarnDays)) {
      if (left < options.caWarnDays) {
        push(
          'ca-expires-soon',
          `CA ${describe(s)} expires on ${expires}, in ${left} days (under ${options.caWarnDays}); CAs are ` +
            `rotated by hand and every certificate it signed stops working with it.`,
          {
            caWarnDays: options.caWarnDays,
          },
        );
      }
    } else if (left < options.warnDays) {
      push('expires-soon', `${describe(s)} expires on ${expires}, in ${left} days (under ${options.warnDays}).`, {
        warnDays: options.warnDays,
      });
    }
  }
  timeline.sort((a, b) => (a.notAfter < b.notAfter ? -1 : a.notAfter > b.notAfter ? 1 : a.where < b.where ? -1 : 1));
  return { findings, timeline, figure: timelineFigure(timeline, notBefore, status, options, now, mergeOrder) };
}
