/**
 * Inputs of the certificate checks: every place a certificate the cluster depends on can be
 * read through the API or a dump (docs/dump-format.md, "Files of the file inputs"). Each input
 * yields `FoundCertificate`s: the decoded facts of one certificate (never the PEM) and where it
 * was found, or why it could not be read.
 *
 * Where a certificate was found is the `resource` of findings about it, the same in a live
 * scan and in a dump scan:
 * - PKI files: `{ file: 'pki/apiserver.crt' }` (relative to the PKI folder, also with
 *   `--pki-dir`); the n-th certificate of a bundle has `field: '#n'` for n ≥ 1.
 * - kubeconfigs: `{ file: 'pki/admin.conf', field: 'users[kubernetes-admin].client-certificate-data' }`,
 *   `clusters[<name>].certificate-authority-data`, `#n` appended for n ≥ 1.
 * - objects: `{ apiVersion: 'v1', kind: 'Secret', namespace, name, field: 'tls.crt#0' }`,
 *   `webhooks[<name>].clientConfig.caBundle#0`, `spec.caBundle#0` (APIService),
 *   `spec.conversion.webhook.clientConfig.caBundle#0` (CRD), `client-ca-file#0` (ConfigMap).
 * - the API server's serving chain `{ file: 'tls/apiserver-serving.pem' }` and the scanner's own
 *   kubeconfig `{ file: 'tls/kubeconfig.yaml', field: 'users[<name>].client-certificate-data' }`:
 *   a live scan fetches them, `collect` writes them there, a dump scan reads them back.
 */
import { readdir, stat } from 'node:fs/promises';
import { readRegularFile } from '../../files.js';
import { limits } from '../../limits.js';
import { basename, dirname, extname, join, posix, resolve } from 'node:path';
import forge from 'node-forge';
import type { InputPart, ResourceRef } from '../../engine/types.js';
import { kubeadmCertName, kubeadmKubeconfigName, KUBEADM_KUBECONFIG_FILES } from '../../k8s/kubeadm-pki.js';
import {
  KubeconfigError,
  readKubeconfig,
  reducedKubeconfig,
  reducedKubeconfigText,
  type KubeconfigCerts,
} from '../../k8s/kubeconfig.js';
import type { KubeObject } from '../../k8s/objects.js';
import { R } from '../../k8s/resources.js';
import { readBase64Certificates, readCertificates, type CertificateInfo, type CertificatesRead } from '../../k8s/x509.js';
import { apiVersionOf, filePart, InputError, type ApiResource, type DumpFile, type FileFetch, type FileInputDef, type ResourceInputDef } from '../input-def.js';
import type { LiveContext } from '../live-context.js';
import { redactedFields } from '../redact.js';
import { pathText, readAs, typeName, z } from '../schema.js';

/** Where a certificate was read from. */
export type CertificateSource =
  | 'pki-file'
  | 'kubeconfig'
  | 'tls-secret'
  | 'webhook-ca-bundle'
  | 'apiservice-ca-bundle'
  | 'crd-ca-bundle'
  | 'apiserver-client-ca'
  | 'apiserver-requestheader-ca'
  | 'apiserver-serving'
  | 'user-kubeconfig';

/** One certificate found somewhere, or a certificate that could not be read there. */
export interface FoundCertificate {
  /** Where it was found; the resource of findings and unknowns about it. */
  resource: ResourceRef;
  source: CertificateSource;
  /**
   * `leaf`: the certificate presented by a server or client (first of `tls.crt`, of a client
   * certificate, of a serving chain, or a non-CA PKI file); `ca`: a trust anchor or a chain CA
   * (CA bundles, `ca.crt`, `certificate-authority-data`, CA files, CAs after a leaf).
   */
  role: 'ca' | 'leaf';
  /** kubeadm's name (`apiserver`, `etcd-ca`, `admin.conf`) for the certificates kubeadm manages. */
  kubeadmName?: string;
  /** The kubeconfig user whose client certificate it is. */
  kubeconfigUser?: string;
  /** The cert-manager Certificate that writes the Secret (annotation `cert-manager.io/certificate-name`). */
  certManagerCertificate?: string;
  /** What cert-manager's cainjector copies the CA bundle from (annotation `cert-manager.io/inject-ca-from[-secret]`). */
  injectCaFrom?: string;
  /** The certificate's facts; absent when it could not be read. */
  cert?: CertificateInfo;
  /** Why it could not be read. */
  error?: string;
}

