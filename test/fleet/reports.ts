/**
 * Reports for the fleet tests: in-process scans of fixture dumps (every check unless `only`),
 * with the sample's clock.
 */
import { join } from 'node:path';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import type { FailOn } from '../../src/contract/check.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';

export const NOW = '2026-11-23T07:00:18Z';
export const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
/** A k3s dump of nodes and versions only: most checks lack their inputs (INCOMPLETE). */
export const K3S = join(PACKAGE_ROOT, 'fixtures', 'checks', 'versions-kubelet-skew', 'fail-k3s-suffixes');
/** Kubelets within the skew policy: GO for versions-kubelet-skew alone. */
export const WITHIN_POLICY = join(PACKAGE_ROOT, 'fixtures', 'checks', 'versions-kubelet-skew', 'pass-within-policy');

let registry: Registry | undefined;

export async function scanDump(dump: string, opts: { only?: string[]; failOn?: FailOn } = {}): Promise<Report> {
  registry ??= new Registry(await loadBuiltinChecks());
  const source = await DumpSource.open(dump);
  try {
    const { report } = await scan({
      source,
      registry,
      config: EMPTY_CONFIG,
      now: new Date(NOW),
      failOn: opts.failOn ?? 'critical',
      options: { requestTimeoutMs: 30_000 },
      ...(opts.only ? { only: opts.only } : {}),
    });
    return report;
  } finally {
    await source.close();
  }
}
