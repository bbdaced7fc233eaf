/**
 * Loading the kubeconfig as kubectl does, with client-node 1.4.0's parsing and credentials
 * (tokens, token files, client certificates, exec plugins, auth providers,
 * `insecure-skip-tls-verify`, `tls-server-name`, `proxy-url`), but never its silent fallbacks:
 *
 * - the file is `--kubeconfig`, else every file of `$KUBECONFIG` (merged, the first file to
 *   set a name or the current-context wins, missing files skipped as kubectl skips them),
 *   else `~/.kube/config`, else — inside a pod, as client-go's deferred loading does — the
 *   pod's service account (`KUBERNETES_SERVICE_HOST`/`_PORT` and the mounted token); no
 *   readable file is an error naming it (client-node would fall back to `http://localhost:8080`);
 * - the context is `--context`, else the current-context; an unknown name is an error listing
 *   the available contexts (client-node's `setCurrentContext` accepts any name);
 * - an `http://` server (`kubectl proxy`) is read as kubectl reads it: no TLS, and a context
 *   without a user is allowed (the proxy authenticates; client-node would refuse the URL
 *   without `insecure-skip-tls-verify`).
 *
 * Start-up: the files are parsed as client-node's `KubeConfig.loadFromFile` parses them (js-yaml,
 * then client-node's own `newClusters`/`newUsers`/`newContexts` from its `config_types` module),
 * without loading client-node's API (about half a second of CPU). Static credentials (a token,
 * a token file, a client certificate, a username and password) are applied as client-node's
 * `applyToHTTPSOptions` applies them; client-node itself is loaded, on the first request, only
 * for what only it does: exec plugins, auth providers (and the pod's service account token,
 * which it re-reads as it rotates) and a cluster's `proxy-url`.
 */
import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { isIPv6 } from 'node:net';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { newClusters, newContexts, newUsers } from '@kubernetes/client-node/dist/config_types.js';
import yaml from 'js-yaml';
import { FatalError } from '../../contract/errors.js';
import { positionSuffix } from '../../k8s/parse-errors.js';

/**
 * The clusters, users and contexts of one kubeconfig (or of several, merged), with client-node's
 * field names (`caData`, `certFile`, `skipTLSVerify`…) and its lookups: a name that is not
 * there gives `null`.
 */
export class Kubeconfig {
  constructor(
    readonly clusters: Cluster[],
    readonly users: User[],
    readonly contexts: Context[],
    /** The `current-context`; `undefined` when the file sets none. */
    readonly currentContext: string | undefined,
  ) {}

  getContexts(): Context[] {
    return this.contexts;
  }

  getCurrentContext(): string | undefined {
    return this.currentContext;
  }

  getContextObject(name: string | undefined): Context | null {
    return this.contexts.find((c) => c.name === name) ?? null;
  }

  getCluster(name: string | undefined): Cluster | null {
    return this.clusters.find((c) => c.name === name) ?? null;
  }

  getUser(name: string | undefined): User | null {
    return this.users.find((u) => u.name === name) ?? null;
  }
}

export interface ClusterConnection {
  /** The kubeconfig file(s) read, for messages (joined by the path delimiter). */
  kubeconfigPath: string;
  /** The kubeconfig files read, merged in this order; empty for a pod's service account. */
  files: string[];
  context: string;
  /** API server URL of the context's cluster. */
  server: string;
  /** The cluster has a `proxy-url` (client-node's agent must carry the requests). */
  proxy: boolean;
  /** TLS options and credentials for one request; rejects when an exec plugin fails. */
  credentials: () => Promise<https.RequestOptions>;
}

