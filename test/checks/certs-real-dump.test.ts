/**
 * The certs family on the real dump (fixtures/dumps/lab-1.26, kubeadm v1.20.2 PKI) at the time
 * it was taken, and a comparison with what `kubeadm certs check-expiration` printed for the
 * same PKI on the same day (test/fixtures/lab-1.26-kubeadm-certs-check-expiration.txt).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan, type ScanResult } from '../../src/report/scan.js';
import { mayHaveIssued } from '../../src/k8s/x509.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DumpSource } from '../../src/sources/dump.js';
import type { FoundCertificate } from '../../src/contract/values/certs.js';
import { runFixtureCase } from '../../src/testing/fixtures.js';

const DUMP = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
/** What `kubeadm certs check-expiration` printed for the dump's PKI when it was taken. */
const KUBEADM_OUTPUT = join(PACKAGE_ROOT, 'test', 'fixtures', 'lab-1.26-kubeadm-certs-check-expiration.txt');
const NOW = new Date('2026-11-23T07:00:18Z');

let result: ScanResult;

beforeAll(async () => {
  const source = await DumpSource.open(DUMP);
  try {
    result = await scan({
      source,
      registry: new Registry(await loadBuiltinChecks()),
      config: EMPTY_CONFIG,
      only: ['certs'],
      now: NOW,
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
  } finally {
    await source.close();
  }
});

describe('certs family on the real dump', () => {
  it("reports exactly the seeded expiring TLS Secret and, as information on 1.26, kubeadm's system:masters kubelet client certificate", () => {
    const findings = result.report.findings.map((f) => ({ checkId: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }));
    expect(findings).toEqual([
      {
        checkId: 'certs-cluster-expiry',
        rule: 'expires-soon',
        severity: 'high',
        resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' },
      },
      {
        checkId: 'certs-system-masters',
        rule: 'kubeadm-kubelet-client-default',
        severity: 'info',
        resource: { file: 'pki/apiserver-kubelet-client.crt' },
      },
    ]);
    // kubeadm before 1.29 issues it in system:masters: information with the upgrade that removes it, not a blocker.
    expect(result.report.findings[1]!.message).toBe(
      'pki/apiserver-kubelet-client.crt (kubeadm "apiserver-kubelet-client", CN=kube-apiserver-kubelet-client,O=system:masters) is in system:masters, as kubeadm issues it before 1.29 (the control plane runs v1.26.4); kubeadm 1.29 and later issue it in kubeadm:cluster-admins: re-create it once the control plane is on 1.29 (renewal keeps the old subject).',
    );
    const web = result.report.findings[0]!;
    expect(web.evidence).toMatchObject({
      notAfter: '2026-12-03T06:51:50.000Z',
      daysLeft: 9,
      subject: 'CN=web.example.com',
      sans: ['DNS:web.example.com'],
    });
  });

  it('evaluates every check; the API server serving chain, not in this dump, is the only gap', () => {
    const checks = Object.fromEntries(
      result.report.checks.map((c) => [
        c.id,
        { status: c.status, evaluated: c.evaluated, unknowns: c.unknowns.map((u) => ({ resource: u.resource, input: u.input })) },
      ]),
    );
    const serving = [{ resource: { file: 'tls/apiserver-serving.pem' }, input: 'apiserver-serving-cert' }];
    expect(checks).toEqual({
      'certs-chain': { status: 'incomplete', evaluated: 11, unknowns: serving },
      'certs-cluster-expiry': { status: 'fail', evaluated: 4, unknowns: serving },
      'certs-pki-expiry': { status: 'pass', evaluated: 14, unknowns: [] },
      'certs-system-masters': { status: 'fail', evaluated: 10, unknowns: serving },
      'certs-weak-crypto': { status: 'incomplete', evaluated: 16, unknowns: serving },
    });
    expect(result.report.summary.verdict).toBe('INCOMPLETE');
  });

  it('the lab PKI one year on, with a garbage certificate file: expiring findings and an unknown, never GO', async () => {
    const check = (await loadBuiltinChecks()).find((c) => c.def.id === 'certs-pki-expiry')!;
    const dir = join(PACKAGE_ROOT, 'fixtures', 'checks', 'certs-pki-expiry', 'fail-garbage-cert-and-expiring');
    const outcome = await runFixtureCase(check, { name: 'fail-garbage-cert-and-expiring', dir, expectedStatus: 'fail' });
    expect(outcome.problems).toEqual([]);
    expect(outcome.report!.summary.findings.high).toBe(11);
    expect(outcome.report!.summary.verdict).toBe('INCOMPLETE');
  });
});

interface KubeadmRow {
  name: string;
  expires: string;
  residual: string;
  ca: string;
}

/** The two tables of `kubeadm certs check-expiration` (certificates, then CAs). */
function parseKubeadm(text: string): KubeadmRow[] {
  const rows: KubeadmRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+([A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC)\s+(\S+)\s+(\S*)\s*(?:yes|no)\s*$/.exec(line);
    if (m) rows.push({ name: m[1]!, expires: m[2]!, residual: m[3]!, ca: m[4] === 'no' ? '' : m[4]! });
  }
  return rows;
}

/** kubeadm's EXPIRES column: Go layout `Jan 02, 2006 15:04 MST`, UTC. */
function kubeadmDate(iso: string): string {
  const d = new Date(iso);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${month} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** kubeadm's RESIDUAL TIME (`duration.ShortHumanDuration`) for a certificate with a day or more left. */
function residual(daysLeft: number): string {
  return daysLeft < 365 ? `${daysLeft}d` : `${Math.floor(daysLeft / 365)}y`;
}

describe('certs-pki-expiry against kubeadm certs check-expiration', () => {
  const rows = parseKubeadm(readFileSync(KUBEADM_OUTPUT, 'utf8'));
  const timeline = (): Array<{ name: string; notAfter: string; daysLeft: number }> =>
    result.report.checks.find((c) => c.id === 'certs-pki-expiry')!.details!.certificates as Array<{
      name: string;
      notAfter: string;
      daysLeft: number;
    }>;
  const pki = (): FoundCertificate[] => result.inputs.get('pki')!.value as FoundCertificate[];

  it('reads all 13 rows of the kubeadm output', () => {
    expect(rows.map((r) => r.name).sort()).toEqual(
      [
        'admin.conf',
        'apiserver',
        'apiserver-etcd-client',
        'apiserver-kubelet-client',
        'controller-manager.conf',
        'etcd-healthcheck-client',
        'etcd-peer',
        'etcd-server',
        'front-proxy-client',
        'scheduler.conf',
        'ca',
        'etcd-ca',
        'front-proxy-ca',
      ].sort(),
    );
  });

  it('finds the same certificates, plus the kubelet.conf client certificate kubeadm does not list', () => {
    const names = timeline().map((t) => t.name);
    expect(names.filter((n) => rows.some((r) => r.name === n)).sort()).toEqual(rows.map((r) => r.name).sort());
    expect(names.filter((n) => !rows.some((r) => r.name === n))).toEqual(['system:node:lab-control-plane']);
  });

  it.each(parseKubeadm(readFileSync(KUBEADM_OUTPUT, 'utf8')).map((r) => [r.name, r] as const))(
    '%s: same expiry date and residual time',
    (name, row) => {
      const t = timeline().find((x) => x.name === name)!;
      expect(kubeadmDate(t.notAfter)).toBe(row.expires);
      expect(residual(t.daysLeft)).toBe(row.residual);
    },
  );

  it.each(
    parseKubeadm(readFileSync(KUBEADM_OUTPUT, 'utf8'))
      .filter((r) => r.ca !== '')
      .map((r) => [r.name, r.ca] as const),
  )('%s: issued by %s', (name, caName) => {
    const cert = pki().find((f) => f.kubeadmName === name)!.cert!;
    const ca = pki().find((f) => f.kubeadmName === caName)!.cert!;
    expect(mayHaveIssued(ca, cert)).toBe(true);
  });
});
