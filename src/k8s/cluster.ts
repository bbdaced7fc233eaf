/**
 * What kind of control plane a cluster has: self-managed (kubeadm, k3s, RKE2… — its etcd,
 * PKI and backups are the operator's job) or managed by a provider (EKS, GKE, AKS — no etcd
 * or control-plane pods are visible, and the provider backs up etcd).
 *
 * Signals, strongest first:
 * - version suffixes the providers build into `gitVersion` (`-eks-`, `-gke.`), and node
 *   `spec.providerID` / labels (`eks.amazonaws.com/`, `cloud.google.com/gke-`,
 *   `kubernetes.azure.com/`);
 * - control-plane pods in kube-system (kubeadm static pods, k3s/RKE2 servers as nodes with the
 *   `node-role.kubernetes.io/control-plane` or `master` role).
 */
import type { ControlPlanePod, NodeInfo, ServerVersion } from '../sources/inputs/core.js';

export type Provider = 'eks' | 'gke' | 'aks' | 'k3s' | 'rke2' | 'kubeadm' | 'unknown';

export interface ControlPlaneKind {
  managed: boolean;
  provider: Provider;
  /** The signal the decision rests on, for evidence. */
  reason: string;
}

/**
 * Classifies the control plane from the server version, the nodes and the control-plane pods.
 * Any argument may be undefined when its input was not read; the result then says `unknown`.
 */
export function controlPlaneKind(version?: ServerVersion, nodes?: NodeInfo[], pods?: ControlPlanePod[]): ControlPlaneKind {
  const git = version?.gitVersion ?? '';
  if (/-eks-/.test(git)) return { managed: true, provider: 'eks', reason: `gitVersion ${git} is an EKS build` };
  if (/-gke\./.test(git)) return { managed: true, provider: 'gke', reason: `gitVersion ${git} is a GKE build` };
  for (const n of nodes ?? []) {
    if (n.providerID?.startsWith('azure://') && Object.keys(n.labels).some((l) => l.startsWith('kubernetes.azure.com/'))) {
      return { managed: true, provider: 'aks', reason: `node ${n.name} carries AKS labels (kubernetes.azure.com/…)` };
    }
    if (Object.keys(n.labels).some((l) => l.startsWith('eks.amazonaws.com/'))) {
      return { managed: true, provider: 'eks', reason: `node ${n.name} carries EKS labels (eks.amazonaws.com/…)` };
    }
    if (Object.keys(n.labels).some((l) => l.startsWith('cloud.google.com/gke-'))) {
      return { managed: true, provider: 'gke', reason: `node ${n.name} carries GKE labels (cloud.google.com/gke-…)` };
    }
  }
  if (/\+k3s/.test(git)) return { managed: false, provider: 'k3s', reason: `gitVersion ${git} is a k3s build` };
  if (/\+rke2/.test(git)) return { managed: false, provider: 'rke2', reason: `gitVersion ${git} is an RKE2 build` };
  const cp = (pods ?? []).filter((p) => p.component === 'kube-apiserver' || p.component === 'etcd');
  if (cp.length > 0) return { managed: false, provider: 'kubeadm', reason: `control-plane pods in kube-system: ${cp.map((p) => p.name).join(', ')}` };
  const cpNodes = (nodes ?? []).filter((n) => n.roles.includes('control-plane') || n.roles.includes('master'));
  if (cpNodes.length > 0) return { managed: false, provider: 'unknown', reason: `control-plane nodes: ${cpNodes.map((n) => n.name).join(', ')}` };
  return { managed: false, provider: 'unknown', reason: 'no provider signal and no control-plane pods or nodes seen' };
}
