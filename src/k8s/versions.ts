/**
 * Kubernetes versions: parsing distribution-suffixed version strings, and the release table
 * (release date, end of patch support, and the etcd / CoreDNS / pause versions kubeadm ships).
 *
 * The table is data: `checks/versions/data/releases.json` (schema `releaseTableSchema` in
 * `tables.ts`; `--data DIR` may replace it). Its sources, as listed in the file:
 * - End of life: kubernetes/website `data/releases/eol.yaml` (1.19–1.32) and the kubernetes.io
 *   release pages, generated from `data/releases/schedule.yaml` (1.33–1.37). 1.27: eol.yaml
 *   (2024-07-16) is used; an older schedule.yaml said 2024-06-28.
 * - Release days: schedule.yaml and the kubernetes.io release pages; the next minor's planned
 *   day: kubernetes/sig-release `releases/release-1.x/README.md`.
 * - kubeadm component images per x.y.0: `kubeadm config images list` for each release, as
 *   recorded by kubernetes/minikube `pkg/minikube/constants/constants_kubeadm_images.go`.
 *   Later patches sometimes ship a newer etcd; null where not known (1.37).
 * `scripts/update-data.ts` regenerates the dates from local copies of eol.yaml and schedule.yaml.
 */
import semver from 'semver';
import { builtinReleaseTable, type ReleaseTable } from './tables.js';

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
  /** etcd image tag kubeadm x.y.0 deploys, e.g. `3.5.6-0`; null when the table does not know it. */
  kubeadmEtcd: string | null;
  /** CoreDNS image tag kubeadm x.y.0 deploys; null when not known. */
  kubeadmCoreDNS: string | null;
  kubeadmPause: string | null;
}

function rowsOf(t: ReleaseTable): ReleaseInfo[] {
  return t.releases.map((r) => ({
    minor: r.minor,
    released: r.released,
    endOfLife: r.endOfLife,
    kubeadmEtcd: r.kubeadm?.etcd ?? null,
    kubeadmCoreDNS: r.kubeadm?.coredns ?? null,
    kubeadmPause: r.kubeadm?.pause ?? null,
  }));
}

/** The release table in use: the built-in one, or the one `useReleaseTable` installed (`--data`). */
export let RELEASE_TABLE: ReleaseTable = builtinReleaseTable();
/** Date the table was last brought up to date (releases after this are unknown to it). */
export let RELEASES_AS_OF = RELEASE_TABLE.asOf;
/** One row per minor, oldest first. */
export let RELEASES: readonly ReleaseInfo[] = rowsOf(RELEASE_TABLE);
let oldestInTable = Number(RELEASES[0]!.minor.split('.')[1]);

/** Replaces the release table in use (`--data DIR`; tests), validated by `releaseTableSchema`. */
export function useReleaseTable(t: ReleaseTable): void {
  RELEASE_TABLE = t;
  RELEASES_AS_OF = t.asOf;
  RELEASES = rowsOf(t);
  oldestInTable = Number(RELEASES[0]!.minor.split('.')[1]);
}

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
  if (!row) return { minor: label, state: minor < oldestInTable ? 'end-of-life' : 'unknown-newer' };
  const eolMs = Date.parse(`${row.endOfLife}T00:00:00Z`);
  // Whole days, rounded toward zero: 9.7 days ahead is 9, 999.3 days past is -999.
  const daysLeft = Math.trunc((eolMs - now.getTime()) / DAY_MS);
  const state = now.getTime() >= eolMs ? 'end-of-life' : daysLeft <= warnDays ? 'ending' : 'supported';
  return { minor: label, state, endOfLife: row.endOfLife, daysLeft };
}

/**
 * Minors of the table released on or before `now` (x.y.0 on its `released` day, 00:00 UTC) and
 * still receiving patches at `now` (before `endOfLife`), oldest first.
 */
export function supportedMinors(now: Date): string[] {
  const t = now.getTime();
  return RELEASES.filter((r) => Date.parse(`${r.released}T00:00:00Z`) <= t && Date.parse(`${r.endOfLife}T00:00:00Z`) > t).map(
    (r) => r.minor,
  );
}

/**
 * Days the release table is trusted after its `asOf`: a minor ships about every 4 months
 * (three a year, https://kubernetes.io/releases/release/), so after 120 days a release the
 * table does not know is likely out.
 */
export const TABLE_TRUST_DAYS = 120;

/**
 * The day from which the release table no longer describes the releases: the planned day of
 * the next minor (`nextRelease.expected`), or `asOf` + `TABLE_TRUST_DAYS`, whichever is first
 * (ISO date). From that day a newer minor may exist, with its own end-of-life dates.
 */
export function releaseTableHorizon(t: ReleaseTable = RELEASE_TABLE): string {
  const trust = new Date(Date.parse(`${t.asOf}T00:00:00Z`) + TABLE_TRUST_DAYS * DAY_MS).toISOString().slice(0, 10);
  return t.nextRelease.expected < trust ? t.nextRelease.expected : trust;
}

/**
 * Why the release table cannot be trusted at `now`, or undefined: `now` is on or after
 * `releaseTableHorizon()`. The sentence names the table's newest minor, its `asOf` and the
 * horizon, for an unknown of the checks that use the table.
 */
export function releaseTableStale(now: Date): string | undefined {
  const horizon = releaseTableHorizon();
  if (now.getTime() < Date.parse(`${horizon}T00:00:00Z`)) return undefined;
  const newest = RELEASES[RELEASES.length - 1]!.minor;
  return (
    `the release table (as of ${RELEASES_AS_OF}, newest ${newest}) is past its horizon ${horizon} ` +
    `(${RELEASE_TABLE.nextRelease.minor} was expected on ${RELEASE_TABLE.nextRelease.expected}): ` +
    `releases and end-of-life dates after it are unknown; give newer tables with --data DIR or ` +
    `update kube-preflight`
  );
}
