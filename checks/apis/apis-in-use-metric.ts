/**
 * Deprecated API versions that clients requested recently, from the API server's own
 * `apiserver_requested_deprecated_apis` gauge (labels `group`, `version`, `resource`,
 * `subresource`, `removed_release`; STABLE since 1.19). It sees every client — controllers,
 * CI jobs, operators — including those that leave no trace in objects.
 *
 * The gauge is 1 for each deprecated version requested since that API server process
 * started; it resets on restart and is per API server (a scrape through a load balancer sees
 * one of them). The API server's `removed_release` decides the rule:
 * - removed in or before the target → `requested-removed`;
 * - removed after the target → `requested-deprecated`;
 * - empty (no removal planned: ComponentStatus, Endpoints, deprecated CRD versions) →
 *   `requested-deprecated-no-removal`.
 * Subject: `{kind: 'APIResource', name: '<group/version>/<resource>', field?: subresource}`.
 * When `process_start_time_seconds` shows the API server started less than `minUptimeHours`
 * before the scan's clock, the gauge has not seen clients that call rarely (a nightly CronJob,
 * a weekly pipeline): the subject `{kind: 'Metric', name: 'apiserver_requested_deprecated_apis'}`
 * is unknown.
 * `details`: `{ targetVersion, targetFrom, serverVersion, apiserverStartTime }` (where the metrics came
 * from is the input's `sources` in the report's `inputs`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { compareMinor, deprecatedApiByResource } from './data/deprecated-apis.js';
import { replacementFor, replacementSentence, resolveVersions, tableUnknowns } from './lib/judge.js';

const REMEDIATION =
  'Find the client: the API server audit log marks its requests with the annotations ' +
  '`k8s.io/deprecated: "true"` and `k8s.io/removed-release`, and clients print `Warning: … is ' +
  'deprecated` responses. Move it to the replacement version. The gauge counts since the API ' +
  'server started and per API server: check `kubectl get --raw /metrics | grep ' +
  'apiserver_requested_deprecated_apis` on every control-plane node, some time after the last ' +
  'restart.';

export default defineCheck({
  id: 'apis-in-use-metric',
  family: 'apis',
  title: 'No client calls deprecated APIs (API server metric)',
  summary: 'clients still calling removed (critical) or deprecated (medium, low without planned removal) versions',
  rationale:
    'Objects show which API version wrote them last, but not the controllers, CI jobs and scripts ' +
    'that still call a deprecated version today. The API server counts those requests itself ' +
    '(`apiserver_requested_deprecated_apis`), with the release that removes the version: a client ' +
    'calling a version the target removes will fail right after the upgrade.',
  remediation: REMEDIATION,
  references: [
    'https://kubernetes.io/docs/reference/using-api/deprecation-guide/#locate-use-of-deprecated-apis',
    'https://kubernetes.io/blog/2020/09/03/warnings/',
    'https://kubernetes.io/docs/reference/instrumentation/metrics/',
  ],
  defaultSeverity: 'critical',
  rules: {
    'requested-removed': { title: 'A client calls an API version the target removes', severity: 'critical' },
    'requested-deprecated': { title: 'A client calls an API version the target deprecates', severity: 'medium' },
    'requested-deprecated-no-removal': { title: 'A client calls a deprecated API version with no planned removal', severity: 'low' },
  },
  requires: ['deprecated-api-requests'],
  optional: ['version'],
  defaultOptions: { minUptimeHours: 24 },
  optionSchema: {
    minUptimeHours: {
      type: 'number',
      min: 0,
      unit: 'hours',
      description: 'time the API server must have run for the gauge to count as having seen rare clients',
    },
  },
  run({ 'deprecated-api-requests': metric, optional }, ctx) {
    const v = resolveVersions(ctx, optional.version);
    const since = metric.apiserverStartTime
      ? `since the API server started (${metric.apiserverStartTime})`
      : 'since the API server started';
    const findings: RawFinding[] = [];
    for (const r of metric.requests) {
      if (!(r.value > 0)) continue;
      const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
      const row = deprecatedApiByResource(apiVersion, r.resource);
      const replacement = row ? replacementFor(row, v.target, v.server) : null;
      const what = `${r.resource}${r.subresource ? `/${r.subresource}` : ''} through ${apiVersion}`;
      let rule: string;
      let state: string;
      if (r.removedRelease === '') {
        rule = 'requested-deprecated-no-removal';
        state = 'which is deprecated with no removal planned';
      } else if (compareMinor(r.removedRelease, v.target) <= 0) {
        rule = 'requested-removed';
        state = `which Kubernetes ${v.target} no longer serves (removed in ${r.removedRelease}): that client fails after the upgrade`;
      } else {
        rule = 'requested-deprecated';
        state = `which is deprecated and removed in ${r.removedRelease}; ${v.target} still serves it`;
      }
      const move = row ? ` ${replacementSentence(row, replacement, v.target)}` : '';
      findings.push({
        rule,
        resource: { kind: 'APIResource', name: `${apiVersion}/${r.resource}`, ...(r.subresource ? { field: r.subresource } : {}) },
        message: `A client requested ${what} ${since}, ${state}.${move}`,
        evidence: {
          group: r.group,
          version: r.version,
          resource: r.resource,
          subresource: r.subresource,
          removedRelease: r.removedRelease || null,
          targetVersion: v.target,
          serverVersion: v.serverGitVersion ?? null,
          apiserverStartTime: metric.apiserverStartTime ?? null,
          replacementApi: replacement?.apiVersion ?? null,
          replacementKind: replacement?.kind ?? null,
          replacementAvailableNow: replacement?.availableNow ?? null,
          source: 'apiserver_requested_deprecated_apis',
        },
      });
    }
    const unknowns: Unknown[] = tableUnknowns(v);
    if (metric.apiserverStartTime) {
      const uptimeHours = (ctx.now.getTime() - Date.parse(metric.apiserverStartTime)) / 3_600_000;
      if (uptimeHours >= 0 && uptimeHours < ctx.options.minUptimeHours) {
        unknowns.push({
          resource: { kind: 'Metric', name: 'apiserver_requested_deprecated_apis' },
          reason:
            `the API server started ` +
            `${uptimeHours < 1 ? `${Math.round(uptimeHours * 60)} minutes` : `${uptimeHours.toFixed(1)} hours`} ` +
            `before the scan (${metric.apiserverStartTime}); the gauge resets on restart and has not seen ` +
            `clients that call less often (minUptimeHours ${ctx.options.minUptimeHours})`,
        });
      }
    }
    return {
      // The metrics of one API server are examined even when no deprecated version was requested.
      evaluated: Math.max(1, metric.requests.length),
      findings,
      unknowns,
      details: {
        targetVersion: v.target,
        targetFrom: v.targetFrom,
        serverVersion: v.serverGitVersion ?? null,
        apiserverStartTime: metric.apiserverStartTime ?? null,
      },
    };
  },
});
