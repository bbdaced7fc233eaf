import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { parseFetched } from '../../src/sources/file-inputs.js';
import type { DumpFile, FileFetch } from '../../src/sources/input-def.js';
import { apiserverClientCaInput, caBundlesInput, tlsSecretsInput } from '../../src/sources/inputs/certs/api-objects.js';
import type { FoundCertificate } from '../../src/contract/values/certs.js';
import { parsePki, referencedDumpPath } from '../../src/sources/inputs/certs/pki-files.js';
import { pkiInput } from '../../src/sources/inputs/certs/pki.js';
import { apiserverServingCertInput, userKubeconfigInput } from '../../src/sources/inputs/certs/scanner.js';
import type { LiveContext } from '../../src/sources/live-context.js';
import { DumpSource } from '../../src/sources/dump.js';

const certDir = join(PACKAGE_ROOT, 'test', 'fixtures', 'certs');
const pem = (name: string): string => readFileSync(join(certDir, name), 'utf8');
const b64 = (name: string): string => Buffer.from(pem(name)).toString('base64');
/** A syntactically plausible key block; not a real key. */
const KEY = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';

function fakeLive(over: Partial<LiveContext> = {}): LiveContext {
  return {
    server: 'https://10.0.0.10:6443',
    kubeconfigFiles: [],
    options: { requestTimeoutMs: 1000 },
    get: async () => ({ status: 404, headers: {}, body: Buffer.alloc(0) }),
    peerCertificates: async () => [],
    ...over,
  };
}

function files(fetch: FileFetch | undefined): DumpFile[] {
  if (fetch?.status !== 'ok') throw new Error(`fetch is ${fetch?.status}: ${fetch && 'reason' in fetch ? fetch.reason : ''}`);
  return fetch.files;
}

const certOf = (f: FoundCertificate): string => f.cert?.subject ?? `error: ${f.error}`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kube-preflight-certs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pki input: --pki-dir on a control-plane node', () => {
  let etc: string;
  beforeAll(() => {
    etc = join(tmp, 'etc-kubernetes');
    const kubelet = join(tmp, 'var-lib-kubelet', 'pki');
    mkdirSync(join(etc, 'pki', 'etcd'), { recursive: true });
    mkdirSync(kubelet, { recursive: true });
    writeFileSync(join(etc, 'pki', 'ca.crt'), pem('ca.crt'));
    writeFileSync(join(etc, 'pki', 'ca.key'), KEY);
    writeFileSync(join(etc, 'pki', 'apiserver.crt'), pem('apiserver.crt'));
    writeFileSync(join(etc, 'pki', 'etcd', 'server.pem'), `${KEY}${pem('sans.crt')}`);
    writeFileSync(join(etc, 'pki', 'only-key.pem'), KEY);
    writeFileSync(join(kubelet, 'kubelet-client-current.pem'), `${pem('sans.crt')}${KEY}`);
    writeFileSync(
      join(etc, 'admin.conf'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.10:6443\n    certificate-authority-data: ${b64('ca.crt')}\ncontexts:\n- name: a@k\n  context: {cluster: k, user: a}\ncurrent-context: a@k\nusers:\n- name: a\n  user:\n    client-certificate-data: ${b64('apiserver.crt')}\n    client-key-data: ${Buffer.from(KEY).toString('base64')}\n    token: secret-token\n`,
    );
    writeFileSync(
      join(etc, 'kubelet.conf'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: k\n  cluster:\n    server: https://10.0.0.10:6443\n    certificate-authority: ${join(etc, 'pki', 'ca.crt')}\nusers:\n- name: system:node:cp-1\n  user:\n    client-certificate: ../var-lib-kubelet/pki/kubelet-client-current.pem\n    client-key: ../var-lib-kubelet/pki/kubelet-client-current.pem\n`,
    );
  });

  it('reads certificates without keys, reduced kubeconfigs from the parent folder, and the files they reference', async () => {
    const got = files(await pkiInput.fromOptions!({ pkiDir: join(etc, 'pki'), requestTimeoutMs: 1000 }));
    expect(got.map((f) => f.path)).toEqual([
      'pki/admin.conf',
      'pki/apiserver.crt',
      'pki/ca.crt',
      'pki/etcd/server.pem',
      'pki/kubelet-client-current.crt',
      'pki/kubelet.conf',
    ]);
    for (const f of got) {
      const text = f.content.toString();
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain('client-key');
      expect(text).not.toContain('secret-token');
    }
    const value = parsePki(got);
    expect(value.every((f) => f.cert)).toBe(true);
    expect(value.find((f) => f.kubeadmName === 'admin.conf')?.resource).toEqual({
      file: 'pki/admin.conf',
      field: 'users[a].client-certificate-data',
    });
    expect(
      value.find((f) => 'file' in f.resource && f.resource.field === 'users[system:node:cp-1].client-certificate')?.cert?.commonName,
    ).toBe('all-the-sans');
    expect(value.find((f) => 'file' in f.resource && f.resource.field === 'clusters[k].certificate-authority')?.role).toBe('ca');
  });

  it('fails with the reason when the folder does not exist', async () => {
    expect(await pkiInput.fromOptions!({ pkiDir: join(tmp, 'nope'), requestTimeoutMs: 1000 })).toEqual({
      status: 'failed',
      reason: `--pki-dir ${join(tmp, 'nope')}: no such folder`,
    });
  });

  it('is not set without --pki-dir, and is missing on a live scan without it', async () => {
    expect(await pkiInput.fromOptions!({ requestTimeoutMs: 1000 })).toBeUndefined();
    const live = await pkiInput.live!(fakeLive());
    expect(live).toMatchObject({ status: 'missing', reason: expect.stringContaining('--pki-dir') });
  });

  it('takes precedence over the pki/ of a dump', async () => {
    const source = await DumpSource.open(join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26'));
    try {
      const got = (await source.load([pkiInput], { pkiDir: join(etc, 'pki'), requestTimeoutMs: 1000 })).get('pki')!;
      expect(got.status).toBe('ok');
      expect(got.sources).toEqual([join(etc, 'pki')]);
      expect((got.value as FoundCertificate[]).some((f) => f.kubeadmName === 'etcd-ca')).toBe(false);
    } finally {
      await source.close();
    }
  });
});

