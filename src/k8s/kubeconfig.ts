/**
 * Kubeconfig files (`admin.conf`, `kubelet.conf`, `~/.kube/config`): the certificate fields
 * of their clusters and users, and a reduced copy that keeps no credential.
 *
 * Field names are those of `clientcmd/api/v1` (`k8s.io/client-go/tools/clientcmd/api/v1/types.go`):
 * `clusters[].cluster.certificate-authority(-data)`, `users[].user.client-certificate(-data)`.
 */
import { LineCounter, parseDocument, stringify } from 'yaml';
import { arr, isRecord, str } from './objects.js';

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

/** A kubeconfig that is not YAML, or not a mapping. `line` is 1-based when known. */
export class KubeconfigError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Reads a kubeconfig's text. Throws `KubeconfigError` when it is not a YAML mapping. */
export function readKubeconfig(text: string): KubeconfigCerts {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const err = doc.errors[0];
  if (err) throw new KubeconfigError(`invalid YAML: ${err.message.split('\n')[0]}`, err.linePos?.[0]?.line);
  const v = doc.toJS({ maxAliasCount: 100 }) as unknown;
  if (!isRecord(v)) throw new KubeconfigError('not a kubeconfig (the document is not a mapping)');
  const named = (key: string): Array<{ name: string; body: Record<string, unknown> }> =>
    arr(v[key])
      .filter(isRecord)
      .map((e) => ({ name: str(e.name) ?? '', body: isRecord(e[key.slice(0, -1)]) ? (e[key.slice(0, -1)] as Record<string, unknown>) : {} }));
  return {
    currentContext: str(v['current-context']),
    clusters: named('clusters').map(({ name, body }) => ({
      name,
      server: str(body.server),
      caData: str(body['certificate-authority-data']),
      caFile: str(body['certificate-authority']),
    })),
    users: named('users').map(({ name, body }) => ({ name, certData: str(body['client-certificate-data']), certFile: str(body['client-certificate']) })),
    contexts: named('contexts').map(({ name, body }) => ({ name, cluster: str(body.cluster), user: str(body.user) })),
  };
}

/**
 * A kubeconfig holding only what `readKubeconfig` reads (server, CA and client certificates,
 * contexts): no key, token, password, exec or auth-provider configuration. This is what a
 * dump keeps of a kubeconfig.
 */
export function reducedKubeconfig(k: KubeconfigCerts): string {
  const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  return stringify(
    defined({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': k.currentContext,
      clusters: k.clusters.map((c) =>
        ({ name: c.name, cluster: defined({ server: c.server, 'certificate-authority-data': c.caData, 'certificate-authority': c.caFile }) }),
      ),
      users: k.users.map((u) => ({ name: u.name, user: defined({ 'client-certificate-data': u.certData, 'client-certificate': u.certFile }) })),
      contexts: k.contexts.map((c) => ({ name: c.name, context: defined({ cluster: c.cluster, user: c.user }) })),
    }),
  );
}

const CREDENTIAL_KEYS = /^(\s*-?\s*)(client-key-data|client-key|token|tokenFile|password|username|id-token|refresh-token|client-secret|access-token)(\s*:).*$/gm;

/**
 * For a kubeconfig that is not valid YAML (so cannot be reduced): the same lines with the
 * values of credential keys removed. Line numbers are kept, so the YAML error a later read
 * reports still points at the right line.
 */
export function redactedKubeconfigText(text: string): string {
  return text.replace(CREDENTIAL_KEYS, '$1$2$3 REDACTED');
}
