/**
 * src/fleet/s3.ts against a real S3-compatible server on 127.0.0.1 (test/fleet/s3-server.ts),
 * with reports written by the built CLI from the sample dump: upload then list gives the same
 * bytes, listing pages, stale files leave `latest/`, and every failure is one line naming the
 * bucket or key without the secret.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { listS3Reports, parseS3Url, resolveS3Config, uploadReportFiles } from '../../src/fleet/s3.js';
import { FatalError } from '../../src/contract/errors.js';
import type { FleetSummary } from '../../src/fleet/model.js';
import type { Report } from '../../src/contract/report.js';
import { runCli } from '../support/cli.js';
import { K3S } from './reports.js';
import { S3_CREDENTIALS, startS3Server, type TestS3Server } from './s3-server.js';

const SAMPLE = 'fixtures/dumps/lab-1.26';
const NOW = '2026-11-23T07:00:18Z';
/** A secret that must never be printed (shaped like an AWS secret access key). */
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';

let server: TestS3Server;
let work: string;
/** -o DIR of one scan of the sample: report.json with .sha256, report.html, report.txt. */
let scanDir: string;

/** Only the environment the test gives: no profile, config file or instance metadata of the machine. */
function stubAwsEnv(env: Record<string, string>): void {
  const unset = [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_PROFILE',
    'AWS_SESSION_TOKEN',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_S3',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
  ];
  unset.push('AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI');
  for (const k of unset) vi.stubEnv(k, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', join(work, 'no-aws-config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(work, 'no-aws-credentials'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
}

async function fatal(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FatalError);
  const message = (e as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'kp-s3-test-'));
  server = await startS3Server(['reports', 'other']);
  scanDir = join(work, 'scan');
  const r = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '--format', 'text,json,html', '-o', scanDir, '--quiet']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
}, 120_000);
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  vi.unstubAllEnvs();
  stubAwsEnv({ ...S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: server.endpoint });
});

