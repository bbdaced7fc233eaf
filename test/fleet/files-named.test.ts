/**
 * The two finders of report.json below a folder share `filesNamed` (src/fleet/store.ts) and
 * differ in what they take: the fleet reads every entry named report.json (and not-scanned.json
 * where a folder has no report), `trend` only regular files, each real file once. Neither
 * follows a symbolic link to a folder: the fleet's reader did (Node's `readdir` without file
 * types follows them), and a link to a parent folder listed each report about 40 times, once
 * per level until ELOOP, as as many clusters.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesNamed, readStoredReports } from '../../src/fleet/store.js';
import { reportFiles } from '../../src/trend/load.js';
import { tempDir, type TempDir } from '../support/live.js';

let tmp: TempDir;
let root: string;
beforeAll(() => {
  tmp = tempDir('kp-files-named-');
  root = join(tmp.path, 'reports');
  for (const d of ['b', 'a', 'c/sub', 'd']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'b/report.json'), '{}');
  writeFileSync(join(root, 'a/report.json'), '{}');
  writeFileSync(join(root, 'c/sub/report.json'), '{}');
  writeFileSync(join(root, 'c/not-scanned.json'), '{}');
  writeFileSync(join(root, 'd/report.html'), '');
  symlinkSync(join(root, 'a/report.json'), join(root, 'd/report.json'));
  symlinkSync(join(root, 'c'), join(root, 'e'));
  symlinkSync(root, join(root, 'c/sub/up'));
});
afterAll(() => tmp.remove());

describe('filesNamed', () => {
  it('finds the entries of those names below a folder, sorted, without following linked folders', async () => {
    expect(await filesNamed(root, ['report.json', 'not-scanned.json'])).toEqual([
      { path: 'a/report.json', isFile: true },
      { path: 'b/report.json', isFile: true },
      { path: 'c/not-scanned.json', isFile: true },
      { path: 'c/sub/report.json', isFile: true },
      { path: 'd/report.json', isFile: false },
    ]);
  });

  it('rejects with the error of a folder it cannot list', async () => {
    await expect(filesNamed(join(root, 'missing'), ['report.json'])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('what each finder takes of a folder', () => {
  it('trend: the regular report.json files', async () => {
    expect(await reportFiles([root])).toEqual(['a', 'b', 'c/sub'].map((d) => join(root, d, 'report.json')));
  });

  it('fleet: every entry named report.json, and not-scanned.json where a folder has no report', async () => {
    expect((await readStoredReports(root)).map((r) => r.file)).toEqual(
      ['a/report.json', 'b/report.json', 'c/not-scanned.json', 'c/sub/report.json', 'd/report.json'].map((f) => join(root, f)),
    );
  });
});
