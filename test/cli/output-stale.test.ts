/**
 * `-o DIR` holding the report files of an earlier run: those this run does not write are
 * removed (and said on stderr), so a folder never mixes runs; nothing else is touched.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emit, prepareOutputDir, reportFilesOf } from '../../src/cli/output.js';
import type { Report } from '../../src/contract/report.js';
import { sampleReport } from '../render/sample.js';

let work: string;
let report: Report;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-output-stale-'));
  report = await sampleReport();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const flags = (outputDir: string) => ({ outputDir, paper: 'A4' as const, quiet: true, color: false });

async function emitCapturingStderr(formats: Parameters<typeof emit>[1], dir: string): Promise<string> {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await emit(report, formats, flags(dir));
    return spy.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

describe('-o DIR with report files of an earlier run', () => {
  it('removes the report files of other formats, keeps everything else', async () => {
    const dir = join(work, 'earlier');
    await prepareOutputDir(dir);
    for (const name of ['report.html', 'report.sarif', 'report.json', 'report.json.sha256', 'notes.txt', 'report.old.html'])
      await writeFile(join(dir, name), 'earlier run\n');
    await mkdir(join(dir, 'report.md'));
    const stderr = await emitCapturingStderr(['json'], dir);
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'report.json', 'report.json.sha256', 'report.md', 'report.old.html']);
    expect(stderr).toBe(
      `removed ${join(dir, 'report.html')}, ${join(dir, 'report.sarif')}: report files of an earlier run in formats this run does not write\n`,
    );
  });

  it('the same formats again: nothing removed, nothing said', async () => {
    const dir = join(work, 'same');
    await prepareOutputDir(dir);
    await emit(report, ['json', 'sarif'], flags(dir));
    expect(await emitCapturingStderr(['sarif', 'json'], dir)).toBe('');
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.json.sha256', 'report.sarif']);
  });

  it('the files a run writes', () => {
    expect(reportFilesOf(['text', 'json', 'junit'], false)).toEqual([
      'report.txt',
      'report.json',
      'report.json.sha256',
      'report.junit.xml',
    ]);
    expect(reportFilesOf(['json', 'prometheus'])).toEqual(['report.json', 'report.json.sha256', 'report.json.sig', 'report.prom']);
  });
});
