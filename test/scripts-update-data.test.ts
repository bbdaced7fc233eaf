/**
 * scripts/update-data.ts on pinned copies of the upstream files (test/fixtures/upstream, see
 * SOURCE there): the shipped tables are its output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGuide, updateDeprecations, updateReleases } from '../scripts/update-data.js';
import { builtinDeprecationTable, builtinReleaseTable } from '../src/k8s/tables.js';

const up = (f: string): string => readFileSync(new URL(`./fixtures/upstream/${f}`, import.meta.url), 'utf8');

describe('update-data', () => {
  it('regenerates the shipped release table from eol.yaml and schedule.yaml', () => {
    const shipped = builtinReleaseTable();
    const out = updateReleases(shipped, up('eol.yaml'), up('schedule.yaml'), shipped.asOf);
    expect(out).toEqual(shipped);
  });

  it("adds a minor schedule.yaml lists and the table lacks, and takes eol.yaml's final date", () => {
    const shipped = builtinReleaseTable();
    const older = {
      ...shipped,
      releases: shipped.releases.slice(0, -1).map((r) => (r.minor === '1.32' ? { ...r, endOfLife: '2026-03-10' } : r)),
    };
    const out = updateReleases(older, up('eol.yaml'), up('schedule.yaml'), '2026-12-04');
    expect(out.releases.find((r) => r.minor === '1.37')).toEqual({
      minor: '1.37',
      released: '2026-08-26',
      endOfLife: '2027-10-28',
      kubeadm: null,
    });
    expect(out.releases.find((r) => r.minor === '1.32')?.endOfLife).toBe('2026-03-10');
    expect(out.releases.find((r) => r.minor === '1.22')?.endOfLife).toBe('2022-12-08');
  });

  it("reads the guide's removals, per kind where it gives one", () => {
    const g = parseGuide(up('deprecation-guide.md'));
    expect(g).toHaveLength(14);
    expect(g).toContainEqual({
      apiVersion: 'storage.k8s.io/v1beta1',
      kind: 'VolumeAttachment',
      removedIn: '1.22',
      replacementApi: 'storage.k8s.io/v1',
      replacementAvailableIn: '1.13',
    });
    expect(g).toContainEqual({
      apiVersion: 'apps/v1beta2',
      kind: 'Deployment',
      removedIn: '1.16',
      replacementApi: 'apps/v1',
      replacementAvailableIn: '1.9',
    });
  });

  it('regenerates the shipped deprecated-API table from the guide, with no problem', () => {
    const shipped = builtinDeprecationTable();
    const { table, problems } = updateDeprecations(shipped, up('deprecation-guide.md'), shipped.asOf);
    expect(problems).toEqual([]);
    expect(table).toEqual(shipped);
  });
});