declare module '../input-types.js' {
  interface InputTypes {
    pki: FoundCertificate[];
    'tls-secrets': FoundCertificate[][];
    'ca-bundles': FoundCertificate[][];
    'apiserver-client-ca': FoundCertificate[][];
    'apiserver-serving-cert': FoundCertificate[];
    'user-kubeconfig': FoundCertificate[];
  }
}

type Context = Pick<FoundCertificate, 'source' | 'kubeadmName' | 'kubeconfigUser' | 'certManagerCertificate' | 'injectCaFrom'>;

/**
 * How the certificates of one field take their role: `presented` (the first is the leaf, later
 * CA certificates are its chain), `trust` (all are CAs), `own` (each by its basicConstraints).
 */
type Layout = 'presented' | 'trust' | 'own';

/**
 * The found certificates of one field or file. `kubeadmName` and `kubeconfigUser` name the
 * first certificate only: the ones after it are its chain.
 */
function found(read: CertificatesRead, ctx: Context, layout: Layout, at: (i: number) => ResourceRef): FoundCertificate[] {
  return read.certificates.map((r) => {
    const own = r.index === 0 ? ctx : { ...ctx, kubeadmName: undefined, kubeconfigUser: undefined };
    const base = { resource: at(r.index), ...defined(own) };
    if ('error' in r) return { ...base, role: 'leaf' as const, error: r.error };
    const role = layout === 'trust' || (layout === 'presented' ? r.index > 0 && r.cert.isCA : r.cert.isCA) ? ('ca' as const) : ('leaf' as const);
    return { ...base, role, cert: r.cert };
  });
}

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `#n` for the n-th certificate of a file or kubeconfig field, nothing for the first. */
const nth = (i: number): string => (i > 0 ? `#${i}` : '');

const CERT_FILE = /\.(crt|pem|cer)$/i;
const KUBECONFIG_FILE = /\.(conf|kubeconfig)$/i;

// ---------------------------------------------------------------------------------------------
// PKI folder

/** Files of a dump by path, for resolving kubeconfig file references. */
type FileIndex = ReadonlyMap<string, DumpFile>;

/**
 * Reads the certificates of one PEM/DER file of the PKI folder. A `.pem` that holds only other
 * PEM blocks is a key file (cfssl's `ca-key.pem`) and gives nothing; a `.crt` or `.cer` that
 * does is a certificate that could not be read (an entry with `error` naming the block types,
 * never their content).
 */
function fromCertFile(f: DumpFile): FoundCertificate[] {
  const read = readCertificates(f.content);
  if (read.certificates.length === 0) {
    if (read.otherBlocks.length > 0 && /\.pem$/i.test(f.path)) return [];
    const error = read.otherBlocks.length > 0 ? `no certificate in the file, only PEM ${[...new Set(read.otherBlocks)].join(', ')} block(s)` : 'no PEM or DER certificate in the file';
    return [{ resource: { file: f.path }, source: 'pki-file', role: 'leaf', error }];
  }
  const kubeadmName = kubeadmCertName(f.path.slice('pki/'.length));
  return found(read, { source: 'pki-file', kubeadmName }, 'own', (i) => (i > 0 ? { file: f.path, field: `#${i}` } : { file: f.path }));
}

/**
 * The dump file a kubeconfig's `client-certificate` / `certificate-authority` path names:
 * a relative path from the kubeconfig's folder; for an absolute path, the part after its last
 * `/pki/` under `pki/` (`/etc/kubernetes/pki/etcd/ca.crt` → `pki/etcd/ca.crt`), else the same
 * file name, or the same name with `.crt`, at the top of `pki/`
 * (`/var/lib/kubelet/pki/kubelet-client-current.pem` → `pki/kubelet-client-current.pem` or `.crt`).
 */
