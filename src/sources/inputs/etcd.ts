/**
 * Inputs of the etcd family: the etcd cluster as `etcdctl -w json` prints it, and the API
 * server's `/readyz?verbose` report (which includes its own `etcd` check).
 *
 * Dump files (docs/dump-format.md), all optional but at least one needed:
 *
 * ```sh
 * E="etcdctl --endpoints=https://10.0.0.11:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt \
 *    --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
 * $E member list -w json              > etcd/member-list.json
 * $E endpoint status --cluster -w json > etcd/endpoint-status.json
 * $E endpoint health --cluster -w json > etcd/endpoint-health.json
 * $E alarm list -w json               > etcd/alarm-list.json
 * kubectl get --raw '/readyz?verbose'  > health/readyz.txt
 * ```
 *
 * Shapes read (`etcd-io/etcd:etcdctl/ctlv3/command/printer_json.go` and
 * `api/etcdserverpb/rpc.pb.go`, verified on etcd 3.4.23; 3.5 and 3.6 add fields only):
 * - member list: `{header{cluster_id, member_id, raft_term}, members[{ID, name?, peerURLs[],
 *   clientURLs?[], isLearner?}]}` — an unstarted member has no name and no clientURLs;
 * - endpoint status: `[{Endpoint, Status{header, version, dbSize, leader?, raftIndex, raftTerm,
 *   raftAppliedIndex, errors?[], dbSizeInUse, isLearner?, dbSizeQuota? (3.6)}}]` — etcdctl
 *   leaves out endpoints it could not reach;
 * - endpoint health: `[{endpoint, health: bool, took, error?}]` — every endpoint, reachable or not;
 * - alarm list: `{}` or `{alarms[{memberID, alarm}]}` with the alarm as enum number
 *   (`1` NOSPACE, `2` CORRUPT) or, from the gateway, as its name.
 *
 * uint64 member and cluster IDs exceed 2^53 and are bare JSON numbers: they are parsed with
 * `lossless-json` and kept as decimal strings, with the hex form `etcdctl -w table` prints.
 * The grpc-gateway form of the same documents (numbers as strings) is read as well.
 * A file that is present but empty means etcdctl printed nothing (the command failed, e.g.
 * `alarm list` without a leader): its data is unavailable, which the checks report.
 */
import { isInteger, isSafeNumber, parse as parseLossless } from 'lossless-json';
import { isRecord } from '../../k8s/objects.js';
import { jsonParseError } from '../../k8s/parse-errors.js';
import { fetchEtcdFiles } from '../etcd-gateway.js';
import type { InputPart } from '../../contract/inputs.js';
import { filePart, InputError, type DumpFile, type FileInputDef } from '../input-def.js';
import { fetchAsFile } from '../file-inputs.js';
import { decodeText, FileError } from '../parse.js';
import { optBool, optStr, optStrings, readAs, z } from '../schema.js';
import type {
  EtcdMemberInfo,
  EtcdEndpointStatus,
  EtcdEndpointHealth,
  EtcdAlarm,
  EtcdData,
  ApiserverReadyz,
} from '../../contract/values/etcd.js';

export const ETCD_FILES = {
  memberList: 'etcd/member-list.json',
  endpointStatus: 'etcd/endpoint-status.json',
  endpointHealth: 'etcd/endpoint-health.json',
  alarmList: 'etcd/alarm-list.json',
} as const;

/** etcd's `AlarmType` enum (`api/etcdserverpb/rpc.proto`). */
const ALARM_NAMES: Record<number, string> = { 0: 'NONE', 1: 'NOSPACE', 2: 'CORRUPT' };

/** Hex form of a decimal uint64 ID, as `etcdctl -w table` and etcd's logs print it. */
export function idToHex(id: string): string {
  return BigInt(id).toString(16);
}

/**
 * Parses JSON keeping integers above 2^53 exact (as bigint); other numbers are plain numbers.
 * Throws `FileError` naming the file, line and column, without quoting the text.
 */
export function parseEtcdJson(path: string, text: string): unknown {
  try {
    return parseLossless(text, null, (v: string) => (isInteger(v) && !isSafeNumber(v) ? BigInt(v) : Number(v)));
  } catch (e) {
    throw FileError.at(path, jsonParseError(text, e));
  }
}

