/**
 * `loadKubeconfig`'s credentials are client-node's: for every kind of user a kubeconfig holds
 * (token, token file, client certificate and key as files relative to the kubeconfig or
 * embedded, basic auth, impersonation, `insecure-skip-tls-verify`, `tls-server-name`, an exec
 * plugin, a `proxy-url`), the TLS options and headers of a request equal what client-node's
 * `KubeConfig.applyToHTTPSOptions` gives for the same file and context (its agent aside: the
 * scan keeps its own unless the cluster has a proxy).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadKubeconfig, loadKubeconfigFiles } from '../../src/sources/live/kubeconfig.js';
import { tempDir, type TempDir } from '../support/live.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const CA = '-----BEGIN CERTIFICATE-----\nca of the cluster\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nclient certificate\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nclient key\n-----END PRIVATE KEY-----\n';
/** An exec plugin: prints an ExecCredential with a token. */
const EXEC = {
  apiVersion: 'client.authentication.k8s.io/v1',
  command: process.execPath,
  args: [
    '-e',
    'process.stdout.write(JSON.stringify({apiVersion:"client.authentication.k8s.io/v1",kind:"ExecCredential",status:{token:"exec-token"}}))',
  ],
  interactiveMode: 'Never',
};

const USERS: Record<string, object> = {
  token: { token: 'static-token' },
  'token-file': { 'token-file': 'TOKEN_FILE' },
  'cert-files': { 'client-certificate': 'certs/client.crt', 'client-key': 'certs/client.key' },
  'cert-data': { 'client-certificate-data': b64(CERT), 'client-key-data': b64(KEY) },
  basic: { username: 'admin', password: 'secret-password' },
  impersonating: { token: 'static-token', as: 'someone-else' },
  exec: { exec: EXEC },
};

const CLUSTERS: Record<string, object> = {
  'ca-file': { server: 'https://10.0.0.1:6443', 'certificate-authority': 'certs/ca.crt' },
  'ca-data': { server: 'https://10.0.0.1:6443/', 'certificate-authority-data': b64(CA), 'tls-server-name': 'kubernetes' },
  insecure: { server: 'https://10.0.0.2:6443', 'insecure-skip-tls-verify': true },
  proxied: { server: 'https://10.0.0.3:6443', 'certificate-authority-data': b64(CA), 'proxy-url': 'http://proxy.example:3128' },
};

let dir: TempDir;
let file: string;
const contexts: Array<{ name: string; cluster: string; user: string }> = [];

beforeAll(() => {
  dir = tempDir('kp-kubeconfig-');
  mkdirSync(join(dir.path, 'certs'));
  writeFileSync(join(dir.path, 'certs', 'ca.crt'), CA);
  writeFileSync(join(dir.path, 'certs', 'client.crt'), CERT);
  writeFileSync(join(dir.path, 'certs', 'client.key'), KEY);
  const tokenFile = join(dir.path, 'token');
  writeFileSync(tokenFile, 'token-from-file');
  for (const cluster of Object.keys(CLUSTERS))
    for (const user of Object.keys(USERS)) contexts.push({ name: `${cluster}/${user}`, cluster, user });
  file = join(dir.path, 'kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': contexts[0]!.name,
      clusters: Object.entries(CLUSTERS).map(([name, cluster]) => ({ name, cluster })),
      users: Object.entries(USERS).map(([name, user]) => ({
        name,
        user: JSON.parse(JSON.stringify(user).replace('TOKEN_FILE', tokenFile.replaceAll('\\', '\\\\'))) as object,
      })),
      contexts: contexts.map(({ name, cluster, user }) => ({ name, context: { cluster, user } })),
    }),
  );
});
afterAll(() => dir.remove());

/** What client-node gives for `context`, without the agent. */
async function clientNode(context: string): Promise<https.RequestOptions> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  kc.setCurrentContext(context);
  const o: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  delete o.agent;
  return o;
}

describe('credentials of each kind of user, as client-node gives them', () => {
  it('has a case for every cluster and user', () => {
    expect(contexts).toHaveLength(Object.keys(CLUSTERS).length * Object.keys(USERS).length);
  });

  it.each(Object.keys(CLUSTERS).flatMap((c) => Object.keys(USERS).map((u) => [`${c}/${u}`])))('%s', async (context) => {
    const conn = loadKubeconfig({ kubeconfig: file, context }, {});
    const { agent, ...ours } = await conn.credentials();
    expect(ours).toEqual(await clientNode(context));
    // client-node drops a trailing slash of the server URL.
    expect(conn.server).toBe((CLUSTERS[context.split('/')[0]!] as { server: string }).server.replace(/\/$/, ''));
    // A proxy's agent comes from client-node, and the scan uses it; otherwise the scan's own agent carries the request.
    expect(conn.proxy).toBe(context.startsWith('proxied/'));
    if (conn.proxy) expect(agent?.constructor.name).toBe('HttpsProxyAgent');
  });

  it('reads the token of an exec plugin and of a token file', async () => {
    expect((await loadKubeconfig({ kubeconfig: file, context: 'insecure/exec' }, {}).credentials()).headers).toEqual({
      Authorization: 'Bearer exec-token',
    });
    expect((await loadKubeconfig({ kubeconfig: file, context: 'insecure/token-file' }, {}).credentials()).headers).toEqual({
      Authorization: 'Bearer token-from-file',
    });
  });

  it('takes relative file paths from the kubeconfig folder, as client-node does', () => {
    const kc = loadKubeconfigFiles([file]);
    expect(kc.getCluster('ca-file')?.caFile).toBe(join(dir.path, 'certs', 'ca.crt'));
    expect(kc.getUser('cert-files')).toMatchObject({
      certFile: join(dir.path, 'certs', 'client.crt'),
      keyFile: join(dir.path, 'certs', 'client.key'),
    });
    expect(kc.getContextObject('nope')).toBeNull();
  });

  it('names the line of a YAML error and an empty file as not a kubeconfig', () => {
    const bad = join(dir.path, 'bad.yaml');
    writeFileSync(bad, 'clusters:\n- name: a\n  cluster: [\n');
    expect(() => loadKubeconfigFiles([bad])).toThrow(`kubeconfig ${bad}:4:1: invalid YAML, not a valid kubeconfig`);
    const empty = join(dir.path, 'empty.yaml');
    writeFileSync(empty, '');
    expect(() => loadKubeconfigFiles([empty])).toThrow(`kubeconfig ${empty} is not a valid kubeconfig`);
  });
});
