/**
 * Inputs of the versions family: the images of the kube-system add-ons whose versions follow
 * the cluster's (kube-proxy, CoreDNS), the kube-proxy pods that run on each node, and the
 * version of the local kubectl.
 */
import { execFile } from 'node:child_process';
import { devNull } from 'node:os';
import type { KubeObject } from '../../k8s/objects.js';
import { R } from '../../k8s/resources.js';
import { type DumpFile, type FileFetch, type FileInputDef, type InputDef, type ResourceInputDef } from '../input-def.js';
import type { LiveContext } from '../live-context.js';
import { parseJsonFile } from '../parse.js';
import { optList, optObject, optStr, optStrMap, readAs, z } from '../schema.js';
import type { AddonWorkload, KubeProxyPod, KubectlVersion } from '../../contract/values/versions.js';

/** The pod template fields of an add-on workload the normalizer reads. */
const ADDON_WORKLOAD = z.object({
  spec: optObject({
    template: optObject({ spec: optObject({ nodeSelector: optStrMap, containers: optList({ name: optStr, image: optStr }) }) }),
  }),
});

/**
 * Which add-on a kube-system object runs: the kube-proxy DaemonSet (kubeadm, EKS and AKS name
 * it `kube-proxy`, label `k8s-app=kube-proxy`) or the CoreDNS Deployment (kubeadm and EKS:
 * `coredns`; k3s and RKE2 label theirs `k8s-app=kube-dns` and run a `…coredns…` image).
 * GKE's and RKE2's kube-proxy run as static pods, not a DaemonSet, and are not read here.
 * Throws `InputError` when the containers of a `k8s-app=kube-dns` Deployment (the only ones it
 * reads) have a field of the wrong type.
 */
export function addonOf(o: KubeObject): AddonWorkload['addon'] | undefined {
  const app = o.metadata.labels?.['k8s-app'];
  if (o.kind === 'DaemonSet' && (o.metadata.name === 'kube-proxy' || app === 'kube-proxy')) return 'kube-proxy';
  if (o.kind === 'Deployment') {
    if (o.metadata.name === 'coredns') return 'coredns';
    if (app !== 'kube-dns') return undefined;
    const containers = readAs(ADDON_WORKLOAD, o).spec?.template?.spec?.containers ?? [];
    if (containers.some((c) => /coredns/i.test(c.image ?? ''))) return 'coredns';
  }
  return undefined;
}

export const addonImagesInput: ResourceInputDef<AddonWorkload> = {
  type: 'resources',
  key: 'addon-images',
  description: 'kube-system add-on images: the kube-proxy DaemonSet and the CoreDNS Deployment',
  resources: [R.daemonsets, R.deployments],
  select: { namespace: 'kube-system' },
  normalize(o) {
    const addon = addonOf(o);
    if (!addon) return undefined;
    const spec = readAs(ADDON_WORKLOAD, o).spec?.template?.spec;
    return {
      kind: o.kind as AddonWorkload['kind'],
      namespace: o.metadata.namespace ?? 'kube-system',
      name: o.metadata.name!,
      addon,
      nodeSelector: spec?.nodeSelector ?? {},
      images: (spec?.containers ?? []).map((c) => ({ container: c.name ?? '', image: c.image ?? '' })),
    };
  },
};

/** The fields of a pod `kubeProxyPodOf` reads. */
const KUBE_PROXY_POD = z.object({
  spec: optObject({ nodeName: optStr, containers: optList({ name: optStr, image: optStr }) }),
  status: optObject({ phase: optStr }),
});

/**
 * A kube-system pod as a kube-proxy pod, or undefined when it runs something else. A kube-proxy
 * pod is controlled by a kube-proxy DaemonSet (see `addonOf`: name `kube-proxy` or label
 * `k8s-app=kube-proxy`, as kubeadm, EKS and AKS label the pods too), or is a static pod of
 * kube-proxy (GKE labels it `component=kube-proxy`; GKE and RKE2 name it `kube-proxy-<node>`).
 * Throws `InputError` when a field it reads has the wrong type.
 */
export function kubeProxyPodOf(o: KubeObject): KubeProxyPod | undefined {
  const labels = o.metadata.labels ?? {};
  const owner = o.metadata.ownerReferences?.find((r) => r.controller === true && r.kind === 'DaemonSet');
  const byLabel = labels['k8s-app'] === 'kube-proxy' || labels.component === 'kube-proxy';
  const byOwner = owner?.name === 'kube-proxy';
  // Only candidates are read: a malformed pod of another component is not kube-proxy's concern.
  if (!byLabel && !byOwner && (owner !== undefined || !o.metadata.name?.startsWith('kube-proxy-'))) return undefined;
  const { spec, status } = readAs(KUBE_PROXY_POD, o);
  const nodeName = spec?.nodeName ?? undefined;
  if (!byLabel && !byOwner && o.metadata.name !== `kube-proxy-${nodeName}`) return undefined;
  const containers = spec?.containers ?? [];
  const container = containers.find((c) => c.name === 'kube-proxy') ?? containers[0];
  return {
    namespace: o.metadata.namespace ?? 'kube-system',
    name: o.metadata.name!,
    ...(nodeName !== undefined ? { nodeName } : {}),
    ...(owner ? { daemonSet: owner.name } : {}),
    image: container?.image ?? '',
    ...(status?.phase ? { phase: status.phase } : {}),
  };
}