export function referencedDumpPath(kubeconfigPath: string, ref: string, files: FileIndex): string | undefined {
  const candidates: string[] = [];
  if (!ref.startsWith('/')) candidates.push(posix.normalize(posix.join(posix.dirname(kubeconfigPath), ref)));
  const pkiAt = ref.lastIndexOf('/pki/');
  if (pkiAt >= 0) candidates.push(`pki/${ref.slice(pkiAt + '/pki/'.length)}`);
  const name = posix.basename(ref);
  candidates.push(`pki/${name}`, `pki/${name.slice(0, name.length - posix.extname(name).length)}.crt`);
  return candidates.find((c) => files.has(c));
}

/**
 * Reads the client and CA certificates of a kubeconfig, embedded (`-data`) or in a file the
 * dump holds. A referenced file the dump does not hold is an unreadable entry naming the path.
 */
function fromKubeconfig(f: DumpFile, source: 'kubeconfig' | 'user-kubeconfig', files: FileIndex): FoundCertificate[] {
  let k: KubeconfigCerts;
  try {
    k = readKubeconfig(f.content.toString('utf8'));
  } catch (e) {
    const line = e instanceof KubeconfigError && e.line ? `line ${e.line}${e.column ? `, column ${e.column}` : ''}: ` : '';
    return [{ resource: { file: f.path }, source, role: 'leaf', error: `${line}${(e as Error).message}` }];
  }
  const kubeadmName = source === 'kubeconfig' ? kubeadmKubeconfigName(f.path.slice('pki/'.length)) : undefined;
  const out: FoundCertificate[] = [];
  const fromRef = (ref: string, field: string, ctx: Context, layout: Layout): void => {
    const target = referencedDumpPath(f.path, ref, files);
    const resource = { file: f.path, field };
    if (!target) {
      out.push({
        resource,
        ...defined(ctx),
        role: 'leaf',
        error:
          source === 'kubeconfig'
            ? `${field} is the file ${ref}, which is not in pki/: copy its certificate (without the key) ` +
              `there, e.g. \`openssl x509 -in ${ref} -out pki/${posix.basename(ref, posix.extname(ref))}.crt\``
            : `${field} is the file ${ref}, which could not be read when the kubeconfig was read`,
      });
      return;
    }
    out.push(...found(readCertificates(files.get(target)!.content), ctx, layout, (i) => ({ file: f.path, field: `${field}${nth(i)}` })));
  };
  for (const u of k.users) {
    const ctx: Context = { source, kubeadmName, kubeconfigUser: u.name };
    if (u.certData !== undefined) {
      const field = `users[${u.name}].client-certificate-data`;
      out.push(...found(readBase64Certificates(u.certData), ctx, 'presented', (i) => ({ file: f.path, field: `${field}${nth(i)}` })));
    } else if (u.certFile !== undefined) fromRef(u.certFile, `users[${u.name}].client-certificate`, ctx, 'presented');
  }
  for (const c of k.clusters) {
    if (c.caData !== undefined) {
      const field = `clusters[${c.name}].certificate-authority-data`;
      out.push(...found(readBase64Certificates(c.caData), { source }, 'trust', (i) => ({ file: f.path, field: `${field}${nth(i)}` })));
    } else if (c.caFile !== undefined) fromRef(c.caFile, `clusters[${c.name}].certificate-authority`, { source }, 'trust');
  }
  return out;
}

/**
 * Parses the PKI folder: certificate files first (sorted by path), then kubeconfigs, so a
 * certificate found both in a file and in a kubeconfig is first seen in the file.
 * Throws `InputError` (missing) when the folder holds no certificate or kubeconfig file.
 */
