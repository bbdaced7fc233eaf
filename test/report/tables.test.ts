/**
 * The per-family tables (src/report/tables.ts) with exact expected rows: on the bundled sample
 * (fixtures/dumps/lab-1.26 at 2026-11-23T07:00:18Z, target 1.27 assumed from v1.26.4, as the
 * README's command with --target-version 1.27), checked against the real
 * `kubeadm certs check-expiration` output of that PKI; on the fixture dumps of the checks
 * (cert-manager Secrets and CA bundles, Helm releases, manifests, a six-node drain, RBAC sprawl
 * through RoleBindings); and on a real kind 1.21 cluster (Sonobuoy results, read in place).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report, ReportTable, TableCell } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { kubeadmDate, residualTime } from '../../src/report/tables.js';
import { DumpSource } from '../../src/sources/dump.js';
import { renderHtml } from '../../src/render/html.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { plainTable } from '../../src/render/table.js';
import { familyTable, renderText } from '../../src/render/text.js';
import pc from 'picocolors';
import { htmlProblems } from '../render/validators.js';
import { sampleReport } from '../render/sample.js';

const registry = new Registry(await loadBuiltinChecks());

async function scanDump(dir: string, only: string[], now: string, targetVersion?: string): Promise<Report> {
  const source = await DumpSource.open(dir);
  try {
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      only,
      now: new Date(now),
      targetVersion,
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return report;
  } finally {
    await source.close();
  }
}

const fixture = (check: string, name: string): string => join(PACKAGE_ROOT, 'fixtures', 'checks', check, name);

function table(report: Report, id: string): ReportTable {
  const t = report.tables?.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id} in ${JSON.stringify(report.tables?.map((x) => x.id))}`);
  return t;
}

/** Rows as arrays of cells in column order, `!` first for flagged rows. */
function rows(t: ReportTable): Array<[string, ...TableCell[]]> {
  return t.rows.map((r) => [r.flagged ? '!' : '', ...t.columns.map((c) => r.cells[c.key] ?? null)]);
}

describe('kubeadm wording', () => {
  const now = new Date('2026-11-23T07:00:18Z');
  it('RESIDUAL TIME as ShortHumanDuration: seconds, minutes, hours, days under a year, then years', () => {
    expect(residualTime('2026-11-23T07:00:59Z', now)).toBe('41s');
    expect(residualTime('2026-11-23T07:59:00Z', now)).toBe('58m');
    expect(residualTime('2026-11-24T06:59:00Z', now)).toBe('23h');
    expect(residualTime('2027-11-23T06:50:34Z', now)).toBe('364d');
    expect(residualTime('2027-11-23T07:00:18Z', now)).toBe('1y');
    expect(residualTime('2036-11-20T06:50:34Z', now)).toBe('9y');
    expect(residualTime('2026-11-23T07:00:17Z', now)).toBe('expired');
    expect(residualTime('not a date', now)).toBe('unknown');
  });
  it('EXPIRES as Jan 02, 2006 15:04 MST in UTC', () => {
    expect(kubeadmDate('2027-11-23T06:50:34.000Z')).toBe('Nov 23, 2027 06:50 UTC');
    expect(kubeadmDate('2026-01-05T23:04:00Z')).toBe('Jan 05, 2026 23:04 UTC');
  });
});

