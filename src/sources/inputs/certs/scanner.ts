/**
 * What the scanner itself sees on a live scan: the API server's serving chain (TLS handshake)
 * and the scanner's own kubeconfig context, written by `collect` under `tls/` and read back
 * by a dump scan.
 */
import { readRegularFile } from '../../../files.js';
import { limits } from '../../../limits.js';
import forge from 'node-forge';
import { reducedKubeconfig, type KubeconfigCerts } from '../../../k8s/kubeconfig.js';
import { readCertificates } from '../../../k8s/x509.js';
import { InputError, type FileInputDef } from '../../input-def.js';
import type { LiveContext } from '../../live-context.js';
import { defined, found } from './found-certificate.js';
import type { FoundCertificate } from '../../../contract/values/certs.js';
import { fromKubeconfig, PEM_CERT_BLOCK } from './pki-files.js';

export const APISERVER_SERVING_FILE = 'tls/apiserver-serving.pem';
export const USER_KUBECONFIG_FILE = 'tls/kubeconfig.yaml';

export const apiserverServingCertInput: FileInputDef<FoundCertificate[]> = {
  type: 'files',
  key: 'apiserver-serving-cert',
  description: `Certificate chain the API server presents in the TLS handshake (${APISERVER_SERVING_FILE} in a dump)`,
  files: [APISERVER_SERVING_FILE],
  async live(ctx) {
    const chain = await ctx.peerCertificates();
    const sources = [`TLS handshake with ${ctx.server}`];
    if (chain.length === 0) return { status: 'failed', reason: `the API server at ${ctx.server} presented no certificate`, sources };
    const pem = chain.map((der) => forge.pem.encode({ type: 'CERTIFICATE', body: der.toString('binary') })).join('');
    return { status: 'ok', files: [{ path: APISERVER_SERVING_FILE, content: Buffer.from(pem) }], sources };
  },
  parse(files) {
    const f = files[0]!;
    const read = readCertificates(f.content);
    if (read.certificates.length === 0) throw new InputError(`${f.path}: no PEM certificate`);
    const value = found(read, { source: 'apiserver-serving' }, 'presented', (i) =>
      i > 0 ? { file: f.path, field: `#${i}` } : { file: f.path },
    );
    return { value, count: value.length };
  },
};

/** PEM certificates of a file, base64-encoded as a kubeconfig `-data` field; undefined when unreadable or without certificate. */
async function embedded(path: string): Promise<string | undefined> {
  const content = await readRegularFile(path, limits().maxFileBytes).catch(() => undefined);
  const certs = content?.toString('latin1').match(PEM_CERT_BLOCK);
  return certs ? Buffer.from(`${certs.join('\n')}\n`, 'latin1').toString('base64') : undefined;
}

/**
 * The scanner's kubeconfig reduced to the context in use: its cluster's CA and its user's
 * client certificate, embedded (files read, certificates only), no key or token.
 * Reads the kubeconfig files the live scan merged (`LiveContext.kubeconfigFiles`), so the certificates
 * are those of the context the scan used.
 */
export async function currentKubeconfig(ctx: LiveContext): Promise<KubeconfigCerts> {
  const { loadKubeconfigFiles } = await import('../../live/kubeconfig.js');
  const kc = loadKubeconfigFiles(ctx.kubeconfigFiles);
  const name = ctx.context ?? ctx.options.context ?? kc.getCurrentContext();
  const context = kc.getContextObject(name);
  if (!context) throw new InputError(`the kubeconfig has no context "${name}"`, 'missing');
  const cluster = kc.getCluster(context.cluster);
  const user = kc.getUser(context.user);
  const caData = cluster?.caData ?? (cluster?.caFile !== undefined ? await embedded(cluster.caFile) : undefined);
  const certData = user?.certData ?? (user?.certFile !== undefined ? await embedded(user.certFile) : undefined);
  return {
    currentContext: context.name,
    clusters: cluster
      ? [defined({ name: cluster.name, server: cluster.server, caData, caFile: caData === undefined ? cluster.caFile : undefined })]
      : [],
    users: user ? [defined({ name: user.name, certData, certFile: certData === undefined ? user.certFile : undefined })] : [],
    contexts: [{ name: context.name, cluster: context.cluster, user: context.user }],
  };
}

export const userKubeconfigInput: FileInputDef<FoundCertificate[]> = {
  type: 'files',
  key: 'user-kubeconfig',
  description: `Client and CA certificates of the scanner's kubeconfig context (${USER_KUBECONFIG_FILE} in a dump)`,
  files: [USER_KUBECONFIG_FILE],
  // The scanning user's credentials, not cluster state: a live scan reads the kubeconfig it
  // used, `collect` records it; a dump without it (or --no-cluster) has no scanning user.
  whenNoFiles: {
    status: 'absent',
    reason: `no scanning user: the dump has no ${USER_KUBECONFIG_FILE} (\`collect\` writes the kubeconfig it used there)`,
    value: () => [],
  },
  async live(ctx) {
    if (ctx.kubeconfigFiles.length === 0)
      return { status: 'absent', reason: "the scan uses the pod's service account: there is no kubeconfig certificate" };
    const k = await currentKubeconfig(ctx);
    return {
      status: 'ok',
      files: [{ path: USER_KUBECONFIG_FILE, content: Buffer.from(reducedKubeconfig(k)) }],
      sources: ctx.kubeconfigFiles,
    };
  },
  parse(files) {
    const f = files[0]!;
    const value = fromKubeconfig(f, 'user-kubeconfig', new Map(files.map((x) => [x.path, x])));
    return { value, count: value.length };
  },
};
