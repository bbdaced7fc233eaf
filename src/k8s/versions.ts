/**
 * Kubernetes versions: parsing distribution-suffixed version strings, and the release table
 * (release date, end of patch support, and the etcd / CoreDNS / pause versions kubeadm ships).
 *
 * Sources:
 * - End of life: kubernetes/website `data/releases/eol.yaml` (1.19–1.31) and the release pages
 *   on kubernetes.io (1.33–1.36); 1.32's date is from the release calendar and not cross-checked
 *   (check-rules.md §3.3 marks it UNVERIFIED). 1.27: eol.yaml (2024-07-16) is used; schedule.yaml
 *   said 2024-06-28.
 * - kubeadm component images per x.y.0: `kubeadm config images list` for each release, as
 *   recorded by kubernetes/minikube `pkg/minikube/constants/constants_kubeadm_images.go`
 *   (check-rules.md §3.4). Later patches sometimes ship a newer etcd.
 */
import semver from 'semver';

/** A parsed Kubernetes version; `raw` keeps the string as reported (with vendor suffixes). */
export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
  raw: string;
}

/**
 * Parses `v1.29.4-eks-036c24b`, `v1.30.2+k3s1`, `v1.28.15-gke.1020000`, `1.31`, `v1.26.4`.
 * Vendor suffixes are valid semver prereleases, so the version is coerced to `x.y.z` first
 * (comparing raw strings would rank `1.29.4-eks-…` below `1.29.4`). Returns undefined when
 * the string holds no version.
 */
export function parseKubeVersion(raw: string | undefined | null): KubeVersion | undefined {
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  if (!/^v?\d+\.\d+/.test(trimmed)) return undefined;
  const c = semver.coerce(trimmed);
  if (!c) return undefined;
  return { major: c.major, minor: c.minor, patch: c.patch, raw };
}

/** `1.29` of a version. */
export function minorOf(v: Pick<KubeVersion, 'major' | 'minor'>): string {
  return `${v.major}.${v.minor}`;
}

/** Difference in minor versions `a − b` (same major assumed: Kubernetes 1.x). */
export function minorDiff(a: Pick<KubeVersion, 'minor'>, b: Pick<KubeVersion, 'minor'>): number {
  return a.minor - b.minor;
}

export interface ReleaseInfo {
  /** `1.26` */
  minor: string;
  /** Date of x.y.0 (ISO date). */
  released: string;
  /** End of patch support (ISO date). */
  endOfLife: string;
  /** etcd image tag kubeadm x.y.0 deploys, e.g. `3.5.6-0`. */
  kubeadmEtcd: string;
  /** CoreDNS image tag kubeadm x.y.0 deploys. */
  kubeadmCoreDNS: string;
  kubeadmPause: string;
}

/** Date the table was last brought up to date (releases after this are unknown to it). */
export const RELEASES_AS_OF = '2026-11-23';