export function parsePki(files: DumpFile[]): FoundCertificate[] {
  const index: FileIndex = new Map(files.map((f) => [f.path, f]));
  const certFiles = files.filter((f) => CERT_FILE.test(f.path));
  const kubeconfigs = files.filter((f) => KUBECONFIG_FILE.test(f.path));
  if (certFiles.length === 0 && kubeconfigs.length === 0) {
    throw new InputError(`pki/ holds no certificate (*.crt, *.pem, *.cer) or kubeconfig (*.conf, *.kubeconfig) file among its ${files.length} file(s)`, 'missing');
  }
  return [...certFiles.flatMap(fromCertFile), ...kubeconfigs.flatMap((f) => fromKubeconfig(f, 'kubeconfig', index))];
}

const PEM_CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

const PEM_ANY_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * A certificate file's content without any private key. A file without certificate keeps its
 * PEM blocks emptied (`-----BEGIN RSA PRIVATE KEY-----` and its END line, no content), so a
 * `.crt` that holds only a key is still seen, and named, as such (`fromCertFile`).
 */
export function withoutPrivateKeys(content: Buffer): Buffer {
  const text = content.toString('latin1');
  if (!text.includes('PRIVATE KEY-----')) return content;
  const certs = text.match(PEM_CERT_BLOCK);
  if (certs) return Buffer.from(`${certs.join('\n')}\n`, 'latin1');
  const types = [...text.matchAll(PEM_ANY_BLOCK)].map((m) => m[1]!);
  return Buffer.from(types.map((t) => `-----BEGIN ${t}-----\n-----END ${t}-----\n`).join(''), 'latin1');
}

/**
 * A kubeconfig reduced to its certificates (no key, token, password, exec or auth-provider
 * configuration), as a dump keeps it; for a file that is not a kubeconfig, a stand-in that
 * records only where and why it could not be read (`reducedKubeconfigText`).
 */
export function reducedKubeconfigFile(content: Buffer): Buffer {
  return Buffer.from(reducedKubeconfigText(content.toString('utf8')));
}

async function walk(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    // Anything but a folder is listed: a FIFO, socket or device named like a certificate is
    // then named as not read, never skipped in silence (and never opened).
    if (e.isDirectory()) out.push(...(await walk(root, p)));
    else out.push(p);
  }
  return out.sort();
}

/**
 * Reads `--pki-dir` the way `pki/` of a dump is laid out: certificate files (private keys
 * dropped) and kubeconfigs (reduced) at any depth, kubeadm's kubeconfigs from the parent folder
 * (kubeadm keeps them in `/etc/kubernetes`, the PKI in `/etc/kubernetes/pki`), and the files
 * those kubeconfigs reference outside the folder (the kubelet's rotated
 * `/var/lib/kubelet/pki/kubelet-client-current.pem`), as `pki/<name>.crt`, certificates only.
 */
