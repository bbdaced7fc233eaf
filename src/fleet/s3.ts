/**
 * Reports in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, SeaweedFS…), through the AWS
 * SDK (`@aws-sdk/client-s3`, loaded only when a bucket is read or written):
 *
 * - `uploadReportFiles`: `scan --upload s3://BUCKET/PREFIX` puts the report files of one scan
 *   under `PREFIX/<cluster>/<generatedAt>/` and `PREFIX/<cluster>/latest/` (docs/fleet-storage.md);
 * - `listS3Reports`: every `report.json` under a prefix, for `fleet`.
 *
 * Credentials come from the SDK's default chain (environment, shared config and credentials
 * files, web identity, container and instance metadata); they never appear in a message:
 * every error is one line naming the bucket and key, with the credentials' secret parts
 * redacted should a server echo them.
 */
import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import pLimit from 'p-limit';
import { FatalError } from '../contract/errors.js';
import { FileTooLargeError, readRegularFile } from '../files.js';
import { jsonErrorMessage } from '../k8s/parse-errors.js';
import { REPORT_MAX_BYTES } from '../limits.js';

/** A bucket and a key prefix: `prefix` is empty (the whole bucket) or ends with `/`. */
export interface S3Location {
  bucket: string;
  prefix: string;
}

/** How to reach the bucket. Unset fields come from the environment (`env`, default `process.env`). */
export interface S3Options {
  /**
   * Endpoint URL of an S3-compatible server (`http://127.0.0.1:9000`); else
   * `$AWS_ENDPOINT_URL_S3`, else `$AWS_ENDPOINT_URL`, else AWS S3 itself.
   */
  endpoint?: string;
  /**
   * Path-style requests (`ENDPOINT/BUCKET/KEY`, as MinIO-like servers expect) instead of
   * virtual-hosted ones (`BUCKET.ENDPOINT/KEY`). Default: path-style when the endpoint's host
   * is an IP address or `localhost` (where a bucket cannot be a host name), else virtual-hosted.
   */
  pathStyle?: boolean;
  /** Region used to sign the requests; else `$AWS_REGION`, else `$AWS_DEFAULT_REGION`, else `us-east-1`. */
  region?: string;
  /**
   * Longest connection setup, and longest silence of a connection, in milliseconds (default
   * 30,000; `scan` passes `--request-timeout`): a server that stops answering fails the request.
   */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** One stored report: its key in the bucket and its bytes. */
export interface StoredS3Report {
  key: string;
  body: Buffer;
}

export interface ListS3Options extends S3Options {
  /** Largest `report.json` read, in bytes (default 256 MiB, as `--baseline`, `render` and `diff` read reports). */
  maxObjectBytes?: number;
  /** Keys asked for per ListObjectsV2 page (1–1000; default 1000, the S3 maximum). */
  pageSize?: number;
  /** Only the `…/latest/report.json` copies (one per cluster), not the dated ones. */
  latestOnly?: boolean;
  /** GetObject requests in flight at once (default 8). */
  concurrency?: number;
}

export interface UploadOptions extends S3Options {
  /**
   * The cluster's folder name; default the report's `metadata.cluster.name` (the kubeconfig
   * context). Letters, digits and `.`, `_`, `-`, `:`, `@`; at most 128 characters.
   */
  cluster?: string;
}

/** The report files of one scan that `uploadReportFiles` puts, and their media types; report.json last. */
export const UPLOADED_FILES: ReadonlyArray<{ name: string; contentType: string }> = [
  { name: 'report.json.sha256', contentType: 'text/plain; charset=utf-8' },
  { name: 'report.json.sig', contentType: 'text/plain; charset=utf-8' },
  { name: 'report.html', contentType: 'text/html; charset=utf-8' },
  { name: 'report.pdf', contentType: 'application/pdf' },
  { name: 'report.json', contentType: 'application/json' },
];

/** The context name client-node gives a pod's service account: the same in every cluster. */
const IN_CLUSTER_CONTEXT = 'inClusterContext';
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** `s3://BUCKET/KEY` for messages. */
function s3Url(bucket: string, key = ''): string {
  return `s3://${bucket}/${key}`;
}

/**
 * Parses `s3://BUCKET[/PREFIX]`. The bucket name follows S3's rules (3–63 lowercase letters,
 * digits, `.` and `-`, starting and ending with a letter or digit); the prefix gets a trailing
 * `/` (so `s3://b/prod` never matches `prod-2/`). Throws `FatalError` naming the URL otherwise.
 */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(url);
  if (!m) throw new FatalError(`"${url}" is not an S3 URL: give s3://BUCKET or s3://BUCKET/PREFIX`);
  const bucket = m[1]!;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new FatalError(`${url}: "${bucket}" is not a valid bucket name (3-63 lowercase letters, digits, "." and "-")`);
  }
  const path = (m[2] ?? '').replace(/\/+$/, '');
  if (path !== '' && path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new FatalError(`${url}: the prefix has an empty, "." or ".." segment`);
  }
  return { bucket, prefix: path === '' ? '' : `${path}/` };
}

