/**
 * Values of the `etcd` and `apiserver-readyz` inputs: etcdctl's member list, endpoint status and
 * health, alarms, and the API server's `/readyz?verbose` (`src/sources/inputs/etcd.ts` reads them).
 */

/** One member of `etcdctl member list`. IDs are decimal strings (uint64). */
export interface EtcdMemberInfo {
  id: string;
  /** The ID as `etcdctl -w table` prints it (`bb7d371eb677b2bf`). */
  idHex: string;
  /** Absent for a member that was added but never started. */
  name?: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

/** One entry of `etcdctl endpoint status`: what the member at `endpoint` reported. */
export interface EtcdEndpointStatus {
  endpoint: string;
  clusterId: string;
  memberId: string;
  memberIdHex: string;
  version?: string;
  /** Physically allocated size of the backend database, bytes (`dbSize`). */
  dbSizeBytes?: number;
  /** Logically used size, bytes (`dbSizeInUse`, etcd 3.4+). */
  dbSizeInUseBytes?: number;
  /** Backend quota, bytes (`dbSizeQuota`, etcd 3.6+). */
  dbSizeQuotaBytes?: number;
  /** ID of the leader this member knows; absent when it has none. */
  leader?: string;
  raftTerm?: number;
  /** Committed raft index on this member. */
  raftIndex?: number;
  raftAppliedIndex?: number;
  revision?: number;
  /** `errors` of the status (`etcdserver: no leader`, `memberID:… alarm:NOSPACE `). */
  errors: string[];
  isLearner: boolean;
}

/** One entry of `etcdctl endpoint health`. */
export interface EtcdEndpointHealth {
  endpoint: string;
  health: boolean;
  /** Go duration as etcdctl prints it (`4.8ms`, `5.0007s`). */
  took?: string;
  error?: string;
}

/** An active alarm (`etcdctl alarm list`). */
export interface EtcdAlarm {
  memberId: string;
  memberIdHex: string;
  /** `NOSPACE`, `CORRUPT`, or `UNKNOWN(<n>)` for an enum value this tool does not know. */
  alarm: string;
}

/** The `etcd` input: whichever of the four etcdctl outputs were available. */
export interface EtcdData {
  memberList?: { clusterId: string; clusterIdHex: string; memberId: string; members: EtcdMemberInfo[] };
  endpointStatus?: EtcdEndpointStatus[];
  endpointHealth?: EtcdEndpointHealth[];
  /** Undefined when no alarm list was read (not given, or etcdctl printed nothing). */
  alarms?: EtcdAlarm[];
  /** Files present but empty (etcdctl failed): `etcd/alarm-list.json`. */
  emptyFiles: string[];
}

/** One check of the API server's `/readyz?verbose` report. */
export interface ReadyzCheck {
  /** `etcd`, `etcd-readiness`, `ping`, `poststarthook/…`. */
  name: string;
  ok: boolean;
  /** Text after the status (`reason withheld`). */
  detail?: string;
}

/** The `apiserver-readyz` input: `/readyz?verbose`. */
export interface ApiserverReadyz {
  /** From the closing line `readyz check passed|failed`, or the plain body `ok`. */
  ready?: boolean;
  checks: ReadyzCheck[];
}
