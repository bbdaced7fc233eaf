/**
 * The limits and the refusals on the command line: one line, exit 2, never a hang. With
 * `KUBE_PREFLIGHT_BOMBS=1`, a real-size archive bomb (about 4 MiB of gzip expanding to 4 GiB)
 * runs against the default limits.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-e2e-limits-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the CLI and checks it ended within `ms` with exit 2 and one line on stderr. */
async function refused(args: string[], env: NodeJS.ProcessEnv = {}, ms = 15_000): Promise<string> {
  const t = Date.now();
  const r = await runCli(args, { env });
  expect(Date.now() - t).toBeLessThan(ms);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/internal error/);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('dump limits from the command line', () => {
  it('an archive bomb past a lowered KUBE_PREFLIGHT_MAX_DUMP_BYTES is exit 2; --max-dump-bytes raises it', async () => {
    await mkdir(join(work, 'bomb', 'resources'), { recursive: true });
    for (const n of ['a', 'b', 'c']) await writeFile(join(work, 'bomb', 'resources', `${n}.json`), Buffer.alloc(1024 * 1024));
    const file = join(work, 'bomb.tar.gz');
    await tar.c({ gzip: true, file, cwd: work }, ['bomb']);
    const line = await refused(['scan', '--dump', file, '-q'], { KUBE_PREFLIGHT_MAX_DUMP_BYTES: '2Mi' });
    expect(line).toMatch(
      /^kube-preflight: error: dump .*bomb\.tar\.gz: the expanded size \(at entry bomb\/resources\/c\.json\) is above the limit of 2 MiB \(raise it with --max-dump-bytes/,
    );
    const r = await runCli(['scan', '--dump', file, '-q', '--max-dump-bytes', '4Mi'], { env: { KUBE_PREFLIGHT_MAX_DUMP_BYTES: '2Mi' } });
    expect(r.stderr).not.toMatch(/above the limit/);
    expect([0, 1, 3]).toContain(r.code);
  });

  it('a bad limit value is a usage error naming the flag', async () => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--max-file-bytes', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-file-bytes <size>' argument 'lots' is invalid\. expected a size in bytes/);
  });

  it('--dump on a FIFO is exit 2 at once', async () => {
    const fifo = join(work, 'pipe.tar.gz');
    execFileSync('mkfifo', [fifo]);
    expect(await refused(['scan', '--dump', fifo, '-q'])).toBe(
      `kube-preflight: error: dump ${fifo}: a FIFO, not a folder or a regular file; not read`,
    );
  });
});

describe('-o targets', () => {
  it('under /proc (scan and collect), an existing file, a path through a file: exit 2 naming the path, before reading', async () => {
    expect(await refused(['scan', '--dump', SAMPLE, '-q', '-o', '/proc/kp/out'])).toBe(
      'kube-preflight: error: -o /proc/kp/out: /proc is a kernel file system (such as /proc or /sys), not a place to write to',
    );
    expect(await refused(['collect', '-o', '/proc/kp/dump.tar.gz', '--kubeconfig', join(work, 'none')])).toBe(
      'kube-preflight: error: -o /proc/kp: /proc is a kernel file system (such as /proc or /sys), not a place to write to',
    );
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    expect(await refused(['scan', '--dump', SAMPLE, '-q', '-o', file])).toBe(
      `kube-preflight: error: -o ${file}: exists and is not a folder`,
    );
    expect(await refused(['scan', '--dump', SAMPLE, '-q', '-o', join(file, 'sub')])).toBe(
      `kube-preflight: error: -o ${join(file, 'sub')}: a part of the path is not a folder (ENOTDIR)`,
    );
  });

  it('a FIFO where a report goes is refused, not opened', async () => {
    const out = join(work, 'out-fifo');
    await mkdir(out);
    execFileSync('mkfifo', [join(out, 'report.json')]);
    expect(await refused(['scan', '--dump', SAMPLE, '-q', '-o', out])).toBe(
      `kube-preflight: error: -o ${out}: ${join(out, 'report.json')} exists and is not a regular file`,
    );
    expect((await readdir(out)).sort()).toEqual(['report.json', 'report.txt']);
  });
});

/**
 * Writes a `.tar.gz` of `entries` files of `size` zero bytes each without writing them to
 * disk: tar headers, the zeros streamed through gzip, the padding and the end blocks.
 */
async function zeroBomb(file: string, entries: number, size: number): Promise<void> {
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  async function* blocks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < entries; i++) {
      const header = new tar.Header({ path: `bomb/resources/f${i}.json`, mode: 0o644, size, type: 'File', mtime: new Date(0) });
      header.encode();
      yield header.block!;
      for (let left = size; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
      yield Buffer.alloc((512 - (size % 512)) % 512);
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(blocks(), createGzip({ level: 9 }), createWriteStream(file));
}

/** Runs the CLI and prints its wall time. */
async function measured(name: string, args: string[]): Promise<CliResult> {
  const t = Date.now();
  const r = await runCli(args);
  process.stderr.write(`${name}: exit ${r.code} in ${Date.now() - t} ms\n`);
  return r;
}

describe.runIf(process.env.KUBE_PREFLIGHT_BOMBS === '1')('real-size bombs with the default limits (KUBE_PREFLIGHT_BOMBS=1)', () => {
  it('one entry of 4 GiB of zeros: refused at its header, nothing written; the dump is INCOMPLETE', async () => {
    const file = join(work, 'one.tar.gz');
    await zeroBomb(file, 1, 4 * 1024 ** 3);
    const r = await measured('4 GiB in one entry', ['scan', '--dump', file, '-q', '--format', 'json']);
    expect(r.stdout).toMatch(/resources\/f0\.json: 4294967296 bytes is above the limit of 1 GiB \(raise it with --max-file-bytes/);
    expect(r.code).toBe(3);
  }, 600_000);

  it('5 entries of 1 GiB of zeros: stops at the 5th entry, past 4 GiB (exit 2), temp folder removed', async () => {
    const file = join(work, 'five.tar.gz');
    await zeroBomb(file, 5, 1024 ** 3);
    const r = await measured('5 × 1 GiB', ['scan', '--dump', file, '-q', '--format', 'json']);
    expect(r.stderr.trim()).toMatch(
      /^kube-preflight: error: dump .*five\.tar\.gz: the expanded size \(at entry bomb\/resources\/f4\.json\) is above the limit of 4 GiB/,
    );
    expect(r.code).toBe(2);
  }, 600_000);
});
