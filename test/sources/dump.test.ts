/**
 * The dump source: layouts (folder, .tar.gz, single file), object shapes (multi-document YAML,
 * kubectl Lists, raw API lists), duplicates, redaction, input statuses, and broken files.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import type { Collected } from '../../src/contract/inputs.js';
import { FatalError } from '../../src/contract/errors.js';
import type { ResourceInputDef } from '../../src/sources/input-def.js';
import { nodesInput, versionInput, controlPlanePodsInput } from '../../src/sources/inputs/core.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import { DumpSource } from '../../src/sources/dump.js';

const opts = { requestTimeoutMs: 1000 };
const tmp: string[] = [];

async function dump(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kp-dump-test-'));
  tmp.push(dir);
  for (const [p, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), content);
  }
  return dir;
}

afterEach(async () => {
  for (const d of tmp.splice(0)) await rm(d, { recursive: true, force: true });
});

const node = (name: string, rv = '1', kubelet = 'v1.30.1') =>
  `{"apiVersion":"v1","kind":"Node","metadata":{"name":"${name}","resourceVersion":"${rv}"},"status":{"nodeInfo":{"kubeletVersion":"${kubelet}"},"conditions":[{"type":"Ready","status":"True"}]}}`;

/** An input over Secrets, to see what survives redaction. */
const secretsProbe: ResourceInputDef<Record<string, unknown>> = {
  type: 'resources',
  key: 'secrets-probe',
  description: 'test',
  resources: [{ group: '', versions: ['v1'], resource: 'secrets', kind: 'Secret', namespaced: true }],
  normalize: (o) => ({ name: o.metadata.name, data: o.data, annotations: o.metadata.annotations ?? {}, stringData: o.stringData }),
};

const crdProbe: ResourceInputDef<string> = {
  type: 'resources',
  key: 'velero-backups-probe',
  description: 'test',
  resources: [{ group: 'velero.io', versions: ['v1'], resource: 'backups', kind: 'Backup', namespaced: true, crd: true }],
  normalize: (o) => o.metadata.name,
};

async function load(dir: string, defs = [nodesInput as ResourceInputDef]): Promise<Map<string, Collected<unknown>>> {
  const src = await DumpSource.open(dir);
  try {
    return await src.load(defs, opts);
  } finally {
    await src.close();
  }
}

