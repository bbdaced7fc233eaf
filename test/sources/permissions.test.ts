/**
 * The permission plan's reviews: one per distinct request of the selected inputs.
 */
import { describe, expect, it } from 'vitest';
import { inputsFor } from '../../src/engine/scan.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { reviewsFor } from '../../src/sources/live/permissions.js';
import { nodesInput, controlPlanePodsInput, versionInput } from '../../src/sources/inputs/core.js';

describe('reviewsFor', () => {
  it('asks list per resource (in the selected namespace) and get per non-resource URL', () => {
    expect(reviewsFor([nodesInput, controlPlanePodsInput, versionInput])).toEqual([
      { request: 'get /version', spec: { nonResourceAttributes: { verb: 'get', path: '/version' } }, inputs: ['version'] },
      { request: 'list nodes', spec: { resourceAttributes: { verb: 'list', group: '', resource: 'nodes' } }, inputs: ['nodes'] },
      { request: 'list pods in kube-system', spec: { resourceAttributes: { verb: 'list', group: '', resource: 'pods', namespace: 'kube-system' } }, inputs: ['control-plane-pods'] },
    ]);
  });

  it('covers every input of every check once', async () => {
    const defs = inputsFor(await loadBuiltinChecks());
    const reviews = reviewsFor(defs);
    expect(new Set(reviews.map((r) => r.request)).size).toBe(reviews.length);
    expect(reviews.map((r) => r.request)).toContain('list every resource');
    expect(reviews.find((r) => r.request === 'list secrets')?.inputs.sort()).toEqual(expect.arrayContaining(['tls-secrets', 'helm-releases']));
  });
});
