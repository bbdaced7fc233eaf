/**
 * The etcd cluster as the etcd checks see it: one view per member, built from the etcdctl
 * outputs (`etcd` input) when they were read, otherwise from what Kubernetes shows of etcd
 * (kubeadm's `etcd-*` static pods in kube-system, kube-apiserver's `--etcd-servers`), with
 * the API server's own `/readyz` etcd check. A managed control plane (EKS, GKE, AKS) has
 * no etcd the operator can reach, and k3s without embedded etcd (SQLite, or an external
 * database through kine; `src/k8s/distribution.ts`) has none at all: the checks are then not
 * applicable, with the reason.
 *
 * Member state (from `etcdctl endpoint status/health -w json`, `etcdctl/ctlv3/command/ep_command.go`):
 * - `healthy`: answered, its health probe passed (or failed only because of an alarm, which
 *   `etcd-alarms-space` reports: etcdctl 3.5+ marks every member unhealthy while an alarm is
 *   active), and its status carries no error other than an alarm or `no leader` (reported by
 *   `etcd-quorum` as such);
 * - `unhealthy`: answered but failing (health `false`, e.g. `context deadline exceeded` when
 *   it has no leader; an error in its status; a not-Ready etcd pod);
 * - `unreachable`: did not answer (etcdctl leaves it out of `endpoint status` and marks it
 *   unhealthy in `endpoint health`);
 * - `unstarted`: in the member list without a name or client URLs (added, never started);
 * - `unknown`: nothing was read about it (run both endpoint commands with `--cluster`).
 */
import { CheckError } from '../../../src/contract/errors.js';
import type { Collected } from '../../../src/contract/inputs.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import type { Unknown } from '../../../src/contract/check.js';
import { detectDistribution } from '../../../src/k8s/distribution.js';
import { flagValue } from '../../../src/k8s/containers.js';
import type { ControlPlanePod, NodeInfo, ServerVersion } from '../../../src/contract/values/core.js';
import type { ApiserverReadyz, EtcdData, EtcdEndpointHealth, EtcdEndpointStatus, ReadyzCheck } from '../../../src/contract/values/etcd.js';

/**
 * Inputs every etcd check declares as optional, and as one `requiresAnyOf` group
 * (`ETCD_ANY_OF`): the model comes from `etcd` (the etcdctl outputs) when it was read, and then
 * needs nothing else; otherwise from `control-plane-pods` (the etcd pods, kube-apiserver's
 * `--etcd-servers`), after `version`, `nodes` and the pods tell a managed control plane (no
 * reachable etcd: not applicable). The checks name what each fallback leaves unknown
 * themselves (`notReadUnknown`, a quota not known), and `resolveEtcd` fails naming every
 * unread input when none of them shows an etcd.
 */
export const ETCD_CHECK_INPUTS = ['etcd', 'control-plane-pods', 'nodes', 'version'] as const;

/** `requiresAnyOf` of every etcd check (see `ETCD_CHECK_INPUTS`). */
export const ETCD_ANY_OF = [ETCD_CHECK_INPUTS] as const;

export interface EtcdCheckInputs {
  etcd: Collected<EtcdData>;
  'control-plane-pods': Collected<ControlPlanePod[]>;
  nodes: Collected<NodeInfo[]>;
  version: Collected<ServerVersion>;
  /** Declared by `etcd-quorum` only: the API server's own etcd check. */
  'apiserver-readyz'?: Collected<ApiserverReadyz>;
}

export type MemberState = 'healthy' | 'unhealthy' | 'unreachable' | 'unstarted' | 'unknown';

export interface MemberView {
  /** Member name; the hex ID for an unnamed (unstarted) member; the URL when no member list was read. */
  name: string;
  id?: string;
  idHex?: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
  state: MemberState;
  /** Why it is not healthy, or why its state is unknown. */
  stateReason?: string;
  /** Whether its `endpoint status` was read. */
  hasStatus: boolean;
  version?: string;
  dbSizeBytes?: number;
  dbSizeInUseBytes?: number;
  /** `dbSizeQuota` of its status (etcd 3.6+). */
  dbSizeQuotaBytes?: number;
  raftTerm?: number;
  raftIndex?: number;
  raftAppliedIndex?: number;
  /** Hex ID of the leader this member reports. */
  reportedLeaderHex?: string;
  clusterIdHex?: string;
  statusErrors: string[];
  isLeader: boolean;
  /** `kube-system/etcd-<node>` when a static pod runs it. */
  pod?: string;
  image?: string;
  /** `--quota-backend-bytes` of its pod (0 or absent: etcd's default; negative: no quota). */
  quotaBackendBytesFlag?: number;
}

