/**
 * Reads `--pki-dir` from the disk of a control-plane node into the files a dump's `pki/` holds.
 */
import { readdir, stat } from 'node:fs/promises';
import { readRegularFile } from '../../../files.js';
import { limits } from '../../../limits.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { InputPart } from '../../../contract/inputs.js';
import { KUBEADM_KUBECONFIG_FILES } from '../../../k8s/kubeadm-pki.js';
import { readKubeconfig, type KubeconfigCerts } from '../../../k8s/kubeconfig.js';
import { filePart, type DumpFile, type FileFetch } from '../../input-def.js';
import { CERT_FILE, KUBECONFIG_FILE, referencedDumpPath, reducedKubeconfigFile, withoutPrivateKeys } from './pki-files.js';

/** Paths of everything under `root` but folders, relative to it, sorted. */
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
    return {
      status: 'failed',
      reason: `--pki-dir ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message}`,
    };
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
      if (kept && !(/\.pem$/i.test(rel) && kept !== content && !kept.includes('-----BEGIN CERTIFICATE-----')))
        files.push({ path: `pki/${rel}`, content: kept });
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
  if (files.length === 0 && problems.length > 0)
    return { status: 'failed', reason: `--pki-dir ${dir}: ${problems.join('; ')}`, sources: [root] };
  return {
    status: 'ok',
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    sources: [root],
    ...(unread.length > 0 ? { unread } : {}),
  };
}
