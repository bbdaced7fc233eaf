/**
 * X.509 certificates: reading PEM bundles and DER, and reducing each certificate to the
 * plain-JSON facts the certificate checks read.
 *
 * Why two parsers: node-forge cannot read ECDSA or Ed25519 certificates (`certificateFromAsn1`
 * in `digitalbazaar/forge:lib/x509.js` throws "Cannot read public key. OID is not RSA."), so Node's
 * `crypto.X509Certificate` parses every certificate (dates, key, CA flag, extended key
 * usage, fingerprint), and node-forge's ASN.1 layer reads, from the same DER, what Node 20
 * does not expose: the signature algorithm, keyUsage bits, subject/authority key
 * identifiers, subjectAltName entries and the attributes of the subject and issuer names.
 * `X509Certificate` reads only the first certificate of a PEM bundle, so bundles are split
 * into their blocks first (`readCertificates`).
 */
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { ToolError, type ErrorCode } from '../contract/errors.js';
import type { CertificateInfo } from '../contract/values/certs.js';

/** One certificate block of a PEM file or field: parsed, or the reason it could not be. */
export type CertificateRead = { index: number; cert: CertificateInfo } | { index: number; error: string };

export interface CertificatesRead {
  certificates: CertificateRead[];
  /** Types of the other PEM blocks (`RSA PRIVATE KEY`, `PUBLIC KEY`…), which are not read. */
  otherBlocks: string[];
}

const CERT_TYPES = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const BEGIN_LINE = /-----BEGIN ([A-Z0-9 ]+)-----/g;

/**
 * Reads every certificate of a PEM text (a bundle holds several, in order), or of a DER
 * certificate when the content holds no PEM block. Never throws: a block that does not parse
 * is a `{ index, error }` entry, and so is a `BEGIN CERTIFICATE` line without its `END` line
 * (a truncated file). Other PEM blocks (keys) are only counted by type.
 */
export function readCertificates(content: Buffer | string): CertificatesRead {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const text = buf.toString('latin1');
  if (!text.includes('-----BEGIN ')) {
    if (buf.length > 0 && buf[0] === 0x30) return { certificates: [one(0, () => buf)], otherBlocks: [] };
    return { certificates: [], otherBlocks: [] };
  }
  const certificates: CertificateRead[] = [];
  const otherBlocks: string[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    const type = m[1]!;
    if (!CERT_TYPES.has(type)) {
      otherBlocks.push(type);
      continue;
    }
    certificates.push(
      one(certificates.length, () => {
        let block: forge.pem.ObjectPEM | undefined;
        try {
          [block] = forge.pem.decode(m[0]);
        } catch {
          // node-forge's PEM errors may quote the block's headers.
          throw new Error('not valid PEM: the block is malformed');
        }
        if (!block) throw new Error('not valid PEM: the block is not base64');
        return Buffer.from(block.body, 'binary');
      }),
    );
  }
  const begun = [...text.matchAll(BEGIN_LINE)].filter((m) => CERT_TYPES.has(m[1]!)).length;
  for (let i = certificates.length; i < begun; i++) {
    certificates.push({ index: i, error: 'not valid PEM: a BEGIN CERTIFICATE line has no END CERTIFICATE line (truncated file?)' });
  }
  return { certificates, otherBlocks };
}

function one(index: number, der: () => Buffer): CertificateRead {
  try {
    return { index, cert: parseCertificate(der()) };
  } catch (e) {
    return { index, error: (e as Error).message };
  }
}

/**
 * Decodes a base64 field of a Kubernetes object or kubeconfig (`tls.crt`, `caBundle`,
 * `client-certificate-data`) and reads its certificates. An empty or non-base64 value gives
 * one `{ index: 0, error }` entry.
 */
export function readBase64Certificates(value: string): CertificatesRead {
  const compact = value.replace(/\s+/g, '');
  if (compact === '') return { certificates: [{ index: 0, error: 'the field is empty' }], otherBlocks: [] };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return { certificates: [{ index: 0, error: 'the field is not base64' }], otherBlocks: [] };
  const r = readCertificates(Buffer.from(compact, 'base64'));
  if (r.certificates.length === 0 && r.otherBlocks.length === 0)
    return { certificates: [{ index: 0, error: 'the field holds no PEM certificate' }], otherBlocks: [] };
  return r;
}