export async function readPkiDir(dir: string): Promise<FileFetch> {
  const root = resolve(dir);
  try {
    if (!(await stat(root)).isDirectory()) return { status: 'failed', reason: `--pki-dir ${dir} is not a folder` };
  } catch (e) {
    return { status: 'failed', reason: `--pki-dir ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}` };
  }
  const files: DumpFile[] = [];
  const kubeconfigs: Array<{ abs: string; file: DumpFile }> = [];
  const problems: string[] = [];
  const unread: InputPart[] = [];
  const read = async (abs: string, rel: string): Promise<Buffer | undefined> => {
    try {
      return await readRegularFile(abs, limits().maxFileBytes);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      problems.push(`${abs}: ${why}`);
      unread.push(filePart(`pki/${rel}`, 'failed', `${abs}: ${why}`, `pki/${rel}`));
      return undefined;
    }
  };
  // Files outside the folder (kubeadm's kubeconfigs, what they reference): read when regular.
  const readOutside = (abs: string): Promise<Buffer | undefined> => readRegularFile(abs, limits().maxFileBytes).catch(() => undefined);
  for (const rel of await walk(root)) {
    const abs = join(root, rel);
    if (CERT_FILE.test(rel)) {
      const content = await read(abs, rel);
      const kept = content && withoutPrivateKeys(content);
      // A key-only `.pem` is a key file (not read); a key-only `.crt` is kept, emptied, to be named.
      if (kept && !(/\.pem$/i.test(rel) && kept !== content && !kept.includes('-----BEGIN CERTIFICATE-----'))) files.push({ path: `pki/${rel}`, content: kept });
    } else if (KUBECONFIG_FILE.test(rel)) {
      const content = await read(abs, rel);
      if (content) kubeconfigs.push({ abs, file: { path: `pki/${rel}`, content: reducedKubeconfigFile(content) } });
    }
  }
  for (const name of KUBEADM_KUBECONFIG_FILES) {
    const abs = join(dirname(root), name);
    if (kubeconfigs.some((k) => k.file.path === `pki/${name}`)) continue;
    const content = await readOutside(abs);
    if (content) kubeconfigs.push({ abs, file: { path: `pki/${name}`, content: reducedKubeconfigFile(content) } });
  }
  const index = new Map(files.map((f) => [f.path, f]));
  for (const { abs, file } of kubeconfigs) {
    let k: KubeconfigCerts;
    try {
      k = readKubeconfig(file.content.toString('utf8'));
    } catch {
      continue;
    }
    const refs = [...k.users.map((u) => u.certFile), ...k.clusters.map((c) => c.caFile)].filter((r): r is string => r !== undefined);
    for (const ref of refs) {
      const target = resolve(dirname(abs), ref);
      if (target.startsWith(`${root}/`) || referencedDumpPath(file.path, ref, index)) continue;
      const content = await readOutside(target);
      if (!content) continue;
      const copy = { path: `pki/${basename(target, extname(target))}.crt`, content: withoutPrivateKeys(content) };
      files.push(copy);
      index.set(copy.path, copy);
    }
  }
  files.push(...kubeconfigs.map((k) => k.file));
  if (files.length === 0 && problems.length > 0) return { status: 'failed', reason: `--pki-dir ${dir}: ${problems.join('; ')}`, sources: [root] };
  return { status: 'ok', files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), sources: [root], ...(unread.length > 0 ? { unread } : {}) };
}

export const pkiInput: FileInputDef<FoundCertificate[]> = {
  type: 'files',
  key: 'pki',
  description: 'kubeadm PKI: certificates (*.crt, *.pem) and kubeconfigs (*.conf) of pki/ or --pki-dir',
  files: ['pki/'],
  async live() {
    return {
      status: 'missing',
      reason: 'the PKI is on the control-plane nodes, not in the API: run on a control-plane node with ' +
        '--pki-dir /etc/kubernetes/pki (kubeadm) to read it',
    };
  },
  async fromOptions(opts) {
    return opts.pkiDir === undefined ? undefined : readPkiDir(opts.pkiDir);
  },
  parse(files) {
    const value = parsePki(files);
    return { value, count: value.length };
  },
};

// ---------------------------------------------------------------------------------------------
// Objects of the API

/** `data` of a Secret or ConfigMap: a map (its values are checked field by field). */
const DATA = z.object({ data: z.record(z.string(), z.unknown()).nullish() });

export const tlsSecretsInput: ResourceInputDef<FoundCertificate[]> = {
  type: 'resources',
  key: 'tls-secrets',
  description: 'Secrets of type kubernetes.io/tls: certificates of tls.crt and ca.crt',
  resources: [{ ...R.secrets, subjects: 'TLS Secrets (type kubernetes.io/tls)' }],
  select: { fieldSelector: 'type=kubernetes.io/tls' },
  // A `data` that is not a map throws (the Secret is an unread part); a `tls.crt` or `ca.crt`
  // of the wrong type is that field's unreadable certificate. Values are redacted before (`redact`).
  normalize(o) {
    const data = readAs(DATA, o).data ?? {};
    const ref = (field: string): ResourceRef => ({ apiVersion: 'v1', kind: 'Secret', namespace: o.metadata.namespace ?? '', name: o.metadata.name!, field });
    const ctx: Context = { source: 'tls-secret', certManagerCertificate: o.metadata.annotations?.['cert-manager.io/certificate-name'] };
    const out: FoundCertificate[] = [];
    const dropped = redactedFields(o);
    for (const [key, layout] of [['tls.crt', 'presented'], ['ca.crt', 'trust']] as const) {
      const v = data[key];
      if (typeof v === 'string') out.push(...found(readBase64Certificates(v), ctx, layout, (i) => ref(`${key}#${i}`)));
      const gone = dropped.find((d) => d.field === `data.${key}`);
      if (gone && typeof v !== 'string') out.push({ resource: ref(`${key}#0`), ...defined(ctx), role: 'leaf', error: `${key} ${gone.reason}` });
    }
    return out;
  },
};

