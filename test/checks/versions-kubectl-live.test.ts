/**
 * versions-kubectl-skew judges the user's own kubectl only on a live scan, as information. The
 * fixture folders of the check (dumps, where it is not applicable) are scanned here as if live:
 * the same kubectl versions, now `kubectl version --client` of the person running the scan.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/engine/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { CheckResult, Finding } from '../../src/report/model.js';
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
    const { result, findings } = await scanAsLive('not-applicable-dump-kubectl-too-new', '1.31');
    expect(result.status).toBe('fail');
    expect(rows(findings)).toEqual(['info kubectl-skew Your kubectl v1.32.4 is outside one minor of kube-apiserver v1.30.2 (supported kubectl: 1.29–1.31).']);
    expect(findings[0]!.evidence).toMatchObject({ kubectlVersion: 'v1.32.4', allowedMinors: ['1.29', '1.30', '1.31'] });
    expect(result.details).toEqual({ kubectlVersion: 'v1.32.4', judged: true, today: { allowed: '1.29–1.31' }, after: { version: '1.31', allowed: '1.30–1.32' } });
  });

  it('a kubectl one minor behind today and two behind the target: one info finding after the upgrade', async () => {
    const { findings } = await scanAsLive('not-applicable-dump-kubectl-after-upgrade', '1.30');
    expect(rows(findings)).toEqual([
      'info kubectl-skew-after-upgrade Your kubectl v1.28.15 would be outside one minor of kube-apiserver 1.30 after the upgrade (supported kubectl: 1.29–1.31).',
    ]);
  });

  it('an HA control plane at 1.29 and 1.30 narrows kubectl to 1.29–1.30', async () => {
    const { findings } = await scanAsLive('not-applicable-dump-kubectl-ha-narrowed');
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['info kubectl-skew']);
    expect(findings[0]!.evidence).toMatchObject({ kubectlVersion: 'v1.31.0', allowedMinors: ['1.29', '1.30'] });
  });

  it('a kubectl within one minor passes', async () => {
    const { result, findings } = await scanAsLive('not-applicable-dump-kubectl-within-one-minor', '1.31');
    expect(findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it('a kubectl version that does not parse is not assessed', async () => {
    const { result } = await scanAsLive('not-applicable-dump-unparseable-kubectl');
    expect(result.status).toBe('incomplete');
    expect(result.unknowns.map((u) => u.resource)).toEqual([{ kind: 'Client', name: 'kubectl' }]);
  });
});