export const kubeProxyPodsInput: ResourceInputDef<KubeProxyPod> = {
  type: 'resources',
  key: 'kube-proxy-pods',
  description: 'kube-proxy pods in kube-system (of the kube-proxy DaemonSet, or static): the image each node runs',
  resources: [{ ...R.pods, subjects: 'kube-proxy Pods' }],
  select: { namespace: 'kube-system' },
  normalize: kubeProxyPodOf,
};

/** Runs a command with an environment and resolves its standard output (rejects with the child_process error). */
export type CommandRunner = (file: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv) => Promise<string>;

const runCommand: CommandRunner = (file, args, timeoutMs, env) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1 << 20, windowsHide: true, env }, (err, stdout) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an Error, typed through Omit
      if (err) reject(err);
      else resolve(stdout);
    });
  });

/**
 * The environment `kubectl version --client` runs with: the scan's own, with no way to reach a
 * cluster — `KUBECONFIG` is the null device (an empty kubeconfig; the user's is never passed) and
 * `KUBERNETES_SERVICE_HOST`/`_PORT` are removed (with an empty kubeconfig, kubectl would
 * otherwise fall back to the in-cluster config of a pod). Some kubectl builds send `GET /version`
 * even with `--client`; with this environment they have no server to send it to, so nothing
 * reaches the cluster outside the scan's own HTTP path.
 */
export function isolatedKubectlEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { KUBERNETES_SERVICE_HOST: _h, KUBERNETES_SERVICE_PORT: _p, ...rest } = env;
  return { ...rest, KUBECONFIG: devNull };
}

/** The file a live scan (and `collect`) records the local kubectl's version in. */
export const KUBECTL_VERSION_FILE = 'kubectl-version.json';

/**
 * Live fetch of the kubectl version: runs `kubectl version --client -o json` with the per-request
 * timeout, in {@link isolatedKubectlEnv} (no kubeconfig, no in-cluster config: it cannot reach any
 * cluster). No kubectl on the PATH is `absent`: there is none to judge.
 */
export async function fetchKubectlVersion(ctx: Pick<LiveContext, 'options'>, run: CommandRunner = runCommand): Promise<FileFetch> {
  const sources = ['kubectl version --client -o json'];
  try {
    const out = await run('kubectl', ['version', '--client', '-o', 'json'], ctx.options.requestTimeoutMs, isolatedKubectlEnv(process.env));
    return { status: 'ok', files: [{ path: KUBECTL_VERSION_FILE, content: Buffer.from(out, 'utf8') }], sources };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (err.code === 'ENOENT') return { status: 'absent', reason: 'kubectl is not on the PATH', sources };
    if (err.killed)
      return { status: 'failed', reason: `kubectl version --client timed out after ${ctx.options.requestTimeoutMs} ms`, sources };
    return { status: 'failed', reason: `kubectl version --client: ${err.message.split('\n')[0]}`, sources };
  }
}

/** The fields of a `kubectl version -o json` document (or a server `/version` one) `clientVersionOf` reads. */
const VERSION_DOCUMENT = z.object({ clientVersion: optObject({ gitVersion: optStr, platform: optStr }) });

/**
 * `clientVersion` of a `kubectl version -o json` document, or undefined when it has none.
 * Throws `InputError` naming the file when the document or a field it reads has the wrong type
 * (`kubectl-version.json .clientVersion.gitVersion: expected a string, got an integer`).
 */
function clientVersionOf(f: DumpFile): KubectlVersion | undefined {
  const cv = readAs(VERSION_DOCUMENT, parseJsonFile(f.path, f.content), f.path).clientVersion;
  const git = cv?.gitVersion;
  return git == null ? undefined : { gitVersion: git, platform: cv?.platform ?? undefined, file: f.path };
}

/**
 * The local kubectl's version. Live: `kubectl version --client -o json`, recorded as
 * `kubectl-version.json`. In a dump: that file, else the `clientVersion` of `version.json`
 * when it is the output of `kubectl version -o json` (the kubectl that made the dump — usually
 * the operator's). A `version.json` holding only the server's `/version` leaves it `absent` (no kubectl to judge).
 */
export const kubectlVersionInput: FileInputDef<KubectlVersion | undefined> = {
  type: 'files',
  key: 'kubectl-version',
  description: 'Local kubectl client version (kubectl version --client; clientVersion of version.json in a dump)',
  files: [KUBECTL_VERSION_FILE, 'version.json'],
  live: (ctx) => fetchKubectlVersion(ctx),
  // The scanning user's tool, not cluster state: a dump that records no kubectl has none to judge.
  whenNoFiles: {
    status: 'absent',
    reason: 'the dump records no kubectl version (no kubectl-version.json, no clientVersion in version.json)',
    value: () => undefined,
  },
  parse(files) {
    const ordered = [...files].sort((a, b) => Number(b.path === KUBECTL_VERSION_FILE) - Number(a.path === KUBECTL_VERSION_FILE));
    for (const f of ordered) {
      const v = clientVersionOf(f);
      if (v) return { value: v, count: 1 };
    }
    return {
      value: undefined,
      status: 'absent',
      reason: `${files.map((f) => f.path).join(', ')}: no clientVersion (the dump records no kubectl version)`,
      count: 0,
    };
  },
};

/** The inputs of this module, for the catalog. */
export const VERSIONS_INPUTS: InputDef[] = [addonImagesInput, kubeProxyPodsInput, kubectlVersionInput];