describe('tables of the sample report', () => {
  let report: Report;
  beforeAll(async () => {
    report = await sampleReport();
  });

  it('are valid against the schema, one list per family in report order', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.tables!.map((t) => `${t.family}/${t.id}`)).toEqual([
      'certs/certs-certificates',
      'certs/certs-authorities',
      'versions/versions-skew',
      'apis/apis-deprecated',
      'pdb/pdb-drain-order',
      'rbac/rbac-access-review',
    ]);
  });

  it('the schema rejects a cell that is an object and a row without cells', () => {
    const bad = { ...report, tables: [{ ...report.tables![0]!, rows: [{ cells: { certificate: { x: 1 } } }, { flagged: true }] }] };
    expect(reportSchemaErrors(bad).length).toBeGreaterThan(0);
  });

  it('certificates: kubeadm columns, one row per fingerprint, CAs in their own block with every location', () => {
    const leaves = table(report, 'certs-certificates');
    expect(leaves.columns.map((c) => c.label)).toEqual([
      'CERTIFICATE',
      'EXPIRES',
      'RESIDUAL TIME',
      'CA',
      'EXTERNALLY MANAGED',
      'LOCATIONS',
    ]);
    const conf = (file: string, user: string): string => `pki/${file} [users[${user}].client-certificate-data]`;
    const kubeadm = (name: string, ca: string, file: string): [string, ...TableCell[]] => [
      '',
      name,
      'Nov 23, 2027 06:50 UTC',
      '364d',
      ca,
      'no (kubeadm)',
      [file],
    ];
    expect(rows(leaves)).toEqual([
      ['!', 'web.example.com', 'Dec 03, 2026 06:51 UTC', '9d', 'self-signed', 'unknown', ['Secret prod/web-tls [tls.crt#0]']],
      kubeadm('apiserver', 'ca', 'pki/apiserver.crt'),
      kubeadm('apiserver-etcd-client', 'etcd-ca', 'pki/apiserver-etcd-client.crt'),
      kubeadm('apiserver-kubelet-client', 'ca', 'pki/apiserver-kubelet-client.crt'),
      kubeadm('etcd-healthcheck-client', 'etcd-ca', 'pki/etcd/healthcheck-client.crt'),
      kubeadm('etcd-peer', 'etcd-ca', 'pki/etcd/peer.crt'),
      kubeadm('etcd-server', 'etcd-ca', 'pki/etcd/server.crt'),
      kubeadm('front-proxy-client', 'front-proxy-ca', 'pki/front-proxy-client.crt'),
      kubeadm('admin.conf', 'ca', conf('admin.conf', 'kubernetes-admin')),
      kubeadm('controller-manager.conf', 'ca', conf('controller-manager.conf', 'system:kube-controller-manager')),
      kubeadm('scheduler.conf', 'ca', conf('scheduler.conf', 'system:kube-scheduler')),
      [
        '',
        'system:node:lab-control-plane',
        'Nov 23, 2027 06:50 UTC',
        '364d',
        'ca',
        'unknown',
        [conf('kubelet.conf', 'system:node:lab-control-plane')],
      ],
      ['', 'api.example.com', 'Nov 23, 2027 06:51 UTC', '364d', 'self-signed', 'unknown', ['Secret prod/api-tls [tls.crt#0]']],
    ]);
    const cas = table(report, 'certs-authorities');
    expect(cas.columns.map((c) => c.label)).toEqual([
      'CERTIFICATE AUTHORITY',
      'EXPIRES',
      'RESIDUAL TIME',
      'EXTERNALLY MANAGED',
      'LOCATIONS',
    ]);
    const ca = (file: string): string => `pki/${file} [clusters[lab].certificate-authority-data]`;
    // The cluster CA once (it is in pki/ca.crt, every kubeconfig and the client-ca-file ConfigMap).
    expect(rows(cas)).toEqual([
      [
        '',
        'ca',
        'Nov 20, 2036 06:50 UTC',
        '9y',
        'no (kubeadm)',
        [
          'pki/ca.crt',
          ca('admin.conf'),
          ca('controller-manager.conf'),
          ca('kubelet.conf'),
          ca('scheduler.conf'),
          'ConfigMap kube-system/extension-apiserver-authentication [client-ca-file#0]',
        ],
      ],
      ['', 'etcd-ca', 'Nov 20, 2036 06:50 UTC', '9y', 'no (kubeadm)', ['pki/etcd/ca.crt']],
      [
        '',
        'front-proxy-ca',
        'Nov 20, 2036 06:50 UTC',
        '9y',
        'no (kubeadm)',
        ['pki/front-proxy-ca.crt', 'ConfigMap kube-system/extension-apiserver-authentication [requestheader-client-ca-file#0]'],
      ],
    ]);
  });

  it('certificates: the same expiry, residual time and CA as `kubeadm certs check-expiration` on that PKI', () => {
    const text = readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'lab-1.26-kubeadm-certs-check-expiration.txt'), 'utf8');
    const [leafBlock, caBlock] = text.split(/\n\s*\n/);
    const parse = (block: string): string[][] =>
      block
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s{2,}/));
    const ours = new Map(
      [...table(report, 'certs-certificates').rows, ...table(report, 'certs-authorities').rows].map((r) => [r.cells.certificate, r.cells]),
    );
    const theirs = [...parse(leafBlock!), ...parse(caBlock!)];
    expect(theirs).toHaveLength(13);
    for (const k of theirs) {
      const [name, expires, residual, ...rest] = k;
      const row = ours.get(name);
      expect(row, name).toBeDefined();
      expect([row!.expires, row!.residualTime], name).toEqual([expires, residual]);
      // kubeadm leaves CA empty for kubeconfigs; where it names one, it is ours.
      if (rest.length === 2) expect(row!.ca, name).toBe(rest[0]);
    }
  });

  it('apis: Pluto columns, objects and client requests, removed-by-target rows flagged first', () => {
    const t = table(report, 'apis-deprecated');
    expect(t.columns.map((c) => c.label)).toEqual([
      'KIND',
      'NAME',
      'NAMESPACE',
      'VERSION',
      'REPLACEMENT',
      'DEPRECATED IN',
      'REMOVED IN',
      'FOUND IN',
    ]);
    const metric = ['client requests (apiserver_requested_deprecated_apis)'];
    expect(rows(t)).toEqual([
      [
        '!',
        'CSIStorageCapacity',
        'lab-capacity-zone-a',
        'kube-system',
        'storage.k8s.io/v1beta1',
        'storage.k8s.io/v1 CSIStorageCapacity',
        '1.24',
        '1.27',
        ['object (last-applied configuration)'],
      ],
      ['!', 'csistoragecapacities', null, null, 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1 CSIStorageCapacity', null, '1.27', metric],
      [
        '',
        'FlowSchema',
        'lab-legacy-batch',
        null,
        'flowcontrol.apiserver.k8s.io/v1beta2',
        'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema',
        '1.26',
        '1.29',
        ['object (last-applied configuration)'],
      ],
      [
        '',
        'flowschemas',
        null,
        null,
        'flowcontrol.apiserver.k8s.io/v1beta2',
        'flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema',
        null,
        '1.29',
        metric,
      ],
      ['', 'componentstatuses', null, null, 'v1', null, null, null, metric],
    ]);
  });

  it('versions: the kubelet skew matrix today (1.26) and on 1.27, kube-proxy named as not known', () => {
    const t = table(report, 'versions-skew');
    expect(t.columns.map((c) => c.label)).toEqual([
      'COMPONENT',
      'NODE / INSTANCE',
      'VERSION',
      'ALLOWED ON 1.26',
      'OK',
      'ALLOWED ON 1.27',
      'OK ON 1.27',
    ]);
    expect(rows(t)).toEqual([
      ['', 'kubelet', 'lab-control-plane', 'v1.26.4', '1.24–1.26', true, '1.25–1.27', true],
      ['', 'kubelet', 'lab-worker-1', 'v1.26.4', '1.24–1.26', true, '1.25–1.27', true],
      ['', 'kubelet', 'lab-worker-2', 'v1.25.9', '1.24–1.26', true, '1.25–1.27', true],
      ['!', 'kubelet', 'lab-worker-3', 'v1.24.13', '1.24–1.26', true, '1.25–1.27', false],
      ['!', 'kubelet', 'lab-worker-old', 'v1.23.17', '1.24–1.26', false, '1.25–1.27', false],
    ]);
    expect(t.note).toContain('kube-proxy is not listed on 5 nodes');
  });

  it('pdb: the drain order, control plane first, the three nodes the two PDBs block without a wave', () => {
    const t = table(report, 'pdb-drain-order');
    expect(t.columns.map((c) => c.label)).toEqual(['NODE', 'WAVE', 'BLOCKED BY', 'PODS EVICTED', 'CAN DRAIN']);
    expect(rows(t)).toEqual([
      ['', 'lab-control-plane', 1, null, 0, 'yes'],
      ['', 'lab-worker-old', 2, null, 0, 'yes'],
      ['!', 'lab-worker-1', null, ['PDB prod/api-pdb-min-equals-replicas', 'PDB prod/web-pdb-blocks-drain'], 4, 'no'],
      ['!', 'lab-worker-2', null, ['PDB prod/web-pdb-blocks-drain'], 3, 'no'],
      ['!', 'lab-worker-3', null, ['PDB prod/web-pdb-blocks-drain'], 4, 'no'],
    ]);
  });

  it('rbac: the access review, added subjects first with their binding, role and creationTimestamp', () => {
    const t = table(report, 'rbac-access-review');
    expect(t.columns.map((c) => c.label)).toEqual(['SUBJECT', 'VIA (BINDING → ROLE)', 'POWERS', 'DEFAULT OR ADDED', 'SINCE']);
    const all = 'wildcard (every power)';
    expect(rows(t).slice(0, 5)).toEqual([
      [
        '!',
        'Group oncall-admins',
        'ClusterRoleBinding oncall-admins-cluster-admin → ClusterRole cluster-admin',
        all,
        'added',
        '2026-11-23T06:51:50Z',
      ],
      [
        '!',
        'ServiceAccount ci/deployer',
        'ClusterRoleBinding ci-deployer-cluster-admin → ClusterRole cluster-admin',
        all,
        'added',
        '2026-11-23T06:51:50Z',
      ],
      [
        '!',
        'User alice@example.com',
        'ClusterRoleBinding alice-cluster-admin → ClusterRole cluster-admin',
        all,
        'added',
        '2026-11-23T06:51:50Z',
      ],
      ['', 'Group system:masters', 'ClusterRoleBinding cluster-admin → ClusterRole cluster-admin', all, 'default', '2026-11-23T06:50:45Z'],
      [
        '',
        'ServiceAccount kube-system/bootstrap-signer',
        'RoleBinding kube-system/system:controller:bootstrap-signer → Role system:controller:bootstrap-signer',
        'secrets-read',
        'default',
        '2026-11-23T06:50:45Z',
      ],
    ]);
    // Every other row is a default of the distribution (kubeadm's controllers), none flagged.
    expect(t.rows).toHaveLength(20);
    expect(t.rows.slice(3).every((r) => r.cells.origin === 'default' && !r.flagged)).toBe(true);
  });
});

