/**
 * The apis family's inputs (src/sources/inputs/apis.ts): usage signals, Helm records, the
 * metrics and discovery files with their live fetches, and `--manifests`.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import type { KubeObject } from '../../src/k8s/objects.js';
import { DumpSource } from '../../src/sources/dump.js';
import { InputError, type ResourceInputDef } from '../../src/sources/input-def.js';
import {
  apiDiscoveryInput,
  deprecatedApiRequestsInput,
  helm2ReleasesInput,
  helmReleasesInput,
  manifestsInput,
  normalizeApiService,
  normalizeApiUsage,
  parseApiGroupList,
  readManifest,
  readManifestPaths,
} from '../../src/sources/inputs/apis.js';
import type { LiveContext, RawResponse } from '../../src/sources/live-context.js';
import { redact } from '../../src/sources/redact.js';
import { ResourceAccumulator } from '../../src/sources/source.js';
import { HELM_RELEASE_ANNOTATION } from '../../src/k8s/helm.js';

const LA = 'kubectl.kubernetes.io/last-applied-configuration';

function fakeLive(routes: Record<string, RawResponse>, seen: Array<{ path: string; accept?: string }> = []): LiveContext {
  return {
    server: 'https://127.0.0.1:6443',
    kubeconfigFiles: [],
    options: { requestTimeoutMs: 1000 },
    async get(path, opts) {
      seen.push({ path, ...(opts?.accept ? { accept: opts.accept } : {}) });
      return routes[path] ?? { status: 404, headers: {}, body: Buffer.from('') };
    },
    async peerCertificates() {
      return [];
    },
  };
}
const ok = (body: string): RawResponse => ({ status: 200, headers: {}, body: Buffer.from(body) });

describe('api-usage normalization', () => {
  const base = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'prod' } };

  it('keeps pre-release last-applied and managedFields versions, nothing else', () => {
    const o: KubeObject = {
      ...base,
      metadata: {
        ...base.metadata,
        annotations: { [LA]: JSON.stringify({ apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'web' } }) },
        managedFields: [
          { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'networking.k8s.io/v1', time: '2026-01-01T00:00:00Z' },
          { manager: 'nginx', operation: 'Update', apiVersion: 'networking.k8s.io/v1beta1', subresource: 'status' } as never,
        ],
      },
    };
    expect(normalizeApiUsage(o)).toEqual({
      kind: 'Ingress',
      namespace: 'prod',
      name: 'web',
      lastApplied: { apiVersion: 'extensions/v1beta1', kind: 'Ingress' },
      managedFields: [{ manager: 'nginx', operation: 'Update', apiVersion: 'networking.k8s.io/v1beta1', subresource: 'status' }],
    });
  });

  it('drops objects whose signals are all GA, Events, and unreadable annotations', () => {
    expect(
      normalizeApiUsage({
        ...base,
        metadata: { ...base.metadata, annotations: { [LA]: '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress"}' } },
      }),
    ).toBeUndefined();
    expect(normalizeApiUsage({ ...base, metadata: { ...base.metadata, annotations: { [LA]: 'not json' } } })).toBeUndefined();
    expect(
      normalizeApiUsage({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'e', managedFields: [{ manager: 'x', apiVersion: 'v1beta1' }] },
      }),
    ).toBeUndefined();
    // The object's own apiVersion, as listed, is not evidence.
    expect(
      normalizeApiUsage({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'exempt' } }),
    ).toBeUndefined();
  });
});

describe('Helm release inputs', () => {
  const release = {
    name: 'web',
    namespace: 'prod',
    version: 3,
    chart: { metadata: { name: 'web', version: '1.2.0' } },
    manifest:
      '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\n',
    hooks: [{ name: 'job', kind: 'Job', manifest: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n' }],
  };
  const payload = Buffer.from(gzipSync(Buffer.from(JSON.stringify(release)))).toString('base64');
  const labels = { owner: 'helm', name: 'web', status: 'deployed', version: '3' };

  it('reads a Secret record (base64 twice through the API) after redaction', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sh.helm.release.v1.web.v3', namespace: 'prod', labels },
      type: 'helm.sh/release.v1',
      data: { release: Buffer.from(payload).toString('base64') },
    };
    const r = helmReleasesInput.normalize(redact(secret));
    expect(r).toEqual({
      driver: 'Secret',
      record: 'sh.helm.release.v1.web.v3',
      namespace: 'prod',
      name: 'web',
      revision: 3,
      status: 'deployed',
      chart: 'web',
      chartVersion: '1.2.0',
      objectCount: 3,
      objects: [{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', name: 'web-pdb', namespace: 'prod' }],
    });
    expect(JSON.stringify(redact(secret))).not.toContain(payload.slice(0, 40));
  });

  it('reads a ConfigMap record (base64 once) and reports a corrupt payload as an error', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'sh.helm.release.v1.web.v3', namespace: 'prod', labels },
      data: { release: payload },
    };
    expect(helmReleasesInput.normalize(redact(cm))).toMatchObject({ driver: 'ConfigMap', objectCount: 3 });
    const bad: KubeObject = { ...cm, data: { release: Buffer.from('H4sI garbage').toString('base64') } };
    expect(helmReleasesInput.normalize(redact(bad))).toMatchObject({
      objects: [],
      objectCount: 0,
      error: expect.stringMatching(/does not decode/),
    });
  });

  const PARTS = helmReleasesInput.resources;
  it('decodes a payload only for a record an input reading releases selects; other inputs get the record without it', () => {
    const record = (version: number, status: string, release: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `sh.helm.release.v1.web.v${version}`,
        namespace: 'prod',
        resourceVersion: String(version),
        labels: { ...labels, status, version: String(version) },
      },
      type: 'helm.sh/release.v1',
      data: { release },
    });
    const seen: KubeObject[] = [];
    const secretsReader: ResourceInputDef<string> = {
      type: 'resources',
      key: 'secrets-seen',
      description: 'every Secret, as an input that does not read releases receives it',
      resources: [{ group: '', versions: ['v1'], resource: 'secrets', kind: 'Secret', namespaced: true }],
      normalize: (o) => {
        seen.push(o);
        return o.metadata.name;
      },
    };
    const bySecretValue: ResourceInputDef<string> = {
      ...secretsReader,
      key: 'by-value',
      select: { fieldSelector: 'data.release=not-base64' },
      normalize: (o) => o.metadata.name,
    };
    const acc = new ResourceAccumulator([helmReleasesInput, secretsReader, bySecretValue]);
    // A superseded revision whose payload would not decode: never decoded, so no error.
    acc.add(record(2, 'superseded', 'not-base64'), 'resources/secrets.json', undefined, 0);
    acc.add(record(3, 'deployed', Buffer.from(payload).toString('base64')), 'resources/secrets.json', undefined, 1);
    for (const r of PARTS) acc.setStatus(r, 'ok');
    const out = acc.result();
    expect(out.get('helm-releases')!.value).toEqual([expect.objectContaining({ record: 'sh.helm.release.v1.web.v3', objectCount: 3 })]);
    expect(out.get('secrets-seen')!.value).toEqual(['sh.helm.release.v1.web.v2', 'sh.helm.release.v1.web.v3']);
    for (const o of seen) {
      expect(o.data).toBeUndefined();
      expect(o.metadata.annotations?.[HELM_RELEASE_ANNOTATION]).toBeUndefined();
    }
    // A field selector reads the redacted object: a secret value decides nothing.
    expect(out.get('by-value')!.value).toEqual([]);
  });

  it('recognises Helm 2 (Tiller) records by their labels', () => {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'legacy.v2',
        namespace: 'kube-system',
        labels: { OWNER: 'TILLER', NAME: 'legacy', STATUS: 'DEPLOYED', VERSION: '2' },
      },
      data: { release: 'H4sIAAAAAAAA' },
    };
    expect(helm2ReleasesInput.normalize(redact(cm))).toEqual({
      driver: 'ConfigMap',
      record: 'legacy.v2',
      namespace: 'kube-system',
      name: 'legacy',
      revision: 2,
      status: 'deployed',
    });
  });
});

describe('metrics and discovery files', () => {
  it('fetches /metrics as metrics/apiserver.txt and parses the gauge', async () => {
    const text =
      '# TYPE apiserver_requested_deprecated_apis gauge\napiserver_requested_deprecated_apis{group="batch",removed_release="1.25",resource="cronjobs",subresource="",version="v1beta1"} 1\nprocess_start_time_seconds 1.7e+09\n';
    const f = await deprecatedApiRequestsInput.live!(fakeLive({ '/metrics': ok(text) }));
    expect(f).toMatchObject({ status: 'ok', files: [{ path: 'metrics/apiserver.txt' }], sources: ['/metrics'] });
    if (f.status !== 'ok') throw new Error('not ok');
    expect(deprecatedApiRequestsInput.parse(f.files).value).toEqual({
      requests: [{ group: 'batch', version: 'v1beta1', resource: 'cronjobs', subresource: '', removedRelease: '1.25', value: 1 }],
      apiserverStartTime: '2023-11-14T22:13:20.000Z',
    });
  });

  it('maps 403 to forbidden and other statuses to failed', async () => {
    expect(
      await deprecatedApiRequestsInput.live!(fakeLive({ '/metrics': { status: 403, headers: {}, body: Buffer.from('') } })),
    ).toMatchObject({ status: 'forbidden' });
    expect(await apiDiscoveryInput.live!(fakeLive({}))).toMatchObject({ status: 'failed', reason: 'GET /apis: HTTP 404' });
  });

  it('fetches /apis as plain JSON (an APIGroupList) and lists the served group versions', async () => {
    const seen: Array<{ path: string; accept?: string }> = [];
    const body = JSON.stringify({
      kind: 'APIGroupList',
      groups: [
        { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] },
        {
          name: 'flowcontrol.apiserver.k8s.io',
          versions: [
            { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', version: 'v1beta3' },
            { groupVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', version: 'v1beta2' },
          ],
        },
      ],
    });
    const f = await apiDiscoveryInput.live!(fakeLive({ '/apis': ok(body) }, seen));
    expect(seen).toEqual([{ path: '/apis', accept: 'application/json' }]);
    if (f.status !== 'ok') throw new Error('not ok');
    expect(apiDiscoveryInput.parse(f.files).value.groupVersions).toEqual([
      'apps/v1',
      'flowcontrol.apiserver.k8s.io/v1beta2',
      'flowcontrol.apiserver.k8s.io/v1beta3',
    ]);
  });

  it('refuses a discovery file that is not an APIGroupList', () => {
    expect(() => parseApiGroupList('discovery/apis.json', Buffer.from('{"kind":"APIGroupDiscoveryList","items":[]}'))).toThrow(InputError);
    expect(() => parseApiGroupList('discovery/apis.json', Buffer.from('{oops'))).toThrow(/discovery\/apis.json:1:2: invalid JSON/);
  });
});

describe('manifests', () => {
  it('reads multi-document YAML with lines, Lists, and skips non-Kubernetes documents', () => {
    const text =
      'replicaCount: 2\n---\n# comment\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1beta1\n  kind: CronJob\n  metadata: {name: nightly, namespace: ops}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    generateName: cfg-\n';
    expect(readManifest('k8s/app.yaml', Buffer.from(text))).toEqual({
      objects: [
        { file: 'k8s/app.yaml', doc: 2, line: 4, apiVersion: 'extensions/v1beta1', kind: 'Ingress', name: 'web' },
        { file: 'k8s/app.yaml', doc: 3, line: 12, apiVersion: 'batch/v1beta1', kind: 'CronJob', namespace: 'ops', name: 'nightly' },
        { file: 'k8s/app.yaml', doc: 3, line: 15, apiVersion: 'v1', kind: 'ConfigMap' },
      ],
      problems: [],
    });
  });

  it('reports an unrendered template that is not YAML as a problem of its file, with the line', () => {
    const r = readManifest(
      'chart/templates/pdb.yaml',
      Buffer.from('apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: {{ .Release.Name }}-pdb\n'),
    );
    expect(r.objects).toEqual([]);
    expect(r.problems).toEqual([
      { file: 'chart/templates/pdb.yaml', line: 4, reason: expect.stringMatching(/^document 1 is not valid YAML/) },
    ]);
    // A template that happens to be valid YAML still shows its apiVersion.
    const ok = readManifest(
      'chart/templates/pdb.yaml',
      Buffer.from('apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nspec:\n  minAvailable: {{ .Values.min }}\n'),
    );
    expect(ok.objects).toEqual([
      { file: 'chart/templates/pdb.yaml', doc: 1, line: 1, apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget' },
    ]);
  });

  describe('--manifests paths', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kp-apis-manifests-'));
      await mkdir(join(dir, 'k8s', 'base'), { recursive: true });
      await mkdir(join(dir, 'k8s', '.git'), { recursive: true });
      await mkdir(join(dir, 'empty'), { recursive: true });
      await writeFile(
        join(dir, 'k8s', 'base', 'ingress.yaml'),
        'apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: prod\n',
      );
      await writeFile(join(dir, 'k8s', 'base', 'README.md'), '# not a manifest\n');
      await writeFile(
        join(dir, 'k8s', '.git', 'config.yaml'),
        'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: ignored}\n',
      );
      await writeFile(
        join(dir, 'k8s', 'pdb.json'),
        JSON.stringify({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'web' } }),
      );
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('lists YAML/JSON files of folders recursively, keeping the path as given', async () => {
      const f = await readManifestPaths([join(dir, 'k8s') + '/']);
      if (f.status !== 'ok') throw new Error('not ok');
      expect(f.files.map((x) => x.path.slice(dir.length))).toEqual(['/k8s/base/ingress.yaml', '/k8s/pdb.json']);
      expect(manifestsInput.parse(f.files).value).toMatchObject({ fileCount: 2, objectCount: 2, problems: [] });
    });

    it('throws InputError for a missing path or a folder without manifests', async () => {
      await expect(readManifestPaths([join(dir, 'nope')])).rejects.toThrow(/no such file or folder/);
      await expect(readManifestPaths([join(dir, 'empty')])).rejects.toThrow(/no \.yaml, \.yml or \.json file/);
      expect(await manifestsInput.fromOptions!({ requestTimeoutMs: 1000 })).toBeUndefined();
    });

    it('scans a folder given with --manifests and no cluster data (CI on a Git repository)', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'kp-apis-empty-dump-'));
      const source = await DumpSource.open(empty);
      try {
        const registry = new Registry(await loadBuiltinChecks());
        const { report } = await scan({
          source,
          registry,
          config: EMPTY_CONFIG,
          only: ['apis-removed', 'apis-deprecated'],
          now: new Date('2026-11-23T07:00:18Z'),
          targetVersion: '1.25',
          failOn: 'critical',
          options: { requestTimeoutMs: 1000, manifests: [join(dir, 'k8s')] },
        });
        // An empty dump: the cluster's objects, Helm releases and version were not read, so
        // nothing is a pass; the manifests' findings still stand.
        expect(report.checks.map((c) => [c.id, c.status, c.evaluated])).toEqual([
          ['apis-deprecated', 'incomplete', 2],
          ['apis-removed', 'fail', 2],
        ]);
        const unread = [{ kind: 'Input', name: 'api-usage' }, { kind: 'Input', name: 'helm-releases' }, { file: 'version.json' }];
        for (const c of report.checks) expect(c.unknowns.map((u) => u.resource)).toEqual(unread);
        expect(report.findings.map((f) => [f.rule, f.severity, f.resource])).toEqual([
          [
            'removed-api',
            'critical',
            { file: `${join(dir, 'k8s')}/base/ingress.yaml`, field: 'networking.k8s.io/v1beta1 Ingress prod/web' },
          ],
          ['removed-api', 'critical', { file: `${join(dir, 'k8s')}/pdb.json`, field: 'policy/v1beta1 PodDisruptionBudget web' }],
        ]);
        expect(report.summary.verdict).toBe('NO-GO');
      } finally {
        await source.close();
        await rm(empty, { recursive: true, force: true });
      }
    });
  });
});

describe('apis normalizers: a field of the wrong type is an error naming its path, never an absent value', () => {
  const obj = (kind: string, rest: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind,
    metadata: { name: 'x', ...metadata },
    ...rest,
  });

  it('api-usage: a last-applied apiVersion that is not a string', () => {
    const o = obj('Ingress', {}, { annotations: { [LA]: JSON.stringify({ apiVersion: 1, kind: 'Ingress' }) } });
    expect(() => normalizeApiUsage(o)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          '.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] (JSON) .apiVersion: expected a string, got an integer',
      }),
    );
    // Not JSON, or JSON without those fields, still says nothing.
    expect(normalizeApiUsage(obj('Ingress', {}, { annotations: { [LA]: '{not json' } }))).toBeUndefined();
  });

  it('api-services: a spec.group that is not a string, conditions that are not a list', () => {
    expect(() => normalizeApiService(obj('APIService', { spec: { group: 7, version: 'v1beta1' } }))).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.spec.group: expected a string, got an integer' }),
    );
    expect(() =>
      normalizeApiService(obj('APIService', { spec: { group: 'g', version: 'v1' }, status: { conditions: { type: 'Available' } } })),
    ).toThrow(expect.objectContaining({ message: '.status.conditions: expected a list, got an object' }));
    expect(() => normalizeApiService(obj('APIService', { spec: { group: 'g', version: 'v1', service: 'svc' } }))).toThrow(
      expect.objectContaining({ message: '.spec.service: expected an object, got a string' }),
    );
    expect(normalizeApiService(obj('APIService', { spec: { group: 'g', version: 'v1', service: null } }))).toEqual({
      name: 'x',
      group: 'g',
      version: 'v1',
      local: true,
    });
  });

  it('api-discovery: versions that are not a list make the file unread, naming file and path', () => {
    expect(() =>
      parseApiGroupList(
        'discovery/apis.json',
        Buffer.from(JSON.stringify({ kind: 'APIGroupList', groups: [{ name: 'apps', versions: 'v1' }] })),
      ),
    ).toThrow(
      expect.objectContaining({ name: 'InputError', message: 'discovery/apis.json .groups[0].versions: expected a list, got a string' }),
    );
    expect(() =>
      parseApiGroupList('discovery/apis.json', Buffer.from(JSON.stringify({ groups: [{ versions: [{ groupVersion: 1 }] }] }))),
    ).toThrow(
      expect.objectContaining({ message: 'discovery/apis.json .groups[0].versions[0].groupVersion: expected a string, got an integer' }),
    );
  });

  it('helm-releases: a summary annotation field of the wrong type is that release unreadable', () => {
    const summary = {
      helmVersion: 3,
      driver: 'Secret',
      name: 'web',
      namespace: 'prod',
      revision: 2,
      status: 'deployed',
      objects: [{ apiVersion: 5, kind: 'Ingress', name: 'web' }],
    };
    const o = obj(
      'Secret',
      {},
      {
        name: 'sh.helm.release.v1.web.v2',
        namespace: 'prod',
        labels: { owner: 'helm', name: 'web', status: 'deployed', version: '2' },
        annotations: { 'kube-preflight.io/helm-release': JSON.stringify(summary) },
      },
    );
    expect(helmReleasesInput.normalize(o)).toMatchObject({
      name: 'web',
      revision: 2,
      objectCount: 0,
      error: 'annotation kube-preflight.io/helm-release .objects[0].apiVersion: expected a string, got an integer',
    });
    const revision = { ...summary, objects: [], revision: '2' };
    expect(
      helmReleasesInput.normalize(
        obj('Secret', {}, { ...o.metadata, annotations: { 'kube-preflight.io/helm-release': JSON.stringify(revision) } }),
      ),
    ).toMatchObject({
      error: 'annotation kube-preflight.io/helm-release .revision: expected a number, got a string',
    });
  });

  it('manifests: an apiVersion or kind of the wrong type is a problem naming file, line and path', () => {
    const text = 'apiVersion: 1\nkind: Ingress\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: batch/v1beta1\n  kind: [CronJob]\n';
    expect(readManifest('k8s/app.yaml', Buffer.from(text))).toEqual({
      objects: [],
      problems: [
        { file: 'k8s/app.yaml', line: 1, reason: 'document 1: .apiVersion: expected a string, got an integer' },
        { file: 'k8s/app.yaml', line: 7, reason: 'document 2: .items[0].kind: expected a string, got a list' },
      ],
    });
    // A name of the wrong type (an unrendered `{{ .Values.name }}`): the apiVersion is still read, the name is a problem.
    const tpl = readManifest(
      'chart/templates/pdb.yaml',
      Buffer.from('apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: {{ .Values.name }}\n'),
    );
    expect(tpl).toEqual({
      objects: [{ file: 'chart/templates/pdb.yaml', doc: 1, line: 1, apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget' }],
      problems: [{ file: 'chart/templates/pdb.yaml', line: 1, reason: 'document 1: .metadata.name: expected a string, got an object' }],
    });
  });
});