describe('pki input: parsing', () => {
  const file = (path: string, content: string): DumpFile => ({ path, content: Buffer.from(content) });

  it('is missing when the folder holds no certificate or kubeconfig', () => {
    const c = parseFetched(pkiInput, { status: 'ok', files: [file('pki/sa.pub', 'x'), file('pki/sa.key', KEY)] });
    expect(c).toMatchObject({ status: 'missing', reason: expect.stringContaining('no certificate') });
  });

  it('resolves kubeconfig file references inside the dump', () => {
    const index = new Map([
      ['pki/etcd/ca.crt', file('pki/etcd/ca.crt', '')],
      ['pki/kubelet-client-current.crt', file('pki/kubelet-client-current.crt', '')],
      ['pki/sub/ca.crt', file('pki/sub/ca.crt', '')],
    ]);
    expect(referencedDumpPath('pki/admin.conf', '/etc/kubernetes/pki/etcd/ca.crt', index)).toBe('pki/etcd/ca.crt');
    expect(referencedDumpPath('pki/kubelet.conf', '/var/lib/kubelet/pki/kubelet-client-current.pem', index)).toBe(
      'pki/kubelet-client-current.crt',
    );
    expect(referencedDumpPath('pki/sub/x.kubeconfig', 'ca.crt', index)).toBe('pki/sub/ca.crt');
    expect(referencedDumpPath('pki/kubelet.conf', '/somewhere/else.pem', index)).toBeUndefined();
  });

  it('gives the kubeadm name and user to the client certificate, not to the chain after it', () => {
    const conf = `apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-certificate-data: ${Buffer.from(pem('apiserver.crt') + pem('ca.crt')).toString('base64')}\n`;
    const value = parsePki([file('pki/admin.conf', conf)]);
    expect(value.map((f) => [f.resource, f.role, f.kubeadmName ?? null, f.kubeconfigUser ?? null])).toEqual([
      [{ file: 'pki/admin.conf', field: 'users[admin].client-certificate-data' }, 'leaf', 'admin.conf', 'admin'],
      [{ file: 'pki/admin.conf', field: 'users[admin].client-certificate-data#1' }, 'ca', null, null],
    ]);
  });

  it('names the n-th certificate of a file bundle #n, the first without a field', () => {
    const value = parsePki([file('pki/bundle.crt', `${pem('ca.crt')}${pem('ca-same-name-other-key.crt')}`)]);
    expect(value.map((f) => f.resource)).toEqual([{ file: 'pki/bundle.crt' }, { file: 'pki/bundle.crt', field: '#1' }]);
    expect(value.map((f) => f.role)).toEqual(['ca', 'ca']);
    expect(value[0]!.kubeadmName).toBeUndefined();
  });
});

