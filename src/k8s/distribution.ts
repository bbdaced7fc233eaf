/**
 * Which Kubernetes distribution runs the cluster, with the evidence for it, and — for k3s —
 * which datastore it keeps the cluster in. The rbac checks pick their default bindings from
 * it, the etcd and backup checks decide whether there is an etcd to judge, and the report shows
 * it in its header.
 *
 * Signals (every one that matches the detected distribution is kept as evidence):
 * - builds: `gitVersion` and node `kubeletVersion` suffixes `-eks-` (EKS), `-gke.` (GKE),
 *   `+k3s` (k3s), `+rke2` (RKE2);
 * - node `spec.providerID` schemes `aws://`, `gce://`, `azure://`, `k3s://`, `rke2://`, `kind://`
 *   (a cloud scheme alone only says where the node runs, not who runs the control plane: it is
 *   evidence only next to a provider signal);
 * - node labels: `eks.amazonaws.com/…`, `cloud.google.com/gke-…`, `kubernetes.azure.com/…`,
 *   `node.kubernetes.io/instance-type=k3s` (k3s sets it on its own nodes);
 * - system objects: the API groups `config.openshift.io` and namespaces `openshift-config` /
 *   `openshift-kube-apiserver` (OpenShift 4), kubeadm's ClusterRoleBindings
 *   (`kubeadm:get-nodes`, `kubeadm:kubelet-bootstrap`, `kubeadm:node-proxier`) and
 *   kube-apiserver or etcd pods in kube-system (kubeadm's static pods), k3s's
 *   `system:k3s-controller` and helm-controller `helm-kube-system-traefik` bindings;
 * - the control plane's files: certificates and kubeconfigs at the paths kubeadm writes
 *   (`apiserver-kubelet-client.crt`, `front-proxy-client.crt`, `admin.conf`…; the names of
 *   `src/k8s/kubeadm-pki.ts`, from kubeadm's certificate list), at least two of those only
 *   kubeadm uses.
 *
 * Precedence: a managed control plane (EKS, GKE, AKS) first, then OpenShift, k3s, RKE2, kind
 * (kubeadm inside containers: `kind://` provider IDs), kubeadm; `unknown` when nothing matched.
 *
 * k3s datastore (docs.k3s.io, "Cluster Datastore" and "High Availability Embedded etcd"): a
 * server with embedded etcd carries the node label `node-role.kubernetes.io/etcd=true`; without
 * it k3s keeps the cluster in SQLite (the default for a single server) or in an external
 * datastore through kine, and has no etcd to reach or snapshot.
 */
import type { FoundCertificate } from '../contract/values/certs.js';
import type { RbacBinding } from '../contract/values/rbac.js';
import type { ControlPlanePod, NamespaceInfo, NodeInfo, ServerVersion } from '../contract/values/core.js';
import type { Datastore, DistributionName } from '../contract/report.js';

export interface DistributionInfo {
  name: DistributionName;
  /** A provider runs the control plane and its etcd (EKS, GKE, AKS). */
  managed: boolean;
  /** The signals the decision rests on, one sentence each; empty for `unknown`. */
  evidence: string[];
  datastore: Datastore;
  /** Why the datastore is what it is. */
  datastoreReason: string;
}

/** What the detection reads; every field may be missing when its input was not read. */
export interface DistributionSignals {
  version?: ServerVersion;
  nodes?: readonly NodeInfo[];
  controlPlanePods?: readonly ControlPlanePod[];
  namespaces?: readonly NamespaceInfo[];
  /** ClusterRoleBindings (RoleBindings are ignored). */
  bindings?: readonly RbacBinding[];
  /** `groupVersions` of API discovery (`config.openshift.io/v1`). */
  groupVersions?: readonly string[];
  /** Certificates of the control plane's files (the `pki` input); their `kubeadmName`s are read. */
  pki?: readonly FoundCertificate[];
}

/**
 * Files only kubeadm names so (k3s and RKE2 write `server-ca.crt`, `client-admin.crt`…): the
 * API server's clients of the kubelet, the front proxy and etcd, and the component kubeconfigs.
 */
const KUBEADM_ONLY_NAMES = [
  'apiserver-kubelet-client',
  'apiserver-etcd-client',
  'front-proxy-client',
  'admin.conf',
  'super-admin.conf',
  'controller-manager.conf',
  'scheduler.conf',
];