/** A uint64 field (number, bigint, or decimal string from the gateway) as a decimal string. */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v).toString();
  return undefined;
}

/** An int64 count (bytes, index) as a number. */
function countOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** A uint64 or int64 as etcdctl (number, or bigint above 2^53) or the gateway (string) writes it. */
const int64 = z.union([z.number(), z.bigint(), z.string()], { error: 'expected an integer or a decimal string' }).nullish();

/** The fields of the etcdctl outputs read (ids and counts are checked by `idOf` and `countOf`). */
const MEMBER_LIST = z.object({
  members: z.array(z.object({ name: optStr, peerURLs: optStrings, clientURLs: optStrings, isLearner: optBool })),
});
const ENDPOINT_STATUS = z.array(
  z.object({
    Status: z.object({
      version: optStr,
      errors: optStrings,
      isLearner: optBool,
      dbSize: int64,
      dbSizeInUse: int64,
      dbSizeQuota: int64,
      raftTerm: int64,
      raftIndex: int64,
      raftAppliedIndex: int64,
    }),
  }),
);
const ENDPOINT_HEALTH = z.array(
  z.object({ health: z.union([z.boolean(), z.string()], { error: 'expected a boolean' }).nullish(), took: optStr, error: optStr }),
);
const ALARM_LIST = z.object({
  alarms: z
    .array(z.object({ alarm: z.union([z.number(), z.bigint(), z.string()], { error: 'expected an alarm number or name' }) }))
    .nullish(),
});

function need(path: string, what: string, v: string | undefined): string {
  if (v === undefined) throw new FileError(path, `${what} is missing or not a uint64`);
  return v;
}

function parseMemberList(path: string, doc: unknown): NonNullable<EtcdData['memberList']> {
  if (!isRecord(doc) || !Array.isArray(doc.members))
    throw new FileError(path, 'not the output of `etcdctl member list -w json` (no members list)');
  readAs(MEMBER_LIST, doc, path);
  const header = isRecord(doc.header) ? doc.header : {};
  const clusterId = need(path, 'header.cluster_id', idOf(header.cluster_id));
  const members = doc.members.map((m, i): EtcdMemberInfo => {
    if (!isRecord(m)) throw new FileError(path, `members[${i}] is not an object`);
    // etcdctl 3.5 `--hex` writes hex string IDs and the key `clientURLS`; only decimal IDs are read.
    if ('clientURLS' in m) throw new FileError(path, 'written with `etcdctl --hex`; write it again without --hex (decimal IDs)');
    const id = need(path, `members[${i}].ID`, idOf(m.ID));
    return {
      id,
      idHex: idToHex(id),
      ...(typeof m.name === 'string' && m.name !== '' ? { name: m.name } : {}),
      peerURLs: (m.peerURLs as string[] | null | undefined) ?? [],
      clientURLs: (m.clientURLs as string[] | null | undefined) ?? [],
      isLearner: m.isLearner === true,
    };
  });
  return { clusterId, clusterIdHex: idToHex(clusterId), memberId: idOf(header.member_id) ?? '', members };
}

function parseEndpointStatus(path: string, doc: unknown): EtcdEndpointStatus[] {
  if (!Array.isArray(doc)) throw new FileError(path, 'not the output of `etcdctl endpoint status -w json` (not a list)');
  return doc.map((e, i): EtcdEndpointStatus => {
    if (!isRecord(e) || typeof e.Endpoint !== 'string' || !isRecord(e.Status)) {
      throw new FileError(path, `entry ${i} has no Endpoint and Status`);
    }
    if (i === 0) readAs(ENDPOINT_STATUS, doc, path);
    const s = e.Status;
    const header = isRecord(s.header) ? s.header : {};
    const memberId = need(path, `entry ${i} header.member_id`, idOf(header.member_id));
    const out: EtcdEndpointStatus = {
      endpoint: e.Endpoint,
      clusterId: need(path, `entry ${i} header.cluster_id`, idOf(header.cluster_id)),
      memberId,
      memberIdHex: idToHex(memberId),
      errors: (s.errors as string[] | null | undefined) ?? [],
      isLearner: s.isLearner === true,
    };
    if (typeof s.version === 'string') out.version = s.version;
    const set = (k: keyof EtcdEndpointStatus, v: number | undefined): void => {
      if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
    };
    set('dbSizeBytes', countOf(s.dbSize));
    set('dbSizeInUseBytes', countOf(s.dbSizeInUse));
    set('dbSizeQuotaBytes', countOf(s.dbSizeQuota));
    set('raftTerm', countOf(s.raftTerm));
    set('raftIndex', countOf(s.raftIndex));
    set('raftAppliedIndex', countOf(s.raftAppliedIndex));
    set('revision', countOf(header.revision));
    const leader = idOf(s.leader);
    if (leader !== undefined && leader !== '0') out.leader = leader;
    return out;
  });
}

