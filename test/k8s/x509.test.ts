import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import {
  daysLeft,
  lifetimeDays,
  mayHaveIssued,
  parseCertificate,
  readBase64Certificates,
  readCertificates,
  type CertificateRead,
} from '../../src/k8s/x509.js';
import type { CertificateInfo } from '../../src/contract/values/certs.js';

const certs = join(PACKAGE_ROOT, 'test', 'fixtures', 'certs');
const file = (dir: string, name: string): Buffer => readFileSync(join(dir, name));

function only(reads: CertificateRead[]): CertificateInfo {
  expect(reads).toHaveLength(1);
  const r = reads[0]!;
  if ('error' in r) throw new Error(r.error);
  return r.cert;
}

describe('readCertificates', () => {
  it('reads an RSA certificate as openssl shows it', () => {
    const c = only(readCertificates(file(certs, 'apiserver.crt')).certificates);
    expect(c).toMatchObject({
      subject: 'CN=kube-apiserver',
      issuer: 'CN=kubernetes',
      commonName: 'kube-apiserver',
      organizations: [],
      notBefore: '2025-06-01T00:00:00.000Z',
      notAfter: '2027-05-01T00:00:00.000Z',
      isCA: false,
      selfSigned: false,
      keyAlgorithm: 'RSA',
      keySizeBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureHash: 'SHA-256',
      sans: ['DNS:kubernetes', 'DNS:kubernetes.default.svc', 'IP:10.96.0.1', 'IP:10.0.0.10'],
      keyUsage: ['digitalSignature', 'keyEncipherment'],
      extKeyUsage: ['serverAuth'],
    });
    expect(c.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(c.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(c.authorityKeyId).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reads a CA: basicConstraints, keyCertSign, subject key id, self-signed', () => {
    const c = only(readCertificates(file(certs, 'ca.crt')).certificates);
    expect(c).toMatchObject({ isCA: true, selfSigned: true, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] });
    expect(c.subjectKeyId).toMatch(/^[0-9a-f]{40}$/);
    expect(c.authorityKeyId).toBeUndefined();
    expect(lifetimeDays(c)).toBe(3650);
  });

  it('reads ECDSA P-256, ECDSA P-384 and Ed25519 certificates, which node-forge alone cannot', () => {
    const p384 = only(readCertificates(file(certs, 'ecdsa-p384-ca.crt')).certificates);
    expect(p384).toMatchObject({
      keyAlgorithm: 'ECDSA',
      curve: 'P-384',
      keySizeBits: 384,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      isCA: true,
    });
    const p256 = only(readCertificates(file(certs, 'ecdsa-p256-client.crt')).certificates);
    expect(p256).toMatchObject({
      keyAlgorithm: 'ECDSA',
      curve: 'P-256',
      keySizeBits: 256,
      organizations: ['system:nodes'],
      extKeyUsage: ['clientAuth'],
    });
    const ed = only(readCertificates(file(certs, 'ed25519-client.crt')).certificates);
    expect(ed).toMatchObject({ keyAlgorithm: 'Ed25519', signatureAlgorithm: 'ED25519', subject: 'CN=system:admin,O=system:masters' });
    expect(ed.keySizeBits).toBeUndefined();
    expect(ed.signatureHash).toBeUndefined();
  });

  it('reads every certificate of a bundle, in order', () => {
    const r = readCertificates(file(certs, 'bundle.crt'));
    expect(r.certificates.map((c) => ('cert' in c ? c.cert.subject : c.error))).toEqual([
      'CN=kube-apiserver,O=k3s',
      'CN=k3s-server-ca@1748736000',
    ]);
    expect(r.certificates.map((c) => c.index)).toEqual([0, 1]);
  });

  it('names the RSASSA-PSS digest from the signature parameters', () => {
    const c = only(readCertificates(file(certs, 'rsa-pss-signed.crt')).certificates);
    expect(c).toMatchObject({ signatureAlgorithm: 'rsassaPss (SHA-384)', signatureHash: 'SHA-384', keyAlgorithm: 'RSA' });
  });

  it('reads every kind of SAN and escapes the subject as RFC 4514 text', () => {
    const c = only(readCertificates(file(certs, 'sans.crt')).certificates);
    expect(c.sans).toEqual([
      'DNS:a.example.com',
      'IP:10.0.0.1',
      'IP:fd00::1',
      'URI:spiffe://cluster.local/ns/a/sa/b',
      'email:ops@example.com',
    ]);
    expect(c.subject).toBe('CN=all-the-sans,OU=ops,O=Acme\\, Inc.,C=DE');
    expect(c.organizations).toEqual(['Acme, Inc.']);
    expect(c.extKeyUsage).toEqual(['serverAuth', 'clientAuth']);
  });

  it('reads a DER certificate', () => {
    const der = only(readCertificates(file(certs, 'apiserver.der')).certificates);
    expect(der).toEqual(only(readCertificates(file(certs, 'apiserver.crt')).certificates));
  });

  it('skips private and public keys, and reports a garbage or truncated certificate block', () => {
    const pem = file(certs, 'ca.crt').toString();
    const key = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
    const garbage = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n';
    const truncated = pem.slice(0, 300);
    const r = readCertificates(`${key}${pem}${garbage}${truncated}`);
    expect(r.otherBlocks).toEqual(['PRIVATE KEY']);
    expect(r.certificates).toHaveLength(3);
    expect(r.certificates[0]).toHaveProperty('cert');
    expect(r.certificates[1]).toMatchObject({ index: 1, error: expect.stringMatching(/^not a readable X\.509 certificate/) });
    expect(r.certificates[2]).toMatchObject({ index: 2, error: expect.stringMatching(/no END CERTIFICATE line/) });
  });

  it('finds nothing in a file without PEM or DER', () => {
    expect(readCertificates('hello')).toEqual({ certificates: [], otherBlocks: [] });
  });
});

describe('readBase64Certificates', () => {
  it('decodes a Kubernetes data field', () => {
    const c = only(readBase64Certificates(file(certs, 'ca.crt').toString('base64')).certificates);
    expect(c.commonName).toBe('kubernetes');
  });

  it.each([
    ['', 'the field is empty'],
    ['%%%', 'the field is not base64'],
    [Buffer.from('not a certificate').toString('base64'), 'the field holds no PEM certificate'],
  ])('reports %j', (value, error) => {
    expect(readBase64Certificates(value).certificates).toEqual([{ index: 0, error }]);
  });
});

describe('parseCertificate', () => {
  it('throws with the reason for bytes that are not a certificate', () => {
    expect(() => parseCertificate(Buffer.from('not DER'))).toThrow(/not a readable X\.509 certificate/);
  });
});

describe('daysLeft', () => {
  const notAfter = '2026-12-03T06:51:50Z';
  it.each([
    ['2026-11-23T07:00:18Z', 9],
    ['2026-12-02T06:51:50Z', 1],
    ['2026-12-02T06:51:51Z', 0],
    ['2026-12-03T06:51:50Z', 0],
    ['2026-12-03T06:51:51Z', -1],
    ['2026-12-05T06:51:51Z', -3],
  ])('at %s is %d', (now, days) => {
    expect(daysLeft(notAfter, new Date(now))).toBe(days);
  });
});

describe('mayHaveIssued', () => {
  const ca = only(readCertificates(file(certs, 'ca.crt')).certificates);
  const other = only(readCertificates(file(certs, 'ca-same-name-other-key.crt')).certificates);
  const leaf = only(readCertificates(file(certs, 'apiserver.crt')).certificates);
  it('matches the issuer by name and key id', () => {
    expect(mayHaveIssued(ca, leaf)).toBe(true);
    expect(other.subject).toBe(ca.subject);
    expect(mayHaveIssued(other, leaf)).toBe(false);
    expect(mayHaveIssued(leaf, ca)).toBe(false);
  });
  it('matches by name alone when a key id is missing', () => {
    expect(mayHaveIssued({ ...other, subjectKeyId: undefined }, leaf)).toBe(true);
  });
});
