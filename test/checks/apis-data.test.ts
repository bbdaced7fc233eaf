/**
 * The deprecated-API table as data: a new alpha row reaches the findings, a target past the
 * table's `coversThrough` is an unknown (never a silent pass), and a table from `--data` replaces
 * the built-in one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useDeprecationTable } from '../../checks/apis/data/deprecated-apis.js';
import { runUsageCheck } from '../../checks/apis/lib/usage.js';
import type { Collected } from '../../src/contract/inputs.js';
import { builtinDeprecationTable, deprecationTableSchema, parseTable } from '../../src/k8s/tables.js';
import type { ApiUsageObject, HelmRelease, Manifests } from '../../src/contract/values/apis.js';
import type { ServerVersion } from '../../src/contract/values/core.js';

afterEach(() => useDeprecationTable(builtinDeprecationTable()));

function inputs(server: string, objects: Manifests['objects']) {
  const absent = <T>(key: string): Collected<T[]> => ({ key, status: 'absent', value: [], reason: 'not in this test' });
  return {
    optional: {
      'api-usage': absent<ApiUsageObject>('api-usage'),
      'helm-releases': absent<HelmRelease>('helm-releases'),
      manifests: {
        key: 'manifests',
        status: 'ok',
        value: { objects, objectCount: objects.length, fileCount: 1, problems: [] },
      } as Collected<Manifests>,
      version: { key: 'version', status: 'ok', value: { gitVersion: server } } as Collected<ServerVersion>,
    },
  };
}

const clusterRole = {
  file: 'deploy/rbac.yaml',
  doc: 1,
  line: 1,
  apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
  kind: 'ClusterRole',
  name: 'reader',
};
const ctx = (targetVersion?: string) => ({ targetVersion, source: { type: 'none' } }) as Parameters<typeof runUsageCheck>[1];

describe('apis-removed on the data table', () => {
  it('flags rbac.authorization.k8s.io/v1alpha1 ClusterRole for a 1.22 target', () => {
    const out = runUsageCheck(inputs('v1.21.14', [clusterRole]), ctx('1.22'), 'removed-api', 'removed');
    expect(out.unknowns).toEqual([]);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      rule: 'removed-api',
      resource: { file: 'deploy/rbac.yaml', field: 'rbac.authorization.k8s.io/v1alpha1 ClusterRole reader' },
      message:
        'ClusterRole reader in deploy/rbac.yaml uses rbac.authorization.k8s.io/v1alpha1, which Kubernetes 1.22 no longer serves (deprecated in 1.17, removed in 1.22). Found in deploy/rbac.yaml line 1. Move to rbac.authorization.k8s.io/v1, which the cluster already serves.',
      evidence: { removedIn: '1.22', replacementApi: 'rbac.authorization.k8s.io/v1', replacementAvailableIn: '1.8', tableSource: 'pluto' },
    });
  });

  it('says a target past coversThrough (1.37) is not judged', () => {
    const out = runUsageCheck(inputs('v1.37.1', []), ctx('1.38'), 'removed-api', 'removed');
    expect(out.findings).toEqual([]);
    expect(out.unknowns).toEqual([
      {
        resource: { kind: 'KubernetesRelease', name: '1.38' },
        reason:
          'the deprecated-API table (as of 2026-12-04) covers removals through 1.37: what 1.38 removes or deprecates is not known; give newer tables with --data DIR or update kube-preflight',
      },
    ]);
  });

  it('uses a table given with --data: a newer coversThrough and a row of its own', () => {
    const t = builtinDeprecationTable();
    const text = JSON.stringify({
      ...t,
      asOf: '2027-01-10',
      coversThrough: '1.38',
      apis: [
        ...t.apis,
        {
          apiVersion: 'example.k8s.io/v1beta1',
          kind: 'Widget',
          resource: 'widgets',
          namespaced: true,
          deprecatedIn: '1.35',
          removedIn: '1.38',
          replacementApi: 'example.k8s.io/v1',
          replacementAvailableIn: '1.35',
          source: 'pluto',
          deprecatedInSource: 'pluto',
        },
      ],
    });
    useDeprecationTable(parseTable(deprecationTableSchema, 'data/deprecated-apis.json', text));
    const widget = { file: 'w.yaml', doc: 1, line: 3, apiVersion: 'example.k8s.io/v1beta1', kind: 'Widget', namespace: 'prod', name: 'w' };
    const out = runUsageCheck(inputs('v1.37.1', [widget]), ctx('1.38'), 'removed-api', 'removed');
    expect(out.unknowns).toEqual([]);
    expect(out.findings.map((f) => f.resource)).toEqual([{ file: 'w.yaml', field: 'example.k8s.io/v1beta1 Widget prod/w' }]);
  });

  it('rejects a row naming an unknown source, with the file and the path', () => {
    const t = builtinDeprecationTable();
    const text = JSON.stringify({ ...t, apis: [{ ...t.apis[0], source: 'blog' }] });
    expect(() => parseTable(deprecationTableSchema, 'data/deprecated-apis.json', text)).toThrow(
      'data/deprecated-apis.json: .apis[0].source: "blog" is not a key of .sources',
    );
  });
});
