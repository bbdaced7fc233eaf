/**
 * Inputs most families share: the server version, namespaces, nodes and the control-plane
 * static pods.
 */
import { arr, dig, isRecord, str, strMap, type KubeObject } from '../../k8s/objects.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { R } from '../../k8s/resources.js';
import { InputError, type FileInputDef, type ResourceInputDef } from '../input-def.js';
import { fetchAsFile } from '../file-inputs.js';
import { parseJsonFile } from '../parse.js';

/** The API server's `/version` document. */
export interface ServerVersion {
  /** e.g. `v1.26.4`, `v1.29.4-eks-036c24b`, `v1.30.2+k3s1`. */
  gitVersion: string;
  major?: string;
  minor?: string;
  platform?: string;
  buildDate?: string;
}

export interface NamespaceInfo {
  name: string;
  uid?: string;
  phase?: string;
  labels: Record<string, string>;
  creationTimestamp?: string;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeInfo {
  name: string;
  uid?: string;
  labels: Record<string, string>;
  /** From `node-role.kubernetes.io/<role>` labels. */
  roles: string[];
  unschedulable: boolean;
  taints: Taint[];
  /** Status of the `Ready` condition: `True`, `False` or `Unknown` (also when absent). */
  ready: 'True' | 'False' | 'Unknown';
  readyReason?: string;
  /** `status.nodeInfo.kubeletVersion` as reported (e.g. `v1.26.4`). */
  kubeletVersion?: string;
  kubeProxyVersion?: string;
  containerRuntimeVersion?: string;
  osImage?: string;
  architecture?: string;
  /** Allocatable resources: CPU in cores, memory in bytes, pods as a count. */
  allocatable: { cpuCores?: number; memoryBytes?: number; pods?: number };
  providerID?: string;
  internalIP?: string;
  creationTimestamp?: string;
}

export interface ContainerInfo {
  name: string;
  image: string;
  command: string[];
  args: string[];
}

/** A control-plane pod of `kube-system` (kubeadm static pods and their mirrors). */
export interface ControlPlanePod {
  namespace: string;
  name: string;
  /** `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `etcd`, `cloud-controller-manager`. */
  component: string;
  nodeName?: string;
  labels: Record<string, string>;
  /** A mirror of a static pod (annotation `kubernetes.io/config.mirror`). */
  mirror: boolean;
  phase?: string;
  /** Status of the `Ready` condition. */
  ready: boolean;
  containers: ContainerInfo[];
  creationTimestamp?: string;
}

declare module '../input-types.js' {
  interface InputTypes {
    version: ServerVersion;
    namespaces: NamespaceInfo[];
    nodes: NodeInfo[];
    'control-plane-pods': ControlPlanePod[];
  }
}

/**
 * Reads `version.json`: the output of `kubectl version -o json` (its `serverVersion`) or the
 * API server's `/version` document itself.
 */
export function parseVersionDocument(path: string, content: Buffer): ServerVersion {
  const doc = parseJsonFile(path, content);
  const v = isRecord(doc) && isRecord(doc.serverVersion) ? doc.serverVersion : doc;
  if (!isRecord(v) || typeof v.gitVersion !== 'string') {
    const clientOnly = isRecord(doc) && isRecord(doc.clientVersion);
    throw new InputError(
      `${path}: no server gitVersion${clientOnly ? ' (only clientVersion: kubectl could not reach the server when it was written)' : ''}`,
    );
  }
  return { gitVersion: v.gitVersion, major: str(v.major), minor: str(v.minor), platform: str(v.platform), buildDate: str(v.buildDate) };
}

export const versionInput: FileInputDef<ServerVersion> = {
  type: 'files',
  key: 'version',
  description: 'API server version (/version; version.json in a dump)',
  files: ['version.json'],
  apiPaths: ['/version'],
  live: (ctx) => fetchAsFile(ctx, '/version', 'version.json'),
  parse(files) {
    const f = files[0]!;
    return { value: parseVersionDocument(f.path, f.content), count: 1 };
  },
};

export const namespacesInput: ResourceInputDef<NamespaceInfo> = {
  type: 'resources',
  key: 'namespaces',
  description: 'Namespaces (name, uid, labels, phase)',
  resources: [R.namespaces],
  normalize: (o) => ({
    name: o.metadata.name!,
    uid: o.metadata.uid,
    phase: str(dig(o, 'status', 'phase')),
    labels: strMap(o.metadata.labels),
    creationTimestamp: o.metadata.creationTimestamp,
  }),
};

export function normalizeNode(o: KubeObject): NodeInfo {
  const labels = strMap(o.metadata.labels);
  const readyCond = arr(dig(o, 'status', 'conditions')).find((c) => isRecord(c) && c.type === 'Ready') as Record<string, unknown> | undefined;
  const readyStatus = str(readyCond?.status);
  const alloc = dig(o, 'status', 'allocatable');
  const info = dig(o, 'status', 'nodeInfo');
  const addresses = arr(dig(o, 'status', 'addresses'));
  const internal = addresses.find((a) => isRecord(a) && a.type === 'InternalIP') as Record<string, unknown> | undefined;
  return {
    name: o.metadata.name!,
    uid: o.metadata.uid,
    labels,
    roles: Object.keys(labels)
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length) || labels[k]!)
      .filter(Boolean)
      .sort(),
    unschedulable: dig(o, 'spec', 'unschedulable') === true,
    taints: arr(dig(o, 'spec', 'taints'))
      .filter(isRecord)
      .map((t) => ({ key: String(t.key ?? ''), ...(typeof t.value === 'string' ? { value: t.value } : {}), effect: String(t.effect ?? '') })),
    ready: readyStatus === 'True' || readyStatus === 'False' ? readyStatus : 'Unknown',
    readyReason: str(readyCond?.reason),
    kubeletVersion: str(dig(info, 'kubeletVersion')),
    kubeProxyVersion: str(dig(info, 'kubeProxyVersion')),
    containerRuntimeVersion: str(dig(info, 'containerRuntimeVersion')),
    osImage: str(dig(info, 'osImage')),
    architecture: str(dig(info, 'architecture')),
    allocatable: {
      cpuCores: parseQuantity(dig(alloc, 'cpu')),
      memoryBytes: parseQuantity(dig(alloc, 'memory')),
      pods: parseQuantity(dig(alloc, 'pods')),
    },
    providerID: str(dig(o, 'spec', 'providerID')),
    internalIP: str(internal?.address),
    creationTimestamp: o.metadata.creationTimestamp,
  };
}

