/**
 * The release table as data (checks/versions/data/releases.json): the rows issue 19 found wrong
 * or missing, `supportedMinors` at a clock before a release, and the horizon after which the
 * table is not trusted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { builtinReleaseTable, parseTable, releaseTableSchema } from '../../src/k8s/tables.js';
import {
  releaseInfo,
  releaseTableHorizon,
  releaseTableStale,
  supportedMinors,
  supportStatus,
  useReleaseTable,
} from '../../src/k8s/versions.js';

const at = (iso: string): Date => new Date(iso);

afterEach(() => useReleaseTable(builtinReleaseTable()));

describe('release rows', () => {
  it('has 1.37: released 2026-08-26, end of life 2027-10-28, kubeadm images not known', () => {
    expect(releaseInfo('1.37')).toEqual({
      minor: '1.37',
      released: '2026-08-26',
      endOfLife: '2027-10-28',
      kubeadmEtcd: null,
      kubeadmCoreDNS: null,
      kubeadmPause: null,
    });
  });

  it('judges a 1.37 target on 2026-12-04 as supported (328 days left)', () => {
    expect(supportStatus(37, at('2026-12-04T00:00:00Z'), 60)).toEqual({
      minor: '1.37',
      state: 'supported',
      endOfLife: '2027-10-28',
      daysLeft: 328,
    });
  });

  it('has 1.32 ending on 2026-03-10 (eol.yaml, final patch 1.32.13)', () => {
    expect(releaseInfo('1.32')?.endOfLife).toBe('2026-03-10');
    expect(supportStatus(32, at('2026-03-11T00:00:00Z'), 60)).toMatchObject({ state: 'end-of-life', daysLeft: -1 });
  });

  it('does not list 1.38: planned for 2026-12-16, after the table was made', () => {
    expect(releaseInfo('1.38')).toBeUndefined();
    expect(builtinReleaseTable().nextRelease).toMatchObject({ minor: '1.38', expected: '2026-12-16' });
  });
});

describe('supportedMinors', () => {
  it('lists only minors released at the clock', () => {
    // 1.37 is released on 2026-08-26; 1.33 ends on 2026-06-28.
    expect(supportedMinors(at('2026-05-01T00:00:00Z'))).toEqual(['1.33', '1.34', '1.35', '1.36']);
    expect(supportedMinors(at('2026-08-25T23:59:59Z'))).toEqual(['1.34', '1.35', '1.36']);
    expect(supportedMinors(at('2026-08-26T00:00:00Z'))).toEqual(['1.34', '1.35', '1.36', '1.37']);
  });
});

describe('table horizon', () => {
  it('is the planned day of the next minor when that comes before asOf + 120 days', () => {
    expect(releaseTableHorizon()).toBe('2026-12-16');
    expect(releaseTableStale(at('2026-12-15T23:59:59Z'))).toBeUndefined();
    expect(releaseTableStale(at('2026-12-16T00:00:00Z'))).toBe(
      'the release table (as of 2026-12-04, newest 1.37) is past its horizon 2026-12-16 (1.38 was expected on 2026-12-16): releases and end-of-life dates after it are unknown; give newer tables with --data DIR or update kube-preflight',
    );
  });

  it('is asOf + 120 days when the next minor is planned later', () => {
    const t = builtinReleaseTable();
    expect(releaseTableHorizon({ ...t, nextRelease: { ...t.nextRelease, expected: '2027-06-01' } })).toBe('2027-04-03');
  });
});

describe('releaseTableSchema', () => {
  const good = JSON.stringify(builtinReleaseTable());
  const bad = (mutate: (t: ReturnType<typeof builtinReleaseTable>) => void): string => {
    const t = JSON.parse(good) as ReturnType<typeof builtinReleaseTable>;
    mutate(t);
    return JSON.stringify(t);
  };

  it('accepts the shipped table', () => {
    expect(parseTable(releaseTableSchema, 'releases.json', good).releases).toHaveLength(19);
  });

  it('names the file and the path of the first problem', () => {
    expect(() =>
      parseTable(
        releaseTableSchema,
        'd/releases.json',
        bad((t) => (t.releases[3]!.endOfLife = '28 Feb 2023')),
      ),
    ).toThrow('d/releases.json: .releases[3].endOfLife: expected a date such as 2026-12-04');
    expect(() =>
      parseTable(
        releaseTableSchema,
        'd/releases.json',
        bad((t) => t.releases.splice(5, 1)),
      ),
    ).toThrow('d/releases.json: .releases[5].minor: 1.25 does not follow 1.23');
    expect(() =>
      parseTable(
        releaseTableSchema,
        'd/releases.json',
        bad((t) => (t.nextRelease.minor = '1.39')),
      ),
    ).toThrow('.nextRelease.minor: 1.39 is not the minor after the newest row 1.37');
    expect(() => parseTable(releaseTableSchema, 'd/releases.json', '{"asOf": 1')).toThrow(
      "d/releases.json:1:11: invalid JSON: unexpected end of input (truncated file?): expected ',' or '}' after a property value",
    );
  });
});
