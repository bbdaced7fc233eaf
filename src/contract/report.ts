/**
 * The report contract: the single output every renderer reads (docs/report-contract.md;
 * validated by `schema/report-v1.schema.json`), with the waiver, baseline, distribution and
 * dump-format shapes it records. Change them only together with the schema.
 */
import type { CheckStatus, FailOn, Family, Severity, Unknown, Verdict } from './check.js';
import type { Figure } from './figures.js';
import type { InputPart, InputStatus } from './inputs.js';
import type { ResourceRef } from './resource.js';

export interface Finding {
  checkId: string;
  rule: string;
  severity: Severity;
  title: string;
  message: string;
  resource: ResourceRef;
  evidence: Record<string, unknown>;
  remediation: string;
  references: string[];
  fingerprint: string;
  /** Set when a waiver covers the finding; it then does not count toward the verdict. */
  waiver?: { reason: string; owner: string; expires: string; ticket?: string };
  /**
   * With `--baseline`: `new` (no finding of the same check on the same subject in the
   * baseline), `existing` (one with the same rule and severity), `changed` (one whose rule or
   * severity differs; see `previous`). Matching rules: src/report/baseline.ts.
   */
  baseline?: 'new' | 'existing' | 'changed';
  /** With `baseline: 'changed'`: the matched baseline finding's rule, severity and fingerprint. */
  previous?: { rule: string; severity: Severity; fingerprint: string };
}

export interface CheckResult {
  id: string;
  family: Family;
  title: string;
  status: CheckStatus;
  /** Why the check is skipped, error, incomplete or not-applicable. */
  reason?: string;
  /** Subjects evaluated. */
  evaluated: number;
  durationMs: number;
  /** Number of findings, by severity. */
  findings: Record<Severity, number>;
  unknowns: Unknown[];
  /** Check-specific data (tables, fleet, trend). */
  details?: Record<string, unknown>;
  /** Data for the report's pictures, by shape (`src/contract/figures.ts`). */
  figures?: Figure[];
  /** `builtin` or `<plugin>@<version>`. */
  origin: string;
}

/** A selected check that was not fully assessed (`summary.notAssessed`). */
export interface NotAssessed {
  checkId: string;
  status: CheckStatus;
  /** Number of its unknowns (subjects, or classes of subjects, it could not judge). */
  unknowns: number;
  /** The check's reason: why it is `error`, or what it could not assess. */
  reason: string;
}

export interface InputSummary {
  key: string;
  status: InputStatus;
  reason?: string;
  count?: number;
  sources?: string[];
  /** Parts of the input that could not be read (see `Collected.partial`). */
  partial?: InputPart[];
  /** Checks that need the input (`required`: they are `error` without it) or use it when present. */
  usedBy: { required: string[]; optional: string[] };
}

/** A grouping rule of `src/report/problems.ts`; `single`: a finding no rule joins. */
export type ProblemRule = 'pdb-blocks-drain' | 'node-skew' | 'same-certificate' | 'api-version' | 'same-subject' | 'single';

/**
 * Findings that share a root cause (`src/report/problems.ts`): the root finding, whose
 * remediation is the `fix`, and the findings it explains.
 */
export interface Problem {
  /** `P` and 12 hex digits of SHA-256 over `rule` and the root finding's fingerprint. */
  id: string;
  rule: ProblemRule;
  /** The cause and its effects in one line: `PDB prod/web (maxUnavailable: 0) blocks draining 3 nodes: …`. */
  title: string;
  /** The worst severity of its findings. */
  severity: Severity;
  /** True when any of its findings blocks the verdict (unwaived, new, at or above `--fail-on`). */
  blocking: boolean;
  /** The root finding's check family. */
  family: Family;
  /** The root finding's remediation. */
  fix: string;
  /** Fingerprints of its findings, the root first, then the effects in report order. */
  findings: string[];
  /** Set when every one of its findings is waived. */
  waived?: true;
}

