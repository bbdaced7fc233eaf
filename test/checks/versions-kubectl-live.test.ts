/**
 * versions-kubectl-skew judges the user's own kubectl only on a live scan, as information: the
 * message and details (its fixture cases check rules, severities and evidence). The fixture
 * folder is scanned as if live: `kubectl version --client` of the person running the scan.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { CheckResult, Finding } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';
import type { Source } from '../../src/sources/source.js';

const FIXTURES = join(PACKAGE_ROOT, 'fixtures', 'checks', 'versions-kubectl-skew');
const registry = new Registry((await loadBuiltinChecks()).filter((c) => c.def.id === 'versions-kubectl-skew'));

/** Scans a fixture folder with the source reporting itself as live (what `ctx.source.type` the check sees). */
async function scanAsLive(folder: string, targetVersion?: string): Promise<{ result: CheckResult; findings: Finding[] }> {
  const dump = await DumpSource.open(join(FIXTURES, folder));
  const live: Source = Object.assign(Object.create(dump) as Source, { info: { ...dump.info, type: 'live' as const } });
  try {
    const { report } = await scan({
      source: live,
      registry,
      config: EMPTY_CONFIG,
      now: new Date('2026-11-23T07:00:00Z'),
      targetVersion,
      failOn: 'info',
      options: { requestTimeoutMs: 30_000 },
    });
    return { result: report.checks[0]!, findings: report.findings };
  } finally {
    await dump.close();
  }
}

const rows = (fs: Finding[]): string[] => fs.map((f) => `${f.severity} ${f.rule} ${f.message}`);

describe('versions-kubectl-skew on a live scan', () => {
  it('a kubectl two minors newer than kube-apiserver 1.30: info, today and after the upgrade to 1.31 it is within one minor', async () => {
    const { result, findings } = await scanAsLive('fail-live-kubectl-too-new', '1.31');
    expect(result.status).toBe('fail');
    expect(rows(findings)).toEqual([
      'info kubectl-skew Your kubectl v1.32.4 is outside one minor of kube-apiserver v1.30.2 (supported kubectl: 1.29–1.31).',
    ]);
    expect(findings[0]!.evidence).toMatchObject({ kubectlVersion: 'v1.32.4', allowedMinors: ['1.29', '1.30', '1.31'] });
    expect(result.details).toEqual({
      kubectlVersion: 'v1.32.4',
      judged: true,
      today: { allowed: '1.29–1.31' },
      after: { version: '1.31', allowed: '1.30–1.32' },
    });
  });
});