/** The client settings the options and the environment give; throws `FatalError` for an endpoint that is not an http(s) URL. */
export function resolveS3Config(opts: S3Options): { endpoint?: string; region: string; forcePathStyle: boolean } {
  const env = opts.env ?? process.env;
  const given = (
    [
      ['--s3-endpoint', opts.endpoint],
      ['$AWS_ENDPOINT_URL_S3', env.AWS_ENDPOINT_URL_S3],
      ['$AWS_ENDPOINT_URL', env.AWS_ENDPOINT_URL],
    ] as const
  ).find(([, v]) => v !== undefined && v !== '');
  const region = opts.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  if (!given) return { region, forcePathStyle: opts.pathStyle ?? false };
  const [from, endpoint] = given as readonly [string, string];
  let host: string;
  try {
    const u = new URL(endpoint);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    host = u.hostname;
  } catch {
    throw new FatalError(`${from} "${endpoint}" is not an http(s) URL`);
  }
  const literalHost = host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
  return { endpoint, region, forcePathStyle: opts.pathStyle ?? literalHost };
}

async function client(opts: S3Options): Promise<S3Client> {
  const config = resolveS3Config(opts);
  // The SDK warns on every run under Node 20 that its releases after January 2027 will need
  // Node 22; the version pinned here supports Node 20, so the warning would only be noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    ...config,
    // Checksums only where S3 requires them: many S3-compatible servers reject the CRC32
    // trailers the SDK sends by default. Uploads carry Content-MD5 instead (`uploadReportFiles`).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: opts.timeoutMs ?? 30_000, socketTimeout: opts.timeoutMs ?? 30_000 },
  });
}

/**
 * The one-line error of a failed request on `where` (`s3://BUCKET/KEY`): the S3 error code,
 * its message and the HTTP status, with any secret part of the credentials in use replaced.
 */
async function requestError(s3: S3Client, where: string, e: unknown): Promise<FatalError> {
  const err = e as { name?: string; Code?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = err.Code ?? (err.name && err.name !== 'Error' ? err.name : err.code);
  const status = err.$metadata?.httpStatusCode;
  // The first line, at most 300 characters: a server's message is not ours to print whole.
  const message = String(err.message ?? e)
    .split('\n')[0]!
    .trim()
    .slice(0, 300);
  let text = `${where}: ${code && code !== message ? `${code}: ` : ''}${message}${status ? ` (HTTP ${status})` : ''}`;
  if (err.name === 'CredentialsProviderError')
    text +=
      ' (the AWS SDK looks in $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY, the shared credentials file, a web identity, ' +
      'container and instance metadata)';
  const secrets = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN];
  try {
    // Not again when the chain found no credentials: it would query every provider again.
    if (err.name === 'CredentialsProviderError') throw e;
    const c = await s3.config.credentials();
    secrets.push(c.secretAccessKey, c.sessionToken);
  } catch {
    // No credentials could be had: nothing more to redact.
  }
  for (const s of secrets) if (s && s.length >= 4) text = text.split(s).join('[redacted]');
  return new FatalError(text);
}

/** The bytes of an object's body, at most `max`: a larger body is abandoned with `FileTooLargeError`. */
async function readBody(body: unknown, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) {
      (body as Partial<Readable>).destroy?.();
      throw new FileTooLargeError(max);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, size);
}

/**
 * Every object named `report.json` under the location's prefix (at any depth), in key order,
 * with its bytes: ListObjectsV2 page by page, then one GetObject per report, `concurrency` at once.
 * Throws `FatalError` with one line naming the bucket or the key: an unreachable endpoint, a
 * missing bucket, refused credentials, or a report above `maxObjectBytes`.
 */