function parseEndpointHealth(path: string, doc: unknown): EtcdEndpointHealth[] {
  if (!Array.isArray(doc)) throw new FileError(path, 'not the output of `etcdctl endpoint health -w json` (not a list)');
  return doc.map((e, i): EtcdEndpointHealth => {
    if (!isRecord(e) || typeof e.endpoint !== 'string') throw new FileError(path, `entry ${i} has no endpoint`);
    if (i === 0) readAs(ENDPOINT_HEALTH, doc, path);
    // etcdctl writes a bool; etcd's own /health writes the string "true".
    const out: EtcdEndpointHealth = { endpoint: e.endpoint, health: e.health === true || e.health === 'true' };
    if (typeof e.took === 'string') out.took = e.took;
    if (typeof e.error === 'string' && e.error !== '') out.error = e.error;
    return out;
  });
}

function parseAlarmList(path: string, doc: unknown): EtcdAlarm[] {
  if (!isRecord(doc)) throw new FileError(path, 'not the output of `etcdctl alarm list -w json` (not an object)');
  readAs(ALARM_LIST, doc, path);
  return ((doc.alarms as unknown[] | null | undefined) ?? []).flatMap((a, i): EtcdAlarm[] => {
    if (!isRecord(a)) throw new FileError(path, `alarms[${i}] is not an object`);
    const memberId = need(path, `alarms[${i}].memberID`, idOf(a.memberID));
    const n = countOf(a.alarm);
    const alarm = typeof a.alarm === 'string' && !/^\d+$/.test(a.alarm) ? a.alarm : (ALARM_NAMES[n ?? 0] ?? `UNKNOWN(${String(n)})`);
    return alarm === 'NONE' ? [] : [{ memberId, memberIdHex: idToHex(memberId), alarm }];
  });
}

/** What each etcd file holds, for a person (the subjects left unjudged when it is not read). */
const ETCD_FILE_SUBJECTS: Record<string, string> = {
  [ETCD_FILES.memberList]: 'etcd members (member list)',
  [ETCD_FILES.endpointStatus]: 'etcd endpoint status',
  [ETCD_FILES.endpointHealth]: 'etcd endpoint health',
  [ETCD_FILES.alarmList]: 'etcd alarms',
};

/**
 * Parses the etcd files of a dump (or of a live fetch, which writes the same files), file by
 * file: a file that is empty (etcdctl failed when it was written) or that cannot be parsed
 * (not JSON, not the etcdctl output it is named after) is left out of `data` and listed in
 * `partial` (status `failed`, reason naming the file and line), and the other files are kept;
 * a member list, endpoint status or endpoint health that was not written at all is a `missing`
 * part. Throws `InputError` when no member list, endpoint status or endpoint health could be read:
 * the one file's own error when a single file was given, else every file's, joined.
 */
