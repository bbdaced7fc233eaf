/**
 * The certificate expiry timeline: one row per certificate (SHA-256 fingerprint) across
 * certs-pki-expiry and certs-cluster-expiry, with every place it was found.
 */
import { describe, expect, it } from 'vitest';
import { picturesFor } from '../../src/render/pictures.js';
import type { CheckResult } from '../../src/contract/report.js';
import { sampleReport } from './sample.js';

const sample = await sampleReport();
const certChecks = sample.checks.filter((c) => c.family === 'certs');
const timeline = (checks: CheckResult[]) => picturesFor('certs', checks, sample).find((p) => p.id === 'cert-timeline')!;

describe('certificate timeline', () => {
  it('draws the cluster CA once, with its six places, on the sample', () => {
    const pic = timeline(certChecks);
    const entries = certChecks.flatMap((c) => (c.details?.certificates as Array<{ sha256Fingerprint: string }> | undefined) ?? []);
    expect(entries.length).toBe(18);
    const distinct = new Set(entries.map((e) => e.sha256Fingerprint));
    expect(distinct.size).toBe(16);
    expect(pic.bars!.rows).toHaveLength(16);
    const labels = pic.bars!.rows.map((r) => r.label);
    expect(labels.filter((l) => l.startsWith('ca (CA)'))).toEqual(['ca (CA), 6 places']);
    // The ConfigMap's copy of the cluster CA (CN=kubernetes) is not a row of its own.
    expect(labels.some((l) => l.startsWith('kubernetes'))).toBe(false);
    expect(pic.notes).toEqual([
      {
        label: 'ca (CA) is found in 6 places',
        text: 'pki/ca.crt; pki/admin.conf [clusters[lab].certificate-authority-data]; pki/controller-manager.conf [clusters[lab].certificate-authority-data]; pki/kubelet.conf [clusters[lab].certificate-authority-data]; pki/scheduler.conf [clusters[lab].certificate-authority-data]; ConfigMap kube-system/extension-apiserver-authentication [client-ca-file#0]',
      },
      {
        label: 'front-proxy-ca (CA) is found in 2 places',
        text: 'pki/front-proxy-ca.crt; ConfigMap kube-system/extension-apiserver-authentication [requestheader-client-ca-file#0]',
      },
    ]);
    expect(pic.table!.rows.find((r) => r[0]!.text === 'ca (CA)')![1]!.text).toBe(pic.notes[0]!.text);
  });

  it('keeps two certificates with the same name and expiry apart when their fingerprints differ, and merges by name and expiry without fingerprints', () => {
    const entry = (where: string, fp?: string) => ({
      name: 'webhook',
      where,
      notAfter: '2027-01-01T00:00:00.000Z',
      daysLeft: 39,
      isCA: false,
      ...(fp ? { sha256Fingerprint: fp, locations: [where] } : {}),
    });
    const check = (id: string, certificates: unknown[]): CheckResult => ({
      ...certChecks.find((c) => c.id === id)!,
      details: { certificates },
    });
    const distinct = timeline([
      check('certs-cluster-expiry', [entry('Secret a/one [tls.crt#0]', 'AA'), entry('Secret b/two [tls.crt#0]', 'BB')]),
    ]);
    expect(distinct.bars!.rows.map((r) => r.label)).toEqual(['webhook', 'webhook']);
    expect(distinct.notes).toEqual([]);
    const old = timeline([
      check('certs-pki-expiry', [entry('pki/webhook.crt')]),
      check('certs-cluster-expiry', [entry('Secret a/one [tls.crt#0]')]),
    ]);
    expect(old.bars!.rows.map((r) => r.label)).toEqual(['webhook, 2 places']);
    expect(old.notes).toEqual([{ label: 'webhook is found in 2 places', text: 'pki/webhook.crt; Secret a/one [tls.crt#0]' }]);
  });
});