export const RELEASES: readonly ReleaseInfo[] = [
  { minor: '1.19', released: '2020-08-26', endOfLife: '2021-10-28', kubeadmEtcd: '3.4.9-1', kubeadmCoreDNS: '1.7.0', kubeadmPause: '3.2' },
  { minor: '1.20', released: '2020-12-08', endOfLife: '2022-02-28', kubeadmEtcd: '3.4.13-0', kubeadmCoreDNS: '1.7.0', kubeadmPause: '3.2' },
  { minor: '1.21', released: '2021-04-08', endOfLife: '2022-06-28', kubeadmEtcd: '3.4.13-0', kubeadmCoreDNS: 'v1.8.0', kubeadmPause: '3.4.1' },
  { minor: '1.22', released: '2021-08-04', endOfLife: '2022-12-08', kubeadmEtcd: '3.5.0-0', kubeadmCoreDNS: 'v1.8.4', kubeadmPause: '3.5' },
  { minor: '1.23', released: '2021-12-07', endOfLife: '2023-02-28', kubeadmEtcd: '3.5.1-0', kubeadmCoreDNS: 'v1.8.6', kubeadmPause: '3.6' },
  { minor: '1.24', released: '2022-05-03', endOfLife: '2023-07-28', kubeadmEtcd: '3.5.3-0', kubeadmCoreDNS: 'v1.8.6', kubeadmPause: '3.7' },
  { minor: '1.25', released: '2022-08-23', endOfLife: '2023-10-28', kubeadmEtcd: '3.5.4-0', kubeadmCoreDNS: 'v1.9.3', kubeadmPause: '3.8' },
  { minor: '1.26', released: '2022-12-09', endOfLife: '2024-02-28', kubeadmEtcd: '3.5.6-0', kubeadmCoreDNS: 'v1.9.3', kubeadmPause: '3.9' },
  { minor: '1.27', released: '2023-04-11', endOfLife: '2024-07-16', kubeadmEtcd: '3.5.7-0', kubeadmCoreDNS: 'v1.10.1', kubeadmPause: '3.9' },
  { minor: '1.28', released: '2023-08-15', endOfLife: '2024-10-22', kubeadmEtcd: '3.5.9-0', kubeadmCoreDNS: 'v1.10.1', kubeadmPause: '3.9' },
  { minor: '1.29', released: '2023-12-13', endOfLife: '2025-02-28', kubeadmEtcd: '3.5.10-0', kubeadmCoreDNS: 'v1.11.1', kubeadmPause: '3.9' },
  { minor: '1.30', released: '2024-04-17', endOfLife: '2025-07-15', kubeadmEtcd: '3.5.12-0', kubeadmCoreDNS: 'v1.11.1', kubeadmPause: '3.9' },
  { minor: '1.31', released: '2024-08-13', endOfLife: '2025-11-11', kubeadmEtcd: '3.5.15-0', kubeadmCoreDNS: 'v1.11.1', kubeadmPause: '3.10' },
  { minor: '1.32', released: '2024-12-11', endOfLife: '2026-02-28', kubeadmEtcd: '3.5.16-0', kubeadmCoreDNS: 'v1.11.3', kubeadmPause: '3.10' },
  { minor: '1.33', released: '2025-04-23', endOfLife: '2026-06-28', kubeadmEtcd: '3.5.21-0', kubeadmCoreDNS: 'v1.12.0', kubeadmPause: '3.10' },
  { minor: '1.34', released: '2025-08-27', endOfLife: '2026-10-27', kubeadmEtcd: '3.6.4-0', kubeadmCoreDNS: 'v1.12.1', kubeadmPause: '3.10.1' },
  { minor: '1.35', released: '2025-12-17', endOfLife: '2027-02-28', kubeadmEtcd: '3.6.6-0', kubeadmCoreDNS: 'v1.13.1', kubeadmPause: '3.10.1' },
  { minor: '1.36', released: '2026-04-22', endOfLife: '2027-06-28', kubeadmEtcd: '3.6.8-0', kubeadmCoreDNS: 'v1.14.2', kubeadmPause: '3.10.2' },
];

/** The table row of a minor version (`1.29`), or undefined when it is not in the table. */
export function releaseInfo(minor: string): ReleaseInfo | undefined {
  return RELEASES.find((r) => r.minor === minor);
}

/** Where a minor stands in its support window on a given day. */
export interface SupportStatus {
  /** `1.26` */
  minor: string;
  /**
   * `supported`; `ending` within the warning window; `end-of-life` (no more patches);
   * `unknown-newer`: newer than the table (released after `RELEASES_AS_OF`), taken as supported.
   */
  state: 'supported' | 'ending' | 'end-of-life' | 'unknown-newer';
  /** End of patch support (ISO date); absent for minors outside the table. */
  endOfLife?: string;
  /** Whole days from the clock to `endOfLife` (negative once past). */
  daysLeft?: number;
}

const DAY_MS = 86_400_000;
const OLDEST_IN_TABLE = Number(RELEASES[0]!.minor.split('.')[1]);

/**
 * Support status of Kubernetes `1.<minor>` at `now`: end of life from the dated table (a release
 * reaches end of life on its `endOfLife` date, 00:00 UTC); `ending` when `daysLeft` ≤ `warnDays`.
 * `daysLeft` is whole days to the end of life, negative once it has passed.
 * Minors older than the table (≤ 1.18) ended before its oldest row (1.19: 2021-10-28) and are
 * `end-of-life` without a date; minors newer than the table are `unknown-newer` (never guessed
 * to be out of support).
 */
export function supportStatus(minor: number, now: Date, warnDays: number): SupportStatus {
  const label = `1.${minor}`;
  const row = releaseInfo(label);
  if (!row) return { minor: label, state: minor < OLDEST_IN_TABLE ? 'end-of-life' : 'unknown-newer' };
  const eolMs = Date.parse(`${row.endOfLife}T00:00:00Z`);
  // Whole days, rounded toward zero: 9.7 days ahead is 9, 999.3 days past is -999.
  const daysLeft = Math.trunc((eolMs - now.getTime()) / DAY_MS);
  const state = now.getTime() >= eolMs ? 'end-of-life' : daysLeft <= warnDays ? 'ending' : 'supported';
  return { minor: label, state, endOfLife: row.endOfLife, daysLeft };
}

/** Minors of the table still receiving patches at `now`, oldest first. */
export function supportedMinors(now: Date): string[] {
  return RELEASES.filter((r) => Date.parse(`${r.endOfLife}T00:00:00Z`) > now.getTime()).map((r) => r.minor);
}