/** Where to look: the environment and home folder (tests pass their own). */
export interface KubeconfigEnv {
  KUBECONFIG?: string;
  home?: string;
  /** `KUBERNETES_SERVICE_HOST`, set in every pod. */
  serviceHost?: string;
  /** Prefix of the service account folder `/var/run/secrets/kubernetes.io/serviceaccount` (tests). */
  serviceAccountPrefix?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const IN_CLUSTER = 'in-cluster service account';

/**
 * Loads the kubeconfig and selects the context. Throws `FatalError` with a one-line message
 * for a missing or unreadable file, a file that is not a kubeconfig, an unknown or missing
 * context, or a context whose cluster is not defined.
 */
export function loadKubeconfig(
  options: { kubeconfig?: string; context?: string },
  env: KubeconfigEnv = { KUBECONFIG: process.env.KUBECONFIG, home: homedir(), serviceHost: process.env.KUBERNETES_SERVICE_HOST },
): ClusterConnection {
  const files = kubeconfigFiles(options.kubeconfig, env);
  if (files === IN_CLUSTER) {
    if (options.context !== undefined)
      throw new FatalError(
        `--context "${options.context}" needs a kubeconfig; none was found, and in a pod the scan uses the pod's service account`,
      );
    return inCluster(env.serviceAccountPrefix ?? '');
  }
  const kc = loadKubeconfigFiles(files);
  const display = files.join(delimiter);
  const names = kc.getContexts().map((c) => c.name);
  const available = names.length > 0 ? `available: ${names.join(', ')}` : 'it defines no context';
  const name = options.context ?? (kc.getCurrentContext() || undefined);
  if (name === undefined) throw new FatalError(`kubeconfig ${display} has no current-context; choose one with --context (${available})`);
  const ctx = kc.getContextObject(name);
  if (!ctx) {
    const how = options.context !== undefined ? '--context' : 'current-context';
    throw new FatalError(`${how} "${name}" is not in kubeconfig ${display} (${available})`);
  }
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new FatalError(`context "${name}" names cluster "${ctx.cluster}", which kubeconfig ${display} does not define`);
  if (!/^https?:\/\//.test(cluster.server))
    throw new FatalError(`cluster "${cluster.name}" in kubeconfig ${display}: server "${cluster.server}" is not an http(s) URL`);
  // A plain-HTTP server (`kubectl proxy`) adds the credentials itself: no user is needed.
  const plain = cluster.server.startsWith('http:');
  if (!ctx.user && !plain)
    throw new FatalError(`context "${name}" in kubeconfig ${display} has no user: anonymous requests cannot read the cluster`);
  const user = kc.getUser(ctx.user);
  if (ctx.user && !user) throw new FatalError(`context "${name}" names user "${ctx.user}", which kubeconfig ${display} does not define`);
  // As kubectl treats an `http://` server: no TLS, nothing to verify (client-node refuses to
  // make an agent for an `http://` server without `insecure-skip-tls-verify`).
  return connection(kc, plain ? { ...cluster, skipTLSVerify: true } : cluster, user, name, display, files);
}

/**
 * The context names of the kubeconfig `loadKubeconfig` reads for `kubeconfig` (the same files,
 * merged as kubectl merges them), for `scan --all-contexts`. Throws `FatalError` as
 * `loadKubeconfig` does for a missing or invalid file, and when there is no kubeconfig at all
 * (a pod's service account has no contexts).
 */
export function kubeconfigContexts(
  kubeconfig: string | undefined,
  env: KubeconfigEnv = { KUBECONFIG: process.env.KUBECONFIG, home: homedir(), serviceHost: process.env.KUBERNETES_SERVICE_HOST },
): string[] {
  const files = kubeconfigFiles(kubeconfig, env);
  if (files === IN_CLUSTER)
    throw new FatalError("--all-contexts needs a kubeconfig; none was found (in a pod, a scan uses the pod's service account)");
  return loadKubeconfigFiles(files)
    .getContexts()
    .map((c) => c.name);
}

/**
 * Reads kubeconfig files and merges them as kubectl does (the first file to define a name or
 * the current-context wins). Each file is parsed as client-node's `KubeConfig.loadFromFile`
 * parses it (relative `certificate-authority`, `client-certificate` and `client-key` paths
 * taken from the file's folder; a `token-file` read now). Throws `FatalError` naming a file
 * that is missing, unreadable or not a kubeconfig.
 */
export function loadKubeconfigFiles(files: string[]): Kubeconfig {
  const configs = files.map((f) => {
    try {
      return parseKubeconfig(readFileSync(f, 'utf8'), dirname(f));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw new FatalError(`kubeconfig ${f} does not exist`);
      if (err.code === 'EACCES' || err.code === 'EISDIR') throw new FatalError(`kubeconfig ${f} cannot be read (${err.code})`);
      throw new FatalError(`kubeconfig ${f}${kubeconfigErrorAt(e)}`);
    }
  });
  return merge(configs);
}

/** One kubeconfig's text, as client-node's `loadFromString` then `makePathsAbsolute(folder)` read it. */
function parseKubeconfig(text: string, folder: string): Kubeconfig {
  // An empty file (no document) throws a TypeError here, as in client-node: "not a valid kubeconfig".
  const doc = yaml.load(text) as Record<string, unknown>;
  const clusters = newClusters(doc.clusters);
  const contexts = newContexts(doc.contexts);
  const users = newUsers(doc.users);
  const current = doc['current-context'] as string | undefined;
  const absolute = (file: string): string => (isAbsolute(file) ? file : join(folder, file));
  for (const c of clusters) if (c.caFile) c.caFile = absolute(c.caFile);
  for (const u of users) {
    if (u.certFile) u.certFile = absolute(u.certFile);
    if (u.keyFile) u.keyFile = absolute(u.keyFile);
  }
  return new Kubeconfig(clusters, users, contexts, current);
}

const SERVICE_ACCOUNT_CONTEXT = 'inClusterContext';

/**
 * The pod's service account, as client-node's `loadFromCluster` reads it: the server from
 * `KUBERNETES_SERVICE_HOST`/`_PORT` (`http` on ports 80, 8080 and 8001; an IPv6 address in
 * brackets), the mounted CA, and the mounted token (a `tokenFile` auth provider: client-node
 * re-reads it as the kubelet rotates it).
 */
function inCluster(prefix: string): ClusterConnection {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const serverHost = host && isIPv6(host) ? `[${host}]` : host;
  const cluster: Cluster = {
    name: 'inCluster',
    caFile: `${prefix}${SERVICE_ACCOUNT_DIR}/ca.crt`,
    server: `${scheme}://${serverHost}:${port}`,
    skipTLSVerify: false,
  };
  const user: User = {
    name: 'inClusterUser',
    authProvider: { name: 'tokenFile', config: { tokenFile: `${prefix}${SERVICE_ACCOUNT_DIR}/token` } },
  };
  return connection(
    new Kubeconfig([cluster], [user], [{ name: SERVICE_ACCOUNT_CONTEXT, cluster: cluster.name, user: user.name }], SERVICE_ACCOUNT_CONTEXT),
    cluster,
    user,
    SERVICE_ACCOUNT_CONTEXT,
    IN_CLUSTER,
    [],
  );
}

/**
 * The connection to `cluster` as `user` (of `kc`, the context `context`). Its `credentials`
 * give, for each request, the TLS options and headers client-node's `applyToHTTPSOptions`
 * gives: `insecure-skip-tls-verify`, `tls-server-name`, the CA and client certificate and key
 * (files re-read each time), `as` (Impersonate-User), the bearer token, basic auth. An exec
 * plugin, an auth provider or a `proxy-url` are left to client-node, loaded then.
 */
function connection(
  kc: Kubeconfig,
  cluster: Cluster,
  user: User | null,
  context: string,
  kubeconfigPath: string,
  files: string[],
): ClusterConnection {
  const base = { kubeconfigPath, files, context, server: cluster.server, proxy: Boolean(cluster.proxyUrl) };
  if (user?.exec || user?.authProvider || cluster.proxyUrl) {
    let client: Promise<KubeConfig> | undefined;
    return {
      ...base,
      credentials: async () => {
        client ??= clientNodeConfig(kc, cluster, context);
        const o: https.RequestOptions = { headers: {} };
        await (await client).applyToHTTPSOptions(o);
        return o;
      },
    };
  }
  return { ...base, credentials: () => Promise.resolve(staticCredentials(cluster, user)) };
}

/** client-node's `KubeConfig` of `kc`, `cluster` as given (a plain-HTTP one marked `skipTLSVerify`), `context` current. */
async function clientNodeConfig(kc: Kubeconfig, cluster: Cluster, context: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === cluster.name ? cluster : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: context,
  });
  return out;
}

