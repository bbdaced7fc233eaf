/**
 * The shared logic of the certs checks: grouping found certificates into subjects, and the
 * renewal commands for each kind of place a certificate is found.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateInfo, FoundCertificate } from '../../src/contract/values/certs.js';
import { certificatesOf, inventory, type Subject } from '../../checks/certs/lib/inventory.js';
import { renewal } from '../../checks/certs/lib/renewal.js';

function cert(over: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=x',
    issuer: 'CN=ca',
    commonName: 'x',
    organizations: [],
    serialNumber: '01',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    isCA: false,
    selfSigned: false,
    keyAlgorithm: 'RSA',
    keySizeBits: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureHash: 'SHA-256',
    sans: [],
    keyUsage: [],
    extKeyUsage: [],
    sha256Fingerprint: 'AA',
    ...over,
  };
}

function subject(f: Partial<FoundCertificate>, c: Partial<CertificateInfo> = {}): Subject {
  const at: FoundCertificate = { resource: { file: 'pki/x.crt' }, source: 'pki-file', role: 'leaf', cert: cert(c), ...f };
  return inventory([at]).subjects[0]!;
}

describe('inventory', () => {
  it('groups one certificate found in several places, first place first, leaf when presented anywhere', () => {
    const c = cert({ isCA: true, sha256Fingerprint: 'CA' });
    const inv = inventory([
      { resource: { file: 'pki/ca.crt' }, source: 'pki-file', role: 'ca', kubeadmName: 'ca', cert: c },
      { resource: { file: 'pki/admin.conf', field: 'clusters[k].certificate-authority-data' }, source: 'kubeconfig', role: 'ca', cert: c },
      {
        resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'a', name: 'b', field: 'tls.crt#0' },
        source: 'tls-secret',
        role: 'leaf',
        cert: c,
      },
      { resource: { file: 'pki/bad.crt' }, source: 'pki-file', role: 'leaf', error: 'garbage' },
    ]);
    expect(inv.subjects).toHaveLength(1);
    expect(inv.subjects[0]).toMatchObject({ role: 'leaf', kubeadmName: 'ca', at: { resource: { file: 'pki/ca.crt' } } });
    expect(inv.subjects[0]!.locations).toHaveLength(3);
    expect(inv.unknowns).toEqual([{ resource: { file: 'pki/bad.crt' }, reason: 'certificate could not be read: garbage' }]);
  });

  it('reads the inputs that were read and nothing of the others (the engine reports those)', () => {
    const found = certificatesOf([
      { key: 'pki', status: 'missing', reason: 'give --pki-dir' },
      { key: 'apiserver-client-ca', status: 'forbidden', reason: '403' },
      { key: 'user-kubeconfig', status: 'absent', value: [] },
      { key: 'tls-secrets', status: 'ok', value: [[{ resource: { file: 'x' }, source: 'tls-secret', role: 'leaf', error: 'e' }]] },
    ]);
    expect(found).toEqual([{ resource: { file: 'x' }, source: 'tls-secret', role: 'leaf', error: 'e' }]);
  });
});

describe('renewal', () => {
  it('kubeadm leaf: kubeadm certs renew <name>', () => {
    expect(renewal(subject({ kubeadmName: 'etcd-server' }))).toContain('`kubeadm certs renew etcd-server`');
    expect(renewal(subject({ kubeadmName: 'admin.conf' }))).toContain('copy /etc/kubernetes/admin.conf again');
  });

  it('kubeadm CA: manual rotation', () => {
    expect(renewal(subject({ kubeadmName: 'front-proxy-ca', role: 'ca' }))).toMatch(/^kubeadm does not renew CAs/);
  });

  it('kubelet client certificate: kubelet rotation', () => {
    expect(renewal(subject({ source: 'kubeconfig' }, { commonName: 'system:node:n1', organizations: ['system:nodes'] }))).toContain(
      'kubeadm kubeconfig user --org system:nodes --client-name system:node:n1',
    );
  });

  it('Secret: cert-manager renewal, or replacing the Secret', () => {
    const secret = {
      resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'prod', name: 'web', field: 'tls.crt#0' },
      source: 'tls-secret' as const,
    };
    expect(renewal(subject({ ...secret, certManagerCertificate: 'web-cert' }))).toContain('`cmctl renew web-cert -n prod`');
    expect(renewal(subject(secret))).toContain('`kubectl create secret tls web -n prod --cert=<new.crt> --key=<new.key>');
  });

  it('caBundle: cainjector source, or the owner of the object', () => {
    const hook = {
      resource: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        name: 'policy',
        field: 'webhooks[a].clientConfig.caBundle#0',
      },
      source: 'webhook-ca-bundle' as const,
      role: 'ca' as const,
    };
    expect(renewal(subject({ ...hook, injectCaFrom: 'policy/serving-cert' }))).toContain('from policy/serving-cert');
    expect(renewal(subject(hook))).toContain('put the new CA (base64 PEM) in webhooks[a].clientConfig.caBundle,');
  });

  it('API server, client CA, user kubeconfig and other files', () => {
    expect(renewal(subject({ source: 'apiserver-serving' }))).toContain('`kubeadm certs renew apiserver`');
    expect(renewal(subject({ source: 'apiserver-client-ca', role: 'ca' }))).toContain('Rotate it by hand');
    expect(renewal(subject({ source: 'user-kubeconfig', kubeconfigUser: 'jane' }))).toContain('(user jane)');
    expect(renewal(subject({}))).toBe(
      'Re-issue pki/x.crt with the CA that signed it (same subject and SANs) and restart the component that uses it.',
    );
    expect(renewal(subject({ role: 'ca' }, { isCA: true }))).toMatch(/^Rotate this CA/);
  });
});