export interface EtcdModel {
  /** Where the members come from: etcdctl outputs, etcd pods, or kube-apiserver flags. */
  source: 'etcdctl' | 'pods' | 'apiserver-flags';
  clusterIdHex?: string;
  members: MemberView[];
  /** The leader most voters report (hex ID). */
  leaderHex?: string;
  /** Active alarms; undefined when unknown. */
  alarms?: Array<{ memberIdHex?: string; member?: string; alarm: string }>;
  /** Where the alarm list came from. */
  alarmSource?: 'alarm list' | 'endpoint status' | 'endpoint health';
  /** The API server's `etcd` readyz check, when `/readyz?verbose` was read. */
  readyzEtcd?: ReadyzCheck;
  /** Why etcd itself was not read (modes `pods` and `apiserver-flags`). */
  etcdNotRead?: string;
}

export type Resolved = { model: EtcdModel } | { notApplicable: string };

export const CLUSTER_REF: ResourceRef = { kind: 'EtcdCluster', name: 'etcd' };

export function memberRef(m: MemberView): ResourceRef {
  return { kind: 'EtcdMember', name: m.name };
}

const trimUrl = (u: string): string => u.replace(/\/+$/, '').toLowerCase();

/** Position of the first item of each key (items without a key are left out). */
function firstIndex<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k !== undefined && !out.has(k)) out.set(k, i);
  });
  return out;
}

/** The first item (in `items` order) whose key is one of `keys`, through its {@link firstIndex}. */
function firstOf<T>(items: readonly T[], index: Map<string, number>, keys: readonly string[]): T | undefined {
  let best: number | undefined;
  for (const k of keys) {
    const i = index.get(k);
    if (i !== undefined && (best === undefined || i < best)) best = i;
  }
  return best === undefined ? undefined : items[best];
}

const ALARM_IN_STATUS = /memberID:(\d+) alarm:(\w+)/;
const isAlarmError = (e: string): boolean => e.startsWith('Active Alarm(s)') || e.startsWith('ALARM ') || ALARM_IN_STATUS.test(e);
const isNoLeaderError = (e: string): boolean => /no leader/i.test(e);

function valueOf<T>(c: Collected<T> | undefined): T | undefined {
  return c && (c.status === 'ok' || c.status === 'absent') ? c.value : undefined;
}

function stateOf(
  status: EtcdEndpointStatus | undefined,
  health: EtcdEndpointHealth | undefined,
  statusRead: boolean,
): { state: MemberState; reason?: string } {
  if (health && !health.health && !(health.error && isAlarmError(health.error))) {
    const reason = health.error ?? 'endpoint health: false';
    // etcdctl leaves endpoints it could not reach out of `endpoint status`.
    return { state: status || !statusRead ? 'unhealthy' : 'unreachable', reason };
  }
  if (status) {
    const errs = status.errors.filter((e) => !isAlarmError(e) && !isNoLeaderError(e));
    return errs.length > 0 ? { state: 'unhealthy', reason: errs.join('; ') } : { state: 'healthy' };
  }
  if (health) return { state: 'healthy' };
  return { state: 'unknown', reason: 'not in endpoint-status.json nor endpoint-health.json (write both with --cluster)' };
}