/** Display names, for messages and the report header. */
export const DISTRIBUTION_LABELS: Record<DistributionName, string> = {
  eks: 'Amazon EKS',
  gke: 'Google GKE',
  aks: 'Azure AKS',
  openshift: 'OpenShift',
  k3s: 'k3s',
  rke2: 'RKE2',
  kind: 'kind',
  kubeadm: 'kubeadm',
  unknown: 'unknown',
};

/** Names (nodes, pods, files) given in one piece of evidence at most. */
const NAMED = 3;

/** `a, b, c and N more`: the first `NAMED` of `names`. */
function someOf(names: readonly string[]): string {
  return names.slice(0, NAMED).join(', ') + (names.length > NAMED ? ` and ${names.length - NAMED} more` : '');
}

type Evidence = Partial<Record<DistributionName, string[]>>;

/**
 * Detects the distribution from whatever signals were read. Never throws; with no signal the
 * result is `unknown` (and a control-plane node, when one is seen, is named in the datastore
 * reason).
 */
export function detectDistribution(s: DistributionSignals): DistributionInfo {
  const ev: Evidence = {};
  const add = (d: DistributionName, text: string): void => {
    (ev[d] ??= []).push(text);
  };
  const git = s.version?.gitVersion;
  if (git) {
    if (git.includes('-eks-')) add('eks', `gitVersion ${git} is an EKS build`);
    if (git.includes('-gke.')) add('gke', `gitVersion ${git} is a GKE build`);
    if (git.includes('+k3s')) add('k3s', `gitVersion ${git} is a k3s build`);
    if (git.includes('+rke2')) add('rke2', `gitVersion ${git} is an RKE2 build`);
  }
  const nodes = s.nodes ?? [];
  const nodeSignal = (d: DistributionName, what: string, match: (n: NodeInfo) => boolean): void => {
    const hit = nodes.filter(match).map((n) => n.name);
    if (hit.length === 0) return;
    add(d, `${hit.length === 1 ? 'node' : `${hit.length} nodes`} ${someOf(hit)}: ${what}`);
  };
  const kubelet = (re: RegExp) => (n: NodeInfo) => re.test(n.kubeletVersion ?? '');
  const provider = (scheme: string) => (n: NodeInfo) => (n.providerID ?? '').startsWith(scheme);
  const labelPrefix = (prefix: string) => (n: NodeInfo) => Object.keys(n.labels).some((l) => l.startsWith(prefix));
  nodeSignal('eks', 'kubeletVersion is an EKS build (-eks-)', kubelet(/-eks-/));
  nodeSignal('eks', 'labels eks.amazonaws.com/…', labelPrefix('eks.amazonaws.com/'));
  nodeSignal('gke', 'kubeletVersion is a GKE build (-gke.)', kubelet(/-gke\./));
  nodeSignal('gke', 'labels cloud.google.com/gke-…', labelPrefix('cloud.google.com/gke-'));
  nodeSignal('aks', 'labels kubernetes.azure.com/…', labelPrefix('kubernetes.azure.com/'));
  nodeSignal('k3s', 'kubeletVersion is a k3s build (+k3s)', kubelet(/\+k3s/));
  nodeSignal('k3s', 'providerID k3s://…', provider('k3s://'));
  nodeSignal('k3s', 'label node.kubernetes.io/instance-type=k3s', (n) => n.labels['node.kubernetes.io/instance-type'] === 'k3s');
  nodeSignal('rke2', 'kubeletVersion is an RKE2 build (+rke2)', kubelet(/\+rke2/));
  nodeSignal('rke2', 'providerID rke2://…', provider('rke2://'));
  nodeSignal('kind', 'providerID kind://…', provider('kind://'));
  // Cloud schemes support a provider signal; alone they are a self-managed cluster on that cloud.
  if (ev.eks) nodeSignal('eks', 'providerID aws://…', provider('aws://'));
  if (ev.gke) nodeSignal('gke', 'providerID gce://…', provider('gce://'));
  if (ev.aks) nodeSignal('aks', 'providerID azure://…', provider('azure://'));

  const groups = (s.groupVersions ?? []).filter((g) => g.startsWith('config.openshift.io/'));
  if (groups.length > 0) add('openshift', `API group ${groups[0]!.split('/')[0]} is served`);
  const osNs = (s.namespaces ?? []).map((n) => n.name).filter((n) => n === 'openshift-config' || n === 'openshift-kube-apiserver');
  if (osNs.length > 0) add('openshift', `namespaces ${osNs.join(', ')} exist`);

  const crbs = new Set((s.bindings ?? []).filter((b) => b.kind === 'ClusterRoleBinding').map((b) => b.name));
  const kubeadmBindings = ['kubeadm:get-nodes', 'kubeadm:kubelet-bootstrap', 'kubeadm:node-proxier'].filter((n) => crbs.has(n));
  if (kubeadmBindings.length > 0) add('kubeadm', `kubeadm's ClusterRoleBindings ${kubeadmBindings.join(', ')} exist`);
  const cpPods = (s.controlPlanePods ?? []).filter((p) => p.component === 'kube-apiserver' || p.component === 'etcd');
  if (cpPods.length > 0) add('kubeadm', `control-plane pods in kube-system: ${someOf(cpPods.map((p) => p.name))}`);
  const pkiNames = new Set((s.pki ?? []).map((c) => c.kubeadmName).filter((n) => n !== undefined));
  const kubeadmFiles = KUBEADM_ONLY_NAMES.filter((n) => pkiNames.has(n));
  if (kubeadmFiles.length >= 2) add('kubeadm', `control-plane files named as kubeadm writes them: ${someOf(kubeadmFiles)}`);
  const k3sBindings = ['system:k3s-controller', 'helm-kube-system-traefik'].filter((n) => crbs.has(n));
  if (k3sBindings.length > 0) add('k3s', `k3s's ClusterRoleBindings ${k3sBindings.join(', ')} exist`);

  const order: DistributionName[] = ['eks', 'gke', 'aks', 'openshift', 'k3s', 'rke2', 'kind', 'kubeadm'];
  const name = order.find((d) => ev[d] !== undefined) ?? 'unknown';
  const managed = name === 'eks' || name === 'gke' || name === 'aks';
  // kind runs kubeadm: its kubeadm signals are evidence too.
  const evidence = name === 'kind' ? [...ev.kind!, ...(ev.kubeadm ?? [])] : (ev[name] ?? []);
  return { name, managed, evidence, ...datastoreOf(name, nodes, s.version !== undefined || nodes.length > 0) };
}