/**
 * Parses one DER certificate. Throws an `Error` whose message says why without quoting the
 * bytes (node-forge's messages may echo them): which part of the certificate is malformed,
 * DER that is not ASN.1, or the OpenSSL error code for ASN.1 that is not a certificate.
 */
export function parseCertificate(der: Buffer): CertificateInfo {
  let asn: Asn1Facts;
  try {
    asn = readAsn1(der);
  } catch (e) {
    const why = e instanceof MalformedCertificate ? e.message : 'the DER is not a well-formed ASN.1 certificate (truncated or corrupt?)';
    throw new Error(`not a readable X.509 certificate: ${why}`);
  }
  let x: X509Certificate;
  try {
    x = new X509Certificate(der);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`not a readable X.509 certificate: OpenSSL cannot read it${code && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : ''}`);
  }
  const key = keyFacts(x);
  const subjectAttrs = asn.subject;
  const selfSigned =
    asn.subjectText === asn.issuerText &&
    (asn.authorityKeyId === undefined || asn.subjectKeyId === undefined || asn.authorityKeyId === asn.subjectKeyId);
  const sig = SIGNATURE_ALGORITHMS[asn.signatureOid];
  const info: CertificateInfo = {
    subject: asn.subjectText,
    issuer: asn.issuerText,
    organizations: subjectAttrs.filter((a) => a.short === 'O').map((a) => a.value),
    serialNumber: x.serialNumber.toUpperCase(),
    notBefore: toIso(x.validFrom),
    notAfter: toIso(x.validTo),
    isCA: x.ca,
    selfSigned,
    keyAlgorithm: key.algorithm,
    signatureAlgorithm:
      asn.pssHashOid !== undefined ? `rsassaPss (${HASHES[asn.pssHashOid] ?? asn.pssHashOid})` : (sig?.name ?? asn.signatureOid),
    sans: asn.sans,
    keyUsage: asn.keyUsage,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without the extension; @types/node says string[]
    extKeyUsage: (x.keyUsage ?? []).map((oid) => EXT_KEY_USAGES[oid] ?? oid),
    sha256Fingerprint: x.fingerprint256,
  };
  const cn = subjectAttrs.find((a) => a.short === 'CN');
  if (cn) info.commonName = cn.value;
  if (key.bits !== undefined) info.keySizeBits = key.bits;
  if (key.curve !== undefined) info.curve = key.curve;
  const hash = asn.pssHashOid !== undefined ? HASHES[asn.pssHashOid] : sig?.hash;
  if (hash !== undefined) info.signatureHash = hash;
  if (asn.subjectKeyId !== undefined) info.subjectKeyId = asn.subjectKeyId;
  if (asn.authorityKeyId !== undefined) info.authorityKeyId = asn.authorityKeyId;
  return info;
}

/** Node 20 prints validity as `Nov 23 06:50:34 2027 GMT`; V8 parses it (also years after 2049). */
function toIso(nodeDate: string): string {
  const d = new Date(nodeDate);
  if (Number.isNaN(d.getTime())) throw new Error(`unreadable validity date "${nodeDate}"`);
  return d.toISOString();
}

const NIST_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp224r1: 'P-224',
  prime192v1: 'P-192',
};
const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
  secp256k1: 256,
};

function keyFacts(x: X509Certificate): { algorithm: string; bits?: number; curve?: string } {
  const type = x.publicKey.asymmetricKeyType ?? 'unknown';
  const d = x.publicKey.asymmetricKeyDetails ?? {};
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
      return { algorithm: type === 'rsa' ? 'RSA' : 'RSA-PSS', bits: d.modulusLength };
    case 'dsa':
      return { algorithm: 'DSA', bits: d.modulusLength };
    case 'ec': {
      const named = d.namedCurve ?? 'unknown';
      return { algorithm: 'ECDSA', bits: CURVE_BITS[named], curve: NIST_CURVES[named] ?? named };
    }
    case 'ed25519':
      return { algorithm: 'Ed25519' };
    case 'ed448':
      return { algorithm: 'Ed448' };
    default:
      return { algorithm: type };
  }
}

