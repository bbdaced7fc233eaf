/**
 * Helm release records kube-preflight cannot check for deprecated APIs because of their
 * format: Helm 2 (Tiller) records (`OWNER=TILLER`), stored as protobuf, are recognised but
 * not decoded. Helm 3 records (`owner=helm`) are decoded and checked by `apis-removed` and
 * `apis-deprecated` (a corrupt one is an unknown subject there).
 *
 * Rule `helm2-release` (info): one finding per Helm 2 release (its newest record).
 * Subject: `{kind: 'HelmRelease', namespace: <Tiller's namespace>, name: <release>}`.
 * `evaluated`: Helm 2 releases plus deployed Helm 3 releases.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import type { Helm2Release } from '../../src/contract/values/apis.js';

export default defineCheck({
  id: 'apis-helm-releases',
  family: 'apis',
  title: 'Helm releases are in a format that can be checked',
  summary: 'Helm 2 (Tiller) records, recognised but not decoded (info)',
  rationale:
    'A Helm release blocks an upgrade when its stored manifest uses a removed API: Helm diffs ' +
    'against it and refuses to upgrade. kube-preflight reads Helm 3 records; Helm 2 (Tiller) stored ' +
    'releases as protobuf, which it recognises but does not decode, so those releases are not ' +
    'checked. Helm 2 has had no support since November 2020.',
  remediation:
    'Migrate each Helm 2 release to Helm 3 with the 2to3 plugin (`helm plugin install ' +
    'https://github.com/helm/helm-2to3`, then `helm 2to3 convert RELEASE`), remove Tiller (`helm ' +
    '2to3 cleanup`), and scan again.',
  references: [
    'https://helm.sh/blog/helm-v2-deprecation-timeline/',
    'https://github.com/helm/helm-2to3',
    'https://helm.sh/docs/topics/v2_v3_migration/',
  ],
  defaultSeverity: 'info',
  rules: {
    'helm2-release': { title: 'Helm 2 (Tiller) release not checked' },
  },
  requires: ['helm2-releases'],
  optional: ['helm-releases'],
  defaultOptions: {},
  run({ 'helm2-releases': helm2, optional }) {
    const newest = new Map<string, Helm2Release>();
    for (const r of helm2) {
      const k = `${r.namespace}/${r.name}`;
      const prev = newest.get(k);
      if (!prev || r.revision > prev.revision) newest.set(k, r);
    }
    const findings: RawFinding[] = [...newest.values()]
      .sort((a, b) => (`${a.namespace}/${a.name}` < `${b.namespace}/${b.name}` ? -1 : 1))
      .map((r) => ({
        rule: 'helm2-release',
        resource: { kind: 'HelmRelease', namespace: r.namespace, name: r.name },
        message:
          `Helm 2 release ${r.name} (revision ${r.revision}, ${r.status}, ${r.driver} ` +
          `${r.namespace}/${r.record}) is stored in Tiller's protobuf format, which kube-preflight does ` +
          `not decode: its manifest was not checked for removed APIs.`,
        evidence: {
          helmVersion: 2,
          release: r.name,
          revision: r.revision,
          status: r.status,
          record: `${r.driver} ${r.namespace}/${r.record}`,
        },
      }));
    const h3 = optional['helm-releases'];
    const helm3Count = h3.status === 'ok' ? new Set(h3.value.map((r) => `${r.namespace}/${r.name}`)).size : 0;
    const evaluated = newest.size + helm3Count;
    return {
      evaluated,
      findings,
      ...(evaluated === 0 ? { notApplicable: 'no Helm release records (Helm 3 deployed or Helm 2)' } : {}),
      details: { helm2Releases: newest.size, helm3Releases: helm3Count },
    };
  },
});
