/**
 * Ed25519 keys for signing reports (`scan --sign-key`, `render --sign-key`) and checking them
 * (`verify --public-key`). Keys are PEM files: the private key PKCS#8 (`-----BEGIN PRIVATE
 * KEY-----`, as `openssl genpkey -algorithm ed25519` writes it), the public key
 * SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`, `openssl pkey -pubout`).
 *
 * A key file's content never appears in a message: errors name the flag and the file and say
 * what kind of key was found.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { FatalError } from '../contract/errors.js';
import { FileTooLargeError, NotRegularFileError, readRegularFile } from '../files.js';
import { KiB } from '../limits.js';

/** Largest key file read, in bytes: an Ed25519 PEM is about 120 bytes; an RSA-16384 one 13 KiB. */
export const KEY_MAX_BYTES = 64 * KiB;

/** A private key ready to sign, with the fingerprint of its public half. */
export interface SigningKey {
  privateKey: KeyObject;
  /** `SHA256:<64 hex digits>` of the public key (`keyFingerprint`). */
  fingerprint: string;
}

/**
 * The key's fingerprint: `SHA256:` and the SHA-256 of the DER SubjectPublicKeyInfo of its
 * public half, in lower-case hex (the digest `openssl pkey -pubin -outform DER | sha256sum`
 * prints).
 */
export function keyFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return `SHA256:${createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex')}`;
}

async function readKeyFile(flag: string, file: string): Promise<Buffer> {
  try {
    return await readRegularFile(file, KEY_MAX_BYTES);
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new FatalError(`${flag} ${file}: ${e.message}, too large for a key`);
    if (e instanceof NotRegularFileError) throw new FatalError(`${flag} ${file}: ${e.message}`);
    throw new FatalError(`${flag} ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
}

/** `an RSA key`, `an EC key`… for messages; never the key's content. */
function kindOf(key: KeyObject): string {
  const t: string = key.asymmetricKeyType ?? 'unknown';
  const name = ['rsa', 'rsa-pss', 'ec', 'dsa', 'dh'].includes(t) ? t.toUpperCase() : t.replace(/^ed/, 'Ed');
  return `${/^[aeiou]/i.test(name) || /^[RE]/.test(name) ? 'an' : 'a'} ${name} key`;
}

function tryKey<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

/**
 * Reads the Ed25519 private key of `--sign-key FILE` (PEM, PKCS#8, unencrypted). Throws
 * `FatalError` naming the flag and file for an unreadable file, a public key, another key
 * type (RSA, EC…), an encrypted key, or anything that is not a PEM key.
 */
export async function loadSigningKey(file: string, flag = '--sign-key'): Promise<SigningKey> {
  const pem = await readKeyFile(flag, file);
  const text = pem.toString('latin1');
  if (text.includes('ENCRYPTED PRIVATE KEY') || text.includes('Proc-Type: 4,ENCRYPTED')) {
    throw new FatalError(
      `${flag} ${file}: the private key is encrypted; give an unencrypted Ed25519 key (keep it in a Secret or a file only you can read)`,
    );
  }
  const privateKey = tryKey(() => createPrivateKey({ key: pem, format: 'pem' }));
  if (!privateKey) {
    const pub = tryKey(() => createPublicKey({ key: pem, format: 'pem' }));
    if (pub)
      throw new FatalError(
        `${flag} ${file}: ${kindOf(pub).replace(/key$/, 'public key')}, not a private key: sign with the ` +
          `private key, verify with the public one`,
      );
    throw new FatalError(
      `${flag} ${file}: not a PEM private key (expected an Ed25519 key in PKCS#8 form: openssl genpkey -algorithm ed25519)`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new FatalError(
      `${flag} ${file}: ${kindOf(privateKey)}; reports are signed with Ed25519 keys (openssl genpkey -algorithm ed25519)`,
    );
  }
  return { privateKey, fingerprint: keyFingerprint(privateKey) };
}

/**
 * Reads the Ed25519 public key of `--public-key FILE` (PEM SubjectPublicKeyInfo; a private
 * key file is taken too, only its public half is used). Throws `FatalError` naming the flag
 * and file for another key type or anything that is not a PEM key.
 */
export async function loadPublicKey(file: string, flag = '--public-key'): Promise<KeyObject> {
  const pem = await readKeyFile(flag, file);
  const key = tryKey(() => createPublicKey({ key: pem, format: 'pem' }));
  if (!key) throw new FatalError(`${flag} ${file}: not a PEM public key (expected an Ed25519 key: openssl pkey -in private.pem -pubout)`);
  if (key.asymmetricKeyType !== 'ed25519') throw new FatalError(`${flag} ${file}: ${kindOf(key)}; reports are signed with Ed25519 keys`);
  return key;
}

/** The detached Ed25519 signature of `data`, base64 with a final newline (`report.json.sig`). */
export function signDetached(key: SigningKey, data: Uint8Array): string {
  return `${sign(null, data, key.privateKey).toString('base64')}\n`;
}

/**
 * True when `signature` (the text of a `.sig` file: base64, surrounding blanks ignored) is
 * the Ed25519 signature of exactly `data` by `key`. False for a malformed signature.
 */
export function verifyDetached(key: KeyObject, data: Uint8Array, signature: string): boolean {
  const b64 = signature.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return false;
  const sig = Buffer.from(b64, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, data, key, sig);
}
