/**
 * The `pki` input: kubeadm's PKI folder, from a dump's `pki/` or `--pki-dir`.
 */
import type { FileInputDef } from '../../input-def.js';
import type { FoundCertificate } from '../../../contract/values/certs.js';
import { readPkiDir } from './pki-dir.js';
import { parsePki } from './pki-files.js';

export const pkiInput: FileInputDef<FoundCertificate[]> = {
  type: 'files',
  key: 'pki',
  description: 'kubeadm PKI: certificates (*.crt, *.pem) and kubeconfigs (*.conf) of pki/ or --pki-dir',
  files: ['pki/'],
  async live() {
    return {
      status: 'missing',
      reason:
        'the PKI is on the control-plane nodes, not in the API: ' +
        'run on a control-plane node with --pki-dir /etc/kubernetes/pki (kubeadm) to read it',
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
