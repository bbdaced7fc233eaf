/**
 * What kind of control plane a cluster has: self-managed (kubeadm, k3s, RKE2… — its etcd,
 * PKI and backups are the operator's job) or managed by a provider (EKS, GKE, AKS — no etcd
 * or control-plane pods are visible, and the provider backs up etcd). A view of
 * `detectDistribution` (`distribution.ts`) by the providers the upgrade procedures know.
 */
import { detectDistribution, type DistributionInfo } from './distribution.js';
import type { ControlPlanePod, NodeInfo, ServerVersion } from '../contract/values/core.js';

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
 * kind counts as kubeadm (it runs kubeadm); OpenShift, which no procedure covers, as unknown.
 */
export function controlPlaneKind(version?: ServerVersion, nodes?: NodeInfo[], pods?: ControlPlanePod[]): ControlPlaneKind {
  return kindOf(detectDistribution({ version, nodes, controlPlanePods: pods }), nodes);
}

/** {@link controlPlaneKind} of an already detected distribution. */
export function kindOf(d: DistributionInfo, nodes?: readonly NodeInfo[]): ControlPlaneKind {
  const reason = d.evidence.join('; ');
  if (d.name === 'kind') return { managed: false, provider: 'kubeadm', reason: `kind (kubeadm): ${reason}` };
  if (d.name === 'openshift') return { managed: false, provider: 'unknown', reason: `OpenShift: ${reason}` };
  if (d.name !== 'unknown') return { managed: d.managed, provider: d.name, reason };
  const cpNodes = (nodes ?? []).filter((n) => n.roles.includes('control-plane') || n.roles.includes('master'));
  if (cpNodes.length > 0)
    return { managed: false, provider: 'unknown', reason: `control-plane nodes: ${cpNodes.map((n) => n.name).join(', ')}` };
  return { managed: false, provider: 'unknown', reason: 'no provider signal and no control-plane pods or nodes seen' };
}