/** Signature algorithm OIDs (RFC 3279, 4055, 5758, 8410) with OpenSSL's names and their digest. */
const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash?: string }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSA', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa_with_SHA1', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa_with_SHA256', hash: 'SHA-256' },
  '1.3.101.112': { name: 'ED25519' },
  '1.3.101.113': { name: 'ED448' },
};

/** Digest OIDs, for RSASSA-PSS parameters. */
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const RSASSA_PSS = '1.2.840.113549.1.1.10';
/** RFC 4055 §3.1: RSASSA-PSS parameters without a hashAlgorithm mean SHA-1. */
const PSS_DEFAULT_HASH = '1.3.14.3.2.26';

const EXT_KEY_USAGES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** RFC 4514 short names (Go's `pkix.Name` uses the same), by attribute OID. */
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.17': 'POSTALCODE',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

interface NameAttribute {
  short: string;
  value: string;
}

interface Asn1Facts {
  subject: NameAttribute[];
  subjectText: string;
  issuerText: string;
  signatureOid: string;
  /** Digest OID of an RSASSA-PSS signature. */
  pssHashOid?: string;
  keyUsage: string[];
  sans: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
}

/** The typed subset of node-forge used here that its type definitions omit. */
interface ForgePkiInternals {
  RDNAttributesAsArray(rdn: forge.asn1.Asn1): Array<{ type: string; value: string; valueTagClass: number }>;
  certificateExtensionsFromAsn1(exts: forge.asn1.Asn1): Array<Record<string, unknown> & { id: string; name?: string; value: string }>;
}
const forgePki = forge.pki as unknown as ForgePkiInternals;
const { asn1 } = forge;

/** A certificate whose ASN.1 lacks a structure; the message names the part, not the bytes. */
class MalformedCertificate extends ToolError {
  readonly errorCode: ErrorCode = 'KP_CERTIFICATE';
}

function children(node: forge.asn1.Asn1 | undefined, what: string): forge.asn1.Asn1[] {
  if (!node || !Array.isArray(node.value)) throw new MalformedCertificate(`malformed certificate: ${what} is not a structure`);
  return node.value;
}

/** Reads the certificate's ASN.1 with node-forge (RFC 5280 §4.1 layout). Throws for DER that is not a certificate. */
function readAsn1(raw: Buffer): Asn1Facts {
  const top = children(
    asn1.fromDer(forge.util.createBuffer(raw.toString('binary')), { strict: false } as unknown as boolean),
    'Certificate',
  );
  const tbs = children(top[0], 'tbsCertificate');
  const sigAlg = children(top[1], 'signatureAlgorithm');
  const signatureOid = asn1.derToOid(sigAlg[0]!.value as string);
  // tbsCertificate: [0] version?, serial, signature, issuer, validity, subject, spki, [1]?, [2]?, [3] extensions?
  const offset = isContextTag(tbs[0]!, 0) ? 1 : 0;
  const issuer = nameAttributes(tbs[offset + 2]!);
  const subject = nameAttributes(tbs[offset + 4]!);
  const facts: Asn1Facts = {
    subject,
    subjectText: nameText(subject),
    issuerText: nameText(issuer),
    signatureOid,
    keyUsage: [],
    sans: [],
  };
  if (signatureOid === RSASSA_PSS) facts.pssHashOid = pssHash(sigAlg[1]);
  const extWrap = tbs.find((n) => isContextTag(n, 3));
  if (extWrap) {
    for (const e of forgePki.certificateExtensionsFromAsn1(extWrap)) {
      if (e.name === 'keyUsage') facts.keyUsage = KEY_USAGE_BITS.filter((b) => e[b] === true);
      else if (e.name === 'subjectAltName') facts.sans = altNames(e.altNames as Array<{ type: number; value: string; ip?: string }>);
      else if (e.name === 'subjectKeyIdentifier') facts.subjectKeyId = String(e.subjectKeyIdentifier);
      else if (e.name === 'authorityKeyIdentifier') {
        const kid = children(asn1.fromDer(e.value), 'authorityKeyIdentifier').find((n) => isContextTag(n, 0));
        if (kid) facts.authorityKeyId = forge.util.bytesToHex(kid.value as string);
      }
    }
  }
  return facts;
}

/** `[tag]`: a context-specific element with that tag number (forge types the number as a universal `Type`). */
function isContextTag(n: forge.asn1.Asn1, tag: number): boolean {
  return n.tagClass === asn1.Class.CONTEXT_SPECIFIC && (n.type as number) === tag;
}

function pssHash(params: forge.asn1.Asn1 | undefined): string {
  if (!params || !Array.isArray(params.value)) return PSS_DEFAULT_HASH;
  const hashWrap = params.value.find((n) => isContextTag(n, 0));
  if (!hashWrap) return PSS_DEFAULT_HASH;
  const alg = children(children(hashWrap, 'hashAlgorithm')[0], 'hashAlgorithm');
  return asn1.derToOid(alg[0]!.value as string);
}

function nameAttributes(name: forge.asn1.Asn1): NameAttribute[] {
  return forgePki
    .RDNAttributesAsArray(name)
    .map((a) => ({ short: NAME_ATTRIBUTES[a.type] ?? a.type, value: decodeString(a.value, a.valueTagClass) }));
}

/** Universal tag numbers of the string types decoded below (forge types `valueTagClass` as a number). */
const UTF8_TAG: number = asn1.Type.UTF8;
const BMP_TAG: number = asn1.Type.BMPSTRING;

function decodeString(bytes: string, tag: number): string {
  if (tag === UTF8_TAG) {
    try {
      return forge.util.decodeUtf8(bytes);
    } catch {
      return bytes;
    }
  }
  if (tag === BMP_TAG) return Buffer.from(bytes, 'binary').swap16().toString('utf16le');
  return bytes;
}

/** RFC 4514 text: most specific attribute first, special characters escaped. */
function nameText(attrs: NameAttribute[]): string {
  return [...attrs]
    .reverse()
    .map((a) => `${a.short}=${escapeDnValue(a.value)}`)
    .join(',');
}

function escapeDnValue(v: string): string {
  let out = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

function altNames(names: Array<{ type: number; value: string; ip?: string }>): string[] {
  const out: string[] = [];
  for (const n of names) {
    if (n.type === 2) out.push(`DNS:${n.value}`);
    else if (n.type === 7) out.push(`IP:${n.ip ?? forge.util.bytesToHex(n.value)}`);
    else if (n.type === 6) out.push(`URI:${n.value}`);
    else if (n.type === 1) out.push(`email:${n.value}`);
  }
  return out;
}

const DAY_MS = 86_400_000;

/**
 * Whole days from `now` to `notAfter`, rounded down: 364 for 364 days and 23 hours, -1 for a
 * certificate that expired an hour ago. For certificates with under a year left it equals the
 * days `kubeadm certs check-expiration` prints as RESIDUAL TIME.
 */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/** Validity period in days (fractional). */
export function lifetimeDays(cert: Pick<CertificateInfo, 'notBefore' | 'notAfter'>): number {
  return (Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / DAY_MS;
}

/**
 * True when `ca` can be the issuer of `cert`: the issuer name equals the CA's subject and,
 * when both are present, the authority key id equals the CA's subject key id. This is the
 * name-and-key-id test of RFC 5280 §4.2.1.1 (OpenSSL's `X509_check_issued` without the
 * signature check, which would need the DER of both certificates).
 */
export function mayHaveIssued(ca: CertificateInfo, cert: CertificateInfo): boolean {
  if (ca.subject !== cert.issuer) return false;
  if (cert.authorityKeyId !== undefined && ca.subjectKeyId !== undefined) return cert.authorityKeyId === ca.subjectKeyId;
  return true;
}