function datastoreOf(
  name: DistributionName,
  nodes: readonly NodeInfo[],
  anyRead: boolean,
): { datastore: Datastore; datastoreReason: string } {
  if (name === 'eks' || name === 'gke' || name === 'aks') {
    return { datastore: 'provider', datastoreReason: `${DISTRIBUTION_LABELS[name]} runs the control plane and its etcd` };
  }
  if (name === 'k3s') {
    const etcdNodes = nodes.filter((n) => n.roles.includes('etcd')).map((n) => n.name);
    if (etcdNodes.length > 0)
      return {
        datastore: 'k3s-embedded-etcd',
        datastoreReason: `server nodes with the etcd role (node-role.kubernetes.io/etcd): ${etcdNodes.join(', ')}`,
      };
    const servers = nodes.filter((n) => n.roles.includes('control-plane') || n.roles.includes('master')).map((n) => n.name);
    if (servers.length > 0) {
      return {
        datastore: 'k3s-kine',
        datastoreReason:
          `no node has the etcd role (node-role.kubernetes.io/etcd), server ` +
          `node${servers.length === 1 ? '' : 's'} ${servers.join(', ')} seen: k3s keeps the cluster in ` +
          `SQLite (/var/lib/rancher/k3s/server/db/) or an external database`,
      };
    }
    return {
      datastore: 'unknown',
      datastoreReason:
        nodes.length === 0
          ? 'k3s nodes were not read: the datastore is not known'
          : 'no k3s server node is seen (servers run with --disable-agent?): the datastore is not known',
    };
  }
  if (name === 'unknown')
    return { datastore: 'unknown', datastoreReason: anyRead ? 'no distribution signal' : 'neither the version nor the nodes were read' };
  return { datastore: 'etcd', datastoreReason: `${DISTRIBUTION_LABELS[name]} runs etcd itself` };
}
