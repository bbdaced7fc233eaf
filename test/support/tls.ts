/**
 * Test-only TLS material, made at test time: a CA and a server certificate for 127.0.0.1 and
 * localhost (RSA 2048, SHA-256, valid for a day). Keys come from node:crypto (fast, native);
 * node-forge builds and signs the certificates, which node:crypto cannot do.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface TestPki {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): { pub: forge.pki.PublicKey; priv: forge.pki.rsa.PrivateKey; privPem: string } {
  const k = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { pub: forge.pki.publicKeyFromPem(k.publicKey), priv: forge.pki.privateKeyFromPem(k.privateKey), privPem: k.privateKey };
}

function certificate(
  subjectCN: string,
  pub: forge.pki.PublicKey,
  issuer: { cn: string; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): string {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = `01${randomBytes(8).toString('hex')}`;
  c.validity.notBefore = new Date(Date.now() - 3_600_000);
  c.validity.notAfter = new Date(Date.now() + 86_400_000);
  c.setSubject([{ name: 'commonName', value: subjectCN }]);
  c.setIssuer([{ name: 'commonName', value: issuer.cn }]);
  c.setExtensions(extensions);
  c.sign(issuer.key, forge.md.sha256.create());
  return forge.pki.certificateToPem(c);
}

/** A fresh CA and a server certificate it signed (SAN IP:127.0.0.1, DNS:localhost). */
export function makeTestPki(caName = 'kube-preflight-test-ca'): TestPki {
  const ca = keyPair();
  const caPem = certificate(caName, ca.pub, { cn: caName, key: ca.priv }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
  ]);
  const server = keyPair();
  const certPem = certificate('kube-apiserver', server.pub, { cn: caName, key: ca.priv }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  return { caPem, certPem, keyPem: server.privPem };
}
