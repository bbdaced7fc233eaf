/**
 * The fleet summary: one document over the reports of many clusters (`scan` with several
 * sources, or `kube-preflight fleet DIR...`), validated by `schema/fleet-v1.schema.json`.
 * Every fleet renderer (text, markdown, HTML, JSON) is a function of it.
 */
import type { DistributionName } from '../contract/report.js';
import type { CheckStatus, Family, Severity, Verdict } from '../contract/check.js';
import type { Report } from '../contract/report.js';

/**
 * One cluster of the fleet, as the summary builder takes it: its name (unique in the fleet),
 * where it came from, and either its report or why there is none (one line, no secret).
 */
export interface FleetEntry {
  cluster: string;
  /** `dump fixtures/dumps/lab-1.26`, `live, context prod (https://…)`, or a stored file. */
  source: string;
  report?: Report;
  error?: string;
}

/** `scanned`: a report was read; `not scanned`: no report (unreachable, failed, unreadable). */
export type ClusterStatus = 'scanned' | 'not scanned';

export interface FleetCluster {
  cluster: string;
  source: string;
  status: ClusterStatus;
  /** The cluster's verdict; absent when not scanned. */
  verdict?: Verdict;
  /** The report's one-sentence reason, or why the cluster was not scanned. */
  reason: string;
  /** The report's clock (`metadata.now`): certificate days left are counted from it. */
  now?: string;
  /** Unwaived findings by severity, and waived ones. */
  findings?: Record<Severity | 'waived', number>;
  /** Problems that block the cluster's verdict. */
  blockingProblems?: number;
}

/** Problems of several clusters with the same root check and title. */
export interface FleetProblem {
  /** The check of the problem's root finding. */
  checkId: string;
  family: Family;
  title: string;
  /** The worst severity over the clusters. */
  severity: Severity;
  /** True when it blocks the verdict of at least one cluster. */
  blocking: boolean;
  /** The fix of the first cluster (by name) that has it. */
  fix: string;
  /** Clusters that have it, sorted by name. */
  clusters: string[];
  /** Findings it explains, over every cluster. */
  findings: number;
}

/** Versions and skew of one scanned cluster. */
export interface FleetVersions {
  cluster: string;
  /** The API server's `gitVersion` (`v1.26.4`). */
  gitVersion?: string;
  distribution?: DistributionName;
  /** `--target-version` given to the scan. */
  targetVersion?: string;
  /** Without `--target-version`: the minor after the cluster's, which the checks assumed. */
  assumedTargetVersion?: string;
  /** Distinct `kubeletVersion`s of the nodes (from `versions-kubelet-skew`), oldest first. */
  kubeletVersions: string[];
  /** The skew checks that ran: status and number of findings. */
  skew: Array<{ checkId: string; status: CheckStatus; findings: number }>;
}

/** One certificate of a cluster's timeline (`details.certificates` of the certs checks). */
export interface FleetCertificate {
  cluster: string;
  checkId: string;
  /** Subject or kubeadm name. */
  name: string;
  /** Where it was found (`Secret prod/web-tls [tls.crt#0]`, `pki/apiserver.crt`). */
  where: string;
  notAfter: string;
  /** Whole days from the report's `now` to `notAfter` (negative: expired). */
  daysLeft: number;
  isCA: boolean;
}

export interface FleetSummary {
  apiVersion: 'kube-preflight/v1';
  kind: 'FleetSummary';
  metadata: {
    generatedAt: string;
    tool: { name: 'kube-preflight'; version: string };
  };
  summary: {
    /** The worst verdict of the fleet; a cluster not scanned counts as INCOMPLETE. */
    verdict: Verdict;
    reason: string;
    clusters: number;
    /** Clusters by verdict, and those not scanned. */
    counts: Record<Verdict | 'not scanned', number>;
  };
  /** Every cluster, sorted by name. */
  clusters: FleetCluster[];
  /** Unwaived problems grouped by root check and title, most impact first. */
  problems: FleetProblem[];
  /** Scanned clusters, sorted by name. */
  versions: FleetVersions[];
  /** The `FLEET_CERTIFICATES` certificates that expire soonest over the fleet. */
  certificates: FleetCertificate[];
  /** How many certificates the timelines hold in all. */
  certificatesTotal: number;
  /** Clusters without a report, and why. */
  notScanned: Array<{ cluster: string; source: string; reason: string }>;
}