/** cert-manager cainjector's source annotation (`inject-ca-from` names a Certificate, `-secret` a Secret). */
function injectCaFrom(o: KubeObject): string | undefined {
  const a = o.metadata.annotations ?? {};
  return a['cert-manager.io/inject-ca-from'] ?? a['cert-manager.io/inject-ca-from-secret'];
}

/** A caBundle as read: its type is checked where it is used (a wrong type is that bundle unreadable). */
const caBundle = z.unknown().optional();
const CLIENT_CONFIG = z.object({ caBundle }).nullish();
const WEBHOOK_CONFIGURATION = z.object({ webhooks: z.array(z.object({ name: z.string().nullish(), clientConfig: CLIENT_CONFIG })).nullish() });
const API_SERVICE = z.object({ spec: z.object({ caBundle, insecureSkipTLSVerify: z.boolean().nullish() }).nullish() });
const CRD = z.object({
  spec: z.object({ conversion: z.object({ webhook: z.object({ clientConfig: CLIENT_CONFIG }).nullish(), webhookClientConfig: CLIENT_CONFIG }).nullish() }).nullish(),
});

/**
 * The caBundle certificates of a webhook configuration, APIService or CRD. A structure of the
 * wrong type (`webhooks` that is not a list, a `clientConfig` that is a string) throws
 * `InputError` (the object is an unread part); a caBundle of the wrong type is that bundle's
 * unreadable certificate (`field#0`, naming the path), the rest of the object is kept.
 */
