/**
 * Hostile inputs through the built CLI: each is a one-line error and exit 2 (never "internal
 * error"), and nothing the user or a file supplies reaches stderr with raw control characters.
 * YAML alias bombs and huge `--config`/`--waivers` files, impossible dates in `--now`, a
 * waiver's `expires` and a baseline, oversized and absurdly nested report files.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RAW_CONTROL } from '../render/validators.js';
import { runCli, type CliResult } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
let work: string;
let report: string;

/** "Billion laughs": nine levels of nine aliases each. */
const BOMB = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
].join('\n');

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-hostile-'));
  report = join(work, 'report.json');
  const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--checks', 'versions-node-readiness', '--format', 'json']);
  await writeFile(report, r.stdout);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function file(name: string, body: string): Promise<string> {
  const p = join(work, name);
  await writeFile(p, body);
  return p;
}

/** Exit 2, nothing on stdout, exactly `line` (one line) on stderr. */
function oneLine(r: CliResult, line: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${line}\n`);
}

describe('YAML files', () => {
  it('an alias bomb in --config or --waivers is refused, naming the file', async () => {
    const bomb = await file('bomb.yaml', `${BOMB}\n`);
    oneLine(
      await runCli(['scan', '--no-cluster', '--config', bomb]),
      `kube-preflight: error: config ${bomb}: invalid YAML: its aliases expand to too many nodes (more than 100)`,
    );
    oneLine(
      await runCli(['scan', '--no-cluster', '--waivers', bomb]),
      `kube-preflight: error: waivers ${bomb}: invalid YAML: its aliases expand to too many nodes (more than 100)`,
    );
  });

  it('a config or waivers file over 1 MiB is refused, an endless one too', async () => {
    const big = await file('big.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    oneLine(
      await runCli(['scan', '--no-cluster', '--config', big]),
      `kube-preflight: error: config ${big}: larger than 1 MiB, too large for a config file`,
    );
    oneLine(
      await runCli(['scan', '--no-cluster', '--waivers', '/dev/zero']),
      'kube-preflight: error: waivers /dev/zero: larger than 1 MiB, too large for a waivers file',
    );
  });
});

describe('dates', () => {
  it('--now must be a real day', async () => {
    const r = await runCli(['scan', '--no-cluster', '--now', '2026-02-30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("kube-preflight: error: option '--now <iso8601>' argument '2026-02-30' is invalid. February 2026 has 28 days\n");
    const leap = await runCli(['scan', '--no-cluster', '--now', '2028-02-29', '--format', 'json']);
    expect(JSON.parse(leap.stdout).metadata.now).toBe('2028-02-29T00:00:00.000Z');
  });

  it('a waiver expiring on a day that does not exist names the file, line and key', async () => {
    const w = await file(
      'w.yaml',
      'waivers:\n  - checkId: versions-node-readiness\n    reason: r\n    owner: o\n    expires: 2027-02-30\n',
    );
    oneLine(
      await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--waivers', w]),
      `kube-preflight: error: waivers ${w}:5: waivers[0].expires: 2027-02-30: February 2027 has 28 days`,
    );
  });

  it('a baseline with an impossible date is not a report', async () => {
    const text = (await readFile(report, 'utf8')).replace(/"generatedAt": "[^"]*"/, '"generatedAt": "2026-02-30T00:00:00Z"');
    const bad = await file('bad-date.json', text);
    oneLine(
      await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--baseline', bad]),
      `kube-preflight: error: --baseline ${bad}: not a kube-preflight report (/metadata/generatedAt: must match format "date-time")`,
    );
  });
});

describe('report files', () => {
  it('over 256 MiB, or nested absurdly deep, they are refused', async () => {
    oneLine(
      await runCli(['diff', '/dev/zero', report]),
      'kube-preflight: error: diff /dev/zero: larger than 256 MiB, too large for a report',
    );
    const deep = await file('deep.json', `{"findings": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    oneLine(
      await runCli(['render', deep]),
      `kube-preflight: error: render ${deep}: not a kube-preflight report (nested more than 64 levels deep)`,
    );
  });
});

describe('stderr', () => {
  it('shows control characters of names and values escaped', async () => {
    const name = join(work, 'r\u001b]0;pwned\u0007\u001b[2J\r\u202e.json');
    const r = await runCli(['render', name]);
    oneLine(r, `kube-preflight: error: render ${work}/r\\x1b]0;pwned\\x07\\x1b[2J\\r\\u202e.json: cannot read it: ENOENT`);
    const u = await runCli(['scan', '--no-cluster', '--fail-on', 'x\u001b[31m\u0008']);
    expect(u.code).toBe(2);
    expect(u.stderr.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
    expect(u.stderr).toContain("argument 'x\\x1b[31m\\b' is invalid");
  });
});
