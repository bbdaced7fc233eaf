/**
 * Inputs most families share: the server version, namespaces, nodes and the control-plane
 * static pods.
 */
import { isRecord, type KubeObject } from '../../k8s/objects.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { R } from '../../k8s/resources.js';
import { InputError, type FileInputDef, type ResourceInputDef } from '../input-def.js';
import { fetchAsFile } from '../file-inputs.js';
import { parseJsonFile } from '../parse.js';
import { optBool, optConditions, optList, optObject, optQuantities, optStr, optStrings, readAs, readInPlace, z } from '../schema.js';
import type { ServerVersion, NamespaceInfo, NodeInfo, ControlPlanePod } from '../../contract/values/core.js';

const VERSION_INFO = z.object({ gitVersion: z.string(), major: optStr, minor: optStr, platform: optStr, buildDate: optStr });

/**
 * Reads `version.json`: the output of `kubectl version -o json` (its `serverVersion`) or the
 * API server's `/version` document itself. Throws `InputError` naming the file: no server
 * gitVersion, or a field of the wrong type (`version.json .serverVersion.gitVersion: expected a string, got an integer`).
 */
export function parseVersionDocument(path: string, content: Buffer): ServerVersion {
  const doc = parseJsonFile(path, content);
  const wrapped = isRecord(doc) && doc.serverVersion !== undefined && doc.serverVersion !== null;
  const v = wrapped ? doc.serverVersion : doc;
  if (isRecord(v) ? v.gitVersion === undefined || v.gitVersion === null : !wrapped) {
    const clientOnly = isRecord(doc) && isRecord(doc.clientVersion);
    throw new InputError(
      `${path}: no server gitVersion${clientOnly ? ' (only clientVersion: kubectl could not reach the server when it was written)' : ''}`,
    );
  }
  const r = wrapped ? readAs(z.object({ serverVersion: VERSION_INFO }), doc, path).serverVersion : readAs(VERSION_INFO, doc, path);
  return {
    gitVersion: r.gitVersion,
    major: r.major ?? undefined,
    minor: r.minor ?? undefined,
    platform: r.platform ?? undefined,
    buildDate: r.buildDate ?? undefined,
  };
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

const NAMESPACE = z.object({ status: optObject({ phase: optStr }) });

export const namespacesInput: ResourceInputDef<NamespaceInfo> = {
  type: 'resources',
  key: 'namespaces',
  description: 'Namespaces (name, uid, labels, phase)',
  resources: [R.namespaces],
  normalize: (o) => ({
    name: o.metadata.name!,
    uid: o.metadata.uid,
    phase: readAs(NAMESPACE, o).status?.phase ?? undefined,
    labels: o.metadata.labels ?? {},
    creationTimestamp: o.metadata.creationTimestamp,
  }),
};

/** The fields of a Node `normalizeNode` reads, compiled: a node is read in place (`readInPlace`). */
const NODE = z.compile(
  z.object({
    spec: optObject({ unschedulable: optBool, providerID: optStr, taints: optList({ key: optStr, value: optStr, effect: optStr }) }),
    status: optObject({
      conditions: optConditions,
      allocatable: optQuantities,
      nodeInfo: optObject({
        kubeletVersion: optStr,
        kubeProxyVersion: optStr,
        containerRuntimeVersion: optStr,
        osImage: optStr,
        architecture: optStr,
      }),
      addresses: optList({ type: optStr, address: optStr }),
    }),
  }),
);

/** Reduces a Node. Throws `InputError` for a field of the wrong type (`.status.nodeInfo: expected an object, got a string`). */
export function normalizeNode(o: KubeObject): NodeInfo {
  const { spec, status } = readInPlace(NODE, o);
  const labels = o.metadata.labels ?? {};
  const readyCond = status?.conditions?.find((c) => c.type === 'Ready');
  const readyStatus = readyCond?.status;
  const alloc = status?.allocatable;
  const info = status?.nodeInfo;
  const internal = status?.addresses?.find((a) => a.type === 'InternalIP');
  return {
    name: o.metadata.name!,
    uid: o.metadata.uid,
    labels,
    roles: Object.keys(labels)
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length) || labels[k]!)
      .filter(Boolean)
      .sort(),
    unschedulable: spec?.unschedulable === true,
    taints: (spec?.taints ?? []).map((t) => ({
      key: t.key ?? '',
      ...(typeof t.value === 'string' ? { value: t.value } : {}),
      effect: t.effect ?? '',
    })),
    ready: readyStatus === 'True' || readyStatus === 'False' ? readyStatus : 'Unknown',
    readyReason: readyCond?.reason ?? undefined,
    kubeletVersion: info?.kubeletVersion ?? undefined,
    kubeProxyVersion: info?.kubeProxyVersion ?? undefined,
    containerRuntimeVersion: info?.containerRuntimeVersion ?? undefined,
    osImage: info?.osImage ?? undefined,
    architecture: info?.architecture ?? undefined,
    allocatable: {
      cpuCores: parseQuantity(alloc?.cpu),
      memoryBytes: parseQuantity(alloc?.memory),
      pods: parseQuantity(alloc?.pods),
    },
    providerID: spec?.providerID ?? undefined,
    internalIP: internal?.address ?? undefined,
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
export const CONTROL_PLANE_COMPONENTS = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'cloud-controller-manager',
] as const;

/** Which control-plane component a kube-system pod runs, if any. */
export function controlPlaneComponent(o: KubeObject): string | undefined {
  const label = o.metadata.labels?.component;
  if (label && (CONTROL_PLANE_COMPONENTS as readonly string[]).includes(label)) return label;
  const mirror = o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  const spec = o.spec;
  const nodeName = isRecord(spec) && typeof spec.nodeName === 'string' ? spec.nodeName : undefined;
  for (const c of CONTROL_PLANE_COMPONENTS) {
    if (o.metadata.name === `${c}-${nodeName}` || (mirror && o.metadata.name?.startsWith(`${c}-`))) return c;
  }
  return undefined;
}

const CONTROL_PLANE_POD = z.object({
  spec: optObject({ nodeName: optStr, containers: optList({ name: optStr, image: optStr, command: optStrings, args: optStrings }) }),
  status: optObject({ phase: optStr, conditions: optConditions }),
});

export const controlPlanePodsInput: ResourceInputDef<ControlPlanePod> = {
  type: 'resources',
  key: 'control-plane-pods',
  description: 'Control-plane pods in kube-system (kube-apiserver, controller-manager, scheduler, etcd): images and flags',
  resources: [{ ...R.pods, subjects: 'control-plane Pods' }],
  select: { namespace: 'kube-system' },
  normalize(o) {
    const component = controlPlaneComponent(o);
    if (!component) return undefined;
    const { spec, status } = readAs(CONTROL_PLANE_POD, o);
    return {
      namespace: o.metadata.namespace ?? 'kube-system',
      name: o.metadata.name!,
      component,
      nodeName: spec?.nodeName ?? undefined,
      labels: o.metadata.labels ?? {},
      mirror: o.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined,
      phase: status?.phase ?? undefined,
      ready: (status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      containers: (spec?.containers ?? []).map((c) => ({
        name: c.name ?? '',
        image: c.image ?? '',
        command: c.command ?? [],
        args: c.args ?? [],
      })),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};