/** What client-node's `applyToHTTPSOptions` sets for a user without exec plugin or auth provider (nothing without a user). */
function staticCredentials(cluster: Cluster, user: User | null): https.RequestOptions {
  const headers: Record<string, string> = {};
  const o: https.RequestOptions = { headers };
  if (!user) return o;
  if (cluster.skipTLSVerify) o.rejectUnauthorized = false;
  if (cluster.tlsServerName) o.servername = cluster.tlsServerName;
  const ca = fileOrData(cluster.caFile, cluster.caData);
  if (ca) o.ca = ca;
  const cert = fileOrData(user.certFile, user.certData);
  if (cert) o.cert = cert;
  const key = fileOrData(user.keyFile, user.keyData);
  if (key) o.key = key;
  if (user.impersonateUser != null) headers['Impersonate-User'] = user.impersonateUser;
  if (user.token) headers.Authorization = `Bearer ${user.token}`;
  if (user.username) o.auth = `${user.username}:${user.password}`;
  return o;
}

/** A file's bytes, else base64 `data` decoded (client-node's `bufferFromFileOrString`). */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

function kubeconfigFiles(flag: string | undefined, env: KubeconfigEnv): string[] | typeof IN_CLUSTER {
  if (flag) return [flag];
  if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(delimiter).filter(Boolean);
    const present = listed.filter((f) => existsSync(f));
    if (present.length === 0) throw new FatalError(`no kubeconfig: none of the files in $KUBECONFIG exists (${listed.join(delimiter)})`);
    return present;
  }
  if (!env.home) {
    if (inPod(env)) return IN_CLUSTER;
    throw new FatalError('no kubeconfig: give --kubeconfig or set $KUBECONFIG (no home folder to find ~/.kube/config)');
  }
  const def = join(env.home, '.kube', 'config');
  if (existsSync(def)) return [def];
  if (inPod(env)) return IN_CLUSTER;
  throw new FatalError(`no kubeconfig: ${def} does not exist; give --kubeconfig or set $KUBECONFIG`);
}

