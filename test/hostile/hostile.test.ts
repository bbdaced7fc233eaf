/**
 * Runs the hostile-input corpus (`corpus.ts`) through the built CLI and checks, per case:
 * the exit code; no stack trace and no "internal error"; an exit-2 error is one line naming the
 * file or option; a report that was written is never GO when the case broke something; no
 * planted secret, its base64 or any 8-character fragment of it in stdout, stderr or any output
 * file; no raw control character in the terminal output or `report.txt`; JUnit is well-formed
 * XML, SARIF valid SARIF 2.1.0, and every markdown table row has its header's cell count.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import { runCli } from '../support/cli.js';
import { parseXml, sarifProblems } from '../render/validators.js';
import { hostileCases, type HostileCase } from './corpus.js';

const work = mkdtempSync(join(tmpdir(), 'kp-hostile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const heavy = process.env.KUBE_PREFLIGHT_BOMBS === '1';
const cases = hostileCases().filter((c) => heavy || !c.heavy);

/** Control characters a terminal acts on (C0 but newline and tab, DEL, C1) and bidi overrides. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** The canary, its base64, and every 8-character fragment of it. */
function needles(canary: string): string[] {
  const out = new Set([canary, Buffer.from(canary).toString('base64').replace(/=+$/, '')]);
  for (let i = 0; i + 8 <= canary.length; i++) out.add(canary.slice(i, i + 8));
  return [...out].filter((n) => !n.startsWith('kpCanary') || n === canary);
}

/** Problems with one case's outputs, as sentences. */
function problems(c: HostileCase, code: number | null, stdout: string, stderr: string, out: string): string[] {
  const p: string[] = [];
  if (code === null || !c.exit.includes(code)) p.push(`exit ${code}, expected one of ${c.exit.join(', ')}: ${stderr.trim().slice(0, 300)}`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(stderr)) p.push('stack trace on stderr');
  if (/internal error/i.test(stderr + stdout)) p.push('"internal error" for a user-caused failure');
  if (code === 2) {
    const lines = stderr.trim().split('\n');
    if (lines.length !== 1) p.push(`exit 2 with ${lines.length} lines on stderr`);
    if (c.names && !stderr.includes(c.names)) p.push(`the error does not name ${c.names}: ${stderr.trim()}`);
  }
  const files = existsSync(out) ? readdirSync(out).map((f) => ({ f, text: readFileSync(join(out, f), 'utf8') })) : [];
  const report = files.find((x) => x.f === 'report.json');
  if (c.notGo && code !== 2) {
    if (!report) p.push('no report written');
    else if ((JSON.parse(report.text) as Report).summary.verdict === 'GO') p.push('verdict GO on broken input');
  }
  const everything = [{ f: 'stdout', text: stdout }, { f: 'stderr', text: stderr }, ...files];
  for (const canary of c.canaries ?? []) {
    for (const n of needles(canary))
      for (const x of everything) if (x.text.includes(n)) p.push(`${x.f} contains "${n}" (from a planted secret)`);
  }
  for (const x of [
    { f: 'stdout', text: stdout },
    { f: 'stderr', text: stderr },
    ...files.filter((y) => y.f === 'report.txt' || y.f === 'report.md'),
  ]) {
    const m = RAW_CONTROL.exec(x.text);
    if (m) p.push(`${x.f} holds a raw control character U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
  }
  const junit = files.find((x) => x.f === 'report.junit.xml');
  if (junit) {
    try {
      parseXml(junit.text);
    } catch (e) {
      p.push(`report.junit.xml is not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const sarif = files.find((x) => x.f === 'report.sarif');
  if (sarif) p.push(...sarifProblems(sarif.text).map((s) => `report.sarif: ${s}`));
  const md = files.find((x) => x.f === 'report.md');
  if (md) p.push(...tableProblems(md.text));
  return p;
}

/** Cells of a markdown table row: split on pipes that are not escaped. */
const cells = (row: string): number => row.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length;

/** Rows whose cell count differs from their table's header row. */
function tableProblems(md: string): string[] {
  const out: string[] = [];
  let header: number | undefined;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    if (header === undefined) header = cells(line);
    else if (cells(line) !== header)
      out.push(`report.md: a table row has ${cells(line) - 2} cells, its header ${header - 2}: ${line.slice(0, 120)}`);
  }
  return out;
}

describe('hostile inputs', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', { timeout: heavy ? 900_000 : 60_000 }, async (_name, c, i) => {
    const dir = join(work, `case-${i}`);
    const out = join(dir, 'out');
    mkdirSync(dir, { recursive: true });
    const built = c.build(dir);
    const started = Date.now();
    const limitMs = c.heavy ? 600_000 : 30_000;
    const r = await runCli(
      ['scan', ...(built.dump ? ['--dump', built.dump] : []), ...built.args, '--format', 'text,json,markdown,sarif,junit', '-o', out],
      { timeoutMs: limitMs },
    );
    expect(Date.now() - started, `the scan did not finish in ${limitMs / 1000} s (a hang)`).toBeLessThan(limitMs);
    const found = problems(c, r.code, r.stdout, r.stderr, out);
    rmSync(dir, { recursive: true, force: true });
    expect(found).toEqual([]);
  });
});
