/**
 * Values of the inputs most families share: the server version, namespaces, nodes and the
 * control-plane pods (`src/sources/inputs/core.ts` reads them).
 */

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
