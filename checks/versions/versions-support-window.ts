/**
 * The release the control plane runs, and the target release, still get patches.
 *
 * Dates: `RELEASES` in `src/k8s/versions.ts` (`data/releases.json`: kubernetes/website
 * `data/releases/eol.yaml` and the kubernetes.io release pages), judged at `ctx.now`. A minor
 * newer than the table is not judged (an unknown, never a guess); one older than it (≤ 1.18) is
 * past its end of life. From the table's horizon (`releaseTableHorizon`: the planned day of the
 * next minor, or 120 days after `asOf`) the check still judges the dates it has, and adds an
 * unknown: releases and end-of-life changes after the table are not known.
 *
 * `details`: `{ asOf, newestInTable, supported: ['1.35', …], releases: [{ release, role: 'current'|'target',
 *   state, endOfLife, daysLeft }] }`.
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { releaseTableStale, RELEASES, RELEASES_AS_OF, supportedMinors, supportStatus } from '../../src/k8s/versions.js';
import { readControlPlane, upgradeContext } from './lib/cluster-versions.js';

export default defineCheck({
  id: 'versions-support-window',
  family: 'versions',
  title: 'The current and target Kubernetes releases still receive patches',
  summary:
    'the current or target release past its end of patch support (medium) or within `warnDays` 60 of it (low), from ' + 'a dated table',
  rationale:
    'A minor release gets about 14 months of patches (fixes for CVEs included). After its end of ' +
    'life no fix is released, whatever is found; a cluster on such a release, or an upgrade that ' +
    'lands on one, stays exposed and falls further behind the upgrade path.',
  remediation:
    'Plan upgrades one minor at a time until the control plane runs a release still in its support ' +
    'window (see the supported releases in the evidence); choose a target release that is not at or ' +
    'near its end of life.',
  references: [
    'https://kubernetes.io/releases/',
    'https://kubernetes.io/releases/patch-releases/#support-period',
    'https://github.com/kubernetes/website/blob/main/data/releases/eol.yaml',
  ],
  defaultSeverity: 'medium',
  rules: {
    'current-release-end-of-life': { title: 'The control plane runs a release past its end of patch support', severity: 'medium' },
    'current-release-ending': { title: 'The control plane runs a release close to its end of patch support', severity: 'low' },
    'target-release-end-of-life': { title: 'The target release is past its end of patch support', severity: 'medium' },
    'target-release-ending': { title: 'The target release is close to its end of patch support', severity: 'low' },
  },
  requires: ['version'],
  optional: ['control-plane-pods'],
  defaultOptions: { warnDays: 60 },
  optionSchema: {
    warnDays: {
      type: 'number',
      min: 0,
      unit: 'days',
      description: 'time before the end of patch support at which a release is reported as ending (low)',
    },
  },
  run({ version, optional }, ctx) {
    const cp = readControlPlane(version, optional['control-plane-pods']);
    if (!cp.span) return { evaluated: 0, findings: [], unknowns: cp.unknowns, notApplicable: 'no kube-apiserver version could be read' };
    const { target } = upgradeContext(ctx, cp.span);
    const supported = supportedMinors(ctx.now);
    const subjects: Array<{ minor: number; role: 'current' | 'target'; version: string }> = cp.minors.map((m) => ({
      minor: m,
      role: 'current',
      version: cp.instances.find((i) => i.version.minor === m)!.raw,
    }));
    if (target && !cp.minors.includes(target.minor)) subjects.push({ minor: target.minor, role: 'target', version: target.raw });

    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [...cp.unknowns];
    const stale = releaseTableStale(ctx.now);
    if (stale) unknowns.push({ resource: { kind: 'ReleaseTable', name: RELEASES_AS_OF }, reason: stale });
    const releases: Array<Record<string, unknown>> = [];
    for (const s of subjects) {
      const st = supportStatus(s.minor, ctx.now, ctx.options.warnDays);
      releases.push({ release: st.minor, role: s.role, state: st.state, endOfLife: st.endOfLife ?? null, daysLeft: st.daysLeft ?? null });
      const resource = { kind: 'KubernetesRelease', name: st.minor };
      if (st.state === 'unknown-newer') {
        unknowns.push({
          resource,
          reason:
            `${st.minor} (${s.role === 'current' ? `the control plane runs ${s.version}` : 'the target'}) is ` +
            `newer than the release table (newest ${RELEASES[RELEASES.length - 1]!.minor}, as of ` +
            `${RELEASES_AS_OF}): its end of life is not known`,
        });
        continue;
      }
      if (st.state === 'supported') continue;
      const evidence = {
        release: st.minor,
        [s.role === 'current' ? 'apiserverVersion' : 'targetVersion']: s.version,
        endOfLife: st.endOfLife ?? null,
        daysLeft: st.daysLeft ?? null,
        supportedReleases: supported,
        releasesAsOf: RELEASES_AS_OF,
      };
      const who = s.role === 'current' ? `Kubernetes ${st.minor} (the control plane runs ${s.version})` : `The target release ${st.minor}`;
      const still =
        supported.length > 0
          ? `releases still patched on ${ctx.now.toISOString().slice(0, 10)}: ${supported.join(', ')}`
          : 'no release in the table is still patched';
      if (st.state === 'end-of-life') {
        const when = st.endOfLife
          ? `reached end of patch support on ${st.endOfLife} (${-(st.daysLeft ?? 0)} days ago)`
          : `is older than every release in the table and ended before ${RELEASES[0]!.minor} (${RELEASES[0]!.endOfLife})`;
        findings.push({ rule: `${s.role}-release-end-of-life`, resource, evidence, message: `${who} ${when}; ${still}.` });
      } else {
        findings.push({
          rule: `${s.role}-release-ending`,
          resource,
          evidence,
          message: `${who} reaches end of patch support on ${st.endOfLife} (in ${st.daysLeft} days); ${still}.`,
        });
      }
    }
    return {
      evaluated: subjects.length,
      findings,
      unknowns,
      details: { asOf: RELEASES_AS_OF, supported, releases, newestInTable: RELEASES[RELEASES.length - 1]!.minor },
    };
  },
});