describe('the tables as each renderer draws them (sample report)', () => {
  let report: Report;
  beforeAll(async () => {
    report = await sampleReport();
  });

  it('text: a section per table after the first screen, every line within the width, nothing cut', () => {
    for (const width of [80, 100, 160]) {
      const text = renderText(report, { color: false, width });
      const lines = text.split('\n');
      const at = (title: string): number => lines.findIndex((l) => l.startsWith(title));
      const sections = report.tables!.map((t) => at(`${t.title} (${t.family}, `));
      expect(
        sections.every((i) => i > 25),
        `width ${width}`,
      ).toBe(true);
      expect(sections).toEqual([...sections].sort((a, b) => a - b));
      const body = lines.slice(sections[0], at('Findings ('));
      expect(
        body.filter((l) => l.length > width),
        `width ${width}`,
      ).toEqual([]);
      expect(body.join('\n')).not.toContain('…');
    }
    // Wide enough, each table is a table with its kubeadm / Pluto header on one line.
    const wide = renderText(report, { color: false, width: 200 });
    expect(wide).toMatch(/^ {4}CERTIFICATE {3,}EXPIRES {3,}RESIDUAL TIME {3}CA {3,}EXTERNALLY MANAGED {3}LOCATIONS$/m);
    expect(wide).toMatch(/^CERTIFICATE AUTHORITY {3}EXPIRES {3,}RESIDUAL TIME {3}EXTERNALLY MANAGED {3}LOCATIONS$/m);
    expect(wide).toMatch(/^ {4}KIND {3,}NAME {3,}NAMESPACE {3,}VERSION {3,}REPLACEMENT {3,}DEPRECATED IN {3}REMOVED IN {3}FOUND IN$/m);
    expect(wide).toMatch(/^! {3}lab-worker-1 {3,}— {3,}PDB prod\/api-pdb-min-equals-replicas {3}4 {3,}no$/m);
    expect(wide).toMatch(/^ {4}ca {3,}Nov 20, 2036 06:50 UTC {3}9y|^ca {3,}Nov 20, 2036 06:50 UTC {3}9y/m);
  });

  it('text: a word longer than its column is split across lines, never cut', () => {
    const long = `pki/${'x'.repeat(45)}.crt`;
    const out = plainTable(['NAME', 'LOCATION'], [['a', long]], 30);
    expect(out.split('\n').every((l) => l.length <= 30)).toBe(true);
    expect(
      out
        .replace(/^NAME +LOCATION\n/, '')
        .replace(/^a? +/gm, '')
        .replace(/\n/g, ''),
    ).toBe(long);
  });

  it('text: a name longer than its column breaks after / - . : or ]', () => {
    // 28 columns: NAME (4) + gap (3) leave 21 for LOCATION.
    expect(plainTable(['NAME', 'LOCATION'], [['a', 'kube-system/extension-apiserver-authentication']], 28)).toBe(
      ['NAME   LOCATION', 'a      kube-system/', '       extension-apiserver-', '       authentication'].join('\n'),
    );
  });

  it('text: a table wraps as many columns as keep its words whole, not one split mid-name', () => {
    const t: ReportTable = {
      id: 'rbac-access-review',
      family: 'rbac',
      title: 'Cluster-admin access review',
      columns: ['subject', 'via', 'powers', 'origin', 'since'].map((key) => ({ key, label: key.toUpperCase() })),
      rows: [
        {
          cells: {
            subject: 'Group oncall',
            via: 'RoleBinding team-1000/oncall-debug → Role pod-debugger',
            powers: 'pods-exec (namespace team-1000 only)',
            origin: 'added',
            since: '2026-05-04T09:12:33Z',
          },
        },
      ],
    };
    // At 107 columns VIA alone, at its narrowest (20), would fit, splitting `team-1000/oncall-debug`
    // after `team-100`: POWERS wraps as well, and the name stays whole.
    const lines = familyTable(t, 107, pc.createColors(false)).slice(1).join('\n').split('\n');
    expect(lines.every((l) => l.length <= 107)).toBe(true);
    expect(lines).toEqual([
      'SUBJECT        VIA                                POWERS                      ORIGIN   SINCE',
      'Group oncall   RoleBinding                        pods-exec (namespace        added    2026-05-04T09:12:33Z',
      '               team-1000/oncall-debug → Role      team-1000 only)',
      '               pod-debugger',
    ]);
  });

  it('markdown: each table folded with its rows and flag column', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('<details><summary>Cluster-admin access review (rbac, 20 rows)</summary>');
    expect(md).toContain(
      '| **!** | Group oncall-admins | ClusterRoleBinding oncall-admins-cluster-admin → ClusterRole cluster-admin | wildcard \\(every power\\) | added | 2026-11-23T06:51:50Z |',
    );
    expect(md).toContain('| **!** | lab-worker-1 | — | PDB prod/api-pdb-min-equals-replicas<br>PDB prod/web-pdb-blocks-drain | 4 | no |');
  });

  it('HTML, on screen and in print: a table per family section, the access review with every row', async () => {
    for (const print of [false, true]) {
      const html = renderHtml(report, { print });
      expect(await htmlProblems(html)).toEqual([]);
      for (const t of report.tables!) {
        const section = html.slice(html.indexOf(`id="family-${t.family}"`));
        const at = section.indexOf(`<div class="family-table" id="table-${t.id}">`);
        expect(at, t.id).toBeGreaterThan(0);
        expect(at, t.id).toBeLessThan(section.indexOf('</section>'));
      }
      const review = html.slice(html.indexOf('id="table-rbac-access-review"'));
      const body = review.slice(0, review.indexOf('</table>'));
      expect(body.match(/<tr[ >]/g)).toHaveLength(21);
      expect(body.match(/<tr class="flagged">/g)).toHaveLength(3);
      expect(body).toContain(
        '<td class="bad nowrap">User alice@<wbr>example.<wbr>com</td><td class="">ClusterRoleBinding alice-cluster-admin → ClusterRole cluster-admin</td>',
      );
    }
  });
});