/** A table cell: text, a number, a yes/no, several values (one a line), or `null` (nothing to show). */
export type TableCell = string | number | boolean | null | string[];

/** A column of a report table: the row field it shows (`key`), its header and alignment. */
export interface TableColumn {
  key: string;
  label: string;
  /** `right` for counts; default `left`. */
  align?: 'left' | 'right';
}

/** A row of a report table: its cells by column key; `flagged` when it shows a problem. */
export interface TableRow {
  cells: Record<string, TableCell>;
  /** The row is a problem: an expired or expiring certificate, a skew violation, a blocked drain, an added admin. */
  flagged?: true;
}

/**
 * A per-family table (`src/report/tables.ts`), built from the findings and check details:
 * kubeadm-style certificates and CAs, Pluto-style APIs, the version skew matrix, the drain
 * order, the cluster-admin access review. Renderers draw it as given.
 */
export interface ReportTable {
  /** `certs-certificates`, `certs-authorities`, `apis-deprecated`, `versions-skew`, `pdb-drain-order`, `rbac-access-review`. */
  id: string;
  family: Family;
  title: string;
  columns: TableColumn[];
  rows: TableRow[];
  /** What the table rests on and what it leaves out. */
  note?: string;
}

export interface Report {
  apiVersion: 'kube-preflight/v1';
  kind: 'Report';
  metadata: {
    generatedAt: string;
    now: string;
    /** `catalogVersion`: digest of the checks, rules, severities and option defaults that ran. */
    tool: { name: 'kube-preflight'; version: string; catalogVersion: string };
    /** `sha256`: digest of the dump (see `DumpSource.digest`); `collectedBy`: the dump's metadata.json `collectedBy`. */
    /** `format`: layout of a dump written by another tool; unset for kube-preflight's own. */
    source: {
      type: 'live' | 'dump' | 'none';
      location: string;
      format?: DumpFormat;
      context?: string;
      server?: string;
      collectedAt?: string;
      collectedBy?: string;
      sha256?: string;
      /** Live: the authenticated identity the API server named (`SelfSubjectReview`). */
      user?: ScanUser;
      /** Live: why `user` is not known (the API server did not answer the review). */
      userError?: string;
    };
    cluster: {
      name?: string;
      uid?: string;
      gitVersion?: string;
      /**
       * The distribution detected from the inputs read (`src/k8s/distribution.ts`): `name`
       * (`kubeadm`, `kind`, `k3s`, `rke2`, `eks`, `gke`, `aks`, `openshift`, `unknown`), the
       * signals it rests on, and where the cluster state lives (`datastore`, with its reason).
       */
      distribution?: { name: DistributionName; evidence: string[]; datastore: Datastore; datastoreReason: string };
    };
    targetVersion?: string;
    /**
     * Without `--target-version`, when the cluster's version is known: the minor after it
     * (`1.27` for v1.26.4), the target the checks assume. (The versions checks take the minor
     * after the oldest kube-apiserver they see, which differs only mid-upgrade of an HA control plane.)
     */
    assumedTargetVersion?: string;
    failOn: FailOn;
    /** Check selection and settings as given (`--checks`, `--skip`, `--config`, `--set`). */
    selection?: { checks?: string[]; skip?: string[]; config?: string; set?: string[]; plugins?: string[] };
    /** Notes about the source (unreadable files, an old dump). */
    warnings: string[];
  };
  summary: {
    verdict: Verdict;
    /** The verdict in one sentence. */
    reason: string;
    findings: Record<Severity | 'waived', number>;
    checks: Record<CheckStatus, number>;
    /** Selected checks not fully assessed (any verdict); empty only when every check was. */
    notAssessed: NotAssessed[];
    /**
     * Problems (`problems`) by worst severity (unwaived), waived, and how many block the
     * verdict. Always written; absent in reports written before problems existed.
     */
    problems?: Record<Severity | 'waived' | 'blocking', number>;
  };
  checks: CheckResult[];
  inputs: InputSummary[];
  findings: Finding[];
  /**
   * Findings grouped by root cause, most impact first (blocking, severity, number of findings).
   * Always written; absent in reports written before problems existed.
   */
  problems?: Problem[];
  /**
   * Per-family tables (certificates, APIs, skew matrix, drain order, access review), in family
   * order. Always written; absent in reports written before tables existed.
   */
  tables?: ReportTable[];
  /**
   * Live scans: what the identity may not read, asked before reading (SelfSubjectAccessReview),
   * with the checks that will be in error (`requiredBy`) or see less (`optionalFor`).
   */
  permissions?: {
    reviewed: number;
    denied: Array<{ request: string; inputs: string[]; reason?: string; requiredBy: string[]; optionalFor: string[] }>;
    error?: string;
  };
  /** With `--waivers`: every waiver of the file and how it was used. */
  waivers?: { file: string; entries: WaiverUse[] };
  /** With `--baseline`: new, still present, changed and resolved findings. */
  baseline?: BaselineSummary;
}

