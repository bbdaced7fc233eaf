/**
 * No secret byte leaves: distinct canary values planted in every place a secret can hide
 * (Secret data/stringData/binaryData, a private key under tls.crt, a Helm release payload, a
 * Secret's last-applied-configuration, ConfigMap binaryData, kubeconfig credentials in valid
 * and in broken flow-style YAML, an etcd file, JSON and YAML syntax errors right next to a
 * value, the metrics text, version.json and the backups list). A dump scan writes every
 * report format, and `collect` from the loopback API server writes a dump; no output, log or
 * collected file holds a canary, its base64, or any 8-character piece of it.
 *
 * The PDF is read with `pdftotext`; with no browser or poppler the PDF part is skipped with a
 * message, unless KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1, where the test fails.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { TestApiServer } from '../support/apiserver.js';
import { runCli } from '../support/cli.js';
import { pdfTools } from '../support/pdf.js';
import { tempDir, type TempDir } from '../support/live.js';
import { makeTestPki } from '../support/tls.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');

/** Where each canary is planted; the value is unlike anything the tool writes (mixed case, no hex run). */
const PLACES = [
  'secretData',
  'secretStringData',
  'secretBinaryData',
  'keyUnderTlsCrt',
  'helmPayload',
  'lastApplied',
  'configMapBinaryData',
  'kubeconfigToken',
  'kubeconfigClientKey',
  'kubeconfigPassword',
  'kubeconfigExecEnv',
  'kubeconfigAuthProvider',
  'brokenKubeconfigToken',
  'brokenKubeconfigExecEnv',
  'brokenUserKubeconfig',
  'etcdFile',
  'jsonSyntaxError',
  'yamlSyntaxError',
  'yamlAlias',
  'metricsText',
  'versionJson',
  'backupsJson',
] as const;
type Place = (typeof PLACES)[number];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz';
const C = Object.fromEntries(
  PLACES.map((p, i) => {
    let s = 'Qz';
    for (let j = 0; j < 18; j++) s += LETTERS[(i * 7919 + j * 104_729 + j * j * 31) % LETTERS.length]!;
    return [p, s];
  }),
) as Record<Place, string>;
const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');
const keyPem = (body: string): string => `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;

/**
 * Every string that must not appear: each canary, its base64 at each of the three alignments
 * it can have inside a longer base64 text (a key in a PEM, in `data`), and its 8-character pieces.
 */
function forbidden(): Array<{ place: Place; needle: string }> {
  const out: Array<{ place: Place; needle: string }> = [];
  for (const place of PLACES) {
    const v = C[place];
    out.push({ place, needle: b64(v) });
    for (const pad of [1, 2]) {
      const e = b64(`${'.'.repeat(pad)}${v}`);
      out.push({ place, needle: e.slice(4, e.length - 4) });
    }
    for (let i = 0; i + 8 <= v.length; i++) out.push({ place, needle: v.slice(i, i + 8) });
  }
  return out;
}

/** The places whose canary (or base64, or a piece) is in `text`. */
function hits(text: string): string[] {
  return forbidden()
    .filter((f) => text.includes(f.needle))
    .map((f) => `${f.place}: ${f.needle}`);
}

function write(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(root, f)).isFile());
}

const pki = makeTestPki();

/** Secrets and ConfigMaps holding canaries, valid objects (served by the test API server, and in the dump). */
function secretObjects(): object[] {
  const release = gzipSync(
    JSON.stringify({
      name: 'web',
      namespace: 'prod',
      version: 1,
      config: { password: C.helmPayload },
      manifest: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n',
    }),
  );
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: 'prod',
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'db' },
            stringData: { password: C.lastApplied },
          }),
        },
      },
      type: 'Opaque',
      data: { password: b64(C.secretData) },
      stringData: { token: C.secretStringData },
      binaryData: { blob: b64(C.secretBinaryData) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-tls', namespace: 'prod' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': b64(keyPem(C.keyUnderTlsCrt)), 'tls.key': b64(keyPem(C.keyUnderTlsCrt)), 'ca.crt': b64(pki.certPem) },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.web.v1',
        namespace: 'prod',
        labels: { owner: 'helm', name: 'web', status: 'deployed', version: '1' },
      },
      type: 'helm.sh/release.v1',
      data: { release: b64(b64(release)) },
    },
  ];
}
const configMaps = (): object[] => [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'blobs', namespace: 'prod' },
    binaryData: { blob: b64(C.configMapBinaryData) },
    data: { mode: 'fast' },
  },
];

/** A valid kubeconfig with every kind of credential, and two broken flow-style ones. */
function kubeconfigs(): Record<string, string> {
  return {
    'admin.conf': `apiVersion: v1
