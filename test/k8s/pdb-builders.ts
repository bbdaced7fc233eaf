/** Builders of normalized pdb-family inputs for unit tests (defaults: a Running, Ready pod). */
import type { NodeInfo } from '../../src/contract/values/core.js';
import type { PdbInfo, PodInfo, WorkloadInfo } from '../../src/contract/values/pdb.js';
import { fromLabelSelector } from '../../src/k8s/selectors.js';
import type { LabelSelector } from '../../src/contract/values/selectors.js';

export function pod(namespace: string, name: string, over: Partial<PodInfo> = {}): PodInfo {
  return {
    namespace,
    name,
    phase: 'Running',
    ready: true,
    labels: {},
    mirror: false,
    requests: { cpuCores: 0.1, memoryBytes: 128 * 2 ** 20 },
    volumes: { kinds: [], emptyDir: [], hostPath: [], claims: [] },
    nodeSelector: {},
    requiredNodeAffinity: [],
    tolerations: [],
    requiredAntiAffinity: [],
    ...over,
  };
}

export function pdb(namespace: string, name: string, selector: LabelSelector | null, over: Partial<PdbInfo> = {}): PdbInfo {
  return {
    namespace,
    name,
    apiVersion: 'policy/v1',
    generation: 1,
    selector: fromLabelSelector(selector),
    status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptedPods: 0 },
    ...over,
  };
}

export function workload(kind: WorkloadInfo['kind'], namespace: string, name: string, over: Partial<WorkloadInfo> = {}): WorkloadInfo {
  const scale = kind !== 'DaemonSet' && kind !== 'Job';
  return {
    apiVersion: kind === 'Job' ? 'batch/v1' : kind === 'ReplicationController' ? 'v1' : 'apps/v1',
    kind,
    namespace,
    name,
    uid: `uid-${kind}-${namespace}-${name}`,
    scale,
    ...(scale ? { replicas: 3 } : {}),
    selector: [],
    templateLabels: {},
    ...over,
  };
}

/** A pod controlled by the workload (`controller` reference with its uid). */
export const ownedBy = (w: WorkloadInfo): Pick<PodInfo, 'controller'> => ({
  controller: { apiVersion: w.apiVersion, kind: w.kind, name: w.name, ...(w.uid ? { uid: w.uid } : {}) },
});

export function node(name: string, over: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    labels: { 'kubernetes.io/hostname': name },
    roles: ['worker'],
    unschedulable: false,
    taints: [],
    ready: 'True',
    allocatable: { cpuCores: 4, memoryBytes: 16 * 2 ** 30, pods: 110 },
    ...over,
  };
}
