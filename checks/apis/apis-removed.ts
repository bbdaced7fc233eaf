/**
 * Objects, Helm releases and manifests that use an API version the target release no longer
 * serves: `kubectl apply`, `helm upgrade` and controllers fail on them after the upgrade.
 *
 * Evidence is merged per object and API version from Helm 3 release records (newest deployed
 * revision, manifest and hooks), `kubectl.kubernetes.io/last-applied-configuration`,
 * `metadata.managedFields[].apiVersion` and `--manifests` files (`lib/usage.ts`); the table is
 * `data/deprecated-apis.ts` (the Deprecated API Migration Guide). Rule: removed in or before
 * the target (`--target-version`, else the next minor after the server) → `removed-api`.
 *
 * Unknown subjects: Helm 3 records whose payload does not decode, sources that were not read
 * (named by the check, the sources being alternatives), resources a live scan could not list,
 * manifest files that are not valid YAML. `details`: `{ targetVersion, targetFrom, serverVersion, sources: {input: status} }`.
 */
import { defineCheck } from '../../src/contract/check.js';
import { runUsageCheck } from './lib/usage.js';

export default defineCheck({
  id: 'apis-removed',
  family: 'apis',
  title: 'No use of APIs the target version removes',
  summary:
    'objects, Helm releases or manifests using a version the target removes (critical), with the replacement and ' +
    'whether the cluster already serves it',
  rationale:
    'After the upgrade the API server no longer serves removed API versions: applying a manifest ' +
    'that uses one fails, a controller or CI job that calls one breaks, and `helm upgrade` of a ' +
    'release whose stored manifest uses one fails ("current release manifest contains removed ' +
    'kubernetes api(s)"). Objects already stored survive (the server converts them), so the breakage ' +
    'shows only at the next change — usually in the middle of an incident. Evidence is gathered from ' +
    'every source other tools use one at a time: Helm release records, the last-applied annotation, ' +
    'managedFields and manifest files.',
  remediation:
    'Move every listed manifest, chart and client to the replacement API before upgrading: edit the ' +
    'manifests (`kubectl convert -f FILE --output-version GROUP/VERSION` with the kubectl-convert ' +
    'plugin) and re-apply them, upgrade Helm releases with fixed charts (or, once the cluster is ' +
    'upgraded, `helm mapkubeapis RELEASE --namespace NS`), and update controllers that still call ' +
    'the old version.',
  references: [
    'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
    'https://kubernetes.io/docs/reference/using-api/deprecation-policy/',
    'https://helm.sh/docs/topics/kubernetes_apis/',
    'https://github.com/helm/helm-mapkubeapis',
  ],
  defaultSeverity: 'critical',
  rules: {
    'removed-api': { title: 'Uses an API version the target removes' },
  },
  requires: [],
  // Evidence sources, read whichever is there (lib/usage.ts names those that were not);
  // version: the server's release (the default target, "already removed").
  optional: ['api-usage', 'helm-releases', 'manifests', 'version'],
  requiresAnyOf: [['api-usage', 'helm-releases', 'manifests']],
  defaultOptions: {},
  run(inputs, ctx) {
    return runUsageCheck(inputs, ctx, 'removed-api', 'removed');
  },
});
