/**
 * API group versions the cluster serves today that the target release stops serving, from
 * API discovery (`GET /apis`; `discovery/apis.json` in a dump) or, in a dump without it, the
 * APIService objects (one per served group version, e.g. `v1beta2.flowcontrol.apiserver.k8s.io`).
 *
 * Rule `served-version-removed` (info): a served group version with kinds that the table
 * (`data/deprecated-apis.ts`) removes after the server's release and in or before the target.
 * Kinds removed in or before the server's own release are ignored: a group version can come
 * back with other kinds (storage.k8s.io/v1beta1 served VolumeAttributesClass from 1.31).
 * Subject: `{apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: '<version>.<group>'}`.
 * `details`: `{ targetVersion, serverVersion, servedFrom: 'discovery' | 'apiservices', servedCount }`.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import type { Collected } from '../../src/contract/inputs.js';
import { groupBy } from '../../src/k8s/objects.js';
import type { ServerVersion } from '../../src/contract/values/core.js';
import { compareMinor, DEPRECATED_APIS } from './data/deprecated-apis.js';
import { replacementFor, resolveVersions, tableUnknowns } from './lib/judge.js';

export default defineCheck({
  id: 'apis-served-versions',
  family: 'apis',
  title: 'API versions served today that the target removes',
  summary: 'versions the cluster serves that the target removes (info)',
  rationale:
    'Every group version the cluster serves today is one some client may call. Those the target ' +
    'release removes are the surface through which the upgrade can break clients; the other apis ' +
    'checks say which objects, releases and clients use them.',
  remediation:
    'Check the apis-removed and apis-in-use-metric findings for these versions. To rehearse the ' +
    'upgrade, start a test API server with `--runtime-config=GROUP/VERSION=false` and run your ' +
    'deployments against it.',
  references: [
    'https://kubernetes.io/docs/reference/using-api/deprecation-guide/#test-with-deprecated-apis-disabled',
    'https://kubernetes.io/docs/reference/using-api/',
  ],
  defaultSeverity: 'info',
  rules: {
    'served-version-removed': { title: 'Served API version that the target removes' },
  },
  requires: ['version'],
  optional: ['api-discovery', 'api-services'],
  // Discovery when read, else the APIService objects: either says what the server serves.
  requiresAnyOf: [['api-discovery', 'api-services']],
  defaultOptions: {},
  run({ optional }, ctx) {
    const v = resolveVersions(ctx, ctx.inputs.version as Collected<ServerVersion>);
    const discovery = optional['api-discovery'];
    const services = optional['api-services'];
    let served: string[];
    let servedFrom: 'discovery' | 'apiservices';
    if (discovery.status === 'ok') {
      served = discovery.value.groupVersions;
      servedFrom = 'discovery';
    } else {
      // requiresAnyOf: the APIServices were read when discovery was not.
      served = [...new Set((services.value ?? []).map((s) => (s.group ? `${s.group}/${s.version}` : s.version)))].sort();
      servedFrom = 'apiservices';
    }
    const findings: RawFinding[] = [];
    const tableRows = groupBy(DEPRECATED_APIS, (r) => r.apiVersion);
    for (const gv of served) {
      const rows = (tableRows.get(gv) ?? []).filter(
        (r) =>
          r.removedIn !== null &&
          compareMinor(r.removedIn, v.target) <= 0 &&
          (v.server === undefined || compareMinor(r.removedIn, v.server) > 0),
      );
      if (rows.length === 0) continue;
      const slash = gv.indexOf('/');
      const group = slash < 0 ? '' : gv.slice(0, slash);
      const version = gv.slice(slash + 1);
      const kinds = rows.map((r) => r.kind);
      const removedIn = [...new Set(rows.map((r) => r.removedIn!))].sort(compareMinor);
      const replacements = rows.map((r) => ({ kind: r.kind, replacementApi: replacementFor(r, v.target, v.server)?.apiVersion ?? null }));
      findings.push({
        rule: 'served-version-removed',
        resource: { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', name: `${version}.${group}` },
        message:
          `The cluster serves ${gv}; Kubernetes ${v.target} no longer serves its ${kinds.join(', ')} ` +
          `(removed in ${removedIn.join(', ')}). Any client still calling it fails after the upgrade.`,
        evidence: {
          groupVersion: gv,
          kinds,
          removedIn,
          targetVersion: v.target,
          serverVersion: v.serverGitVersion ?? null,
          replacements,
          source: servedFrom,
        },
      });
    }
    return {
      evaluated: served.length,
      findings,
      unknowns: tableUnknowns(v),
      ...(served.length === 0 ? { notApplicable: 'the source lists no served group version' } : {}),
      details: { targetVersion: v.target, serverVersion: v.serverGitVersion ?? null, servedFrom, servedCount: served.length },
    };
  },
});