/** Most reported value (ties: the smallest), or undefined for an empty list. */
function mostReported(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

function etcdPods(pods: ControlPlanePod[] | undefined): ControlPlanePod[] {
  return (pods ?? []).filter((p) => p.component === 'etcd');
}

function etcdContainer(p: ControlPlanePod): ControlPlanePod['containers'][number] | undefined {
  return p.containers.find((c) => c.name === 'etcd') ?? p.containers[0];
}

/** Member name a kubeadm etcd pod runs (`--name`, which kubeadm sets to the node name). */
function podMemberName(p: ControlPlanePod): string {
  const c = etcdContainer(p);
  return (c && flagValue(c, 'name')) ?? p.nodeName ?? p.name;
}

function podFacts(p: ControlPlanePod): Pick<MemberView, 'pod' | 'image' | 'quotaBackendBytesFlag'> {
  const c = etcdContainer(p);
  const quota = c ? flagValue(c, 'quota-backend-bytes') : undefined;
  return {
    pod: `${p.namespace}/${p.name}`,
    ...(c?.image ? { image: c.image } : {}),
    ...(quota !== undefined && /^-?\d+$/.test(quota) ? { quotaBackendBytesFlag: Number(quota) } : {}),
  };
}

/** Version from an etcd image tag (`registry.k8s.io/etcd:3.5.6-0` → `3.5.6`). */
export function versionFromImage(image: string | undefined): string | undefined {
  const m = image?.match(/:v?(\d+\.\d+\.\d+)[^:/]*$/);
  return m?.[1];
}

function fromEtcdctl(data: EtcdData, pods: ControlPlanePod[]): EtcdModel {
  const statuses = data.endpointStatus ?? [];
  const healths = data.endpointHealth ?? [];
  const statusRead = data.endpointStatus !== undefined;
  const podByName = new Map(pods.map((p) => [podMemberName(p), p]));
  const build = (
    base: Pick<MemberView, 'name' | 'id' | 'idHex' | 'peerURLs' | 'clientURLs' | 'isLearner'>,
    status?: EtcdEndpointStatus,
    health?: EtcdEndpointHealth,
    unstarted = false,
  ): MemberView => {
    const st = unstarted
      ? { state: 'unstarted' as const, reason: 'added to the cluster but never started (no name and no client URLs in the member list)' }
      : stateOf(status, health, statusRead);
    const pod = podByName.get(base.name);
    const m: MemberView = {
      ...base,
      isLearner: base.isLearner || status?.isLearner === true,
      state: st.state,
      ...(st.reason ? { stateReason: st.reason } : {}),
      hasStatus: status !== undefined,
      statusErrors: status?.errors ?? [],
      isLeader: false,
      ...(pod ? podFacts(pod) : {}),
    };
    if (status) {
      Object.assign(m, {
        clusterIdHex: BigInt(status.clusterId).toString(16),
        ...(status.version !== undefined ? { version: status.version } : {}),
        ...(status.dbSizeBytes !== undefined ? { dbSizeBytes: status.dbSizeBytes } : {}),
        ...(status.dbSizeInUseBytes !== undefined ? { dbSizeInUseBytes: status.dbSizeInUseBytes } : {}),
        ...(status.dbSizeQuotaBytes !== undefined ? { dbSizeQuotaBytes: status.dbSizeQuotaBytes } : {}),
        ...(status.raftTerm !== undefined ? { raftTerm: status.raftTerm } : {}),
        ...(status.raftIndex !== undefined ? { raftIndex: status.raftIndex } : {}),
        ...(status.raftAppliedIndex !== undefined ? { raftAppliedIndex: status.raftAppliedIndex } : {}),
        ...(status.leader !== undefined ? { reportedLeaderHex: BigInt(status.leader).toString(16) } : {}),
      });
    }
    return m;
  };

  // Statuses and healths by member id and endpoint: one lookup per member, not a scan.
  const statusById = firstIndex(statuses, (s) => s.memberId);
  const statusByEndpoint = firstIndex(statuses, (s) => trimUrl(s.endpoint));
  const healthByEndpoint = firstIndex(healths, (h) => trimUrl(h.endpoint));
  let members: MemberView[];
  if (data.memberList) {
    members = data.memberList.members.map((mi) => {
      const urls = mi.clientURLs.map(trimUrl);
      const status = firstOf(statuses, statusById, [mi.id]) ?? firstOf(statuses, statusByEndpoint, urls);
      const health = firstOf(healths, healthByEndpoint, urls);
      const unstarted = mi.name === undefined && mi.clientURLs.length === 0;
      return build(
        {
          name: mi.name ?? mi.idHex,
          id: mi.id,
          idHex: mi.idHex,
          peerURLs: mi.peerURLs,
          clientURLs: mi.clientURLs,
          isLearner: mi.isLearner,
        },
        status,
        health,
        unstarted,
      );
    });
  } else {
    // No member list: one member per endpoint that was asked, named by its URL.
    const endpoints = [...new Set([...statuses.map((s) => trimUrl(s.endpoint)), ...healths.map((h) => trimUrl(h.endpoint))])];
    members = endpoints.map((ep) => {
      const status = firstOf(statuses, statusByEndpoint, [ep]);
      const health = firstOf(healths, healthByEndpoint, [ep]);
      const idHex = status ? BigInt(status.memberId).toString(16) : undefined;
      return build(
        { name: ep, ...(status ? { id: status.memberId, idHex } : {}), peerURLs: [], clientURLs: [ep], isLearner: false },
        status,
        health,
      );
    });
  }

  const leaderHex = mostReported(members.filter((m) => !m.isLearner && m.reportedLeaderHex).map((m) => m.reportedLeaderHex!));
  for (const m of members) m.isLeader = leaderHex !== undefined && m.idHex === leaderHex;
  const clusterIdHex = data.memberList?.clusterIdHex ?? members.find((m) => m.clusterIdHex)?.clusterIdHex;

  const memberAt = firstIndex(members, (m) => m.idHex);
  const nameOf = (idHex: string): string | undefined => firstOf(members, memberAt, [idHex])?.name;
  let alarms: EtcdModel['alarms'];
  let alarmSource: EtcdModel['alarmSource'];
  if (data.alarms) {
    alarms = data.alarms.map((a) => ({ memberIdHex: a.memberIdHex, member: nameOf(a.memberIdHex), alarm: a.alarm }));
    alarmSource = 'alarm list';
  } else if (statuses.length > 0) {
    // Alarms are cluster-wide: every member's status lists them as `memberID:<id> alarm:<TYPE> `.
    const seen = new Map<string, { memberIdHex?: string; member?: string; alarm: string }>();
    for (const s of statuses) {
      for (const e of s.errors) {
        const m = ALARM_IN_STATUS.exec(e);
        if (!m) continue;
        const idHex = BigInt(m[1]!).toString(16);
        seen.set(`${idHex}/${m[2]}`, { memberIdHex: idHex, member: nameOf(idHex), alarm: m[2]! });
      }
    }
    alarms = [...seen.values()];
    alarmSource = 'endpoint status';
  } else {
    const names = new Set(healths.flatMap((h) => (h.error?.match(/^Active Alarm\(s\):\s*(.*)$/)?.[1] ?? '').split(/\s+/).filter(Boolean)));
    if (names.size > 0) {
      alarms = [...names].sort().map((alarm) => ({ alarm }));
      alarmSource = 'endpoint health';
    }
  }
  return {
    source: 'etcdctl',
    ...(clusterIdHex ? { clusterIdHex } : {}),
    members,
    ...(leaderHex ? { leaderHex } : {}),
    ...(alarms ? { alarms, alarmSource } : {}),
  };
}

function fromPods(pods: ControlPlanePod[], etcdNotRead: string): EtcdModel {
  const members = pods.map((p): MemberView => {
    const c = etcdContainer(p);
    const urls = (flag: string): string[] => (c ? (flagValue(c, flag) ?? '').split(',').filter(Boolean) : []);
    const facts = podFacts(p);
    const version = versionFromImage(facts.image);
    return {
      name: podMemberName(p),
      peerURLs: urls('initial-advertise-peer-urls'),
      clientURLs: urls('advertise-client-urls'),
      isLearner: false,
      state: p.ready ? 'healthy' : 'unhealthy',
      ...(p.ready ? {} : { stateReason: `pod ${p.namespace}/${p.name} is not Ready (phase ${p.phase ?? 'unknown'})` }),
      hasStatus: false,
      statusErrors: [],
      isLeader: false,
      ...(version ? { version } : {}),
      ...facts,
    };
  });
  return { source: 'pods', members: members.sort((a, b) => (a.name < b.name ? -1 : 1)), etcdNotRead };
}

function fromApiserverFlags(urls: string[], etcdNotRead: string): EtcdModel {
  const members = urls.map((u): MemberView => ({
    name: u,
    peerURLs: [],
    clientURLs: [u],
    isLearner: false,
    state: 'unknown',
    stateReason: `listed in kube-apiserver --etcd-servers; etcd was not read: ${etcdNotRead}`,
    hasStatus: false,
    statusErrors: [],
    isLeader: false,
  }));
  return { source: 'apiserver-flags', members, etcdNotRead };
}

/**
 * Builds the model, or says why the checks do not apply (managed control plane; k3s whose
 * server nodes have no etcd role). Throws `CheckError` when etcd was not read and what was read
 * shows no etcd (no etcd pod, no `--etcd-servers`, neither of those), naming the inputs that
 * were not read, or when k3s runs embedded etcd that was not read (with the etcdctl flags for
 * k3s's certificates).
 */
export function resolveEtcd(inputs: EtcdCheckInputs): Resolved {
  const etcd = inputs.etcd;
  const pods = valueOf(inputs['control-plane-pods']);
  const readyzEtcd = valueOf(inputs['apiserver-readyz'])?.checks.find((c) => c.name === 'etcd');
  const withReadyz = (m: EtcdModel): Resolved => ({ model: readyzEtcd ? { ...m, readyzEtcd } : m });
  const data = valueOf(etcd);
  if (data) return withReadyz(fromEtcdctl(data, etcdPods(pods)));

  const dist = detectDistribution({ version: valueOf(inputs.version), nodes: valueOf(inputs.nodes), controlPlanePods: pods });
  if (dist.managed) {
    return {
      notApplicable:
        `managed control plane (${dist.name.toUpperCase()}: ${dist.evidence.join('; ')}): etcd is run by ` +
        `the provider and cannot be reached`,
    };
  }
  const notRead = `input etcd is ${etcd.status}${etcd.reason ? `: ${etcd.reason}` : ''}`;
  const ep = etcdPods(pods);
  if (ep.length > 0) return withReadyz(fromPods(ep, notRead));
  if (dist.datastore === 'k3s-kine') {
    return { notApplicable: `k3s without embedded etcd (${dist.datastoreReason}): there is no etcd to judge` };
  }
  if (dist.datastore === 'k3s-embedded-etcd') {
    throw new CheckError(
      `no etcd data: ${notRead}; k3s runs embedded etcd (${dist.datastoreReason}) but no etcd member ` +
        `list was read: on a server node, write the etcdctl outputs with --cacert ` +
        `/var/lib/rancher/k3s/server/tls/etcd/server-ca.crt --cert ` +
        `/var/lib/rancher/k3s/server/tls/etcd/client.crt --key ` +
        `/var/lib/rancher/k3s/server/tls/etcd/client.key`,
    );
  }
  const servers = [
    ...new Set(
      (pods ?? [])
        .filter((p) => p.component === 'kube-apiserver')
        .flatMap((p) => p.containers.flatMap((c) => (flagValue(c, 'etcd-servers') ?? '').split(',')))
        .map((u) => u.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    ),
  ].sort();
  if (servers.length > 0) return withReadyz(fromApiserverFlags(servers, notRead));
  const unread = (['control-plane-pods', 'version', 'nodes'] as const)
    .filter((k) => valueOf<unknown>(inputs[k]) === undefined)
    .map((k) => `input ${k} is ${inputs[k].status}`);
  throw new CheckError(
    `no etcd data: ${notRead}; and no etcd pod, kube-apiserver --etcd-servers flag or managed ` +
      `control plane found${unread.length > 0 ? ` (${unread.join(', ')})` : ''}`,
  );
}

/** Quorum arithmetic over voting members (learners do not vote; etcd "Learner" design doc). */
export interface QuorumFacts {
  voters: number;
  /** ⌊voters/2⌋ + 1 */
  majority: number;
  /** voters − majority */
  failureTolerance: number;
  healthyVoters: number;
  unknownVoters: number;
}

export function quorumFacts(members: MemberView[]): QuorumFacts {
  const voters = members.filter((m) => !m.isLearner);
  const majority = Math.floor(voters.length / 2) + 1;
  return {
    voters: voters.length,
    majority,
    failureTolerance: voters.length - majority,
    healthyVoters: voters.filter((m) => m.state === 'healthy').length,
    unknownVoters: voters.filter((m) => m.state === 'unknown').length,
  };
}

/** The facts of a member for evidence and the member table. */
export function memberEvidence(m: MemberView): Record<string, unknown> {
  return {
    name: m.name,
    id: m.id ?? null,
    idHex: m.idHex ?? null,
    peerURLs: m.peerURLs,
    clientURLs: m.clientURLs,
    health: m.state,
    ...(m.stateReason ? { error: m.stateReason } : {}),
    version: m.version ?? null,
    dbSizeBytes: m.dbSizeBytes ?? null,
    raftIndex: m.raftIndex ?? null,
    leader: m.reportedLeaderHex ?? null,
    isLeader: m.isLeader,
    isLearner: m.isLearner,
    ...(m.pod ? { pod: m.pod } : {}),
  };
}

/** The unknown subject "etcd itself was not read" of the pods and flags modes. */
export function notReadUnknown(model: EtcdModel, what: string): Unknown[] {
  return model.etcdNotRead ? [{ resource: CLUSTER_REF, reason: `${what}: etcd was not read (${model.etcdNotRead})` }] : [];
}

/** `etcdctl` with kubeadm's certificate flags, for remediation text. */
export const ETCDCTL =
  'ETCDCTL_API=3 etcdctl --endpoints=<client-url> --cacert=/etc/kubernetes/pki/etcd/ca.crt ' +
  '--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt ' +
  '--key=/etc/kubernetes/pki/etcd/healthcheck-client.key';
