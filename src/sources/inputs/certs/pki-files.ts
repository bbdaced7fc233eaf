/**
 * Parsers of the PKI folder's files (`pki/` of a dump, or `--pki-dir`): certificate files
 * (PEM or DER) and kubeconfigs, with the file references a kubeconfig makes resolved inside
 * the dump; and how a file is reduced before a dump keeps it (no private key, no credential).
 */
import { posix } from 'node:path';
import { kubeadmCertName, kubeadmKubeconfigName } from '../../../k8s/kubeadm-pki.js';
import { KubeconfigError, readKubeconfig, reducedKubeconfigText, type KubeconfigCerts } from '../../../k8s/kubeconfig.js';
import { readBase64Certificates, readCertificates } from '../../../k8s/x509.js';
import { InputError, type DumpFile } from '../../input-def.js';
import { defined, found, nth, type Context, type Layout } from './found-certificate.js';
import type { FoundCertificate } from '../../../contract/values/certs.js';

/** Certificate files of the PKI folder, by name. */
export const CERT_FILE = /\.(crt|pem|cer)$/i;
/** Kubeconfigs of the PKI folder (kubeadm's `admin.conf`…), by name. */
export const KUBECONFIG_FILE = /\.(conf|kubeconfig)$/i;

/** Files of a dump by path, for resolving kubeconfig file references. */
export type FileIndex = ReadonlyMap<string, DumpFile>;

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
    const error =
      read.otherBlocks.length > 0
        ? `no certificate in the file, only PEM ${[...new Set(read.otherBlocks)].join(', ')} block(s)`
        : 'no PEM or DER certificate in the file';
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
export function fromKubeconfig(f: DumpFile, source: 'kubeconfig' | 'user-kubeconfig', files: FileIndex): FoundCertificate[] {
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
            ? `${field} is the file ${ref}, which is not in pki/: copy its certificate (without the key) there, ` +
              `e.g. \`openssl x509 -in ${ref} -out pki/${posix.basename(ref, posix.extname(ref))}.crt\``
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
    throw new InputError(
      `pki/ holds no certificate (*.crt, *.pem, *.cer) or kubeconfig (*.conf, *.kubeconfig) file among its ${files.length} file(s)`,
      'missing',
    );
  }
  return [...certFiles.flatMap(fromCertFile), ...kubeconfigs.flatMap((f) => fromKubeconfig(f, 'kubeconfig', index))];
}

export const PEM_CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

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
