/**
 * Writing reports into `-o DIR` when the file system refuses (a full disk, a read-only folder):
 * one `FatalError` naming the file, and no temporary file left. The failure is injected at the
 * `node:fs/promises` boundary, since root (which runs the tests) can write anywhere.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emit, prepareOutputDir } from '../../src/cli/output.js';
import { FatalError } from '../../src/contract/errors.js';
import type { Report } from '../../src/contract/report.js';
import { syntheticReport } from '../../bench/synthetic-report.js';
import { sampleReport } from '../render/sample.js';

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<typeof import('node:fs/promises')>();
  return { ...orig, open: vi.fn(orig.open), access: vi.fn(orig.access) };
});

let work: string;
let report: Report;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-output-test-'));
  report = await sampleReport();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

const flags = (outputDir: string) => ({ outputDir, paper: 'A4' as const, quiet: true, color: false });

describe('report.json and its sidecar', () => {
  it('are the report as JSON.stringify writes it, and its SHA-256, written in chunks', async () => {
    const dir = join(work, 'json');
    await prepareOutputDir(dir);
    const big = syntheticReport(5000);
    await emit(big, ['json'], flags(dir));
    const bytes = await readFile(join(dir, 'report.json'));
    expect(bytes.equals(Buffer.from(`${JSON.stringify(big, null, 2)}\n`, 'utf8'))).toBe(true);
    expect(await readFile(join(dir, 'report.json.sha256'), 'utf8')).toBe(
      `${createHash('sha256').update(bytes).digest('hex')}  report.json\n`,
    );
    expect((await readdir(dir)).sort()).toEqual(['report.json', 'report.json.sha256']);
  });
});

describe('report.json beside report.html', () => {
  it('is serialized once; the HTML records the digest of the bytes written', async () => {
    const dir = join(work, 'html-json');
    await prepareOutputDir(dir);
    // Serializing the report lists its top-level keys once (src/render/json.ts); the HTML does not.
    let serializations = 0;
    const counted = new Proxy(report, {
      ownKeys: (target) => {
        serializations++;
        return Reflect.ownKeys(target);
      },
    });
    await emit(counted, ['html', 'json'], flags(dir));
    expect(serializations).toBe(1);
    const digest = createHash('sha256')
      .update(await readFile(join(dir, 'report.json')))
      .digest('hex');
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain(`<meta name="kube-preflight-report-sha256" content="${digest}">`);
    expect(await readFile(join(dir, 'report.json.sha256'), 'utf8')).toBe(`${digest}  report.json\n`);
  });
});

describe('-o DIR on a file system that refuses', () => {
  it('a full disk is one error naming the file; no temporary file is left', async () => {
    const dir = join(work, 'full');
    await prepareOutputDir(dir);
    // The temporary file is created, then the disk is full on the first write to it.
    const realOpen = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
    vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      return Object.assign(handle, { write: () => Promise.reject(fsError('ENOSPC')) });
    });
    const e = await emit(report, ['json'], flags(dir)).then(
      () => new Error('expected a rejection'),
      (x: unknown) => x as Error,
    );
    expect(e).toBeInstanceOf(FatalError);
    expect(e.message).toBe(`-o ${dir}: cannot write ${join(dir, 'report.json')}: no space left on device (ENOSPC)`);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a disk that fills up after some chunks of a large report.json is one error; no temporary file is left', async () => {
    const dir = join(work, 'fills-up');
    await prepareOutputDir(dir);
    // Chunks are written while the next is produced: the third write fails with two behind it.
    const realOpen = (await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises')).open;
    let writes = 0;
    vi.mocked(fsp.open).mockImplementationOnce(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      const write = handle.write.bind(handle) as (b: Uint8Array) => Promise<unknown>;
      return Object.assign(handle, { write: (b: Uint8Array) => (++writes === 3 ? Promise.reject(fsError('ENOSPC')) : write(b)) });
    });
    const e = await emit(syntheticReport(5000), ['json'], flags(dir)).then(
      () => new Error('expected a rejection'),
      (x: unknown) => x as Error,
    );
    expect(e).toBeInstanceOf(FatalError);
    expect(e.message).toBe(`-o ${dir}: cannot write ${join(dir, 'report.json')}: no space left on device (ENOSPC)`);
    expect(writes).toBe(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a folder that is not writable is refused before anything is written', async () => {
    const dir = join(work, 'read-only');
    vi.mocked(fsp.access).mockRejectedValueOnce(fsError('EACCES'));
    await expect(prepareOutputDir(dir)).rejects.toThrow(`-o ${dir}: ${work} is not writable: permission denied (EACCES)`);
  });
});