export async function listS3Reports(location: S3Location | string, opts: ListS3Options = {}): Promise<StoredS3Report[]> {
  const { bucket, prefix } = typeof location === 'string' ? parseS3Url(location) : location;
  const max = opts.maxObjectBytes ?? REPORT_MAX_BYTES;
  const s3 = await client(opts);
  const { GetObjectCommand, paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  try {
    const found: Array<{ key: string; size: number }> = [];
    try {
      for await (const page of paginateListObjectsV2({ client: s3, pageSize: opts.pageSize ?? 1000 }, { Bucket: bucket, Prefix: prefix })) {
        for (const o of page.Contents ?? []) {
          const key = o.Key ?? '';
          const parts = key.split('/');
          if (parts.at(-1) !== 'report.json' || (opts.latestOnly && parts.at(-2) !== 'latest')) continue;
          found.push({ key, size: o.Size ?? 0 });
        }
      }
    } catch (e) {
      throw await requestError(s3, s3Url(bucket, prefix), e);
    }
    const limit = pLimit(opts.concurrency ?? 8);
    const get = async ({ key, size }: { key: string; size: number }): Promise<StoredS3Report> => {
      const where = s3Url(bucket, key);
      if (size > max) throw new FatalError(`${where}: ${new FileTooLargeError(max).message}, too large for a report`);
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { key, body: await readBody(got.Body, max) };
      } catch (e) {
        if (e instanceof FileTooLargeError) throw new FatalError(`${where}: ${e.message}, too large for a report`);
        throw await requestError(s3, where, e);
      }
    };
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // After a failure, requests not yet sent are skipped; of those that failed, the first in key
    // order is reported, so the message does not depend on which response came back first.
    let failed = false;
    const settled = await Promise.allSettled(
      found.map((f) =>
        limit(async () => {
          if (failed) return undefined;
          try {
            return await get(f);
          } catch (e) {
            failed = true;
            throw e;
          }
        }),
      ),
    );
    const reports: StoredS3Report[] = [];
    for (const r of settled) {
      if (r.status === 'rejected') throw r.reason;
      if (r.value) reports.push(r.value);
    }
    return reports;
  } finally {
    s3.destroy();
  }
}

/**
 * Puts the report files of one scan found in `dir` (`UPLOADED_FILES`: report.json, required,
 * and its `.sha256` and `.sig` sidecars, report.html and report.pdf when present) under
 * `PREFIX/<cluster>/<generatedAt>/` and then `PREFIX/<cluster>/latest/`, report.json last in
 * each, so that a reader who sees a report.json also finds its sidecars; `generatedAt` and
 * the default cluster name come from report.json. In `latest/`, the optional files this scan
 * did not write are deleted, so that they never stand beside a newer report.json.
 * Each PUT carries Content-MD5: the server rejects a body altered on the way.
 * Resolves to the keys written. Throws `FatalError` (one line naming the file or the key).
 */
export async function uploadReportFiles(
  location: S3Location | string,
  dir: string,
  opts: UploadOptions = {},
): Promise<{ keys: string[]; deleted: string[] }> {
  const { bucket, prefix } = typeof location === 'string' ? parseS3Url(location) : location;
  const files: Array<{ name: string; contentType: string; body: Buffer }> = [];
  const absent: string[] = [];
  for (const f of UPLOADED_FILES) {
    const path = join(dir, f.name);
    const st = await lstat(path).catch((e: unknown) => {
      const { code, message } = e as NodeJS.ErrnoException;
      if (code === 'ENOENT') return undefined;
      throw new FatalError(`${path}: cannot be read (${code ?? message})`);
    });
    if (!st) {
      if (f.name === 'report.json') throw new FatalError(`${path}: not found; the upload needs the json format in the output folder`);
      absent.push(f.name);
      continue;
    }
    try {
      files.push({
        ...f,
        body: await readRegularFile(path, REPORT_MAX_BYTES * (f.name === 'report.pdf' || f.name === 'report.html' ? 4 : 1)),
      });
    } catch (e) {
      throw new FatalError(`${path}: cannot be uploaded (${(e as Error).message})`);
    }
  }
  const jsonPath = join(dir, 'report.json');
  let metadata: { generatedAt?: unknown; cluster?: { name?: unknown } } | undefined;
  const jsonText = files.at(-1)!.body.toString('utf8');
  try {
    metadata = (JSON.parse(jsonText) as { metadata?: typeof metadata }).metadata;
  } catch (e) {
    throw new FatalError(jsonErrorMessage(jsonPath, jsonText, e));
  }
  const generatedAt = metadata?.generatedAt;
  if (typeof generatedAt !== 'string' || !/^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(generatedAt) || Number.isNaN(Date.parse(generatedAt))) {
    throw new FatalError(`${jsonPath}: metadata.generatedAt is not an RFC 3339 UTC time`);
  }
  const reportName = typeof metadata?.cluster?.name === 'string' ? metadata.cluster.name : undefined;
  const cluster = opts.cluster ?? reportName;
  if (cluster === undefined || (opts.cluster === undefined && cluster === IN_CLUSTER_CONTEXT)) {
    throw new FatalError(
      `${jsonPath}: the report names no cluster` +
        (cluster ? ` (in a pod, the context is "${IN_CLUSTER_CONTEXT}" in every cluster)` : '') +
        '; name its folder in the bucket with --upload-cluster',
    );
  }
  if (!CLUSTER_NAME.test(cluster)) {
    throw new FatalError(
      `cluster name "${cluster}" cannot be a folder of the bucket ` +
        '(letters, digits, ".", "_", "-", ":", "@"; at most 128); choose one with --upload-cluster',
    );
  }
  const s3 = await client(opts);
  const { DeleteObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const keys: string[] = [];
  const deleted: string[] = [];
  try {
    for (const folder of [generatedAt, 'latest']) {
      const base = `${prefix}${cluster}/${folder}/`;
      if (folder === 'latest') {
        for (const name of absent) {
          const key = `${base}${name}`;
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(async (e: unknown) => {
            throw await requestError(s3, s3Url(bucket, key), e);
          });
          deleted.push(key);
        }
      }
      for (const f of files) {
        const key = `${base}${f.name}`;
        const md5 = createHash('md5').update(f.body).digest('base64');
        await s3
          .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: f.body, ContentType: f.contentType, ContentMD5: md5 }))
          .catch(async (e: unknown) => {
            throw await requestError(s3, s3Url(bucket, key), e);
          });
        keys.push(key);
      }
    }
  } finally {
    s3.destroy();
  }
  return { keys, deleted };
}