describe('tables of real-shaped fixture dumps', () => {
  it('certs: cert-manager Secrets say who renews them; a CA found in three places is one row', async () => {
    const report = await scanDump(fixture('certs-cluster-expiry', 'fail-all-sources'), ['certs-cluster-expiry'], '2026-06-01T00:00:00Z');
    expect(rows(table(report, 'certs-certificates'))).toEqual([
      [
        '!',
        'jane',
        'Jan 01, 2026 00:00 UTC',
        'expired',
        'CN=ed25519-ca',
        'unknown',
        ['tls/kubeconfig.yaml [users[jane].client-certificate-data]'],
      ],
      ['!', 'shop.example.com', 'May 20, 2026 00:00 UTC', 'expired', 'ingress-ca', 'unknown', ['Secret shop/shop-tls [tls.crt#0]']],
      ['!', 'kube-apiserver', 'Jun 03, 2026 00:00 UTC', '2d', 'kubernetes', 'unknown', ['tls/apiserver-serving.pem']],
      [
        '!',
        'api.example.com',
        'Jun 05, 2026 00:00 UTC',
        '4d',
        'ingress-intermediate',
        'yes (cert-manager Certificate api/api)',
        ['Secret api/api-tls [tls.crt#0]'],
      ],
    ]);
    const cas = rows(table(report, 'certs-authorities'));
    expect(cas.map((r) => r.slice(0, 5))).toEqual([
      ['!', 'policy-webhook-ca', 'May 15, 2026 00:00 UTC', 'expired', 'unknown'],
      ['!', 'ingress-intermediate', 'Jun 21, 2026 00:00 UTC', '20d', 'yes (cert-manager Certificate api/api)'],
      ['!', 'conversion-ca', 'Sep 09, 2026 00:00 UTC', '100d', 'unknown'],
      ['', 'front-proxy-ca', 'May 30, 2035 00:00 UTC', '9y', 'unknown'],
      ['', 'ingress-ca', 'May 30, 2035 00:00 UTC', '9y', 'unknown'],
      ['', 'kubernetes', 'May 30, 2035 00:00 UTC', '9y', 'unknown'],
      ['', 'metrics-server-ca', 'May 30, 2035 00:00 UTC', '9y', 'unknown'],
      ['!', 'aggregator-ca', 'Jun 10, 2036 00:00 UTC', '10y', 'unknown'],
    ]);
    expect(cas.find((r) => r[1] === 'kubernetes')![5]).toEqual([
      'ConfigMap kube-system/extension-apiserver-authentication [client-ca-file#0]',
      'tls/apiserver-serving.pem [#1]',
      'tls/kubeconfig.yaml [clusters[lab].certificate-authority-data]',
    ]);
  });

  it('apis: objects of Helm releases (hooks named) and of manifests (namespace and name from the file)', async () => {
    const helm = await scanDump(fixture('apis-removed', 'fail-helm-releases'), ['apis-removed'], '2026-01-01T00:00:00Z', '1.25');
    expect(rows(table(helm, 'apis-deprecated'))).toEqual([
      [
        '!',
        'CronJob',
        'web-backup',
        'prod',
        'batch/v1beta1',
        'batch/v1 CronJob',
        '1.21',
        '1.25',
        ['Helm release prod/web revision 3 (hook)'],
      ],
      [
        '!',
        'HorizontalPodAutoscaler',
        'metrics',
        'monitoring',
        'autoscaling/v2beta1',
        'autoscaling/v2 HorizontalPodAutoscaler',
        '1.22',
        '1.25',
        ['Helm release monitoring/metrics revision 5'],
      ],
      [
        '!',
        'PodDisruptionBudget',
        'web-pdb',
        'prod',
        'policy/v1beta1',
        'policy/v1 PodDisruptionBudget',
        '1.21',
        '1.25',
        ['Helm release prod/web revision 3'],
      ],
      ['!', 'PodSecurityPolicy', 'web-psp', null, 'policy/v1beta1', null, '1.21', '1.25', ['Helm release prod/web revision 3']],
    ]);
    const files = await scanDump(fixture('apis-removed', 'fail-manifests-folder'), ['apis-removed'], '2026-01-01T00:00:00Z', '1.25');
    expect(rows(table(files, 'apis-deprecated'))).toEqual([
      [
        '!',
        'Ingress',
        'web',
        'prod',
        'extensions/v1beta1',
        'networking.k8s.io/v1 Ingress',
        '1.14',
        '1.22',
        ['manifest manifests/web/all.yaml:10'],
      ],
      ['!', 'CronJob', 'nightly', null, 'batch/v1beta1', 'batch/v1 CronJob', '1.21', '1.25', ['manifest manifests/jobs/list.json:12']],
    ]);
  });

  it('pdb: six nodes in three zones, waves one node at a time, two nodes blocked and why', async () => {
    const report = await scanDump(fixture('pdb-drain-plan', 'fail-six-nodes-three-zones'), ['pdb-drain-plan'], '2026-01-01T00:00:00Z');
    expect(rows(table(report, 'pdb-drain-order'))).toEqual([
      ['', 'cp-1', 1, null, 0, 'yes'],
      ['', 'w-a', 2, null, 3, 'yes'],
      ['', 'w-b1', 3, null, 3, 'yes'],
      ['', 'w-c2', 4, null, 3, 'yes'],
      ['!', 'w-b2', null, ['PDB shop/api', 'PDB shop/backend', '1 pod fits nowhere'], 3, 'no'],
      ['!', 'w-c1', null, ['1 pod needs --force'], 4, 'no'],
    ]);
  });

  it('rbac: admins through namespaced RoleBindings say their namespace; no creationTimestamp is no SINCE', async () => {
    const report = await scanDump(
      fixture('rbac-cluster-admins', 'fail-sprawl-aggregation-evasion'),
      ['rbac-cluster-admins'],
      '2026-01-01T00:00:00Z',
    );
    const added = rows(table(report, 'rbac-access-review')).filter((r) => r[4] === 'added');
    expect(added).toEqual([
      ['!', 'Group sre', 'ClusterRoleBinding sre-admin → ClusterRole cluster-admin', 'wildcard (every power)', 'added', null],
      [
        '!',
        'Group team-a-admins',
        'RoleBinding team-a/team-a-admins → ClusterRole cluster-admin',
        'wildcard (every power) (namespace team-a only)',
        'added',
        null,
      ],
      [
        '!',
        'User alice@example.com',
        'ClusterRoleBinding alice-admin → ClusterRole cluster-admin',
        'wildcard (every power)',
        'added',
        null,
      ],
      [
        '!',
        'User bob@example.com',
        'ClusterRoleBinding platform-team → ClusterRole platform-admin',
        'wildcard (every power)',
        'added',
        null,
      ],
      [
        '!',
        'User carol@example.com',
        'ClusterRoleBinding kubeadm:cluster-admins → ClusterRole cluster-admin',
        'wildcard (every power)',
        'added',
        null,
      ],
      [
        '!',
        'User dev1@example.com',
        'RoleBinding team-a/dev-1 → ClusterRole edit',
        'impersonate, workload-create, secrets-read, pods-exec (namespace team-a only)',
        'added',
        null,
      ],
      [
        '!',
        'User dev2@example.com',
        'RoleBinding team-a/dev-2 → ClusterRole edit',
        'impersonate, workload-create, secrets-read, pods-exec (namespace team-a only)',
        'added',
        null,
      ],
      [
        '!',
        'User dev3@example.com',
        'RoleBinding team-a/team-a-admins → ClusterRole cluster-admin',
        'wildcard (every power) (namespace team-a only)',
        'added',
        null,
      ],
      ['!', 'User mallory', 'ClusterRoleBinding system:evil → ClusterRole cluster-admin', 'wildcard (every power)', 'added', null],
      [
        '!',
        'User system:kube-scheduler',
        'ClusterRoleBinding system:kube-scheduler → ClusterRole system:kube-scheduler',
        'wildcard (every power)',
        'added',
        null,
      ],
    ]);
  });

  it('a check in error makes no table: none of its family is drawn from nothing', async () => {
    const report = await scanDump(fixture('pdb-drain-plan', 'error-no-nodes'), ['pdb-drain-plan'], '2026-01-01T00:00:00Z');
    expect(report.checks[0]!.status).toBe('error');
    expect(report.tables).toEqual([]);
  });
});