describe('DumpSource layouts and shapes', () => {
  it('reads multi-document YAML, kubectl Lists and raw API lists (kind taken from NodeList)', async () => {
    const dir = await dump({
      'resources/a.yaml': `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\n`,
      'resources/b.json': `{"apiVersion":"v1","kind":"List","items":[${node('n3')}]}`,
      'resources/c.json': `{"apiVersion":"v1","kind":"NodeList","metadata":{},"items":[{"metadata":{"name":"n4"}}]}`,
      'resources/other/d.yaml': `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`,
    });
    const nodes = (await load(dir)).get('nodes')!;
    expect(nodes.status).toBe('ok');
    expect((nodes.value as NodeInfo[]).map((n) => n.name)).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('collapses duplicates, keeping the newer resourceVersion', async () => {
    const dir = await dump({
      'resources/1.json': `{"apiVersion":"v1","kind":"List","items":[${node('n1', '5', 'v1.29.0')}]}`,
      'resources/2.json': `{"apiVersion":"v1","kind":"List","items":[${node('n1', '9', 'v1.30.0')},${node('n1', '7', 'v1.28.0')}]}`,
    });
    const nodes = (await load(dir)).get('nodes')!.value as NodeInfo[];
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!.kubeletVersion).toBe('v1.30.0');
  });

  it('opens a .tar.gz of a dump folder, and a single YAML file', async () => {
    const dir = await dump({
      'lab/resources/nodes.json': `{"apiVersion":"v1","kind":"List","items":[${node('n1')}]}`,
      'lab/version.json': '{"gitVersion":"v1.30.1"}',
    });
    const tgz = join(dir, 'lab.tar.gz');
    await tar.c({ gzip: true, file: tgz, cwd: dir }, ['lab']);
    const fromTar = await load(tgz, [nodesInput, versionInput as never]);
    expect(fromTar.get('nodes')!.count).toBe(1);
    expect(fromTar.get('version')!.value).toMatchObject({ gitVersion: 'v1.30.1' });

    const single = join(dir, 'all.yaml');
    await writeFile(single, `apiVersion: v1\nkind: Node\nmetadata: {name: solo}\n`);
    const fromFile = await load(single);
    expect((fromFile.get('nodes')!.value as NodeInfo[]).map((n) => n.name)).toEqual(['solo']);
  });

  it('applies an input selection (namespace) and ignores unknown kinds', async () => {
    const pod = (ns: string, name: string) =>
      `{"apiVersion":"v1","kind":"Pod","metadata":{"namespace":"${ns}","name":"${name}","labels":{"component":"etcd"}},"spec":{"nodeName":"cp1","containers":[{"name":"etcd","image":"registry.k8s.io/etcd:3.5.9-0","command":["etcd","--data-dir=/var/lib/etcd"]}]}}`;
    const dir = await dump({
      'resources/pods.json': `{"apiVersion":"v1","kind":"List","items":[${pod('kube-system', 'etcd-cp1')},${pod('default', 'etcd-cp1')}]}`,
    });
    const c = (await load(dir, [controlPlanePodsInput])).get('control-plane-pods')!;
    expect(c.status).toBe('ok');
    expect(c.value).toEqual([
      expect.objectContaining({
        namespace: 'kube-system',
        name: 'etcd-cp1',
        component: 'etcd',
        containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.9-0', command: ['etcd', '--data-dir=/var/lib/etcd'], args: [] }],
      }),
    ]);
  });
});

describe('DumpSource digest', () => {
  const sha = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');
  const digestAfterLoad = async (path: string): Promise<string> => {
    const src = await DumpSource.open(path);
    try {
      await src.load([nodesInput, versionInput], opts);
      return await src.digest();
    } finally {
      await src.close();
    }
  };

  it('is the sha256sum listing of a folder (sorted paths, hidden files out), of the archive, or of the single file', async () => {
    const files = {
      'lab/resources/nodes.json': `{"apiVersion":"v1","kind":"List","items":[${node('n1')}]}`,
      'lab/resources/pods/0001.json': '{"apiVersion":"v1","kind":"List","items":[]}',
      'lab/version.json': '{"gitVersion":"v1.30.1"}',
      'lab/pki/ca.crt': 'not read by these inputs, hashed all the same',
      'lab/.hidden': 'not hashed',
    };
    const dir = await dump(files);
    const listing = Object.entries(files)
      .filter(([p]) => !p.includes('/.'))
      .map(([p, content]) => [p.slice('lab/'.length), content] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, content]) => `${sha(content)}  ${p}\n`)
      .join('');
    expect(await digestAfterLoad(join(dir, 'lab'))).toBe(sha(listing));

    const tgz = join(dir, 'lab.tar.gz');
    await tar.c({ gzip: true, file: tgz, cwd: dir }, ['lab']);
    expect(await digestAfterLoad(tgz)).toBe(sha(await readFile(tgz)));

    const single = join(dir, 'lab', 'resources', 'nodes.json');
    expect(await digestAfterLoad(single)).toBe(sha(files['lab/resources/nodes.json']));
  });
});

