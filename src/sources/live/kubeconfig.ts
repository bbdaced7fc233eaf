/**
 * Loading the kubeconfig as kubectl does, with client-node 1.4.0 for parsing and credentials
 * (tokens, token files, client certificates, exec plugins, `insecure-skip-tls-verify`,
 * `tls-server-name`, `proxy-url`), but never its silent fallbacks:
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
 */
import { existsSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster, type Context, type User } from '@kubernetes/client-node';
import { FatalError } from '../../contract/errors.js';
import { positionSuffix } from '../../k8s/parse-errors.js';

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
    const kc = new KubeConfig();
    kc.loadFromCluster(env.serviceAccountPrefix ?? '');
    return connection(kc, IN_CLUSTER, [], kc.getCurrentContext());
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
  kc.setCurrentContext(name);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new FatalError(`context "${name}" names cluster "${ctx.cluster}", which kubeconfig ${display} does not define`);
  if (!/^https?:\/\//.test(cluster.server))
    throw new FatalError(`cluster "${cluster.name}" in kubeconfig ${display}: server "${cluster.server}" is not an http(s) URL`);
  // A plain-HTTP server (`kubectl proxy`) adds the credentials itself: no user is needed.
  const plain = cluster.server.startsWith('http:');
  if (!ctx.user && !plain)
    throw new FatalError(`context "${name}" in kubeconfig ${display} has no user: anonymous requests cannot read the cluster`);
  if (ctx.user && !kc.getCurrentUser())
    throw new FatalError(`context "${name}" names user "${ctx.user}", which kubeconfig ${display} does not define`);
  return connection(plain ? withoutTls(kc, cluster) : kc, display, files, name);
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
 * the current-context wins). Throws `FatalError` naming a file that is missing, unreadable or
 * not a kubeconfig.
 */
export function loadKubeconfigFiles(files: string[]): KubeConfig {
  const configs = files.map((f) => {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(f);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') throw new FatalError(`kubeconfig ${f} does not exist`);
      if (err.code === 'EACCES' || err.code === 'EISDIR') throw new FatalError(`kubeconfig ${f} cannot be read (${err.code})`);
      throw new FatalError(`kubeconfig ${f}${kubeconfigErrorAt(e)}`);
    }
    return kc;
  });
  return merge(configs);
}

/**
 * The kubeconfig with its plain-HTTP cluster marked `insecure-skip-tls-verify`, as kubectl
 * treats an `http://` server (no TLS, nothing to verify): client-node refuses to make an agent
 * for an `http://` server otherwise.
 */
function withoutTls(kc: KubeConfig, cluster: Cluster): KubeConfig {
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.getClusters().map((c) => (c.name === cluster.name ? { ...c, skipTLSVerify: true } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return out;
}

function connection(kc: KubeConfig, kubeconfigPath: string, files: string[], context: string): ClusterConnection {
  const cluster = kc.getCurrentCluster()!;
  return {
    kubeconfigPath,
    files,
    context,
    server: cluster.server,
    proxy: Boolean(cluster.proxyUrl),
    credentials: async () => {
      const o: https.RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(o);
      return o;
    },
  };
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
function merge(configs: KubeConfig[]): KubeConfig {
  if (configs.length === 1) return configs[0]!;
  const clusters: Cluster[] = [];
  const users: User[] = [];
  const contexts: Context[] = [];
  let currentContext = '';
  const addNew = <T extends { name: string }>(into: T[], from: T[]): void => {
    for (const x of from) if (!into.some((y) => y.name === x.name)) into.push(x);
  };
  for (const kc of configs) {
    addNew(clusters, kc.getClusters());
    addNew(users, kc.getUsers());
    addNew(contexts, kc.getContexts());
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without current-context; typed string
    currentContext ||= kc.getCurrentContext() ?? '';
  }
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters, users, contexts, currentContext });
  return merged;
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
