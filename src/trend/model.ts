/**
 * The trend of one cluster over a series of its reports (`kube-preflight trend`): the contract
 * of `trend.json`, validated by `schema/trend.schema.json`, and read by the HTML, markdown and
 * text renderings. Times are ISO 8601 (UTC); durations are in days; a run is one report.
 */
import type { Severity, Verdict } from '../contract/check.js';
import type { Finding } from '../contract/report.js';

/** A certificate as a certs check's `details.certificates` lists it, in one run. */
export interface CertificatePoint {
  /** The check that read it (`certs-pki-expiry`, `certs-cluster-expiry`). */
  checkId: string;
  name: string;
  /** Where it was found: `pki/apiserver.crt`, `Secret prod/web-tls [tls.crt#0]`. */
  where: string;
  notAfter: string;
  /** Days from the run's clock (`now`) to `notAfter`, as the check computed them. */
  daysLeft: number;
}

export interface TrendRun {
  /** The report file, as given or found below a folder given. */
  file: string;
  generatedAt: string;
  /** The scan's clock (`metadata.now`): runs are ordered by it, and days are counted from it. */
  now: string;
  verdict: Verdict;
  /** `metadata.tool.catalogVersion`: the checks, rules and defaults that ran. */
  catalogVersion: string;
  /** Findings of the run by severity (waived ones included), and how many are waived. */
  findings: Record<Severity | 'waived', number>;
  /** Findings first seen in this run (every finding of the first run). */
  opened: number;
  /** Findings of earlier runs that this run assessed and no longer has. */
  closed: number;
  /** Findings still present whose rule or severity changed since the run before. */
  changed: number;
  /** Findings open after this run (present, or absent where this run could not judge them). */
  open: number;
  /**
   * Findings absent from this run that it could not judge (their check not run, in error or
   * skipped, or their subject among the check's unknowns): they stay open, not closed.
   */
  notAssessed: number;
  /**
   * Certificates the certs checks listed: how many, and the one expiring soonest (null when
   * they listed none). Null when no certs check reported certificates (not run, or in error).
   */
  certificates: { count: number; soonest: CertificatePoint | null } | null;
  /**
   * `rbac-cluster-admins`' `clusterAdminCount` (subjects outside the distribution's defaults
   * that are cluster-admin or equivalent); null when the check did not report it.
   */
  clusterAdminCount: number | null;
}

/** One finding followed through the series (matched run to run as `diff` matches them). */
export interface TrendFinding {
  /** The fingerprint it had when first seen: its identity in the trend. */
  id: string;
  /** Its fingerprint when last seen (differs from `id` when its rule changed). */
  fingerprint: string;
  checkId: string;
  rule: string;
  severity: Severity;
  title: string;
  resource: Finding['resource'];
  /** Waived when last seen. */
  waived: boolean;
  state: 'open' | 'closed';
  /** Index in `runs` of the run that first had it, and that run's clock. */
  firstRun: number;
  firstSeen: string;
  /** The last run that had it, and that run's clock. */
  lastRun: number;
  lastSeen: string;
  /** Closed: the first run that assessed it and no longer had it, and that run's clock. */
  closedRun?: number;
  closedAt?: string;
  /** Closed: days from `firstSeen` to `closedAt` (one decimal). */
  daysToFix?: number;
  /** Open and absent from the last run, which could not judge it: that run's reason. */
  notAssessed?: string;
}

/** A certificate's days left across the runs (null where a run did not list it). */
export interface CertificateSeries {
  checkId: string;
  name: string;
  where: string;
  /** One entry per run, in run order. */
  daysLeft: Array<number | null>;
  /** The lowest of `daysLeft`. */
  minDaysLeft: number;
}

export interface Trend {
  apiVersion: 'kube-preflight/v1';
  kind: 'Trend';
  metadata: {
    generatedAt: string;
    tool: { name: 'kube-preflight'; version: string };
    /** The cluster, as the reports name it (uid, API server, name): the same in every run. */
    cluster: { name?: string; uid?: string; server?: string };
    /** Notes about the series (runs whose cluster could not be compared, changed check catalogs). */
    warnings: string[];
  };
  summary: {
    runs: number;
    from: string;
    to: string;
    /** Findings ever opened, closed, and still open after the last run. */
    opened: number;
    closed: number;
    open: number;
    /** Median of the closed findings' `daysToFix`; null when none closed. */
    medianDaysToFix: number | null;
    /** The last run's verdict. */
    verdict: Verdict;
  };
  /** In order of `now` (then `generatedAt`, then file). */
  runs: TrendRun[];
  /** Every finding of the series: open ones first (oldest first), then closed ones by close time. */
  findings: TrendFinding[];
  /** The certificates expiring soonest over the series (lowest `minDaysLeft` first), at most `CERTIFICATE_SERIES`. */
  certificates: CertificateSeries[];
}

/** How many certificates `Trend.certificates` follows. */
export const CERTIFICATE_SERIES = 6;