export function parseEtcdFiles(files: DumpFile[]): { data: EtcdData; partial: InputPart[] } {
  const data: EtcdData = { emptyFiles: [] };
  const partial: InputPart[] = [];
  const errors: InputError[] = [];
  for (const f of files) {
    const subjects = ETCD_FILE_SUBJECTS[f.path] ?? f.path;
    if (f.content.toString('utf8').trim() === '') {
      data.emptyFiles.push(f.path);
      partial.push(
        filePart(
          f.path,
          'failed',
          `${f.path}: empty file (etcdctl printed nothing: the command failed when the file was written)`,
          subjects,
        ),
      );
      continue;
    }
    try {
      const doc = parseEtcdJson(f.path, decodeText(f.path, f.content));
      if (f.path === ETCD_FILES.memberList) data.memberList = parseMemberList(f.path, doc);
      else if (f.path === ETCD_FILES.endpointStatus) data.endpointStatus = parseEndpointStatus(f.path, doc);
      else if (f.path === ETCD_FILES.endpointHealth) data.endpointHealth = parseEndpointHealth(f.path, doc);
      else if (f.path === ETCD_FILES.alarmList) data.alarms = parseAlarmList(f.path, doc);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.push(e);
      partial.push(filePart(f.path, e.status, e.message, subjects));
    }
  }
  if (!data.memberList && !data.endpointStatus && !data.endpointHealth) {
    if (files.length === 1 && errors.length === 1) throw errors[0]!;
    const why =
      errors.length > 0
        ? errors.map((e) => e.message).join('; ')
        : `no member list, endpoint status or endpoint health (empty files: etcdctl failed when they were written)`;
    throw new InputError(`${files.map((f) => f.path).join(', ')}: ${why}`);
  }
  // The three outputs every etcd check reads (the alarm list is optional: endpoint status
  // carries alarms too); one not written is a part not read.
  const given = new Set(files.map((f) => f.path));
  for (const path of [ETCD_FILES.memberList, ETCD_FILES.endpointStatus, ETCD_FILES.endpointHealth]) {
    if (!given.has(path)) partial.push(filePart(path, 'missing', `not in the dump: no ${path}`, ETCD_FILE_SUBJECTS[path]!));
  }
  data.emptyFiles.sort();
  return { data, partial: partial.sort((a, b) => (a.source < b.source ? -1 : 1)) };
}

export const etcdInput: FileInputDef<EtcdData> = {
  type: 'files',
  key: 'etcd',
  description: 'etcd members, endpoint status and health, alarms (etcdctl -w json outputs; live: --etcd-endpoints over mTLS)',
  files: Object.values(ETCD_FILES),
  live: (ctx) => fetchEtcdFiles(ctx.options),
  parse(files) {
    const { data, partial } = parseEtcdFiles(files);
    return {
      value: data,
      count: data.memberList?.members.length ?? data.endpointHealth?.length ?? data.endpointStatus?.length ?? 0,
      ...(partial.length > 0 ? { partial } : {}),
    };
  },
};

export const READYZ_FILE = 'health/readyz.txt';

/**
 * Parses the body of `/readyz?verbose` (`[+]etcd ok`, `[-]etcd failed: reason withheld`, then
 * `readyz check passed|failed`), or the plain body `ok`. Throws `InputError` for anything else.
 */
export function parseReadyz(path: string, text: string): ApiserverReadyz {
  const out: ApiserverReadyz = { checks: [] };
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const line of lines) {
    const m = /^\[([+-])\]([^\s]+)\s+(ok|failed)(?::\s*(.*))?$/.exec(line);
    if (m) {
      out.checks.push({ name: m[2]!, ok: m[1] === '+', ...(m[4] ? { detail: m[4] } : {}) });
      continue;
    }
    const closing = /^readyz check (passed|failed)$/.exec(line);
    if (closing) out.ready = closing[1] === 'passed';
    else if (line === 'ok' && lines.length === 1) out.ready = true;
  }
  if (out.ready === undefined && out.checks.length === 0) throw new FileError(path, 'not the body of /readyz?verbose (no [+]/[-] lines)');
  return out;
}

export const apiserverReadyzInput: FileInputDef<ApiserverReadyz> = {
  type: 'files',
  key: 'apiserver-readyz',
  description: 'kube-apiserver /readyz?verbose (its own etcd check); health/readyz.txt in a dump',
  files: [READYZ_FILE],
  apiPaths: ['/readyz'],
  // A failing check makes /readyz answer 500 with the same verbose body.
  live: (ctx) => fetchAsFile(ctx, '/readyz?verbose', READYZ_FILE, { accept: 'text/plain', okStatuses: [200, 500] }),
  parse(files) {
    const f = files[0]!;
    const value = parseReadyz(f.path, decodeText(f.path, f.content));
    return { value, count: value.checks.length };
  },
};

/** The inputs this module defines, for the catalog (`inputs.ts`). */
export const ETCD_INPUTS = [etcdInput, apiserverReadyzInput];
