/**
 * Inputs of the certificate checks: every place a certificate the cluster depends on can be
 * read through the API or a dump (docs/dump-format.md, "Files of the file inputs"). Each input yields
 * `FoundCertificate`s: the decoded facts of one certificate (never the PEM) and where it was found, or why it could not be read.
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
 *
 * Modules: `found-certificate.ts` (the shape every input yields), `pki-files.ts` (parsers of
 * certificate files and kubeconfigs), `pki-dir.ts` (reads `--pki-dir` from disk), and the
 * inputs: `pki.ts`, `api-objects.ts`, `scanner.ts`. Their `InputTypes` are declared with
 * `FoundCertificate` (so the package's declarations carry them with the type `src/index.ts` exports).
 */
import { caBundlesInput, apiserverClientCaInput, tlsSecretsInput } from './api-objects.js';
import { pkiInput } from './pki.js';
import { apiserverServingCertInput, userKubeconfigInput } from './scanner.js';

export const CERT_INPUTS = [
  pkiInput,
  tlsSecretsInput,
  caBundlesInput,
  apiserverClientCaInput,
  apiserverServingCertInput,
  userKubeconfigInput,
];
