/**
 * What the trend renderings (HTML, markdown, text) show, worked out once: clock times as
 * `YYYY-MM-DD HH:MM` (UTC), resource labels, days open, and the certificate cells.
 */
import { resourceLabel } from '../k8s/fingerprint.js';
import type { Trend, TrendFinding, TrendRun } from './model.js';

const DAY_MS = 86_400_000;

/** `2026-12-01T07:00:00.000Z` → `2026-12-01 07:00` (UTC). */
export const clock = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** The cluster's name, uid or API server. */
export function clusterName(t: Trend): string {
  const c = t.metadata.cluster;
  return c.name ?? c.server ?? c.uid ?? 'an unnamed cluster';
}

/** `2026-11-24 00:00 → 2027-01-05 00:00 (UTC)`. */
export const period = (t: Trend): string => `${clock(t.summary.from)} → ${clock(t.summary.to)} (UTC)`;

/** `12 days left: web.example.com (Secret prod/web-tls [tls.crt#0])`, `expired 5 days ago: …`, or why there is none. */
export function soonestText(r: TrendRun): string {
  if (r.certificates === null) return 'not assessed';
  const s = r.certificates.soonest;
  if (!s) return 'no certificate';
  return `${daysLeftText(s.daysLeft)}: ${s.name} (${s.where})`;
}

/** `12 days left`, `expired 5 days ago`, `expires today`. */
export function daysLeftText(d: number): string {
  if (d < 0) return `expired ${-d} day${d === -1 ? '' : 's'} ago`;
  if (d === 0) return 'expires today';
  return `${d} day${d === 1 ? '' : 's'} left`;
}

/** `ok`, `warn` (30 days or fewer) or `bad` (expired). */
export const daysLeftClass = (d: number | null): string => (d === null ? '' : d < 0 ? 'bad' : d <= 30 ? 'warn' : '');

/** Days from a finding's first sighting to the last run's clock (one decimal). */
export const daysOpen = (t: Trend, f: TrendFinding): number =>
  Math.round(((Date.parse(t.summary.to) - Date.parse(f.firstSeen)) / DAY_MS) * 10) / 10;

export const label = (f: TrendFinding): string => resourceLabel(f.resource);

/** `3.5 days`, or `none closed`. */
export const medianText = (t: Trend): string => (t.summary.medianDaysToFix === null ? 'none closed' : `${t.summary.medianDaysToFix} days`);

export const openFindings = (t: Trend): TrendFinding[] => t.findings.filter((f) => f.state === 'open');
export const closedFindings = (t: Trend): TrendFinding[] => t.findings.filter((f) => f.state === 'closed');

/** Why an open finding absent from the last run is still open. */
export const openNote = (f: TrendFinding): string =>
  f.notAssessed ? `not in the last run, which could not judge it (${f.notAssessed})` : '';
