/**
 * Expiry of the certificates readable through the API, so a live scan without access to the
 * control-plane nodes still evaluates them: Secrets of type `kubernetes.io/tls` (`tls.crt`,
 * `ca.crt`, every namespace), the `caBundle` of admission webhooks, APIServices and CRD
 * conversion webhooks, the client CAs the API server publishes in
 * `kube-system/extension-apiserver-authentication`, and, when read (live, or `tls/` of a
 * collected dump), the API server's serving chain and the scanner's own kubeconfig.
 *
 * An expired serving certificate breaks the Ingress or Service using it; an expired caBundle
 * makes the API server reject its webhook or aggregated API, which blocks every request the
 * webhook intercepts when its `failurePolicy` is `Fail`.
 *
 * Rules and thresholds: `lib/expiry.ts`. `details.certificates`: the timeline, as in
 * `certs-pki-expiry`, and its `cert-timeline` figure, merged after that check's. Its inputs are
 * one `requiresSomeOf` group: each one read is judged, each one not read leaves its
 * certificates unknown (a scanning identity that may not read Secrets still gets the caBundles
 * and the served chain judged), and with none read the check is `error`.
 */
import { defineCheck } from '../../src/contract/check.js';
import { certificatesOf, inventory } from './lib/inventory.js';
import { EXPIRY_OPTION_SCHEMA, EXPIRY_OPTIONS, EXPIRY_RULES, evaluateExpiry } from './lib/expiry.js';
import { CA_ROTATION_URL } from './lib/renewal.js';

/** The certificate sources a cluster scan reads, and the scanner's own kubeconfig (not a cluster source). */
const SOURCES = ['apiserver-client-ca', 'tls-secrets', 'ca-bundles', 'apiserver-serving-cert'] as const;

export default defineCheck({
  id: 'certs-cluster-expiry',
  family: 'certs',
  title: 'In-cluster certificates (TLS Secrets, caBundles, API server) are not expired or about to expire',
  summary:
    'the same rules for `kubernetes.io/tls` Secrets in all namespaces, the `caBundle` of admission webhooks, ' +
    "APIServices and CRD conversion webhooks, the client CAs the API server publishes, and (live) the API server's " +
    "serving certificate and your kubeconfig's certificates",
  rationale:
    'Certificates stored in the cluster expire silently: an Ingress or Service serving an expired ' +
    'certificate fails its clients, and an expired webhook or APIService caBundle makes the API ' +
    'server refuse to call the backend, which blocks every request a fail-closed webhook intercepts.',
  remediation:
    'Renew the certificate where it is issued (cert-manager: `cmctl renew <certificate> -n ' +
    '<namespace>`; otherwise re-issue it and replace the Secret or caBundle); see each finding for ' +
    'the command for that certificate.',
  references: [
    'https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets',
    'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#contacting-the-webhook',
    'https://cert-manager.io/docs/reference/cmctl/',
    CA_ROTATION_URL,
  ],
  defaultSeverity: 'high',
  rules: EXPIRY_RULES,
  requires: [],
  optional: [...SOURCES, 'user-kubeconfig'],
  requiresSomeOf: [SOURCES],
  defaultOptions: EXPIRY_OPTIONS,
  optionSchema: EXPIRY_OPTION_SCHEMA,
  run(inputs, ctx) {
    const found = certificatesOf([
      inputs.optional['apiserver-client-ca'],
      inputs.optional['tls-secrets'],
      inputs.optional['ca-bundles'],
      inputs.optional['apiserver-serving-cert'],
      inputs.optional['user-kubeconfig'],
    ]);
    const { subjects, unknowns } = inventory(found);
    const { findings, timeline, figure } = evaluateExpiry(subjects, ctx.options, ctx.now, 1);
    return {
      evaluated: subjects.length,
      findings,
      unknowns,
      details: { certificates: timeline },
      figures: subjects.length > 0 ? [figure] : [],
      ...(subjects.length === 0 ? { notApplicable: 'no TLS Secret, caBundle or other certificate was found' } : {}),
    };
  },
});