/** The user a live scan authenticated as, as the API server names it (`kubectl auth whoami`). */
export interface ScanUser {
  username: string;
  groups: string[];
}

/** Distributions `src/k8s/distribution.ts` detects. */
export type DistributionName = 'eks' | 'gke' | 'aks' | 'openshift' | 'k3s' | 'rke2' | 'kind' | 'kubeadm' | 'unknown';

/**
 * Where the cluster state lives: `etcd` (an etcd the operator runs: kubeadm, kind, RKE2,
 * OpenShift), `k3s-embedded-etcd`, `k3s-kine` (SQLite or an external database, no etcd), `provider`
 * (managed control plane), `unknown`.
 */
export type Datastore = 'etcd' | 'k3s-embedded-etcd' | 'k3s-kine' | 'provider' | 'unknown';

/** A dump layout kube-preflight reads besides its own. */
export type DumpFormat = 'support-bundle' | 'cluster-info-dump' | 'sonobuoy';

/** How the report names each format, after "a"/"the" (`holds no Secrets`). */
export const FORMAT_NAMES: Record<DumpFormat, string> = {
  'support-bundle': 'troubleshoot support bundle',
  'cluster-info-dump': 'kubectl cluster-info dump',
  sonobuoy: 'Sonobuoy result set',
};

/**
 * One entry of a `--waivers` file: which findings it covers (by fingerprint, or by check, rule
 * glob and resource), why, whose, until when.
 */
export interface Waiver {
  fingerprint?: string;
  checkId?: string;
  /** With `checkId`: a glob over the finding's rule; absent, every rule of the check. */
  rule?: string;
  resource?: { kind?: string; namespace?: string; name?: string; file?: string; field?: string };
  reason: string;
  owner: string;
  /** `YYYY-MM-DD`; the waiver holds through the end of that day, UTC. */
  expires: string;
  ticket?: string;
}

/** A waiver as listed in the report, with how it was used. */
export interface WaiverUse extends Waiver {
  /** Position in the file (0-based). */
  index: number;
  /** Findings it covers. */
  matched: number;
  state: 'applied' | 'expired' | 'stale';
}

/** A finding as listed among the resolved or changed ones (no evidence). */
export interface FindingRef {
  fingerprint: string;
  checkId: string;
  rule: string;
  severity: Finding['severity'];
  title: string;
  resource: Finding['resource'];
}

/** A matched finding whose rule or severity differs: as it is now, and as it was. */
export type ChangedRef = FindingRef & { previous: NonNullable<Finding['previous']> };

/** With `--baseline`: counts of new and existing findings, and the changed and resolved ones. */
export interface BaselineSummary {
  file: string;
  generatedAt: string;
  new: number;
  existing: number;
  /** Findings matched by subject whose rule or severity changed (their count is its length). */
  changed: ChangedRef[];
  /** Baseline findings with no match in this scan (merely changed ones are not resolved). */
  resolved: FindingRef[];
}
