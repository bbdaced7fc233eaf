/**
 * Live reading of an etcd cluster for the `etcd` input, through etcd's own HTTP endpoints on
 * the client port (etcd docs "Interacting with etcd", gRPC gateway), with the mTLS files given by `--etcd-cacert`,
 * `--etcd-cert` and `--etcd-key`:
 *
 * - `POST /v3/cluster/member/list` `{}`, `POST /v3/maintenance/status` `{}` and
 *   `POST /v3/maintenance/alarm` `{"action":"GET"}` — the grpc-gateway accepts POST only
 *   (GET answers 405). This is the one documented exception to the tool's GET-only rule, and
 *   it is limited to these three read-only RPCs (MemberList, Status, Alarm with action GET);
 *   no other path or body is ever sent.
 * - `GET /health`.
 *
 * It produces the same files `etcdctl -w json` prints (`member list`, `endpoint status
 * --cluster`, `endpoint health --cluster`, `alarm list`), so `collect` writes them and a dump
 * scan reads back exactly what the live scan saw: gateway strings become JSON numbers (uint64
 * IDs stay exact), alarm names become etcd's enum numbers. Like `--cluster`, the member list
 * (from the first given endpoint that answers) decides which endpoints are queried: every
 * member's client URLs. Every endpoint gets an `endpoint-health.json` entry, an unreachable one
 * with `health: false` and the error; `endpoint-status.json` holds only the endpoints that
 * answered, as etcdctl does. `alarm-list.json` is written only when an alarm list was read
 * (etcd cannot list alarms without a leader). Each request has its own timeout
 * (`ETCD_TIMEOUT_MS`, or `--request-timeout` when shorter).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { stringify } from 'lossless-json';
import { isRecord } from '../k8s/objects.js';
import type { DumpFile, FileFetch } from './input-def.js';
import type { ScanOptions } from './scan-options.js';

/** Per-request timeout for etcd endpoints, ms (etcdctl's `--command-timeout` default is 5 s). */
export const ETCD_TIMEOUT_MS = 5000;

/** Fields the gateway writes as strings that etcdctl writes as JSON numbers. */
const INT_KEYS = new Set([
  'cluster_id',
  'member_id',
  'revision',
  'raft_term',
  'ID',
  'memberID',
  'leader',
  'dbSize',
  'dbSizeInUse',
  'dbSizeQuota',
  'raftIndex',
  'raftTerm',
  'raftAppliedIndex',
]);
const ALARM_ENUM: Record<string, number> = { NONE: 0, NOSPACE: 1, CORRUPT: 2 };

interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

interface GatewayResponse {
  status: number;
  body: string;
}

/** One request to an etcd endpoint; rejects on transport errors and on timeout. */
function call(
  endpoint: string,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  tls: TlsFiles,
  timeoutMs: number,
): Promise<GatewayResponse> {
  const url = new URL(path, endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        ...(secure ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (e: Error) =>
      reject(e.name === 'AbortError' || e.name === 'TimeoutError' ? new Error(`no answer within ${timeoutMs} ms`) : e),
    );
    req.end(body);
  });
}

/** The gateway's JSON document with numeric strings turned into numbers, as etcdctl prints it. */
export function toEtcdctlShape(v: unknown, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => toEtcdctlShape(x, key));
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toEtcdctlShape(x, k)]));
  if (typeof v === 'string' && key !== undefined) {
    if (INT_KEYS.has(key) && /^\d+$/.test(v)) return BigInt(v);
    if (key === 'alarm' && v in ALARM_ENUM) return ALARM_ENUM[v];
  }
  return v;
}

/** A Go-style duration, as etcdctl prints `took` (`4.804237ms`, `5.000720036s`). */
function goDuration(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(9)}s` : `${+ms.toFixed(6)}ms`;
}

async function postJson(endpoint: string, path: string, body: string, tls: TlsFiles, timeoutMs: number): Promise<Record<string, unknown>> {
  const res = await call(endpoint, 'POST', path, body, tls, timeoutMs);
  let doc: unknown;
  try {
    doc = JSON.parse(res.body);
  } catch {
    throw new Error(`POST ${path}: HTTP ${res.status}, not JSON`);
  }
  if (res.status !== 200 || !isRecord(doc)) {
    const msg = isRecord(doc) && typeof doc.message === 'string' ? doc.message : res.body.slice(0, 200);
    throw new Error(`POST ${path}: HTTP ${res.status}: ${msg}`);
  }
  return doc;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function jsonFile(path: string, doc: unknown): DumpFile {
  return { path, content: Buffer.from(`${stringify(doc)}\n`) };
}

async function readTls(opts: NonNullable<ScanOptions['etcd']>): Promise<TlsFiles> {
  const read = async (flag: string, p: string | undefined): Promise<Buffer | undefined> => {
    if (!p) return undefined;
    try {
      return await readFile(p);
    } catch (e) {
      throw new Error(`cannot read ${flag} ${p}: ${errorText(e)}`);
    }
  };
  return {
    ca: await read('--etcd-cacert', opts.cacert),
    cert: await read('--etcd-cert', opts.cert),
    key: await read('--etcd-key', opts.key),
  };
}

/** `host:port` without a scheme is taken as https when a CA is given (as kubeadm's etcd), else http. */
function endpointUrl(e: string, tls: boolean): string {
  const t = e.trim().replace(/\/+$/, '');
  return /^https?:\/\//.test(t) ? t : `${tls ? 'https' : 'http'}://${t}`;
}

