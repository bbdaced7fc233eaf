/** The objects of a Helm release manifest (src/k8s/helm.ts `manifestObjects`), as Helm renders them. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { manifestObjects, summarizeHelmRelease } from '../../src/k8s/helm.js';
import type { KubeObject } from '../../src/k8s/objects.js';

/** A manifest as `helm template` writes it: `---`, a `# Source:` comment, then the document. */
const rendered = [
  '---\n# Source: web/templates/serviceaccount.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  labels:\n    helm.sh/chart: web-1.2.0\n',
  '---\n# Source: web/templates/pdb.yaml\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: "web-pdb"\n  namespace: shop\nspec:\n  maxUnavailable: 1\n',
  // An empty document (a template whose `if` rendered nothing) and a date-like name, which
  // the YAML 1.2 core schema keeps a string.
  '---\n# Source: web/templates/hpa.yaml\n',
  '---\n# Source: web/templates/configmap.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 2024-01-01\ndata:\n  on: yes\n',
  // Not an object: no apiVersion/kind.
  '---\n- a\n- b\n',
].join('');

describe('manifestObjects', () => {
  it('lists each document with an apiVersion and a kind, in the release namespace unless it names one', () => {
    expect(manifestObjects(rendered, 'prod', false)).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', name: 'web', namespace: 'prod' },
      { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', name: 'web-pdb', namespace: 'shop' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: '2024-01-01', namespace: 'prod' },
    ]);
  });

  it('marks hook objects, and leaves the namespace out when the release has none', () => {
    expect(manifestObjects('apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n', '', true)).toEqual([
      { apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', hook: true },
    ]);
  });

  it('skips only the documents that do not parse', () => {
    const broken = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
      // A duplicate key and a bad indentation: each document is unreadable on its own.
      '---\napiVersion: v1\nkind: Secret\nkind: ConfigMap\nmetadata:\n  name: dup\n',
      '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n   namespace: bad\n',
      '---\napiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n',
    ].join('');
    expect(manifestObjects(broken, 'prod', false)).toEqual([
      { apiVersion: 'v1', kind: 'Service', name: 'web', namespace: 'prod' },
      { apiVersion: 'networking.k8s.io/v1beta1', kind: 'Ingress', name: 'web', namespace: 'prod' },
    ]);
  });

  it('reads nothing from an empty manifest', () => {
    expect(manifestObjects('', 'prod', false)).toEqual([]);
  });
});

describe('summarizeHelmRelease: payloads that are not a release', () => {
  const record = (json: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'sh.helm.release.v1.web.v2',
      namespace: 'prod',
      labels: { owner: 'helm', name: 'web', status: 'deployed', version: '2' },
    },
    data: { release: gzipSync(Buffer.from(json)).toString('base64') },
  });

  it('names the line and column of a JSON syntax error, never the payload', () => {
    const s = summarizeHelmRelease(record('{"name":"web",\n "config": {"password": "hunter2" "user": "x"}}'));
    expect(s).toMatchObject({ name: 'web', namespace: 'prod', revision: 2, objects: [] });
    expect(s.error).toMatch(/^release payload does not decode \(base64 → gzip → JSON\): line 2, column 35: /);
    expect(s.error).not.toContain('hunter2');
  });

  it('valid JSON that is not a release object is an error too', () => {
    expect(summarizeHelmRelease(record('null')).error).toBe('release payload does not decode (base64 → gzip → JSON): not a release object');
  });
});
