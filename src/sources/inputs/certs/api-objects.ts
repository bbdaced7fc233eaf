/**
 * Certificates read through the API: TLS Secrets, the caBundles of admission webhooks,
 * APIServices and CRD conversion webhooks, and the client CAs the API server trusts.
 */
import type { ResourceRef } from '../../../contract/resource.js';
import type { KubeObject } from '../../../k8s/objects.js';
import { R } from '../../../k8s/resources.js';
import { readBase64Certificates, readCertificates } from '../../../k8s/x509.js';
import { apiVersionOf, type ResourceInputDef } from '../../input-def.js';
import type { ApiResource } from '../../../contract/inputs.js';
import { redactedFields } from '../../redact.js';
import { pathText, readAs, typeName, z } from '../../schema.js';
import { defined, found, type Context } from './found-certificate.js';
import type { CertificateSource, FoundCertificate } from '../../../contract/values/certs.js';

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
    const ref = (field: string): ResourceRef => ({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      field,
    });
    const ctx: Context = { source: 'tls-secret', certManagerCertificate: o.metadata.annotations?.['cert-manager.io/certificate-name'] };
    const out: FoundCertificate[] = [];
    const dropped = redactedFields(o);
    for (const [key, layout] of [
      ['tls.crt', 'presented'],
      ['ca.crt', 'trust'],
    ] as const) {
      const v = data[key];
      if (typeof v === 'string') out.push(...found(readBase64Certificates(v), ctx, layout, (i) => ref(`${key}#${i}`)));
      const gone = dropped.find((d) => d.field === `data.${key}`);
      if (gone && typeof v !== 'string')
        out.push({ resource: ref(`${key}#0`), ...defined(ctx), role: 'leaf', error: `${key} ${gone.reason}` });
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
const WEBHOOK_CONFIGURATION = z.object({
  webhooks: z.array(z.object({ name: z.string().nullish(), clientConfig: CLIENT_CONFIG })).nullish(),
});
const API_SERVICE = z.object({ spec: z.object({ caBundle, insecureSkipTLSVerify: z.boolean().nullish() }).nullish() });
const CRD = z.object({
  spec: z
    .object({
      conversion: z.object({ webhook: z.object({ clientConfig: CLIENT_CONFIG }).nullish(), webhookClientConfig: CLIENT_CONFIG }).nullish(),
    })
    .nullish(),
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
        bundles.push({
          field: `webhooks[${w.name ?? ''}].clientConfig.caBundle`,
          path: ['webhooks', i, 'clientConfig', 'caBundle'],
          value,
          source: 'webhook-ca-bundle',
        });
      });
      break;
    case 'APIService': {
      const spec = readAs(API_SERVICE, o).spec;
      if (spec?.insecureSkipTLSVerify !== true)
        bundles.push({ field: 'spec.caBundle', path: ['spec', 'caBundle'], value: spec?.caBundle, source: 'apiservice-ca-bundle' });
      break;
    }
    case 'CustomResourceDefinition': {
      const conversion = readAs(CRD, o).spec?.conversion;
      const v1 = conversion?.webhook?.clientConfig?.caBundle;
      if (v1 != null && v1 !== '') {
        bundles.push({
          field: 'spec.conversion.webhook.clientConfig.caBundle',
          path: ['spec', 'conversion', 'webhook', 'clientConfig', 'caBundle'],
          value: v1,
          source: 'crd-ca-bundle',
        });
      } else {
        const v1beta1 = conversion?.webhookClientConfig?.caBundle;
        bundles.push({
          field: 'spec.conversion.webhookClientConfig.caBundle',
          path: ['spec', 'conversion', 'webhookClientConfig', 'caBundle'],
          value: v1beta1,
          source: 'crd-ca-bundle',
        });
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
    return [
      {
        resource: at(b.field)(0),
        ...defined(ctx),
        role: 'ca' as const,
        error: `${pathText(b.path)}: expected a string, got ${typeName(b.value)}`,
      },
    ];
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
    for (const [key, source] of [
      ['client-ca-file', 'apiserver-client-ca'],
      ['requestheader-client-ca-file', 'apiserver-requestheader-ca'],
    ] as const) {
      const v = data[key];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        out.push({
          resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'kube-system', name: o.metadata.name!, field: `${key}#0` },
          source,
          role: 'ca',
          error: `${pathText(['data', key])}: expected a string, got ${typeName(v)}`,
        });
      }
      if (typeof v !== 'string') continue;
      out.push(
        ...found(readCertificates(v), { source }, 'trust', (i) => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          namespace: 'kube-system',
          name: o.metadata.name!,
          field: `${key}#${i}`,
        })),
      );
    }
    return out;
  },
};