describe('parseS3Url and resolveS3Config', () => {
  it('splits bucket and prefix, the prefix ending with /', () => {
    expect(parseS3Url('s3://reports')).toEqual({ bucket: 'reports', prefix: '' });
    expect(parseS3Url('s3://reports/')).toEqual({ bucket: 'reports', prefix: '' });
    expect(parseS3Url('s3://reports/fleet/prod')).toEqual({ bucket: 'reports', prefix: 'fleet/prod/' });
    expect(parseS3Url('s3://my.reports-1/fleet/')).toEqual({ bucket: 'my.reports-1', prefix: 'fleet/' });
  });

  it('refuses what is not s3://BUCKET[/PREFIX] with one line naming the URL', () => {
    expect(() => parseS3Url('https://reports/x')).toThrow(
      new FatalError('"https://reports/x" is not an S3 URL: give s3://BUCKET or s3://BUCKET/PREFIX'),
    );
    expect(() => parseS3Url('s3://Reports/x')).toThrow(
      new FatalError('s3://Reports/x: "Reports" is not a valid bucket name (3-63 lowercase letters, digits, "." and "-")'),
    );
    expect(() => parseS3Url('s3://ab')).toThrow(FatalError);
    expect(() => parseS3Url('s3://a..b/x')).toThrow(FatalError);
    expect(() => parseS3Url('s3://reports/a//b')).toThrow(
      new FatalError('s3://reports/a//b: the prefix has an empty, "." or ".." segment'),
    );
    expect(() => parseS3Url('s3://reports/../b')).toThrow(FatalError);
  });

  it('takes the endpoint from the option, then $AWS_ENDPOINT_URL_S3, then $AWS_ENDPOINT_URL; path-style for an IP or localhost', () => {
    expect(resolveS3Config({ env: {} })).toEqual({ region: 'us-east-1', forcePathStyle: false });
    expect(resolveS3Config({ env: { AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'eu-north-1' } })).toEqual({
      region: 'eu-west-3',
      forcePathStyle: false,
    });
    expect(resolveS3Config({ env: { AWS_DEFAULT_REGION: 'eu-north-1' } }).region).toBe('eu-north-1');
    expect(resolveS3Config({ env: { AWS_ENDPOINT_URL: 'https://s3.example.net', AWS_ENDPOINT_URL_S3: 'http://10.1.2.3:9000' } })).toEqual({
      endpoint: 'http://10.1.2.3:9000',
      region: 'us-east-1',
      forcePathStyle: true,
    });
    expect(resolveS3Config({ env: { AWS_ENDPOINT_URL: 'https://s3.example.net' } })).toEqual({
      endpoint: 'https://s3.example.net',
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(
      resolveS3Config({ endpoint: 'http://localhost:9000', env: { AWS_ENDPOINT_URL_S3: 'https://s3.example.net' } }).forcePathStyle,
    ).toBe(true);
    expect(resolveS3Config({ endpoint: 'https://minio.example.net', pathStyle: true, env: {} }).forcePathStyle).toBe(true);
    expect(() => resolveS3Config({ env: { AWS_ENDPOINT_URL_S3: 'minio:9000' } })).toThrow(
      new FatalError('$AWS_ENDPOINT_URL_S3 "minio:9000" is not an http(s) URL'),
    );
    expect(() => resolveS3Config({ endpoint: 'ftp://x', env: {} })).toThrow(
      new FatalError('--s3-endpoint "ftp://x" is not an http(s) URL'),
    );
  });
});

describe('upload, then list', () => {
  it('puts the report files under <cluster>/<generatedAt>/ and <cluster>/latest/, and reads back the same bytes', async () => {
    const generatedAt = (JSON.parse(readFileSync(join(scanDir, 'report.json'), 'utf8')) as Report).metadata.generatedAt;
    const { keys, deleted } = await uploadReportFiles('s3://reports/fleet', scanDir, { cluster: 'lab-1' });
    const names = ['report.json.sha256', 'report.html', 'report.json'];
    expect(keys).toEqual([...names.map((n) => `fleet/lab-1/${generatedAt}/${n}`), ...names.map((n) => `fleet/lab-1/latest/${n}`)]);
    expect(deleted).toEqual(['fleet/lab-1/latest/report.json.sig', 'fleet/lab-1/latest/report.pdf']);
    const listed = await listS3Reports('s3://reports/fleet');
    expect(listed.map((r) => r.key)).toEqual([`fleet/lab-1/${generatedAt}/report.json`, 'fleet/lab-1/latest/report.json']);
    const bytes = readFileSync(join(scanDir, 'report.json'));
    for (const r of listed) expect(r.body.equals(bytes)).toBe(true);
    expect(await listS3Reports('s3://reports/fleet', { latestOnly: true })).toEqual([
      { key: 'fleet/lab-1/latest/report.json', body: bytes },
    ]);
    // The prefix is a folder: fleet/ is not fleet-2/.
    expect(await listS3Reports('s3://reports/flee')).toEqual([]);
  });

  it('removes from latest/ the optional files the newer scan did not write; the dated folders keep theirs', async () => {
    const first = join(work, 'first');
    const second = join(work, 'second');
    cpSync(scanDir, first, { recursive: true });
    writeFileSync(join(first, 'report.json.sig'), 'c2lnbmF0dXJl\n');
    mkdirSync(second);
    const report = JSON.parse(readFileSync(join(scanDir, 'report.json'), 'utf8')) as Report;
    report.metadata.generatedAt = '2026-11-30T07:00:00.000Z';
    report.metadata.cluster.name = 'lab-2';
    writeFileSync(join(second, 'report.json'), JSON.stringify(report));
    const a = await uploadReportFiles('s3://reports/stale', first, { cluster: 'lab-2' });
    expect(a.keys.filter((k) => k.includes('/latest/')).map((k) => k.split('/').at(-1))).toEqual([
      'report.json.sha256',
      'report.json.sig',
      'report.html',
      'report.json',
    ]);
    // The cluster name comes from the report itself.
    const b = await uploadReportFiles('s3://reports/stale', second);
    expect(b.keys).toEqual(['stale/lab-2/2026-11-30T07:00:00.000Z/report.json', 'stale/lab-2/latest/report.json']);
    expect(b.deleted).toEqual(['report.json.sha256', 'report.json.sig', 'report.html', 'report.pdf'].map((n) => `stale/lab-2/latest/${n}`));
    const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true });
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'reports', Prefix: 'stale/' }));
    s3.destroy();
    const firstAt = a.keys[0]!.split('/')[2]!;
    expect((all.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      [
        ...['report.json.sha256', 'report.json.sig', 'report.html', 'report.json'].map((n) => `stale/lab-2/${firstAt}/${n}`),
        'stale/lab-2/2026-11-30T07:00:00.000Z/report.json',
        'stale/lab-2/latest/report.json',
      ].sort(),
    );
  });

  it('reads every page of a listing (2 keys a page), skipping objects that are not report.json', async () => {
    const dir = join(work, 'pages');
    mkdirSync(dir);
    // Only what the upload reads of a report: the listing is under test here, not the bytes.
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ metadata: { generatedAt: '2026-11-23T07:00:18.000Z', cluster: {} } }));
    writeFileSync(join(dir, 'report.html'), '<!doctype html><title>report</title>');
    for (const c of ['c1', 'c2', 'c3', 'c4', 'c5']) await uploadReportFiles('s3://other/pages', dir, { cluster: c });
    const one = await uploadReportFiles('s3://other/pages-notes', dir, { cluster: 'c9' });
    expect(one.keys).toHaveLength(4);
    const paged = await listS3Reports('s3://other/pages', { pageSize: 2 });
    expect(paged.map((r) => r.key.replace(/\/20[^/]+\//, '/DATE/'))).toEqual(
      ['c1', 'c2', 'c3', 'c4', 'c5'].flatMap((c) => [`pages/${c}/DATE/report.json`, `pages/${c}/latest/report.json`]),
    );
    expect(paged).toEqual(await listS3Reports('s3://other/pages'));
    expect(paged).toEqual(await listS3Reports('s3://other/pages', { pageSize: 4, concurrency: 1 }));
    expect((await listS3Reports('s3://other/pages', { pageSize: 3, latestOnly: true })).map((r) => r.key)).toEqual(
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => `pages/${c}/latest/report.json`),
    );
    expect((await listS3Reports('s3://other')).length).toBe(12);
  });
});