function caBundleEntries(o: KubeObject): FoundCertificate[] {
  const bundles: Array<{ field: string; path: Array<string | number>; value: unknown; source: CertificateSource }> = [];
  switch (o.kind) {
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      (readAs(WEBHOOK_CONFIGURATION, o).webhooks ?? []).forEach((w, i) => {
        const value = w.clientConfig?.caBundle;
        bundles.push({ field: `webhooks[${w.name ?? ''}].clientConfig.caBundle`, path: ['webhooks', i, 'clientConfig', 'caBundle'], value, source: 'webhook-ca-bundle' });
      });
      break;
    case 'APIService': {
      const spec = readAs(API_SERVICE, o).spec;
      if (spec?.insecureSkipTLSVerify !== true) bundles.push({ field: 'spec.caBundle', path: ['spec', 'caBundle'], value: spec?.caBundle, source: 'apiservice-ca-bundle' });
      break;
    }
    case 'CustomResourceDefinition': {
      const conversion = readAs(CRD, o).spec?.conversion;
      const v1 = conversion?.webhook?.clientConfig?.caBundle;
      if (v1 != null && v1 !== '') {
        bundles.push({ field: 'spec.conversion.webhook.clientConfig.caBundle', path: ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle'], value: v1, source: 'crd-ca-bundle' });
      } else {
        const v1beta1 = conversion?.webhookClientConfig?.caBundle;
        bundles.push({ field: 'spec.conversion.webhookClientConfig.caBundle', path: ['spec', 'conversion', 'webhookClientConfig', 'caBundle'], value: v1beta1, source: 'crd-ca-bundle' });
      }
      break;
    }
  }
  const resource = CA_BUNDLE_RESOURCES.find((r) => r.kind === o.kind)!;
  const apiVersion = apiVersionOf(resource);
  const at = (field: string) => (i: number) => ({ apiVersion, kind: o.kind, name: o.metadata.name!, field: `${field}#${i}` });
  return bundles.flatMap((b) => {
    const ctx: Context = { source: b.source, injectCaFrom: injectCaFrom(o) };
    if (typeof b.value === 'string') return b.value ? found(readBase64Certificates(b.value), ctx, 'trust', at(b.field)) : [];
    if (b.value === undefined || b.value === null) return [];
    return [{ resource: at(b.field)(0), ...defined(ctx), role: 'ca' as const, error: `${pathText(b.path)}: expected a string, got ${typeName(b.value)}` }];
  });
}

const CA_BUNDLE_RESOURCES: ApiResource[] = [
  { ...R.validatingwebhookconfigurations, subjects: 'CA bundles of ValidatingWebhookConfigurations' },
  { ...R.mutatingwebhookconfigurations, subjects: 'CA bundles of MutatingWebhookConfigurations' },
  { ...R.apiservices, subjects: 'CA bundles of APIServices' },
  { ...R.customresourcedefinitions, subjects: 'CA bundles of CustomResourceDefinition conversion webhooks' },
];

export const caBundlesInput: ResourceInputDef<FoundCertificate[]> = {
  type: 'resources',
  key: 'ca-bundles',
  description: 'caBundle certificates of admission webhooks, APIServices and CRD conversion webhooks',
  resources: CA_BUNDLE_RESOURCES,
  normalize(o) {
    const entries = caBundleEntries(o);
    return entries.length > 0 ? entries : undefined;
  },
};

export const apiserverClientCaInput: ResourceInputDef<FoundCertificate[]> = {
  type: 'resources',
  key: 'apiserver-client-ca',
  description: 'CAs the API server trusts for client certificates (ConfigMap kube-system/extension-apiserver-authentication)',
  resources: [{ ...R.configmaps, subjects: 'client CAs of the API server (ConfigMap kube-system/extension-apiserver-authentication)' }],
  select: { namespace: 'kube-system', fieldSelector: 'metadata.name=extension-apiserver-authentication' },
  normalize(o) {
    const data = readAs(DATA, o).data ?? {};
    const out: FoundCertificate[] = [];
    for (const [key, source] of [['client-ca-file', 'apiserver-client-ca'], ['requestheader-client-ca-file', 'apiserver-requestheader-ca']] as const) {
      const v = data[key];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        out.push({ resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: o.metadata.name!, field: `${key}#0` }, source, role: 'ca', error: `${pathText(['data', key])}: expected a string, got ${typeName(v)}` });
      }
      if (typeof v !== 'string') continue;
      out.push(
        ...found(readCertificates(v), { source }, 'trust', (i) => ({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: o.metadata.name!, field: `${key}#${i}` })),
      );
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------------
// What the scanner itself sees on a live scan

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
    const value = found(read, { source: 'apiserver-serving' }, 'presented', (i) => (i > 0 ? { file: f.path, field: `#${i}` } : { file: f.path }));
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
 * Reads the kubeconfig files the live scan merged (`LiveContext.kubeconfigFiles`), so the
 * certificates are those of the context the scan used.
 */
export async function currentKubeconfig(ctx: LiveContext): Promise<KubeconfigCerts> {
  const { loadKubeconfigFiles } = await import('../live/kubeconfig.js');
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
    clusters: cluster ? [defined({ name: cluster.name, server: cluster.server, caData, caFile: caData === undefined ? cluster.caFile : undefined })] : [],
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
    if (ctx.kubeconfigFiles.length === 0) return { status: 'absent', reason: "the scan uses the pod's service account: there is no kubeconfig certificate" };
    const k = await currentKubeconfig(ctx);
    return { status: 'ok', files: [{ path: USER_KUBECONFIG_FILE, content: Buffer.from(reducedKubeconfig(k)) }], sources: ctx.kubeconfigFiles };
  },
  parse(files) {
    const f = files[0]!;
    const value = fromKubeconfig(f, 'user-kubeconfig', new Map(files.map((x) => [x.path, x])));
    return { value, count: value.length };
  },
};

export const CERT_INPUTS = [pkiInput, tlsSecretsInput, caBundlesInput, apiserverClientCaInput, apiserverServingCertInput, userKubeconfigInput];
