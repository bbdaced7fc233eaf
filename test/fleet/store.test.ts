/**
 * readStoredReports (src/fleet/store.ts): a folder tree of report.json files (one per cluster),
 * not-scanned.json records, files that are not reports, and locations it does not read.
 */
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/contract/errors.js';
import { readStoredReports } from '../../src/fleet/store.js';
import { renderJson } from '../../src/render/json.js';
import type { Report } from '../../src/contract/report.js';
import { tempDir, type TempDir } from '../support/live.js';
import { K3S, LAB, scanDump } from './reports.js';

let dir: TempDir;
let lab: Report;
let k3s: Report;

function write(rel: string, text: string): void {
  const file = join(dir.path, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(async () => {
  dir = tempDir();
  lab = await scanDump(LAB);
  k3s = await scanDump(K3S);
  write('tree/eu/prod-1/report.json', renderJson(lab));
  write('tree/eu/prod-1/report.html', '<html></html>');
  write('tree/us/edge/report.json', renderJson(k3s));
  write(
    'tree/us/gone/not-scanned.json',
    JSON.stringify({
      apiVersion: 'kube-preflight/v1',
      kind: 'NotScanned',
      source: 'live, context gone (kc)',
      reason: 'connection to 127.0.0.1:9 refused',
    }),
  );
  write('tree/broken/report.json', '{"apiVersion": "kube-preflight/v1", "kind": "Rep');
  write('tree/not-a-report/report.json', JSON.stringify({ apiVersion: 'kube-preflight/v1', kind: 'FleetSummary' }));
  write('tree/bad-record/not-scanned.json', JSON.stringify({ kind: 'NotScanned', reason: 1 }));
  write('tree/fleet.json', '{}');
  write('single/report.json', renderJson(lab));
}, 60_000);
// eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
afterAll(() => dir?.remove());

describe('readStoredReports', () => {
  it('reads every report.json under a folder, one cluster per folder', async () => {
    const root = join(dir.path, 'tree');
    const got = await readStoredReports(root);
    expect(
      got.map(({ cluster, file, source, error }) => ({
        cluster,
        file,
        source,
        error,
        report: got.find((g) => g.file === file)!.report?.summary.verdict,
      })),
    ).toEqual([
      {
        cluster: 'bad-record',
        file: join(root, 'bad-record/not-scanned.json'),
        source: join(root, 'bad-record/not-scanned.json'),
        error: `not readable: ${join(root, 'bad-record/not-scanned.json')}: does not match the NotScanned schema: /: must have required property 'apiVersion'; /: must have required property 'source'; /reason: must be string`,
        report: undefined,
      },
      {
        cluster: 'broken',
        file: join(root, 'broken/report.json'),
        source: join(root, 'broken/report.json'),
        error: `not readable: ${join(root, 'broken/report.json')}:1:49: invalid JSON: unexpected end of input (truncated file?): the string is not closed by a double quote`,
        report: undefined,
      },
      { cluster: 'eu/prod-1', file: join(root, 'eu/prod-1/report.json'), source: `dump ${LAB}`, error: undefined, report: 'NO-GO' },
      {
        cluster: 'not-a-report',
        file: join(root, 'not-a-report/report.json'),
        source: join(root, 'not-a-report/report.json'),
        error: `not readable: ${join(root, 'not-a-report/report.json')}: does not match the report schema: /: must have required property 'metadata'; /: must have required property 'summary'; /: must have required property 'checks'`,
        report: undefined,
      },
      { cluster: 'us/edge', file: join(root, 'us/edge/report.json'), source: `dump ${K3S}`, error: undefined, report: 'INCOMPLETE' },
      {
        cluster: 'us/gone',
        file: join(root, 'us/gone/not-scanned.json'),
        source: 'live, context gone (kc)',
        error: 'connection to 127.0.0.1:9 refused',
        report: undefined,
      },
    ]);
    expect(got.find((g) => g.cluster === 'eu/prod-1')!.report).toEqual(JSON.parse(renderJson(lab)));
  });

  it('reads a report.json of at most 256 MiB and nested at most 64 levels, as every report read', async () => {
    const root = join(dir.path, 'limits');
    mkdirSync(join(root, 'huge'), { recursive: true });
    writeFileSync(join(root, 'huge', 'report.json'), '{');
    truncateSync(join(root, 'huge', 'report.json'), 256 * 1024 * 1024 + 1); // sparse: no 256 MiB written
    write('limits/deep/report.json', `${'['.repeat(70)}${']'.repeat(70)}`);
    expect((await readStoredReports(root)).map((r) => [r.cluster, r.error])).toEqual([
      ['deep', `not readable: ${join(root, 'deep/report.json')}: does not match the report schema: nested more than 64 levels deep`],
      ['huge', `not readable: ${join(root, 'huge/report.json')}: larger than 256 MiB, too large for a report`],
    ]);
  });

  it('names a report at the location itself after its folder (the report names no cluster or context)', async () => {
    const single = join(dir.path, 'single');
    expect((await readStoredReports(single)).map((r) => [r.cluster, r.report?.summary.verdict])).toEqual([['single', 'NO-GO']]);
    expect((await readStoredReports(join(single, 'report.json'))).map((r) => [r.cluster, r.report?.summary.verdict])).toEqual([
      ['single', 'NO-GO'],
    ]);
  });

  it('names a report at the location itself after its cluster or context when it has one', async () => {
    write(
      'named/report.json',
      renderJson({ ...lab, metadata: { ...lab.metadata, source: { ...lab.metadata.source, type: 'live', context: 'prod-ctx' } } }),
    );
    expect((await readStoredReports(join(dir.path, 'named'))).map((r) => [r.cluster, r.source])).toEqual([
      ['prod-ctx', `live, context prod-ctx (${lab.metadata.source.server})`],
    ]);
  });

  it('finds nothing in a folder without reports', async () => {
    mkdirSync(join(dir.path, 'empty'));
    expect(await readStoredReports(join(dir.path, 'empty'))).toEqual([]);
  });

  it.each([
    [
      'https://example.com/r',
      'https://example.com/r: unsupported location (https://); give a folder, a report.json file or s3://BUCKET/PREFIX',
    ],
    ['gs://bucket/r', 'gs://bucket/r: unsupported location (gs://); give a folder, a report.json file or s3://BUCKET/PREFIX'],
  ])('refuses %s in one line', async (location, message) => {
    const e = await readStoredReports(location).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FatalError);
    expect((e as Error).message).toBe(message);
  });

  it('refuses a location that does not exist', async () => {
    await expect(readStoredReports(join(dir.path, 'nope'))).rejects.toThrow(`${join(dir.path, 'nope')}: no such file or folder`);
  });
});