describe('DumpSource input statuses', () => {
  it('is ok for an empty List in a file named after the resource', async () => {
    const dir = await dump({ 'resources/nodes.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    expect((await load(dir)).get('nodes')).toMatchObject({ status: 'ok', value: [], count: 0 });
  });

  it('is ok for an empty List in a file named after the bare plural of a grouped resource', async () => {
    const dir = await dump({ 'resources/backups.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    expect((await load(dir, [crdProbe as ResourceInputDef])).get('velero-backups-probe')).toMatchObject({ status: 'ok', value: [] });
  });

  it('is missing when nothing in the dump can hold the resource', async () => {
    const dir = await dump({ 'resources/pods.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    const c = (await load(dir)).get('nodes')!;
    expect(c.status).toBe('missing');
    expect(c.reason).toContain('no Node objects');
  });

  it('is absent for a CRD resource whose CRD is not in the dump CRD list', async () => {
    const dir = await dump({
      'resources/customresourcedefinitions.apiextensions.k8s.io.json':
        '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"}}]}',
    });
    const c = (await load(dir, [crdProbe])).get('velero-backups-probe')!;
    expect(c).toMatchObject({ status: 'absent', value: [] });
    expect(c.reason).toContain('not installed');
  });

  it('takes the statuses collect recorded in metadata.json (forbidden stays forbidden)', async () => {
    const dir = await dump({
      'metadata.json': JSON.stringify({
        collectedAt: '2026-11-23T07:00:00Z',
        resources: { nodes: { status: 'forbidden', reason: 'GET /api/v1/nodes: 403 Forbidden' } },
      }),
      'resources/pods.yaml': 'apiVersion: v1\nkind: List\nitems: []\n',
    });
    expect((await load(dir)).get('nodes')).toMatchObject({ status: 'forbidden', reason: 'GET /api/v1/nodes: 403 Forbidden' });
  });
});

describe('DumpSource redaction', () => {
  it('keeps only PEM certificates of tls.crt and ca.crt of Secrets, and reduces a Secret last-applied annotation', async () => {
    const pemB64 = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');
    const lastApplied = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'd' },
      data: { password: 'c2VjcmV0' },
    });
    const dir = await dump({
      'resources/secrets.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: d
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '${lastApplied}'
type: Opaque
data: { password: c2VjcmV0, tls.crt: ${pemB64}, ca.crt: Y2E= }
stringData: { token: plain }
`,
    });
    const v = (await load(dir, [secretsProbe])).get('secrets-probe')!.value as Array<Record<string, unknown>>;
    expect(v[0]).toEqual({
      name: 's',
      data: { 'tls.crt': pemB64 },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"d"}}',
        'kube-preflight.io/redacted': JSON.stringify([
          { field: 'data.ca.crt', reason: 'holds no PEM certificate (a private key, DER or other data?): dropped, not read' },
        ]),
      },
      stringData: undefined,
    });
    expect(JSON.stringify(v)).not.toContain('c2VjcmV0');
  });
});

describe('DumpSource broken inputs', () => {
  it('rejects a path that does not exist, and a file that is not a dump', async () => {
    await expect(DumpSource.open('/nonexistent/dump')).rejects.toThrow(FatalError);
    await expect(DumpSource.open('/nonexistent/dump')).rejects.toThrow('dump not found: /nonexistent/dump does not exist');
    const dir = await dump({ 'x.txt': 'hello' });
    await expect(DumpSource.open(join(dir, 'x.txt'))).rejects.toThrow('not a dump');
  });

  it.each([
    [
      'truncated JSON',
      'resources/nodes.json',
      `{"apiVersion":"v1","kind":"List","items":[${node('n1')}`,
      'resources/nodes.json:1:222: invalid JSON: unexpected end of input',
    ],
    [
      'a tab in YAML indentation',
      'resources/nodes.yaml',
      'apiVersion: v1\nkind: Node\nmetadata:\n\tname: n1\n',
      'resources/nodes.yaml:4:1: invalid YAML: Tabs are not allowed as indentation',
    ],
    ['an empty file', 'resources/nodes.yaml', '', 'resources/nodes.yaml: file is empty'],
    [
      'a binary file',
      'resources/nodes.json',
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x01, 0x02]),
      'resources/nodes.json: binary file, not YAML or JSON',
    ],
    [
      'an object without kind',
      'resources/nodes.yaml',
      'apiVersion: v1\nmetadata: {name: n1}\n',
      'resources/nodes.yaml:1: object has no kind',
    ],
    [
      'a list item without a name',
      'resources/nodes.json',
      '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{}}]}',
      'item 0 of the List (Node) has no metadata.name',
    ],
  ])('marks the inputs a file with %s would have fed as failed, naming the file and line', async (_what, path, content, message) => {
    const dir = await dump({ [path]: content, 'resources/pods.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    const src = await DumpSource.open(dir);
    const c = (await src.load([nodesInput], opts)).get('nodes')!;
    await src.close();
    expect(c.status).toBe('failed');
    expect(c.reason).toContain(message);
    expect(src.info.warnings.join('\n')).toContain(message);
  });

  it('fails every resource input for a broken file whose name says nothing, and leaves file inputs alone', async () => {
    const dir = await dump({
      'resources/everything.yaml': 'a: [1, 2\nb: 3\n',
      'version.json': '{"serverVersion":{"gitVersion":"v1.30.0"}}',
    });
    const res = await load(dir, [nodesInput, versionInput as never]);
    expect(res.get('nodes')!.status).toBe('failed');
    expect(res.get('nodes')!.reason).toMatch(/^resources\/everything\.yaml:2:1: invalid YAML/);
    expect(res.get('version')!.status).toBe('ok');
  });

  it('a bad file named after another resource does not fail unrelated inputs', async () => {
    const dir = await dump({
      'resources/pods.json': '{"apiVersion": ',
      'resources/nodes.json': `{"apiVersion":"v1","kind":"List","items":[${node('n1')}]}`,
    });
    expect((await load(dir)).get('nodes')!.status).toBe('ok');
  });

  it('reports a version.json that holds only clientVersion', async () => {
    const dir = await dump({ 'version.json': '{"clientVersion":{"gitVersion":"v1.30.0"}}' });
    const c = (await load(dir, [versionInput as never])).get('version')!;
    expect(c.status).toBe('failed');
    expect(c.reason).toContain('version.json: no server gitVersion (only clientVersion');
  });

  it('warns about YAML files left at the top of a dump without resources/', async () => {
    const dir = await dump({ 'pods.yaml': 'apiVersion: v1\nkind: List\nitems: []\n' });
    const src = await DumpSource.open(dir);
    await src.close();
    expect(src.info.warnings[0]).toContain('no resources/ folder');
  });
});
