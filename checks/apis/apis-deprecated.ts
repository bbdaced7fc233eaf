/**
 * Objects, Helm releases and manifests that use an API version the target release still
 * serves but deprecates: it works after this upgrade and breaks at a later one, on the date
 * in `removedIn`.
 *
 * Same evidence and subjects as `apis-removed` (`lib/usage.ts`, `data/deprecated-apis.ts`).
 * Rule: deprecated in or before the target, removed after it → `deprecated-api`. APIs that are
 * deprecated without a planned removal (ComponentStatus, Endpoints) are not reported here.
 * `details`: `{ targetVersion, targetFrom, serverVersion, sources: {input: status} }`.
 */
import { defineCheck } from '../../src/contract/check.js';
import { runUsageCheck } from './lib/usage.js';

export default defineCheck({
  id: 'apis-deprecated',
  family: 'apis',
  title: 'No use of APIs the target version deprecates',
  summary: 'objects, Helm releases or manifests using a version the target deprecates but still serves (medium)',
  rationale:
    'A deprecated API version keeps working until its removal release, then fails like any removed ' +
    'API. Moving now, while both versions are served, is a routine change; moving after the removal ' +
    'is an outage. Each finding gives the release that removes the version and whether the ' +
    'replacement is already served.',
  remediation:
    'Plan the move to the replacement API before the removal release: change manifests and charts, ' +
    're-apply them, and update clients that still call the deprecated version.',
  references: [
    'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
    'https://kubernetes.io/docs/reference/using-api/deprecation-policy/',
  ],
  defaultSeverity: 'medium',
  rules: {
    'deprecated-api': { title: 'Uses an API version the target deprecates' },
  },
  requires: [],
  // Evidence sources, read whichever is there (lib/usage.ts names those that were not);
  // version: the server's release (the default target, "already removed").
  optional: ['api-usage', 'helm-releases', 'manifests', 'version'],
  requiresAnyOf: [['api-usage', 'helm-releases', 'manifests']],
  defaultOptions: {},
  run(inputs, ctx) {
    return runUsageCheck(inputs, ctx, 'deprecated-api', 'deprecated');
  },
});