export const nodesInput: ResourceInputDef<NodeInfo> = {
  type: 'resources',
  key: 'nodes',
  description: 'Nodes (versions, readiness, taints, allocatable)',
  resources: [R.nodes],
  normalize: normalizeNode,
};

/** Control-plane components recognised by the `component` label or the static pod name. */
export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'cloud-controller-manager'] as const;

/** Which control-plane component a kube-system pod runs, if any. */
export function controlPlaneComponent(o: KubeObject): string | undefined {
  const label = o.metadata.labels?.component;
  if (label && (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(label)) return label;
  const mirror = o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  const nodeName = str(dig(o, 'spec', 'nodeName'));
  for (const c of CONTROL_PLANE_COMPONENTS) {
    if (o.metadata.name === `${c}-${nodeName}` || (mirror && o.metadata.name?.startsWith(`${c}-`))) return c;
  }
  return undefined;
}

export const controlPlanePodsInput: ResourceInputDef<ControlPlanePod> = {
  type: 'resources',
  key: 'control-plane-pods',
  description: 'Control-plane pods in kube-system (kube-apiserver, controller-manager, scheduler, etcd): images and flags',
  resources: [{ ...R.pods, subjects: 'control-plane Pods' }],
  select: { namespace: 'kube-system' },
  normalize(o) {
    const component = controlPlaneComponent(o);
    if (!component) return undefined;
    const ready = arr(dig(o, 'status', 'conditions')).some((c) => isRecord(c) && c.type === 'Ready' && c.status === 'True');
    return {
      namespace: o.metadata.namespace ?? 'kube-system',
      name: o.metadata.name!,
      component,
      nodeName: str(dig(o, 'spec', 'nodeName')),
      labels: strMap(o.metadata.labels),
      mirror: o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
      phase: str(dig(o, 'status', 'phase')),
      ready,
      containers: arr(dig(o, 'spec', 'containers'))
        .filter(isRecord)
        .map((c) => ({
          name: String(c.name ?? ''),
          image: String(c.image ?? ''),
          command: arr(c.command).map(String),
          args: arr(c.args).map(String),
        })),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** Value of a `--flag=value` (or `--flag value`) in a container's command and args. */
export function flagValue(c: ContainerInfo, flag: string): string | undefined {
  const all = [...c.command, ...c.args];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    if (a.startsWith(`--${flag}=`)) return a.slice(flag.length + 3);
    if (a === `--${flag}` && i + 1 < all.length && !all[i + 1]!.startsWith('--')) return all[i + 1];
  }
  return undefined;
}
