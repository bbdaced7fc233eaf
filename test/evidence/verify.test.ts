/**
 * Signed reports and `kube-preflight verify`, through the built CLI on the bundled sample:
 * a signed scan verifies; a one-byte change of report.json, another key, and an HTML of
 * another report each fail (exit 1) naming the check; bad keys are one-line exit-2 errors
 * that name the file and never print the key.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/evidence/keys.js';
import { readPdfEvidence, sha256Hex } from '../../src/evidence/stamp.js';
import { runCli } from '../support/cli.js';
import { pdfTools } from '../support/pdf.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
let work: string;
let signed: string;
const key = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const pem = (k: KeyObject, type: 'pkcs8' | 'spki'): string =>
  (type === 'pkcs8' ? k.export({ type, format: 'pem' }) : k.export({ type, format: 'pem' })) as string;

/** `CHECK RESULT …` rows of verify's table, as `{ CHECK: RESULT }`. */
function results(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n').slice(1)) {
    const m = /^(\S+)\s+(OK|FAILED)\s/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-verify-'));
  await writeFile(join(work, 'sign.pem'), pem(key.privateKey, 'pkcs8'), { mode: 0o600 });
  await writeFile(join(work, 'sign.pub'), pem(key.publicKey, 'spki'));
  await writeFile(join(work, 'other.pub'), pem(other.publicKey, 'spki'));
  signed = join(work, 'signed');
  const s = await runCli([
    'scan',
    '--dump',
    SAMPLE,
    '--now',
    NOW,
    '--format',
    'json,html',
    '-o',
    signed,
    '--sign-key',
    join(work, 'sign.pem'),
  ]);
  expect(s.code, s.stderr).toBe(1);
  expect(s.stderr).toContain(`wrote ${join(signed, 'report.json.sig')} (signed with key ${keyFingerprint(key.publicKey)})`);
}, 60_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('verify', () => {
  it('passes on a signed scan; the HTML shows the signer and records the JSON digest', async () => {
    const r = await runCli(['verify', signed, '--public-key', join(work, 'sign.pub')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(results(r.stdout)).toEqual({ SIGNATURE: 'OK', SCHEMA: 'OK', TOOL: 'OK', HTML: 'OK' });
    const html = await readFile(join(signed, 'report.html'), 'utf8');
    const json = await readFile(join(signed, 'report.json'));
    expect(html).toContain(`<meta name="kube-preflight-report-sha256" content="${sha256Hex(json)}">`);
    expect(html).toContain(`<dd>key ${keyFingerprint(key.publicKey)} (report.json.sig; kube-preflight verify)</dd>`);
    expect(await readFile(join(signed, 'report.json.sha256'), 'utf8')).toBe(`${sha256Hex(json)}  report.json\n`);
  });

  it('fits its table to $COLUMNS when stdout is not a terminal', async () => {
    const r = await runCli(['verify', signed, '--public-key', join(work, 'sign.pub')], { env: { ...process.env, COLUMNS: '100' } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(results(r.stdout)).toEqual({ SIGNATURE: 'OK', SCHEMA: 'OK', TOOL: 'OK', HTML: 'OK' });
  });

  it('fails on a one-byte change of report.json, naming the signature and the renderings', async () => {
    const dir = join(work, 'tampered');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json,html', '-o', dir, '--sign-key', join(work, 'sign.pem'), '-q']);
    const json = await readFile(join(dir, 'report.json'), 'utf8');
    const i = json.indexOf('"verdict": "NO-GO"');
    await writeFile(join(dir, 'report.json'), `${json.slice(0, i)}"verdict": "NO-GP"${json.slice(i + '"verdict": "NO-GO"'.length)}`);
    const r = await runCli(['verify', join(dir, 'report.json'), '--public-key', join(work, 'sign.pub')]);
    expect(r.code).toBe(1);
    expect(results(r.stdout)).toEqual({ SIGNATURE: 'FAILED', SCHEMA: 'FAILED', TOOL: 'FAILED', HTML: 'FAILED' });
    expect(r.stdout).toMatch(/SIGNATURE\s+FAILED\s+\S+report\.json\.sig\s+not a signature of this report\.json/);
    expect(r.stdout).toMatch(/HTML\s+FAILED\s+\S+report\.html\s+rendered from another report/);
  });

  it('a report.json that is not JSON fails the schema check by line and column, quoting none of it', async () => {
    const dir = join(work, 'broken');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json', '-o', dir, '-q']);
    await writeFile(join(dir, 'report.json'), '{\n  "metadata": sk-live-CANARY0123456789\n}\n');
    const r = await runCli(['verify', join(dir, 'report.json')]);
    expect(r.code).toBe(1);
    expect(results(r.stdout).SCHEMA).toBe('FAILED');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      'invalid JSON: expected a value (object, array, string, number, true, false or null) at line 2, column 15',
    );
    expect(r.stdout + r.stderr).not.toContain('CANARY');
  });

  it('fails with another key, and without a key (not checked is not OK)', async () => {
    const r = await runCli(['verify', signed, '--public-key', join(work, 'other.pub')]);
    expect(r.code).toBe(1);
    expect(results(r.stdout)).toEqual({ SIGNATURE: 'FAILED', SCHEMA: 'OK', TOOL: 'OK', HTML: 'FAILED' });
    expect(r.stdout).toContain(`records signer ${keyFingerprint(key.publicKey)}, the given key is ${keyFingerprint(other.publicKey)}`);
    const none = await runCli(['verify', signed]);
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/SIGNATURE\s+FAILED\s+.*not checked: give the signer's key with --public-key FILE/);
  });

  it('fails on the HTML of another report put beside report.json', async () => {
    const dir = join(work, 'mixed');
    const later = join(work, 'later');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json,html', '-o', dir, '--sign-key', join(work, 'sign.pem'), '-q']);
    await runCli(['scan', '--dump', SAMPLE, '--now', '2026-12-01T00:00:00Z', '--format', 'json,html', '-o', later, '-q']);
    await copyFile(join(later, 'report.html'), join(dir, 'report.html'));
    const r = await runCli(['verify', dir, '--public-key', join(work, 'sign.pub')]);
    expect(r.code).toBe(1);
    expect(results(r.stdout)).toEqual({ SIGNATURE: 'OK', SCHEMA: 'OK', TOOL: 'OK', HTML: 'FAILED' });
    const laterDigest = sha256Hex(await readFile(join(later, 'report.json')));
    expect(r.stdout).toContain(`records SHA-256 ${laterDigest}`);
  });

  it('render --sign-key of a signed report.json writes the same signature and renderings that verify', async () => {
    const dir = join(work, 'rendered');
    const r = await runCli([
      'render',
      join(signed, 'report.json'),
      '--format',
      'json,html',
      '-o',
      dir,
      '--sign-key',
      join(work, 'sign.pem'),
      '-q',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'report.json'))).toEqual(await readFile(join(signed, 'report.json')));
    // Ed25519 signatures are deterministic (RFC 8032): the same bytes and key give the same signature.
    expect(await readFile(join(dir, 'report.json.sig'), 'utf8')).toBe(await readFile(join(signed, 'report.json.sig'), 'utf8'));
    expect((await runCli(['verify', dir, '--public-key', join(work, 'sign.pub')])).code).toBe(0);
  });

  it('a tool version other than this one fails the tool check (its catalog cannot be recomputed)', async () => {
    const dir = join(work, 'old');
    await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'json', '-o', dir, '-q']);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { metadata: { tool: { version: string } } };
    report.metadata.tool.version = '0.0.1';
    await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    const r = await runCli(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /TOOL\s+FAILED\s+.*written by kube-preflight 0\.0\.1, this is \d+\.\d+\.\d+: its catalog cannot be recomputed/,
    );
  });
});