const KIND = join(PACKAGE_ROOT, '..', 'shared', 'fixtures-external', 'sonobuoy', 'kind-1.21-results.tar.gz');

describe.skipIf(!existsSync(KIND))('the skew matrix of a real kind 1.21 cluster (../shared/fixtures-external, read in place)', () => {
  it('control-plane pods judged against their kube-apiserver, the kube-proxy DaemonSet against the kube-apiservers', async () => {
    const report = await scanDump(KIND, ['versions'], '2021-08-18T00:00:00Z', '1.22');
    const t = table(report, 'versions-skew');
    expect(t.columns.map((c) => c.label)).toEqual([
      'COMPONENT',
      'NODE / INSTANCE',
      'VERSION',
      'ALLOWED ON 1.21',
      'OK',
      'ALLOWED ON 1.22',
      'OK ON 1.22',
    ]);
    expect(rows(t)).toEqual([
      ['', 'kube-apiserver', 'kind-control-plane (kube-apiserver-kind-control-plane)', 'v1.21.1', null, null, null, null],
      [
        '',
        'kube-controller-manager',
        'kind-control-plane (kube-controller-manager-kind-control-plane)',
        'v1.21.1',
        '1.20–1.21',
        true,
        null,
        null,
      ],
      ['', 'kube-scheduler', 'kind-control-plane (kube-scheduler-kind-control-plane)', 'v1.21.1', '1.20–1.21', true, null, null],
      ['', 'kubelet', 'kind-control-plane', 'v1.21.1', '1.19–1.21', true, '1.20–1.22', true],
      ['', 'kube-proxy', 'DaemonSet kube-system/kube-proxy (1 node)', 'v1.21.1', '1.19–1.21', true, '1.20–1.22', true],
    ]);
  });
});