describe('resource inputs', () => {
  it('tls-secrets: tls.crt leaf first, its chain and ca.crt as CAs, cert-manager owner', () => {
    const v = tlsSecretsInput.normalize({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/tls',
      metadata: { namespace: 'prod', name: 'web', annotations: { 'cert-manager.io/certificate-name': 'web' } },
      data: { 'tls.crt': Buffer.from(pem('apiserver.crt') + pem('ca.crt')).toString('base64'), 'ca.crt': b64('ca.crt') },
    })!;
    expect(v.map((f) => [f.resource, f.role, f.certManagerCertificate])).toEqual([
      [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web', field: 'tls.crt#0' }, 'leaf', 'web'],
      [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web', field: 'tls.crt#1' }, 'ca', 'web'],
      [{ apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web', field: 'ca.crt#0' }, 'ca', 'web'],
    ]);
    expect(tlsSecretsInput.select).toEqual({ fieldSelector: 'type=kubernetes.io/tls' });
  });

  it('ca-bundles: webhooks, APIServices and CRD conversion (v1 and v1beta1), nothing for objects without a caBundle', () => {
    const webhook = caBundlesInput.normalize({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'policy', annotations: { 'cert-manager.io/inject-ca-from': 'policy/webhook-cert' } },
      webhooks: [
        { name: 'a.example.com', clientConfig: { caBundle: b64('ca.crt') } },
        { name: 'b.example.com', clientConfig: { url: 'https://x' } },
      ],
    })!;
    expect(webhook.map((f) => [f.resource, f.source, f.role, f.injectCaFrom])).toEqual([
      [
        {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'ValidatingWebhookConfiguration',
          name: 'policy',
          field: 'webhooks[a.example.com].clientConfig.caBundle#0',
        },
        'webhook-ca-bundle',
        'ca',
        'policy/webhook-cert',
      ],
    ]);
    const crd = caBundlesInput.normalize({
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'old.example.com' },
      spec: { conversion: { strategy: 'Webhook', webhookClientConfig: { caBundle: b64('ca.crt') } } },
    })!;
    expect(crd[0]!.resource).toEqual({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'old.example.com',
      field: 'spec.conversion.webhookClientConfig.caBundle#0',
    });
    expect(
      caBundlesInput.normalize({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.apps' }, spec: {} }),
    ).toBeUndefined();
    expect(
      caBundlesInput.normalize({
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1.x' },
        spec: { caBundle: b64('ca.crt'), insecureSkipTLSVerify: true },
      }),
    ).toBeUndefined();
  });

  it('apiserver-client-ca: both CA files of extension-apiserver-authentication', () => {
    const v = apiserverClientCaInput.normalize({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'kube-system', name: 'extension-apiserver-authentication' },
      data: { 'client-ca-file': pem('ca.crt'), 'requestheader-client-ca-file': pem('ca-same-name-other-key.crt') },
    })!;
    expect(v.map((f) => [f.source, (f.resource as { field: string }).field])).toEqual([
      ['apiserver-client-ca', 'client-ca-file#0'],
      ['apiserver-requestheader-ca', 'requestheader-client-ca-file#0'],
    ]);
  });
});

describe('live-only inputs', () => {
  it('apiserver-serving-cert: the handshake chain as tls/apiserver-serving.pem, leaf first', async () => {
    const chain = [readFileSync(join(certDir, 'apiserver.der')), Buffer.from(pem('ca.crt').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')];
    const fetched = await apiserverServingCertInput.live!(fakeLive({ peerCertificates: async () => chain }));
    const c = parseFetched(apiserverServingCertInput, fetched);
    expect(c.status).toBe('ok');
    expect((c.value as FoundCertificate[]).map((f) => [f.resource, f.role, certOf(f)])).toEqual([
      [{ file: 'tls/apiserver-serving.pem' }, 'leaf', 'CN=kube-apiserver'],
      [{ file: 'tls/apiserver-serving.pem', field: '#1' }, 'ca', 'CN=kubernetes'],
    ]);
  });

  it('apiserver-serving-cert: fails when the server presents no certificate', async () => {
    expect(await apiserverServingCertInput.live!(fakeLive())).toMatchObject({ status: 'failed' });
  });

  it('user-kubeconfig: the context in use, certificate files embedded, no credential kept', async () => {
    const dir = join(tmp, 'home');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'client.crt'), pem('sans.crt'));
    writeFileSync(join(dir, 'client.key'), KEY);
    writeFileSync(
      join(dir, 'config'),
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: lab',
        '  cluster: { server: "https://10.0.0.10:6443", certificate-authority-data: "' + b64('ca.crt') + '" }',
        '- name: other',
        '  cluster: { server: "https://10.9.9.9:6443" }',
        'contexts:',
        '- name: me@lab',
        '  context: { cluster: lab, user: me }',
        '- name: other',
        '  context: { cluster: other, user: other }',
        'current-context: other',
        'users:',
        '- name: me',
        '  user: { client-certificate: client.crt, client-key: client.key }',
        '- name: other',
        '  user: { token: abc }',
      ].join('\n'),
    );
    const fetched = await userKubeconfigInput.live!(fakeLive({ kubeconfigFiles: [join(dir, 'config')], context: 'me@lab' }));
    const f = files(fetched);
    expect(f.map((x) => x.path)).toEqual(['tls/kubeconfig.yaml']);
    const text = f[0]!.content.toString();
    expect(text).not.toMatch(/client-key|token|PRIVATE|other/);
    const c = parseFetched(userKubeconfigInput, fetched);
    expect((c.value as FoundCertificate[]).map((x) => [x.resource, x.role, x.kubeconfigUser ?? null, certOf(x)])).toEqual([
      [
        { file: 'tls/kubeconfig.yaml', field: 'users[me].client-certificate-data' },
        'leaf',
        'me',
        'CN=all-the-sans,OU=ops,O=Acme\\, Inc.,C=DE',
      ],
      [{ file: 'tls/kubeconfig.yaml', field: 'clusters[lab].certificate-authority-data' }, 'ca', null, 'CN=kubernetes'],
    ]);
  });

  it('user-kubeconfig: reads the merged kubeconfig files of the scan; in a pod there is none (absent)', async () => {
    const dir = join(tmp, 'home');
    const viaFiles = await userKubeconfigInput.live!(
      fakeLive({ kubeconfigPath: 'ignored:for-messages', kubeconfigFiles: [join(dir, 'config')], context: 'me@lab' }),
    );
    expect(files(viaFiles).map((x) => x.path)).toEqual(['tls/kubeconfig.yaml']);
    expect(await userKubeconfigInput.live!(fakeLive({ kubeconfigPath: 'in-cluster service account', kubeconfigFiles: [] }))).toEqual({
      status: 'absent',
      reason: "the scan uses the pod's service account: there is no kubeconfig certificate",
    });
  });

  it('user-kubeconfig: a context that does not exist is missing', async () => {
    const fetched = userKubeconfigInput.live!(fakeLive({ kubeconfigFiles: [join(tmp, 'home', 'config')], context: 'nope' }));
    await expect(fetched).rejects.toMatchObject({ status: 'missing', message: expect.stringContaining('"nope"') });
  });
});

describe('certificate fields of the wrong type', () => {
  const secret = (data: unknown) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name: 'web-tls', namespace: 'prod' },
    data,
  });
  it('a Secret data that is not a map is an error naming the path, after redaction kept its type but not its value', async () => {
    const { redact } = await import('../../src/sources/redact.js');
    const { tlsSecretsInput } = await import('../../src/sources/inputs/certs/api-objects.js');
    const r = redact(secret('c2VjcmV0'));
    expect(r.data).toBe('');
    expect(() => tlsSecretsInput.normalize(r)).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.data: expected an object, got a string' }),
    );
  });

  it('a tls.crt of the wrong type is that certificate unread, the Secret is kept', async () => {
    const { redact } = await import('../../src/sources/redact.js');
    const { tlsSecretsInput } = await import('../../src/sources/inputs/certs/api-objects.js');
    const found = tlsSecretsInput.normalize(redact(secret({ 'tls.crt': { pem: 'x' }, 'tls.key': 'a2V5' })))!;
    expect(found).toEqual([
      {
        resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web-tls', field: 'tls.crt#0' },
        source: 'tls-secret',
        role: 'leaf',
        error: 'tls.crt is not a string: dropped, not read',
      },
    ]);
  });

  it('a .crt holding only a private key keeps the block type, not the key, and is named as unreadable', async () => {
    const { withoutPrivateKeys } = await import('../../src/sources/inputs/certs/pki-files.js');
    const { pkiInput } = await import('../../src/sources/inputs/certs/pki.js');
    const kept = withoutPrivateKeys(
      Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkey\n-----END EC PRIVATE KEY-----\n'),
    ).toString();
    expect(kept).toBe('-----BEGIN EC PRIVATE KEY-----\n-----END EC PRIVATE KEY-----\n');
    const { value } = pkiInput.parse([
      { path: 'pki/apiserver.crt', content: Buffer.from(kept) },
      { path: 'pki/ca-key.pem', content: Buffer.from(kept) },
    ]);
    expect(value).toEqual([
      {
        resource: { file: 'pki/apiserver.crt' },
        source: 'pki-file',
        role: 'leaf',
        error: 'no certificate in the file, only PEM EC PRIVATE KEY block(s)',
      },
    ]);
  });
});

