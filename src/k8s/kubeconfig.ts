/**
 * Kubeconfig files (`admin.conf`, `kubelet.conf`, `~/.kube/config`): the certificate fields
 * of their clusters and users, and a reduced copy that keeps no credential.
 *
 * Field names are those of `clientcmd/api/v1` (`k8s.io/client-go/tools/clientcmd/api/v1/types.go`):
 * `clusters[].cluster.certificate-authority(-data)`, `users[].user.client-certificate(-data)`.
 */
import { LineCounter, parseDocument, stringify } from 'yaml';
import { arr, isRecord, str } from './objects.js';
import { ToolError, type ErrorCode } from '../contract/errors.js';
import { isParseReason, yamlConversionError, yamlParseError, type ParseErrorAt } from './parse-errors.js';

export interface KubeconfigCluster {
  name: string;
  server?: string;
  /** `certificate-authority-data`: base64 of a PEM bundle. */
  caData?: string;
  /** `certificate-authority`: a file path. */
  caFile?: string;
}

export interface KubeconfigUser {
  name: string;
  /** `client-certificate-data`: base64 of PEM (the client certificate, maybe followed by its chain). */
  certData?: string;
  /** `client-certificate`: a file path. */
  certFile?: string;
}

export interface KubeconfigContext {
  name: string;
  cluster?: string;
  user?: string;
}

/** The certificate-bearing parts of a kubeconfig. */
export interface KubeconfigCerts {
  currentContext?: string;
  clusters: KubeconfigCluster[];
  users: KubeconfigUser[];
  contexts: KubeconfigContext[];
}

/**
 * A kubeconfig that is not YAML, or not a mapping. `line` and `column` are 1-based when known;
 * the message quotes none of the file.
 */
export class KubeconfigError extends ToolError {
  readonly errorCode: ErrorCode = 'KP_KUBECONFIG';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** A YAML error of the kubeconfig, from its position (`parse-errors.ts`). */
  static at(at: ParseErrorAt): KubeconfigError {
    return new KubeconfigError(at.reason, at.line, at.column);
  }
}

const NOT_A_MAPPING = 'not a kubeconfig (the document is not a mapping)';

/**
 * Reads a kubeconfig's text. Throws `KubeconfigError` when it is not a YAML mapping (its
 * message and position quote nothing of the text).
 */
export function readKubeconfig(text: string): KubeconfigCerts {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const err = doc.errors[0];
  if (err) throw KubeconfigError.at(yamlParseError(err));
  let v: unknown;
  try {
    v = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw KubeconfigError.at(yamlConversionError(e));
  }
  if (!isRecord(v)) throw new KubeconfigError(NOT_A_MAPPING);
  const standIn = standInError(v);
  if (standIn) throw standIn;
  const named = (key: string): Array<{ name: string; body: Record<string, unknown> }> =>
    arr(v[key])
      .filter(isRecord)
      .map((e) => ({
        name: str(e.name) ?? '',
        body: isRecord(e[key.slice(0, -1)]) ? (e[key.slice(0, -1)] as Record<string, unknown>) : {},
      }));
  return {
    currentContext: str(v['current-context']),
    clusters: named('clusters').map(({ name, body }) => ({
      name,
      server: str(body.server),
      caData: str(body['certificate-authority-data']),
      caFile: str(body['certificate-authority']),
    })),
    users: named('users').map(({ name, body }) => ({
      name,
      certData: str(body['client-certificate-data']),
      certFile: str(body['client-certificate']),
    })),
    contexts: named('contexts').map(({ name, body }) => ({ name, cluster: str(body.cluster), user: str(body.user) })),
  };
}

/**
 * A kubeconfig holding only what `readKubeconfig` reads (server, CA and client certificates,
 * contexts): no key, token, password, exec or auth-provider configuration. This is what a
 * dump keeps of a kubeconfig.
 */
export function reducedKubeconfig(k: KubeconfigCerts): string {
  const defined = <T extends Record<string, unknown>>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  return stringify(
    defined({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': k.currentContext,
      clusters: k.clusters.map((c) => ({
        name: c.name,
        cluster: defined({ server: c.server, 'certificate-authority-data': c.caData, 'certificate-authority': c.caFile }),
      })),
      users: k.users.map((u) => ({
        name: u.name,
        user: defined({ 'client-certificate-data': u.certData, 'client-certificate': u.certFile }),
      })),
      contexts: k.contexts.map((c) => ({ name: c.name, context: defined({ cluster: c.cluster, user: c.user }) })),
    }),
  );
}

/**
 * Key of the stand-in `reducedKubeconfigText` writes for a kubeconfig it cannot read: the
 * position and reason of the error, so that a later read reports the same error.
 */
const UNREADABLE_KEY = 'x-kube-preflight-unreadable';

/**
 * What a dump keeps of a kubeconfig's text: `reducedKubeconfig` of it; for text that is not a
 * kubeconfig (not valid YAML, not a mapping), a stand-in holding only where and why it could
 * not be read, never any of its text: `readKubeconfig` of the stand-in throws that error again.
 */
export function reducedKubeconfigText(text: string): string {
  try {
    return reducedKubeconfig(readKubeconfig(text));
  } catch (e) {
    if (!(e instanceof KubeconfigError)) throw e;
    const at = {
      reason: e.message,
      ...(e.line !== undefined ? { line: e.line } : {}),
      ...(e.column !== undefined ? { column: e.column } : {}),
    };
    return stringify({ apiVersion: 'v1', kind: 'Config', [UNREADABLE_KEY]: at });
  }
}

/** The error a stand-in of `reducedKubeconfigText` records, when its fields are what it writes. */
function standInError(v: Record<string, unknown>): KubeconfigError | undefined {
  const at = v[UNREADABLE_KEY];
  if (!isRecord(at)) return undefined;
  const pos = (x: unknown): number | undefined => (typeof x === 'number' && Number.isInteger(x) && x > 0 ? x : undefined);
  const reason = typeof at.reason === 'string' && isParseReason(at.reason) ? at.reason : NOT_A_MAPPING;
  return new KubeconfigError(reason, pos(at.line), pos(at.column));
}
