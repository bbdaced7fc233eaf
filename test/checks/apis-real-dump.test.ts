/**
 * The apis family on the real dump `fixtures/dumps/lab-1.26` (kube-apiserver 1.26.4, see
 * docs/dump-format.md, "The sample dump"): a FlowSchema applied through the deprecated
 * flowcontrol.apiserver.k8s.io/v1beta2 (last-applied annotation), a CSIStorageCapacity applied
 * through storage.k8s.io/v1beta1, and the `apiserver_requested_deprecated_apis` entries for
 * both plus componentstatuses v1 (the API server had run for 3 minutes). The dump has no Helm records, no managedFields (kubectl
 * omits them) and no discovery file (APIService objects stand in).
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { DumpSource } from '../../src/sources/dump.js';

const registry = new Registry(await loadBuiltinChecks());

async function scanDump(targetVersion?: string): Promise<Report> {
  const source = await DumpSource.open('fixtures/dumps/lab-1.26');
  try {
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      only: ['apis'],
      now: new Date('2026-11-23T07:00:18Z'),
      targetVersion,
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    expect(reportSchemaErrors(report)).toEqual([]);
    return report;
  } finally {
    await source.close();
  }
}

const summary = (r: Report) => r.findings.map((f) => [f.checkId, f.rule, f.severity, f.resource]);
const statuses = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

const FLOWSCHEMA_V1BETA2 = {
  apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
  kind: 'FlowSchema',
  name: 'lab-legacy-batch',
  field: 'v1beta2',
};
const CAPACITY_V1BETA1 = {
  apiVersion: 'storage.k8s.io/v1beta1',
  kind: 'CSIStorageCapacity',
  namespace: 'kube-system',
  name: 'lab-capacity-zone-a',
  field: 'v1beta1',
};
const METRIC = (name: string) => ({ kind: 'APIResource', name });
const APISERVICE = (name: string) => ({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name });

const FOR_1_27 = [
  ['apis-in-use-metric', 'requested-removed', 'critical', METRIC('storage.k8s.io/v1beta1/csistoragecapacities')],
  ['apis-removed', 'removed-api', 'critical', CAPACITY_V1BETA1],
  ['apis-deprecated', 'deprecated-api', 'medium', FLOWSCHEMA_V1BETA2],
  ['apis-in-use-metric', 'requested-deprecated', 'medium', METRIC('flowcontrol.apiserver.k8s.io/v1beta2/flowschemas')],
  ['apis-in-use-metric', 'requested-deprecated-no-removal', 'low', METRIC('v1/componentstatuses')],
  ['apis-served-versions', 'served-version-removed', 'info', APISERVICE('v1beta1.storage.k8s.io')],
];

describe('apis family on the real 1.26 dump', () => {
  it('target 1.27: the CSIStorageCapacity is removed, the FlowSchema deprecated', async () => {
    const r = await scanDump('1.27');
    expect(summary(r)).toEqual(FOR_1_27);
    expect(statuses(r)).toEqual({
      'apis-deprecated': 'fail',
      'apis-helm-releases': 'not-applicable',
      'apis-in-use-metric': 'fail',
      'apis-removed': 'fail',
      'apis-served-versions': 'fail',
    });
  });

  it('no target: judged against the next minor, 1.27', async () => {
    const r = await scanDump();
    expect(summary(r)).toEqual(FOR_1_27);
    expect(r.findings.every((f) => f.evidence.targetVersion === '1.27')).toBe(true);
  });

  it('target 1.29: the FlowSchema written through v1beta2 and the metric entries are blockers', async () => {
    const r = await scanDump('1.29');
    expect(summary(r)).toEqual([
      ['apis-in-use-metric', 'requested-removed', 'critical', METRIC('flowcontrol.apiserver.k8s.io/v1beta2/flowschemas')],
      ['apis-in-use-metric', 'requested-removed', 'critical', METRIC('storage.k8s.io/v1beta1/csistoragecapacities')],
      ['apis-removed', 'removed-api', 'critical', FLOWSCHEMA_V1BETA2],
      ['apis-removed', 'removed-api', 'critical', CAPACITY_V1BETA1],
      ['apis-in-use-metric', 'requested-deprecated-no-removal', 'low', METRIC('v1/componentstatuses')],
      ['apis-served-versions', 'served-version-removed', 'info', APISERVICE('v1beta1.storage.k8s.io')],
      ['apis-served-versions', 'served-version-removed', 'info', APISERVICE('v1beta2.flowcontrol.apiserver.k8s.io')],
    ]);
    expect(statuses(r)['apis-deprecated']).toBe('pass');
    const fs = r.findings.find((f) => f.checkId === 'apis-removed' && 'kind' in f.resource && f.resource.kind === 'FlowSchema')!;
    expect(fs.evidence).toMatchObject({
      removedIn: '1.29',
      serverVersion: 'v1.26.4',
      replacementApi: 'flowcontrol.apiserver.k8s.io/v1beta3',
      replacementAvailableNow: true,
      sources: [{ source: 'last-applied' }],
    });
    const metric = r.findings.find((f) => f.checkId === 'apis-in-use-metric' && f.rule === 'requested-removed')!;
    expect(metric.evidence).toMatchObject({ removedRelease: '1.29', apiserverStartTime: '2026-11-23T06:57:35.260Z' });
    expect(r.summary.verdict).toBe('NO-GO');
    // The dump was taken 3 minutes after the API server started: rare clients are not seen yet.
    const metricCheck = r.checks.find((c) => c.id === 'apis-in-use-metric')!;
    expect(metricCheck.unknowns.map((u) => u.resource)).toEqual([{ kind: 'Metric', name: 'apiserver_requested_deprecated_apis' }]);
    expect(metricCheck.unknowns[0]!.reason).toMatch(/^the API server started 3 minutes before the scan/);
  });
});