/** Running in a pod with a mounted service account token. */
function inPod(env: KubeconfigEnv): boolean {
  return Boolean(env.serviceHost) && existsSync(`${env.serviceAccountPrefix ?? ''}${SERVICE_ACCOUNT_DIR}/token`);
}

/** kubectl's merge rule: the first file to define a name (or the current-context) wins. */
function merge(configs: Kubeconfig[]): Kubeconfig {
  if (configs.length === 1) return configs[0]!;
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext: string | undefined;
  const addNew = <T extends { name: string }>(into: T[], from: T[]): void => {
    for (const x of from) if (!into.some((y) => y.name === x.name)) into.push(x);
  };
  for (const kc of configs) {
    addNew(clusters, kc.clusters);
    addNew(users, kc.users);
    addNew(contexts, kc.contexts);
    currentContext ||= kc.currentContext;
  }
  return new Kubeconfig(clusters, users, contexts, currentContext);
}

/**
 * `:line:col: reason` or ` is not a valid kubeconfig…` for what client-node threw reading a kubeconfig, quoting none of the
 * file (a kubeconfig holds credentials): js-yaml's errors carry a \`mark\` (0-based line and
 * column) and a message with a code frame; client-node's own validation messages
 * (\`clusters[0].name is missing\`) name fields, not values, and are kept when they look so.
 */
function kubeconfigErrorAt(e: unknown): string {
  const mark = (e as { mark?: { line?: unknown; column?: unknown } }).mark;
  if (mark && typeof mark.line === 'number' && typeof mark.column === 'number') {
    return `${positionSuffix({ line: mark.line + 1, column: mark.column + 1 })}: invalid YAML, not a valid kubeconfig`;
  }
  const msg = e instanceof Error ? e.message : '';
  return /^[\w.[\]-]+ (is missing|must be|should be)[\w ]*$/.test(msg)
    ? ` is not a valid kubeconfig: ${msg}`
    : ' is not a valid kubeconfig';
}