describe('keys', () => {
  it.each([
    [
      'an RSA key',
      () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      /an RSA key; reports are signed with Ed25519 keys/,
    ],
    ['a public key', () => pem(key.publicKey, 'spki'), /an Ed25519 public key, not a private key/],
    ['garbage', () => 'hello\nworld\n', /not a PEM private key/],
  ])('--sign-key with %s is a one-line exit-2 error naming the file, without its content', async (_what, content, message) => {
    const file = join(work, `bad-${Math.random().toString(36).slice(2)}.pem`);
    const text = content();
    await writeFile(file, text);
    const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', join(work, 'never'), '--sign-key', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`--sign-key ${file}: `);
    expect(r.stderr).toMatch(message);
    for (const line of text.split('\n').filter((l) => l.length > 8 && !l.startsWith('-----'))) expect(r.stderr).not.toContain(line);
  });

  it('--sign-key without -o DIR and json is a usage error; verify --public-key with a private RSA key too', async () => {
    const r = await runCli(['scan', '--dump', SAMPLE, '--sign-key', join(work, 'sign.pem')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sign-key signs report\.json: give -o DIR and the json format/);
    const rsa = join(work, 'rsa.pem');
    await writeFile(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const v = await runCli(['verify', signed, '--public-key', rsa]);
    expect(v.code).toBe(2);
    expect(v.stderr).toBe(`kube-preflight: error: --public-key ${rsa}: an RSA key; reports are signed with Ed25519 keys\n`);
  });
});

describe('PDF', () => {
  it('records the report.json digest and signer in its metadata, and verify compares them', async (ctx) => {
    const tools = await pdfTools([], 'signed PDF test skipped');
    if (tools.missing) return ctx.skip();
    const dir = join(work, 'pdf');
    const s = await runCli([
      'scan',
      '--dump',
      SAMPLE,
      '--now',
      NOW,
      '--format',
      'json,pdf',
      '-o',
      dir,
      '--sign-key',
      join(work, 'sign.pem'),
      '-q',
    ]);
    expect(s.code, s.stderr).toBe(1);
    const recorded = await readPdfEvidence(await readFile(join(dir, 'report.pdf')));
    expect(recorded).toEqual({ reportSha256: sha256Hex(await readFile(join(dir, 'report.json'))), signer: keyFingerprint(key.publicKey) });
    const ok = await runCli(['verify', dir, '--public-key', join(work, 'sign.pub')]);
    expect(results(ok.stdout)).toEqual({ SIGNATURE: 'OK', SCHEMA: 'OK', TOOL: 'OK', PDF: 'OK' });
    await copyFile(join(dir, 'report.pdf'), join(signed, 'report.pdf'));
    const mixed = await runCli(['verify', signed, '--public-key', join(work, 'sign.pub')]);
    expect(results(mixed.stdout)).toEqual({ SIGNATURE: 'OK', SCHEMA: 'OK', TOOL: 'OK', HTML: 'OK', PDF: 'FAILED' });
    await rm(join(signed, 'report.pdf'));
  }, 120_000);
});