describe('failures: one line naming the bucket or key, never the secret', () => {
  it('a missing bucket', async () => {
    expect(await fatal(listS3Reports('s3://missing-bucket/fleet'))).toBe(
      's3://missing-bucket/fleet/: NoSuchBucket: The specified bucket does not exist (HTTP 404)',
    );
    expect(await fatal(uploadReportFiles('s3://missing-bucket/fleet', scanDir, { cluster: 'lab-1' }))).toMatch(
      /^s3:\/\/missing-bucket\/fleet\/lab-1\/20[^/]+\/report\.json\.sha256: NoSuchBucket: The specified bucket does not exist \(HTTP 404\)$/,
    );
  });

  it('a wrong secret key and an unknown access key', async () => {
    stubAwsEnv({
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: `${SECRET}-token`,
      AWS_ENDPOINT_URL_S3: server.endpoint,
    });
    // The test server checks signatures on object requests only (test/fleet/s3-server.mjs).
    const wrong = await fatal(listS3Reports('s3://reports/fleet'));
    expect(wrong).toMatch(
      /^s3:\/\/reports\/fleet\/lab-1\/20[^/]+\/report\.json: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided\. Check your key and signing method\. \(HTTP 403\)$/,
    );
    const upload = await fatal(uploadReportFiles('s3://reports/fleet', scanDir, { cluster: 'lab-1' }));
    expect(upload).toMatch(/^s3:\/\/reports\/fleet\/lab-1\/20[^/]+\/report\.json\.sha256: SignatureDoesNotMatch: .*\(HTTP 403\)$/);
    stubAwsEnv({ AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEUNKNOWN', AWS_SECRET_ACCESS_KEY: SECRET, AWS_ENDPOINT_URL_S3: server.endpoint });
    const unknown = await fatal(listS3Reports('s3://reports/fleet'));
    expect(unknown).toBe(
      's3://reports/fleet/: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records. (HTTP 403)',
    );
    for (const m of [wrong, upload, unknown]) {
      expect(m).not.toContain(SECRET);
      expect(m).not.toContain('EXAMPLEKEY');
    }
  });

  it('no credentials anywhere (instance metadata turned off: the test reaches no other host)', async () => {
    stubAwsEnv({ AWS_ENDPOINT_URL_S3: server.endpoint });
    expect(await fatal(listS3Reports('s3://reports/fleet'))).toBe(
      's3://reports/fleet/: CredentialsProviderError: Could not load credentials from any providers (the AWS SDK looks in $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY, the shared credentials file, a web identity, container and instance metadata)',
    );
  });

  it('an unreachable endpoint', async () => {
    stubAwsEnv({ ...S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' });
    expect(await fatal(listS3Reports('s3://reports/fleet'))).toMatch(
      /^s3:\/\/reports\/fleet\/: ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9$/,
    );
  });

  it('a server that accepts the connection and never answers: no hang', async () => {
    const silent = createServer(() => undefined);
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      stubAwsEnv({ ...S3_CREDENTIALS, AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      expect(await fatal(listS3Reports('s3://reports/fleet', { timeoutMs: 200 }))).toMatch(
        /^s3:\/\/reports\/fleet\/: TimeoutError: .*timed out after 200 ms of inactivity/,
      );
    } finally {
      silent.close();
    }
  });

  it('a report.json above the size limit, named by key', async () => {
    expect(await fatal(listS3Reports('s3://reports/fleet', { maxObjectBytes: 1024 }))).toMatch(
      /^s3:\/\/reports\/fleet\/lab-1\/20[^/]+\/report\.json: larger than 1 KiB, too large for a report$/,
    );
  });

  it('a folder without report.json, a report without cluster name or date', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    expect(await fatal(uploadReportFiles('s3://reports/x', empty))).toBe(
      `${join(empty, 'report.json')}: not found; the upload needs the json format in the output folder`,
    );
    const report = JSON.parse(readFileSync(join(scanDir, 'report.json'), 'utf8')) as Report;
    const dir = join(work, 'nameless');
    mkdirSync(dir);
    delete report.metadata.cluster.name;
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(await fatal(uploadReportFiles('s3://reports/x', dir))).toBe(
      `${join(dir, 'report.json')}: the report names no cluster; name its folder in the bucket with --upload-cluster`,
    );
    report.metadata.cluster.name = 'inClusterContext';
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(await fatal(uploadReportFiles('s3://reports/x', dir))).toContain(
      '(in a pod, the context is "inClusterContext" in every cluster)',
    );
    expect(await fatal(uploadReportFiles('s3://reports/x', dir, { cluster: 'arn:aws:eks:eu-west-1:1:cluster/prod' }))).toBe(
      'cluster name "arn:aws:eks:eu-west-1:1:cluster/prod" cannot be a folder of the bucket (letters, digits, ".", "_", "-", ":", "@"; at most 128); choose one with --upload-cluster',
    );
    report.metadata.generatedAt = 'yesterday';
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    expect(await fatal(uploadReportFiles('s3://reports/x', dir, { cluster: 'a' }))).toBe(
      `${join(dir, 'report.json')}: metadata.generatedAt is not an RFC 3339 UTC time`,
    );
    writeFileSync(join(dir, 'report.json'), '{"metadata": sk-live-CANARY0123456789}');
    expect(await fatal(uploadReportFiles('s3://reports/x', dir, { cluster: 'a' }))).toBe(
      `${join(dir, 'report.json')}:1:14: invalid JSON: expected a value (object, array, string, number, true, false or null)`,
    );
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});

describe('scan --upload (built CLI)', () => {
  const env = (): NodeJS.ProcessEnv => ({
    ...S3_CREDENTIALS,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
  });

  it('uploads what it wrote after the scan, keeps the verdict exit code, and says where', async () => {
    const out = join(work, 'cli');
    const r = await runCli(
      [
        'scan',
        '--dump',
        SAMPLE,
        '--now',
        NOW,
        '-o',
        out,
        '--format',
        'json,html',
        '--upload',
        's3://reports/cli',
        '--upload-cluster',
        'lab-cli',
      ],
      { env: env() },
    );
    expect(r.code).toBe(1);
    const generatedAt = (JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report).metadata.generatedAt;
    expect(r.stderr.split('\n').filter((l) => l.startsWith('uploaded'))).toEqual([
      `uploaded 3 files to s3://reports/cli/lab-cli/${generatedAt}/ and s3://reports/cli/lab-cli/latest/`,
    ]);
    const listed = await listS3Reports('s3://reports/cli', { latestOnly: true });
    expect(listed).toEqual([{ key: 'cli/lab-cli/latest/report.json', body: readFileSync(join(out, 'report.json')) }]);
  }, 60_000);

  it('an upload that fails is one line and exit 2, the reports stay in -o DIR', async () => {
    const out = join(work, 'cli-fail');
    const r = await runCli(
      ['scan', '--dump', SAMPLE, '--now', NOW, '-o', out, '--quiet', '--upload', 's3://missing-bucket/cli', '--upload-cluster', 'lab-cli'],
      { env: { ...env(), AWS_SECRET_ACCESS_KEY: SECRET } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^kube-preflight: error: s3:\/\/missing-bucket\/cli\/lab-cli\/20[^/]+\/report\.json\.sha256: \S+: .*\(HTTP 40\d\)\n$/,
    );
    expect(r.stderr).not.toContain(SECRET);
    expect(readdirSync(out).sort()).toEqual(['report.json', 'report.json.sha256', 'report.txt']);
  }, 60_000);

  it('refuses --upload without -o DIR or the json format, and a dump without --upload-cluster, before uploading', async () => {
    const noDir = await runCli(['scan', '--dump', SAMPLE, '--upload', 's3://reports/cli'], { env: env() });
    expect([noDir.code, noDir.stderr]).toEqual([
      2,
      'kube-preflight: error: --upload sends the report files of -o DIR: give -o DIR and the json format\n',
    ]);
    const noJson = await runCli(
      ['scan', '--dump', SAMPLE, '-o', join(work, 'nojson'), '--format', 'html', '--upload', 's3://reports/cli'],
      { env: env() },
    );
    expect(noJson.code).toBe(2);
    expect(noJson.stderr).toContain('give -o DIR and the json format');
    const badUrl = await runCli(['scan', '--dump', SAMPLE, '-o', join(work, 'badurl'), '--upload', 's3:/reports'], { env: env() });
    expect([badUrl.code, badUrl.stderr]).toEqual([
      2,
      'kube-preflight: error: "s3:/reports" is not an S3 URL: give s3://BUCKET or s3://BUCKET/PREFIX\n',
    ]);
    const fleet = await runCli(['scan', '--dump', SAMPLE, '--dump', SAMPLE, '-o', join(work, 'fleet'), '--upload', 's3://reports/cli'], {
      env: env(),
    });
    expect([fleet.code, fleet.stderr]).toEqual([
      2,
      'kube-preflight: error: --upload sends the reports of one cluster: give one source (the in-cluster CronJob scans its own cluster)\n',
    ]);
    const lone = await runCli(['scan', '--dump', SAMPLE, '--upload-cluster', 'x'], { env: env() });
    expect([lone.code, lone.stderr]).toEqual([
      2,
      'kube-preflight: error: --upload-cluster names the folder of --upload: give --upload s3://BUCKET/PREFIX too\n',
    ]);
    const out = join(work, 'nameless-cli');
    const nameless = await runCli(['scan', '--dump', SAMPLE, '--now', NOW, '-o', out, '--quiet', '--upload', 's3://reports/cli'], {
      env: env(),
    });
    expect([nameless.code, nameless.stderr]).toEqual([
      2,
      `kube-preflight: error: ${join(out, 'report.json')}: the report names no cluster; name its folder in the bucket with --upload-cluster\n`,
    ]);
  }, 60_000);

  it("`fleet s3://…` reads each cluster's latest report and equals `fleet` over the folder", async () => {
    const out = join(work, 'fleet');
    const scanned = await runCli(['scan', '--dump', SAMPLE, '--dump', K3S, '--now', NOW, '-o', out, '--format', 'json', '--quiet'], {
      env: env(),
    });
    expect(scanned.code).toBe(1);
    // lab-1.26 twice: two dated folders, one latest/ — the fleet counts it once.
    for (const cluster of ['lab-1.26', 'lab-1.26', 'fail-k3s-suffixes'])
      await uploadReportFiles('s3://reports/fleet-summary', join(out, cluster), { cluster });
    const fromBucket = await runCli(['fleet', 's3://reports/fleet-summary', '--format', 'json'], { env: env() });
    const fromFolder = await runCli(['fleet', out, '--format', 'json'], { env: env() });
    expect([fromBucket.code, fromBucket.stderr]).toEqual([1, '']);
    expect(fromFolder.code).toBe(1);
    const withoutTime = (text: string): unknown => ({ ...(JSON.parse(text) as FleetSummary), metadata: undefined });
    expect(withoutTime(fromBucket.stdout)).toEqual(withoutTime(fromFolder.stdout));
    expect((JSON.parse(fromBucket.stdout) as FleetSummary).clusters.map((c) => [c.cluster, c.verdict])).toEqual([
      ['fail-k3s-suffixes', 'INCOMPLETE'],
      ['lab-1.26', 'NO-GO'],
    ]);
    const missing = await runCli(['fleet', 's3://missing-bucket/fleet'], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('s3://missing-bucket/fleet/');
  }, 90_000);
});
