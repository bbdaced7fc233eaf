/**
 * The bundled sample report for the renderer tests: a scan of fixtures/dumps/lab-1.26 with
 * `--now 2026-11-23T07:00:18Z`, every check, with the fields that vary between runs fixed
 * (`generatedAt` = the clock, `durationMs` = 0; the dump's digest zeroed, so an edit of the dump
 * that changes no finding leaves the goldens alone), so renderings compare with golden files.
 */
import { join } from 'node:path';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';

export const SAMPLE_DUMP = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
export const SAMPLE_NOW = '2026-11-23T07:00:18Z';

/** Fixes what differs from run to run. */
export function normalize(report: Report): Report {
  return {
    ...report,
    metadata: {
      ...report.metadata,
      generatedAt: report.metadata.now,
      source: {
        ...report.metadata.source,
        location: 'fixtures/dumps/lab-1.26',
        ...(report.metadata.source.sha256 ? { sha256: '0'.repeat(64) } : {}),
      },
    },
    checks: report.checks.map((c) => ({ ...c, durationMs: 0 })),
  };
}

export async function sampleReport(): Promise<Report> {
  const source = await DumpSource.open(SAMPLE_DUMP);
  try {
    const { report } = await scan({
      source,
      registry: new Registry(await loadBuiltinChecks()),
      config: EMPTY_CONFIG,
      now: new Date(SAMPLE_NOW),
      failOn: 'critical',
      options: { requestTimeoutMs: 30_000 },
    });
    return normalize(report);
  } finally {
    await source.close();
  }
}