/** The flags `addS3Flags` adds. */
export interface S3Flags {
  s3Endpoint?: string;
  s3PathStyle?: boolean;
}

/** Adds `--s3-endpoint` and `--s3-path-style` (how to reach an S3-compatible bucket). */
export function addS3Flags(cmd: Command): Command {
  return cmd
    .option(
      '--s3-endpoint <url>',
      'S3-compatible server (MinIO, Ceph…): its endpoint URL (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL, else AWS S3)',
    )
    .option(
      '--s3-path-style',
      'path-style bucket requests (ENDPOINT/BUCKET/KEY), as MinIO-like servers expect (default for an IP or localhost endpoint)',
    );
}

/** The flags `addUploadFlags` adds (with those of `addS3Flags`). */
export interface UploadFlags extends S3Flags {
  upload?: S3Location;
  uploadCluster?: string;
}

/**
 * Adds `--upload s3://BUCKET/PREFIX`, `--upload-cluster` and the `addS3Flags` to `scan`, and a
 * check, before the scan runs, that the upload has what it needs (`-o DIR` and the json format).
 */
export function addUploadFlags(cmd: Command): Command {
  cmd
    .option(
      '--upload <s3-url>',
      'after writing -o DIR, upload report.json (with its sidecars), report.html and report.pdf to s3://BUCKET/PREFIX/<cluster>/<generatedAt>/ and …/latest/',
      parseS3Url,
    )
    .option('--upload-cluster <name>', "the cluster's folder in the bucket (default: the kubeconfig context; needed in a pod)");
  addS3Flags(cmd);
  return cmd.hook('preAction', (c) => {
    const o = c.opts<UploadFlags & { outputDir?: string; format?: string[] }>();
    if (!o.upload) {
      if (o.uploadCluster !== undefined)
        throw new FatalError('--upload-cluster names the folder of --upload: give --upload s3://BUCKET/PREFIX too');
      return;
    }
    if (!o.outputDir || (o.format && !o.format.includes('json')))
      throw new FatalError('--upload sends the report files of -o DIR: give -o DIR and the json format');
  });
}

/**
 * `scan --upload`: uploads the report files the scan wrote in `outputDir`, and says where on
 * stderr unless `quiet`. Throws `FatalError` (exit 2; the files stay in `outputDir`).
 */
export async function uploadScanReports(
  flags: UploadFlags & { outputDir?: string; quiet?: boolean; requestTimeout?: number },
): Promise<void> {
  if (!flags.upload || !flags.outputDir) return;
  const { keys } = await uploadReportFiles(flags.upload, flags.outputDir, {
    cluster: flags.uploadCluster,
    endpoint: flags.s3Endpoint,
    pathStyle: flags.s3PathStyle,
    timeoutMs: flags.requestTimeout,
  });
  if (!flags.quiet) {
    const folders = [...new Set(keys.map((k) => k.slice(0, k.lastIndexOf('/') + 1)))];
    process.stderr.write(
      `uploaded ${keys.length / folders.length} files to ${folders.map((f) => s3Url(flags.upload!.bucket, f)).join(' and ')}\n`,
    );
  }
}
