/**
 * The permission plan's reviews: one per distinct request of the selected inputs.
 */
import { describe, expect, it } from 'vitest';
import { inputsFor } from '../../src/report/scan.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { reviewsFor } from '../../src/sources/live/permissions.js';
import { nodesInput, controlPlanePodsInput, versionInput } from '../../src/sources/inputs/core.js';
import { INPUTS } from '../../src/sources/inputs.js';
import type { LiveContext } from '../../src/sources/live-context.js';

describe('reviewsFor', () => {
  it('asks list per resource (in the selected namespace) and get per non-resource URL', () => {
    expect(reviewsFor([nodesInput, controlPlanePodsInput, versionInput])).toEqual([
      { request: 'get /version', spec: { nonResourceAttributes: { verb: 'get', path: '/version' } }, inputs: ['version'] },
      { request: 'list nodes', spec: { resourceAttributes: { verb: 'list', group: '', resource: 'nodes' } }, inputs: ['nodes'] },
      {
        request: 'list pods in kube-system',
        spec: { resourceAttributes: { verb: 'list', group: '', resource: 'pods', namespace: 'kube-system' } },
        inputs: ['control-plane-pods'],
      },
    ]);
  });

  it('covers every input of every check once', async () => {
    const defs = inputsFor(await loadBuiltinChecks());
    const reviews = reviewsFor(defs);
    expect(new Set(reviews.map((r) => r.request)).size).toBe(reviews.length);
    expect(reviews.map((r) => r.request)).toContain('list every resource');
    expect(reviews.find((r) => r.request === 'list secrets')?.inputs.sort()).toEqual(
      expect.arrayContaining(['tls-secrets', 'helm-releases']),
    );
  });

  it('with the listable resources from discovery, asks list on each one an everything input reads, not on *', () => {
    const apiUsage = INPUTS.get('api-usage')!;
    const listable = [
      { group: '', resource: 'secrets' },
      { group: '', resource: 'events' },
      { group: 'events.k8s.io', resource: 'events' },
      { group: 'velero.io', resource: 'backups' },
    ];
    expect(reviewsFor([apiUsage], new Set(), listable)).toEqual([
      {
        request: 'list backups.velero.io',
        spec: { resourceAttributes: { verb: 'list', group: 'velero.io', resource: 'backups' } },
        inputs: ['api-usage'],
      },
      { request: 'list secrets', spec: { resourceAttributes: { verb: 'list', group: '', resource: 'secrets' } }, inputs: ['api-usage'] },
    ]);
  });
});

describe('file inputs that GET the API server', () => {
  it('declare every non-resource URL they read (for the ClusterRole and the permission plan)', async () => {
    for (const d of INPUTS.values()) {
      if (d.type !== 'files' || !d.live) continue;
      const paths: string[] = [];
      const ctx: LiveContext = {
        server: 'https://127.0.0.1:1',
        kubeconfigFiles: [],
        options: { requestTimeoutMs: 1000 },
        get: async (path) => {
          paths.push(path.split('?')[0]!);
          return { status: 404, headers: {}, body: Buffer.from('') };
        },
        peerCertificates: async () => [],
      };
      await d.live(ctx).catch(() => undefined);
      for (const p of paths) expect(d.apiPaths ?? [], `${d.key} GETs ${p}`).toContain(p);
    }
  });
});