describe('caBundle and client CA fields of the wrong type', () => {
  const webhookConfig = (webhooks: unknown) => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'inject' },
    webhooks,
  });

  it('ca-bundles: a caBundle of the wrong type is that bundle unreadable, naming the path; the other webhooks are kept', async () => {
    const { caBundlesInput } = await import('../../src/sources/inputs/certs/api-objects.js');
    const found = caBundlesInput.normalize(
      webhookConfig([
        { name: 'a.example.com', clientConfig: { caBundle: ['x'] } },
        { name: 'b.example.com', clientConfig: { caBundle: '' } },
      ]),
    )!;
    expect(found).toEqual([
      {
        resource: {
          apiVersion: 'admissionregistration.k8s.io/v1',
          kind: 'MutatingWebhookConfiguration',
          name: 'inject',
          field: 'webhooks[a.example.com].clientConfig.caBundle#0',
        },
        source: 'webhook-ca-bundle',
        role: 'ca',
        error: '.webhooks[0].clientConfig.caBundle: expected a string, got a list',
      },
    ]);
    const apiService = caBundlesInput.normalize({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io' },
      spec: { caBundle: 12 },
    })!;
    expect(apiService.map((f) => [f.resource.field, f.error])).toEqual([
      ['spec.caBundle#0', '.spec.caBundle: expected a string, got an integer'],
    ]);
    const crd = caBundlesInput.normalize({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { caBundle: { pem: 'x' } } } } },
    })!;
    expect(crd.map((f) => [f.resource.field, f.error])).toEqual([
      [
        'spec.conversion.webhook.clientConfig.caBundle#0',
        '.spec.conversion.webhook.clientConfig.caBundle: expected a string, got an object',
      ],
    ]);
  });

  it('ca-bundles: a structure of the wrong type is an error naming its path (the object is an unread part)', async () => {
    const { caBundlesInput } = await import('../../src/sources/inputs/certs/api-objects.js');
    expect(() => caBundlesInput.normalize(webhookConfig({ name: 'a' }) as never)).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.webhooks: expected a list, got an object' }),
    );
    expect(() => caBundlesInput.normalize(webhookConfig([{ name: 'a', clientConfig: 'x' }]) as never)).toThrow(
      expect.objectContaining({ name: 'InputError', message: '.webhooks[0].clientConfig: expected an object, got a string' }),
    );
  });

  it('apiserver-client-ca: a data key of the wrong type is that CA unreadable, naming the path', async () => {
    const { apiserverClientCaInput } = await import('../../src/sources/inputs/certs/api-objects.js');
    const found = apiserverClientCaInput.normalize({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'kube-system', name: 'extension-apiserver-authentication' },
      data: { 'client-ca-file': 7 },
    })!;
    expect(found).toEqual([
      {
        resource: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'kube-system',
          name: 'extension-apiserver-authentication',
          field: 'client-ca-file#0',
        },
        source: 'apiserver-client-ca',
        role: 'ca',
        error: '.data.client-ca-file: expected a string, got an integer',
      },
    ]);
  });
});