kind: Config
clusters:
- name: k
  cluster: {server: "https://k:6443", certificate-authority-data: ${b64(pki.caPem)}}
users:
- name: admin
  user:
    client-certificate-data: ${b64(pki.certPem)}
    client-key-data: ${b64(keyPem(C.kubeconfigClientKey))}
    token: ${C.kubeconfigToken}
    password: ${C.kubeconfigPassword}
- name: exec
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: aws, env: [{name: AWS_SECRET_ACCESS_KEY, value: ${C.kubeconfigExecEnv}}]}
- name: oidc
  user:
    auth-provider: {name: oidc, config: {id-token: ${C.kubeconfigAuthProvider}, client-secret: ${C.kubeconfigAuthProvider}}}
contexts:
- name: k
  context: {cluster: k, user: admin}
current-context: k
`,
    'broken.conf': `apiVersion: v1
kind: Config
users: [{name: x, user: {token: ${C.brokenKubeconfigToken}, exec: {command: x, env: [{name: K, value: ${C.brokenKubeconfigExecEnv}}]}}]
clusters: [{name: k, cluster: {server: "https://k:6443"}
`,
  };
}

let dir: TempDir;
let server: TestApiServer;

beforeAll(async () => {
  dir = tempDir('kp-canary-');
  // The dump to scan: the lab dump, plus every hostile file.
  const d = join(dir.path, 'dump');
  cpSync(LAB, d, { recursive: true });
  write(
    d,
    'resources/canary/secrets.json',
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...secretObjects(), ...configMaps()] }),
  );
  write(
    d,
    'resources/configmaps/broken.json',
    `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"j"},"data":{"password":"${C.jsonSyntaxError}"x}}]}`,
  );
  write(
    d,
    'resources/nodes/broken.yaml',
    `apiVersion: v1\nkind: Secret\nmetadata: {name: y}\nstringData:\n  password: "${C.yamlSyntaxError}\\q"\n`,
  );
  write(d, 'resources/pods/alias.yaml', `apiVersion: v1\nkind: Secret\nmetadata: {name: z}\nstringData:\n  password: *${C.yamlAlias}\n`);
  for (const [name, text] of Object.entries(kubeconfigs())) write(d, `pki/${name}`, text);
  write(d, 'tls/kubeconfig.yaml', `users: [{name: me, user: {token: ${C.brokenUserKubeconfig}}]\n`);
  write(d, 'etcd/member-list.json', `{"header":{"cluster_id":1},"members":[{"ID":1,"name":"${C.etcdFile}",,"peerURLs":[]}]}`);
  write(d, 'version.json', `{"serverVersion":{"gitVersion":"${C.versionJson}"x}}`);
  write(d, 'backups/etcd-snapshots.json', `[{"path":"/b/${C.backupsJson}"]`);
  const metrics = readFileSync(join(LAB, 'metrics/apiserver.txt'), 'utf8');
  write(
    d,
    'metrics/apiserver.txt',
    `${metrics}apiserver_requested_deprecated_apis{group="x",version="v1",resource="r"} ${C.metricsText}\n`,
  );

  // What the test API server serves, and the PKI folder collect reads.
  const served = join(dir.path, 'served');
  for (const f of ['resources/namespaces.json', 'resources/nodes.json', 'version.json', 'metrics/apiserver.txt'])
    write(served, f, readFileSync(join(LAB, f)));
  write(served, 'resources/secrets.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: secretObjects() }));
  write(served, 'resources/configmaps.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: configMaps() }));
  const pkiDir = join(dir.path, 'pki');
  write(pkiDir, 'ca.crt', pki.caPem);
  write(pkiDir, 'apiserver.pem', `${pki.certPem}${keyPem(C.keyUnderTlsCrt)}`);
  write(pkiDir, 'apiserver.key', keyPem(C.keyUnderTlsCrt));
  for (const [name, text] of Object.entries(kubeconfigs())) write(pkiDir, name, text);
  server = await TestApiServer.start(served);
});
afterAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
  await server?.close();
  dir.remove();
});

const { missing: noPdf } = await pdfTools(['pdftotext'], 'secret canary: the PDF is not checked');

describe('no secret byte leaves', () => {
  it('the canaries are distinct and really planted', () => {
    expect(new Set(Object.values(C)).size).toBe(PLACES.length);
    const planted = allFiles(join(dir.path, 'dump'))
      .map((f) => readFileSync(join(dir.path, 'dump', f), 'utf8'))
      .join('\n');
    for (const p of PLACES) {
      if (p === 'helmPayload') continue; // gzipped inside the release record
      expect(planted.includes(C[p]) || planted.includes(b64(C[p])) || planted.includes(b64(keyPem(C[p]))), p).toBe(true);
    }
  });

  it('a dump scan writes no canary in any report format, nor on stdout or stderr', { timeout: 120_000 }, async () => {
    const out = join(dir.path, 'reports');
    const formats = ['text', 'json', 'html', 'markdown', 'sarif', 'junit', 'prometheus', 'policyreport', ...(noPdf ? [] : ['pdf'])];
    const r = await runCli([
      'scan',
      '--dump',
      join(dir.path, 'dump'),
      '--now',
      '2026-01-15T00:00:00Z',
      '--format',
      formats.join(','),
      '-o',
      out,
    ]);
    expect(r.code, r.stderr).not.toBe(2);
    const written = allFiles(out);
    expect(written.length).toBeGreaterThanOrEqual(formats.length);
    const texts = [r.stdout, r.stderr];
    for (const f of written) {
      texts.push(
        f.endsWith('.pdf') ? execFileSync('pdftotext', [join(out, f), '-'], { encoding: 'utf8' }) : readFileSync(join(out, f), 'latin1'),
      );
    }
    // The hostile files are reported, by position (they are not silently skipped).
    const json = readFileSync(
      join(
        out,
        written.find((f) => f.endsWith('.json'))!,
      ),
      'utf8',
    );
    expect(json).toContain('resources/configmaps/broken.json:1:');
    expect(json).toContain('resources/nodes/broken.yaml:5:');
    expect(hits(texts.join('\n'))).toEqual([]);
  });

  it('collect from the API server writes no canary in any file', { timeout: 120_000 }, async () => {
    const kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
    const out = join(dir.path, 'collected');
    const r = await runCli(['collect', '--kubeconfig', kubeconfig, '-o', out, '--pki-dir', join(dir.path, 'pki')]);
    expect(r.code, r.stderr).toBe(0);
    const files = allFiles(out);
    expect(files).toEqual(
      expect.arrayContaining([
        'pki/admin.conf',
        'pki/broken.conf',
        'pki/apiserver.pem',
        'resources/secrets/0001.json',
        'tls/kubeconfig.yaml',
      ]),
    );
    expect(files).not.toContain('pki/apiserver.key');
    const text = [r.stdout, r.stderr, ...files.map((f) => readFileSync(join(out, f), 'latin1'))].join('\n');
    expect(text).not.toContain(server.token);
    expect(text).not.toContain('PRIVATE KEY');
    expect(hits(text)).toEqual([]);
  });
});
