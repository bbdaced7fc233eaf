/**
 * Inputs judged by part (docs: dump format, input statuses): a resource that is missing,
 * forbidden or failed, or an object that does not normalize, is listed in `partial` while the
 * input keeps what the other parts gave; and the lists people actually have (Go's `null`
 * items, lists without kind, bare arrays) are read, not failed.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collected } from '../../src/contract/inputs.js';
import type { KubeObject } from '../../src/k8s/objects.js';
import { R } from '../../src/k8s/resources.js';
import { DumpSource } from '../../src/sources/dump.js';
import { InputError, type InputDef, type ResourceInputDef } from '../../src/sources/input-def.js';
import { helmReleasesInput } from '../../src/sources/inputs/apis.js';
import { backupCrdsInput } from '../../src/sources/inputs/backup/tool-crds.js';
import { etcdInput } from '../../src/sources/inputs/etcd.js';
import { workloadsInput } from '../../src/sources/inputs/pdb.js';
import { parseObjectsFile } from '../../src/sources/parse.js';
import { streamJsonObjects } from '../../src/sources/parse-stream.js';

const opts = { requestTimeoutMs: 1000 };
const tmp: string[] = [];

async function dump(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kp-parts-test-'));
  tmp.push(dir);
  for (const [p, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), content);
  }
  return dir;
}

async function load(dir: string, defs: InputDef[]): Promise<{ inputs: Map<string, Collected<unknown>>; warnings: string[] }> {
  const src = await DumpSource.open(dir);
  try {
    const inputs = await src.load(defs, opts);
    return { inputs, warnings: src.info.warnings };
  } finally {
    await src.close();
  }
}

afterEach(async () => {
  for (const d of tmp.splice(0)) await rm(d, { recursive: true, force: true });
});

const EMPTY_LIST = '{"apiVersion":"v1","kind":"List","items":[]}';

/** `namespace/name` of every object of `resource`; throws for objects labelled `broken`. */
function namesInput(key: string, resource = R.nodes): ResourceInputDef<string> {
  return {
    type: 'resources',
    key,
    description: 'test',
    resources: [resource],
    normalize(o) {
      if (o.metadata.labels?.broken === 'input-error') throw new InputError('spec.replicas is a string, not a number');
      if (o.metadata.labels?.broken === 'crash') throw new TypeError("Cannot read properties of undefined (reading 'x')");
      return `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
    },
  };
}

describe('resource inputs by part (dump)', () => {
  it('a dump without statefulsets.apps: workloads ok, the StatefulSets part missing', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod', uid: 'u1' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } },
    };
    const dir = await dump({
      'resources/deployments.apps.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [deployment] }),
      'resources/replicasets.apps.json': EMPTY_LIST,
      'resources/daemonsets.apps.json': EMPTY_LIST,
      'resources/jobs.batch.json': EMPTY_LIST,
      'resources/replicationcontrollers.json': EMPTY_LIST,
    });
    const { inputs } = await load(dir, [workloadsInput]);
    const w = inputs.get('workloads')!;
    expect(w.status).toBe('ok');
    expect(w.reason).toBeUndefined();
    expect((w.value as Array<{ name: string }>).map((x) => x.name)).toEqual(['web']);
    expect(w.partial).toEqual([
      {
        source: 'statefulsets.apps',
        status: 'missing',
        reason: 'not in the dump: no StatefulSet objects and no resources/statefulsets.apps.{yaml,json} file',
        subjects: 'StatefulSets',
        resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: '*' },
      },
    ]);
  });

  it('Helm release Secrets present but no ConfigMaps: helm-releases ok, the ConfigMaps part missing', async () => {
    const release = {
      name: 'web',
      namespace: 'prod',
      version: 1,
      chart: { metadata: { name: 'web', version: '1.0.0' } },
      manifest: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
    };
    const payload = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.web.v1',
        namespace: 'prod',
        labels: { owner: 'helm', name: 'web', status: 'deployed', version: '1' },
      },
      type: 'helm.sh/release.v1',
      data: { release: Buffer.from(payload).toString('base64') },
    };
    const dir = await dump({ 'resources/secrets.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [secret] }) });
    const { inputs } = await load(dir, [helmReleasesInput]);
    const h = inputs.get('helm-releases')!;
    expect(h).toMatchObject({ status: 'ok', count: 1, value: [{ driver: 'Secret', name: 'web', namespace: 'prod', objectCount: 1 }] });
    expect(h.partial).toEqual([
      {
        source: 'configmaps',
        status: 'missing',
        reason: 'not in the dump: no ConfigMap objects and no resources/configmaps.{yaml,json} file',
        subjects: 'Helm releases stored in ConfigMaps',
        resource: { apiVersion: 'v1', kind: 'ConfigMap', name: '*' },
      },
    ]);
  });

  it('no part readable: the worst status, every unread part still listed', async () => {
    const dir = await dump({
      'metadata.json': JSON.stringify({
        resources: { secrets: { status: 'forbidden', reason: 'GET /api/v1/secrets: HTTP 403 Forbidden' } },
      }),
      'version.json': '{"major":"1","minor":"30","gitVersion":"v1.30.2"}',
    });
    const { inputs } = await load(dir, [helmReleasesInput]);
    expect(inputs.get('helm-releases')).toEqual({
      key: 'helm-releases',
      status: 'forbidden',
      reason: 'GET /api/v1/secrets: HTTP 403 Forbidden; not in the dump: no ConfigMap objects and no resources/configmaps.{yaml,json} file',
      count: 0,
      sources: [],
      partial: [
        {
          source: 'configmaps',
          status: 'missing',
          reason: 'not in the dump: no ConfigMap objects and no resources/configmaps.{yaml,json} file',
          subjects: 'Helm releases stored in ConfigMaps',
          resource: { apiVersion: 'v1', kind: 'ConfigMap', name: '*' },
        },
        {
          source: 'secrets',
          status: 'forbidden',
          reason: 'GET /api/v1/secrets: HTTP 403 Forbidden',
          subjects: 'Helm releases stored in Secrets',
          resource: { apiVersion: 'v1', kind: 'Secret', name: '*' },
        },
      ],
    });
  });

  it('an object whose normalize throws an InputError is its own failed part; the other objects are kept', async () => {
    const pod = (name: string, broken?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'prod', ...(broken ? { labels: { broken } } : {}) },
    });
    const dir = await dump({
      'resources/pods.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [pod('web-0'), pod('web-1', 'input-error'), pod('web-2'), pod('web-3', 'input-error')],
      }),
    });
    const { inputs } = await load(dir, [namesInput('p', R.pods)]);
    expect(inputs.get('p')).toEqual({
      key: 'p',
      status: 'ok',
      value: ['prod/web-0', 'prod/web-2'],
      count: 2,
      sources: ['resources/pods.json'],
      partial: [
        {
          source: 'resources/pods.json#Pod prod/web-1',
          status: 'failed',
          reason: 'resources/pods.json item 1: spec.replicas is a string, not a number',
          subjects: 'Pod prod/web-1',
          resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-1' },
        },
        {
          source: 'resources/pods.json#Pod prod/web-3',
          status: 'failed',
          reason: 'resources/pods.json item 3: spec.replicas is a string, not a number',
          subjects: 'Pod prod/web-3',
          resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-3' },
        },
      ],
    });
  });

  it('a bug in normalize (not an InputError) fails the whole input as an internal error naming it', async () => {
    const pod = (name: string, broken?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'prod', ...(broken ? { labels: { broken } } : {}) },
    });
    const dir = await dump({
      'resources/pods.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [pod('web-0'), pod('web-4', 'crash'), pod('web-1', 'input-error'), pod('web-3', 'crash')],
      }),
    });
    // A second input reading the same objects, whose normalizer does not crash, is unaffected.
    const names: ResourceInputDef<string> = { ...namesInput('names', R.pods), normalize: (o) => o.metadata.name ?? '' };
    const { inputs } = await load(dir, [namesInput('p', R.pods), names]);
    // The bug of the least identity is named (prod/web-3, read after prod/web-4), so a dump and a
    // live list, in whatever order, report the same one.
    expect(inputs.get('p')).toEqual({
      key: 'p',
      status: 'failed',
      reason:
        "internal error (KP_INTERNAL) in the normalizer of input p (resources/pods.json item 3): Cannot read properties of undefined (reading 'x')",
      count: 1,
      sources: ['resources/pods.json'],
      partial: [
        {
          source: 'resources/pods.json#Pod prod/web-1',
          status: 'failed',
          reason: 'resources/pods.json item 2: spec.replicas is a string, not a number',
          subjects: 'Pod prod/web-1',
          resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'web-1' },
        },
      ],
    });
    expect(inputs.get('names')).toEqual({
      key: 'names',
      status: 'ok',
      value: ['web-0', 'web-1', 'web-3', 'web-4'],
      count: 4,
      sources: ['resources/pods.json'],
    });
  });

  it('a newer version of a failed object that normalizes replaces the failure', async () => {
    const node = (rv: string, broken?: string) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1', resourceVersion: rv, ...(broken ? { labels: { broken } } : {}) },
    });
    const dir = await dump({
      'resources/nodes/0001.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node('5', 'input-error')] }),
      'resources/nodes/0002.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [node('7')] }),
    });
    const { inputs } = await load(dir, [namesInput('n')]);
    expect(inputs.get('n')).toMatchObject({ status: 'ok', value: ['n1'] });
    expect(inputs.get('n')!.partial).toBeUndefined();
  });
});

describe('objects of the wrong shape (dump)', () => {
  it('metadata with a field of the wrong type is a failed part naming file, item and path', async () => {
    const dir = await dump({
      'resources/nodes.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a' } },
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'b', labels: 'role=worker' } },
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'c', labels: { n: 1 } } },
          { apiVersion: 'v1', kind: 'Node', metadata: { name: 'd', labels: null, uid: null } },
        ],
      }),
    });
    const c = (await load(dir, [namesInput('n')])).inputs.get('n')!;
    expect(c.status).toBe('ok');
    expect(c.value).toEqual(['a', 'd']);
    expect(c.partial!.map((p) => [p.subjects, p.reason])).toEqual([
      ['Node b', 'resources/nodes.json item 1 .metadata.labels: expected an object, got a string'],
      ['Node c', 'resources/nodes.json item 2 .metadata.labels.n: expected a string, got an integer'],
    ]);
  });

  it('an object whose kind is not that of its file is read as what it says; the file’s resource is a failed part', async () => {
    const dir = await dump({
      'resources/deployments.apps.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'prod' } }],
      }),
      'resources/pods.json': EMPTY_LIST,
    });
    const { inputs, warnings } = await load(dir, [namesInput('d', R.deployments), namesInput('p', R.pods)]);
    expect(inputs.get('p')!.value).toEqual(['prod/web-0']);
    expect(inputs.get('p')!.partial).toBeUndefined();
    const reason =
      'resources/deployments.apps.json item 0: a Pod (v1) in a file named after deployments.apps, not a Deployment: read as a Pod; the Deployment objects of the file are not all known';
    expect(inputs.get('d')).toMatchObject({
      status: 'ok',
      value: [],
      partial: [
        {
          source: 'resources/deployments.apps.json#item 0',
          status: 'failed',
          reason,
          subjects: 'Deployment objects of resources/deployments.apps.json',
          resource: { file: 'resources/deployments.apps.json', field: 'item 0' },
        },
      ],
    });
    expect(warnings).toContain(reason);
  });

  it('a comment-only file named after a resource is a failed part, not an empty list; an empty List is', async () => {
    const dir = await dump({
      'resources/poddisruptionbudgets.policy.yaml': '# kubectl get pdb -A -o yaml\n---\n',
      'resources/nodes.yaml': 'apiVersion: v1\nkind: List\nitems: []\n',
      'resources/notes.yaml': '# nothing\n',
    });
    const { inputs, warnings } = await load(dir, [namesInput('pdb', R.poddisruptionbudgets), namesInput('n')]);
    expect(inputs.get('n')).toMatchObject({ status: 'ok', value: [] });
    expect(inputs.get('pdb')).toMatchObject({
      status: 'failed',
      reason:
        'resources/poddisruptionbudgets.policy.yaml: no object and no List, only comments or empty documents (an empty list is written `items: []`)',
    });
    expect(warnings).toContain(
      'resources/notes.yaml: no object and no List, only comments or empty documents (an empty list is written `items: []`) (skipped)',
    );
  });
});

describe('file inputs by part (dump)', () => {
  it('an etcd dump with one broken file keeps the others; that file is the partial', async () => {
    const real = (name: string): string => readFileSync(join(__dirname, '../../fixtures/dumps/lab-1.26/etcd', name), 'utf8');
    const dir = await dump({
      'etcd/member-list.json': real('member-list.json'),
      'etcd/endpoint-status.json': real('endpoint-status.json'),
      'etcd/endpoint-health.json': '<html>502 Bad Gateway</html>\n',
    });
    const { inputs } = await load(dir, [etcdInput]);
    const e = inputs.get('etcd')!;
    expect(e).toMatchObject({
      status: 'ok',
      count: 3,
      sources: ['etcd/endpoint-health.json', 'etcd/endpoint-status.json', 'etcd/member-list.json'],
    });
    expect((e.value as { endpointStatus: unknown[] }).endpointStatus).toHaveLength(3);
    expect(e.partial).toEqual([
      {
        source: 'etcd/endpoint-health.json',
        status: 'failed',
        reason: expect.stringMatching(/^etcd\/endpoint-health\.json:1:1: invalid JSON/),
        subjects: 'etcd endpoint health',
        resource: { file: 'etcd/endpoint-health.json' },
      },
    ]);
  });
});

describe('lists people actually have', () => {
  it("Go's empty lists (items: null) are zero objects, and make the resource they are named after ok", async () => {
    const dir = await dump({
      'resources/pods.json': '{"apiVersion":"v1","kind":"List","items":null}',
      'resources/nodes.json': '{"kind":"NodeList","items":null}',
    });
    const { inputs, warnings } = await load(dir, [namesInput('p', R.pods), namesInput('n', R.nodes)]);
    expect(warnings).toEqual([]);
    expect(inputs.get('p')).toEqual({ key: 'p', status: 'ok', value: [], count: 0, sources: [] });
    expect(inputs.get('n')).toEqual({ key: 'n', status: 'ok', value: [], count: 0, sources: [] });
  });

  it('a list without kind takes its items’ kind from the resource its file is named after', async () => {
    const dir = await dump({
      'resources/customresourcedefinitions.apiextensions.k8s.io.json': JSON.stringify({
        metadata: {},
        items: [{ metadata: { name: 'backups.velero.io' } }, { metadata: { name: 'widgets.example.com' } }],
      }),
      'resources/statefulsets.apps.yaml': 'metadata: {}\nitems:\n- metadata: {name: db, namespace: prod}\n',
    });
    const { inputs, warnings } = await load(dir, [backupCrdsInput, namesInput('s', R.statefulsets)]);
    expect(warnings).toEqual([]);
    expect(inputs.get('backup-crds')).toMatchObject({ status: 'ok', value: [{ name: 'backups.velero.io', tool: 'velero' }] });
    expect(inputs.get('s')).toMatchObject({ status: 'ok', value: ['prod/db'] });
    expect(
      parseObjectsFile('resources/statefulsets.apps.yaml', Buffer.from('items:\n- metadata: {name: db}\n'), 'statefulsets.apps').map(
        (p) => [p.obj.apiVersion, p.obj.kind],
      ),
    ).toEqual([['apps/v1', 'StatefulSet']]);
  });

  it('a bare JSON array of objects is read; items without kind take it from the file name', async () => {
    const dir = await dump({
      'resources/pods.json': JSON.stringify([
        { metadata: { name: 'a', namespace: 'prod' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'prod' } },
      ]),
    });
    const { inputs } = await load(dir, [namesInput('p', R.pods)]);
    expect(inputs.get('p')).toMatchObject({ status: 'ok', value: ['prod/a', 'prod/b'] });
  });

  it('a list without kind whose file name names no known resource is a one-line error naming the file', async () => {
    const text = JSON.stringify({ metadata: {}, items: [{ metadata: { name: 'x' } }] });
    const message =
      'resources/stuff.json: item 0 of the list has no kind, and the file name names no known resource ("stuff"); name the file after its resource (pods.json, statefulsets.apps.yaml)';
    expect(() => parseObjectsFile('resources/stuff.json', Buffer.from(text), 'stuff')).toThrow(
      expect.objectContaining({ name: 'InputError', message }),
    );
    const dir = await dump({ 'resources/stuff.json': text });
    const { inputs, warnings } = await load(dir, [namesInput('n')]);
    expect(warnings).toEqual([`${message} (skipped)`]);
    expect(inputs.get('n')!.status).toBe('failed');
  });

  it('the streaming reader of large JSON files reads the same lists', async () => {
    const read = async (text: string, named?: string): Promise<string[]> => {
      const out: string[] = [];
      await streamJsonObjects(
        'resources/x.json',
        Readable.from([Buffer.from(text)]),
        (o) => out.push(`${o.apiVersion} ${o.kind} ${o.metadata.name}`),
        named,
      );
      return out;
    };
    expect(await read('{"apiVersion":"v1","kind":"List","items":null}')).toEqual([]);
    expect(await read('{"kind":"PodList","items":null}')).toEqual([]);
    expect(await read('[{"metadata":{"name":"a"}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"b"}}]', 'pods')).toEqual([
      'v1 Pod a',
      'v1 Node b',
    ]);
    expect(await read('{"metadata":{},"items":[{"metadata":{"name":"db"}}]}', 'statefulsets.apps')).toEqual(['apps/v1 StatefulSet db']);
    expect(await read('{"items":[{"metadata":{"name":"a"}}],"kind":"PodList","apiVersion":"v1"}', 'nodes')).toEqual(['v1 Pod a']);
    await expect(read('{"metadata":{},"items":[{"metadata":{"name":"x"}}]}', 'stuff')).rejects.toThrow(
      /^resources\/x\.json: item 0 of the list has no kind, and the file name names no known resource \("stuff"\)/,
    );
  });

  it('the splitter of large JSON files reads strings holding brackets, quotes and escapes, in chunks of any size', async () => {
    const text =
      '\ufeff{\n "kind": "List",\n "items": [\n  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"a\\"]}\\\\","annotations":{"x":"{[\\u005d"}}},\n  {"apiVersion":"v1","kind":"Node","metadata":{"name":"b{["},"n":[-1.5e3,true,null]}\n ]\n}\n';
    const expected = ['v1 Pod a"]}\\ {[]', 'v1 Node b{[ undefined'];
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) {
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      const out: string[] = [];
      await streamJsonObjects('resources/x.json', Readable.from(chunks), (o) =>
        out.push(`${o.apiVersion} ${o.kind} ${o.metadata.name} ${o.metadata.annotations?.x}`),
      );
      expect(out, `chunks of ${size} bytes`).toEqual(expected);
    }
  });

  it('the splitter names the file, line, column and item of malformed JSON', async () => {
    const read = (text: string): Promise<void> =>
      streamJsonObjects('resources/pods.json', Readable.from([Buffer.from(text)]), () => undefined, 'pods');
    await expect(read('{"kind":"List","items":[\n {"metadata":{"name":"a"}},\n {"metadata":{"name":"b",}}\n]}')).rejects.toThrow(
      'resources/pods.json:3:26: invalid JSON: expected a double-quoted property name in item 1 of the list',
    );
    await expect(read('{"kind":"List","items":[{"metadata":{"name":"a"}}')).rejects.toThrow(
      'resources/pods.json: invalid JSON: unexpected end of input (truncated file?)',
    );
    await expect(read('{"kind":"List" "items":[]}')).rejects.toThrow(
      "resources/pods.json:1:16: invalid JSON: expected ',' or '}' after a property value",
    );
    await expect(read('[{"metadata":{"name":"a"}} {"metadata":{"name":"b"}}]')).rejects.toThrow(
      "resources/pods.json:1:28: invalid JSON: expected ',' or ']' after item 0 of the array",
    );
    await expect(read('{"kind":"List","items":[]} x')).rejects.toThrow(
      'resources/pods.json:1:28: invalid JSON: unexpected text after the end of the JSON value',
    );
    await expect(read('{"kind":"List","items":[7]}')).rejects.toThrow('resources/pods.json: item 0 of the list is not a mapping');
    await expect(read('"text"')).rejects.toThrow('resources/pods.json:1: expected a Kubernetes object or List');
    await expect(
      streamJsonObjects(
        'resources/pods.json',
        Readable.from([Buffer.from('[{"metadata":{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}]')]),
        () => undefined,
        'pods',
      ),
    ).rejects.toThrow('resources/pods.json:1: not UTF-8 text in item 0 of the array');
  });
});