/**
 * Reads the etcd cluster at `--etcd-endpoints` and returns the etcdctl-shaped files.
 * Status `missing` without endpoints, `failed` when a TLS file cannot be read; an endpoint
 * that does not answer is data (an unhealthy entry), never a failure of the input.
 */
export async function fetchEtcdFiles(opts: ScanOptions): Promise<FileFetch> {
  const etcd = opts.etcd;
  if (!etcd || etcd.endpoints.length === 0) {
    return {
      status: 'missing',
      reason:
        'no etcd endpoints given: pass --etcd-endpoints https://<control-plane-ip>:2379 with ' +
        '--etcd-cacert, --etcd-cert and --etcd-key (kubeadm: /etc/kubernetes/pki/etcd/ca.crt, ' +
        'healthcheck-client.crt, healthcheck-client.key)',
    };
  }
  let tls: TlsFiles;
  try {
    tls = await readTls(etcd);
  } catch (e) {
    return { status: 'failed', reason: errorText(e) };
  }
  const timeoutMs = Math.min(opts.requestTimeoutMs, ETCD_TIMEOUT_MS);
  const given = [...new Set(etcd.endpoints.map((e) => endpointUrl(e, tls.ca !== undefined)))];

  let memberList: Record<string, unknown> | undefined;
  for (const ep of given) {
    try {
      memberList = await postJson(ep, '/v3/cluster/member/list', '{}', tls, timeoutMs);
      break;
    } catch {
      // the next endpoint may answer; unreachable ones show in endpoint-health.json
    }
  }
  const memberURLs = Array.isArray(memberList?.members)
    ? memberList.members.flatMap((m) =>
        isRecord(m) && Array.isArray(m.clientURLs) ? m.clientURLs.filter((u): u is string => typeof u === 'string') : [],
      )
    : [];
  const targets = memberURLs.length > 0 ? [...new Set(memberURLs.map((u) => u.replace(/\/+$/, '')))] : given;

  const probes = await Promise.all(
    targets.map(async (ep) => {
      const [status, health] = await Promise.allSettled([
        postJson(ep, '/v3/maintenance/status', '{}', tls, timeoutMs),
        (async () => {
          const start = performance.now();
          try {
            return { res: await call(ep, 'GET', '/health', undefined, tls, timeoutMs), tookMs: performance.now() - start };
          } catch (e) {
            throw Object.assign(new Error(errorText(e)), { tookMs: performance.now() - start });
          }
        })(),
      ]);
      return { ep, status, health };
    }),
  );

  let alarms: Record<string, unknown> | undefined;
  for (const p of probes.filter((x) => x.status.status === 'fulfilled')) {
    try {
      alarms = await postJson(p.ep, '/v3/maintenance/alarm', '{"action":"GET"}', tls, timeoutMs);
      break;
    } catch {
      // no leader: etcd cannot list alarms; alarm-list.json is then not written
    }
  }
  const alarmNames = Array.isArray(alarms?.alarms) ? alarms.alarms.map((a) => (isRecord(a) ? String(a.alarm) : '')).filter(Boolean) : [];

  const files: DumpFile[] = [];
  if (memberList) files.push(jsonFile('etcd/member-list.json', toEtcdctlShape(memberList)));
  files.push(
    jsonFile(
      'etcd/endpoint-status.json',
      probes.flatMap((p) => (p.status.status === 'fulfilled' ? [{ Endpoint: p.ep, Status: toEtcdctlShape(p.status.value) }] : [])),
    ),
  );
  files.push(
    jsonFile(
      'etcd/endpoint-health.json',
      probes.map((p) => {
        if (p.health.status === 'rejected') {
          const reason = p.health.reason as Error & { tookMs?: number };
          return { endpoint: p.ep, health: false, took: goDuration(reason.tookMs ?? timeoutMs), error: errorText(reason) };
        }
        const { res, tookMs } = p.health.value;
        let doc: unknown;
        try {
          doc = JSON.parse(res.body);
        } catch {
          doc = undefined;
        }
        const healthy = res.status === 200 && isRecord(doc) && (doc.health === 'true' || doc.health === true);
        if (healthy) return { endpoint: p.ep, health: true, took: goDuration(tookMs) };
        const statusErrors =
          p.status.status === 'fulfilled' && Array.isArray(p.status.value.errors) ? p.status.value.errors.map(String) : [];
        const error =
          (isRecord(doc) && typeof doc.reason === 'string' && doc.reason) ||
          (statusErrors.length > 0 ? statusErrors.join('; ') : '') ||
          (alarmNames.length > 0 ? `Active Alarm(s): ${alarmNames.join(' ')} ` : '') ||
          `GET /health: HTTP ${res.status} ${res.body.trim().slice(0, 200)}`;
        return { endpoint: p.ep, health: false, took: goDuration(tookMs), error };
      }),
    ),
  );
  if (alarms) files.push(jsonFile('etcd/alarm-list.json', toEtcdctlShape(alarms.alarms === undefined ? {} : { alarms: alarms.alarms })));
  return { status: 'ok', files, sources: targets };
}
