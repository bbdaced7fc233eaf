/**
 * `scan -o DIR --format …` and `render REPORT.json` through the built CLI: every format is
 * written under its file name, `render` reproduces the scan's renderings from the JSON alone,
 * and bad input (not a report, a missing browser) is a one-line error with exit code 2.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-e2e-render-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('scan and render', () => {
  it('scan writes every text format, and render draws the same from report.json', async () => {
    const scanned = join(work, 'scan');
    const formats = 'json,html,markdown,sarif,junit';
    const s = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', formats, '-o', scanned, '-q']);
    expect(s.code).toBe(1);
    const rendered = join(work, 'render');
    const r = await runCli(['render', join(scanned, 'report.json'), '--format', 'html,markdown,sarif,junit', '-o', rendered]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote ${join(rendered, 'report.html')}`);
    for (const name of ['report.html', 'report.md', 'report.sarif', 'report.junit.xml']) {
      expect(await readFile(join(rendered, name), 'utf8')).toBe(await readFile(join(scanned, name), 'utf8'));
    }
  });

  it('render defaults to the text summary on stdout, and to HTML with -o', async () => {
    const dir = join(work, 'defaults');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json', '-o', dir, '-q']);
    const text = await runCli(['render', join(dir, 'report.json')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NO-GO {2}/m);
    const html = await runCli(['render', join(dir, 'report.json'), '-o', join(dir, 'out'), '-q']);
    expect(html.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses a file that is not a report, with one line and exit 2', async () => {
    const bad = join(work, 'bad.json');
    await writeFile(bad, JSON.stringify({ apiVersion: 'kube-preflight/v1', kind: 'Report' }));
    const r = await runCli(['render', bad, '--format', 'html', '-o', join(work, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kube-preflight: error: render .*bad\.json: not a kube-preflight report/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a PDF without a usable browser is a one-line error before anything runs', async () => {
    const r = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--format',
      'json,pdf',
      '-o',
      join(work, 'nopdf'),
      '--chrome',
      join(work, 'no-such-chrome'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`kube-preflight: error: --chrome ${join(work, 'no-such-chrome')}: not an executable file`);
  });

  it('several formats need -o, and unknown ones are named', async () => {
    const r = await runCli(['render', 'x.json', '--format', 'html,docx']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: unknown format docx');
  });
});
