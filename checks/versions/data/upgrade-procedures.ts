/**
 * How one minor step of an upgrade is carried out, per kind of control plane: ordered phases
 * with their nodes and commands. Every procedure upgrades the control plane first, one node at
 * a time, then the workers one at a time (Version Skew Policy, "Supported component upgrade
 * order").
 *
 * Sources:
 * - kubeadm: "Upgrading kubeadm clusters" (https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/)
 *   and "Upgrading Linux nodes"; etcd snapshot: "Operating etcd clusters for Kubernetes",
 *   #backing-up-an-etcd-cluster; package repositories per minor on pkgs.k8s.io.
 * - EKS: "Update existing cluster to new Kubernetes version" (`aws eks update-cluster-version`,
 *   `aws eks update-nodegroup-version`).
 * - GKE: "Manually upgrading a cluster or node pool" (`gcloud container clusters upgrade --master`).
 * - AKS: "Upgrade an AKS cluster" (`az aks upgrade --control-plane-only`, `az aks nodepool upgrade`).
 * - k3s / RKE2: "Manual Upgrades" (install script with `INSTALL_K3S_VERSION` / `INSTALL_RKE2_VERSION`)
 *   and `k3s|rke2 etcd-snapshot save`; a k3s server on SQLite or an external database through
 *   kine has no etcd: docs.k3s.io "Backup and Restore" says to copy `/var/lib/rancher/k3s/server/db/`
 *   and the server token (or back up the external database with its own tools).
 */
import type { Provider } from '../../../src/k8s/cluster.js';
import type { Datastore } from '../../../src/contract/report.js';

export interface PlanPhase {
  phase: 'etcd-snapshot' | 'datastore-backup' | 'control-plane' | 'workers';
  title: string;
  /** Nodes in the order they are upgraded (empty when the provider upgrades the control plane). */
  nodes: string[];
  commands: string[];
}

/** What a step's commands are written for. */
export interface StepInput {
  /** `1.27` */
  minor: string;
  /** Version for the commands: `v1.27.3` when the target names a patch, else `v1.27.x`. */
  version: string;
  controlPlaneNodes: string[];
  workerNodes: string[];
  /** Where the cluster keeps its state (`distribution.ts`): a k3s on kine has no etcd to snapshot. */
  datastore: Datastore;
}

export interface UpgradeProcedure {
  /** `kubeadm`, `eks`, … */
  name: string;
  reference: string;
  step(s: StepInput): PlanPhase[];
}

const DRAIN = (node: string): string => `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`;

const kubeadm: UpgradeProcedure = {
  name: 'kubeadm',
  reference: 'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/',
  step: ({ minor, version, controlPlaneNodes, workerNodes }) => {
    const repo = `switch the package repository to https://pkgs.k8s.io/core:/stable:/v${minor}/deb/`;
    const pkg = (names: string): string =>
      `apt-get update && apt-get install -y ${names
        .split(' ')
        .map((n) => `${n}='${minor}.*'`)
        .join(' ')}`;
    return [
      {
        phase: 'etcd-snapshot',
        title: 'Take an etcd snapshot (on a control-plane node)',
        nodes: controlPlaneNodes.slice(0, 1),
        commands: [
          `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 ` +
            `--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt ` +
            `--key=/etc/kubernetes/pki/etcd/healthcheck-client.key snapshot save ` +
            `/var/backups/etcd-before-${version}.db`,
          `ETCDCTL_API=3 etcdctl snapshot status /var/backups/etcd-before-${version}.db -w table`,
          'copy the snapshot and /etc/kubernetes/pki off the node',
        ],
      },
      {
        phase: 'control-plane',
        title: 'Upgrade the control-plane nodes one at a time',
        nodes: controlPlaneNodes,
        commands: [
          `on each control-plane node: ${repo}; ${pkg('kubeadm')}`,
          `on the first (${controlPlaneNodes[0] ?? '<first control-plane node>'}): kubeadm upgrade plan && ` +
            `kubeadm upgrade apply ${version}`,
          'on each other control-plane node: kubeadm upgrade node',
          `then on each, one at a time: ${DRAIN('<node>')}; ${pkg('kubelet kubectl')}; systemctl ` +
            `daemon-reload && systemctl restart kubelet; kubectl uncordon <node>`,
        ],
      },
      {
        phase: 'workers',
        title: 'Upgrade the workers one at a time (cordon, drain, upgrade, uncordon)',
        nodes: workerNodes,
        commands: [
          'kubectl cordon <node>',
          DRAIN('<node>'),
          `on the node: ${repo}; ${pkg('kubeadm')} && kubeadm upgrade node`,
          `on the node: ${pkg('kubelet kubectl')} && systemctl daemon-reload && systemctl restart kubelet`,
          'kubectl uncordon <node>',
        ],
      },
    ];
  },
};

/** A managed control plane: the provider upgrades it; node pools follow. */
function managed(
  name: string,
  reference: string,
  controlPlane: (minor: string, version: string) => string,
  pools: (minor: string, version: string) => string,
): UpgradeProcedure {
  return {
    name,
    reference,
    step: ({ minor, version, workerNodes }) => [
      { phase: 'control-plane', title: 'Upgrade the managed control plane', nodes: [], commands: [controlPlane(minor, version)] },
      {
        phase: 'workers',
        title: 'Upgrade the node pools (the provider cordons, drains and replaces nodes one at a time)',
        nodes: workerNodes,
        commands: [
          pools(minor, version),
          `self-managed nodes: one at a time, kubectl cordon <node>; ${DRAIN('<node>')}; replace or ` +
            `upgrade it to ${minor}; kubectl uncordon <node>`,
        ],
      },
    ],
  };
}

/** k3s and RKE2: servers one at a time with the install script, then agents. */
function rancher(name: 'k3s' | 'rke2', reference: string): UpgradeProcedure {
  const env = name === 'k3s' ? 'INSTALL_K3S_VERSION' : 'INSTALL_RKE2_VERSION';
  const url = name === 'k3s' ? 'https://get.k3s.io' : 'https://get.rke2.io';
  const suffix = name === 'k3s' ? '+k3s1' : '+rke2r1';
  return {
    name,
    reference,
    step: ({ version, controlPlaneNodes, workerNodes, datastore }) => [
      datastore === 'k3s-kine'
        ? {
            phase: 'datastore-backup',
            title: 'Back up the datastore (SQLite or an external database through kine: there is no etcd)',
            nodes: controlPlaneNodes.slice(0, 1),
            commands: [
              `on the server, with k3s stopped: cp -a /var/lib/rancher/k3s/server/db ` +
                `/var/backups/k3s-db-before-${version} && cp /var/lib/rancher/k3s/server/token ` +
                `/var/backups/k3s-token-before-${version}`,
              'an external database (MySQL, PostgreSQL, etcd): back it up with its own tools',
            ],
          }
        : {
            phase: 'etcd-snapshot',
            title: 'Take an etcd snapshot (embedded etcd, on a server node)',
            nodes: controlPlaneNodes.slice(0, 1),
            commands: [`${name} etcd-snapshot save --name before-${version}`],
          },
      {
        phase: 'control-plane',
        title: 'Upgrade the server nodes one at a time',
        nodes: controlPlaneNodes,
        commands: [
          `on each server: curl -sfL ${url} | ${env}=${version}${suffix} sh ` +
            `-${name === 'rke2' ? ' && systemctl restart rke2-server' : ''} (with the flags it was installed ` +
            `with)`,
        ],
      },
      {
        phase: 'workers',
        title: 'Upgrade the agents one at a time (cordon, drain, upgrade, uncordon)',
        nodes: workerNodes,
        commands: [
          'kubectl cordon <node>',
          DRAIN('<node>'),
          `on the node: curl -sfL ${url} | ` +
            `${name === 'rke2' ? 'INSTALL_RKE2_TYPE=agent ' : ''}${env}=${version}${suffix} sh ` +
            `-${name === 'rke2' ? ' && systemctl restart rke2-agent' : ''}`,
          'kubectl uncordon <node>',
        ],
      },
    ],
  };
}

/** The procedure for a kind of control plane; kubeadm's for self-managed clusters of unknown kind. */
export const UPGRADE_PROCEDURES: Record<Provider, UpgradeProcedure> = {
  kubeadm,
  unknown: kubeadm,
  eks: managed(
    'eks',
    'https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html',
    (minor) =>
      `aws eks update-cluster-version --name <cluster> --kubernetes-version ${minor}; then update the ` +
      `kube-proxy, CoreDNS and VPC CNI add-ons to their ${minor} versions (aws eks update-addon)`,
    (minor) => `aws eks update-nodegroup-version --cluster-name <cluster> --nodegroup-name <nodegroup> --kubernetes-version ${minor}`,
  ),
  gke: managed(
    'gke',
    'https://cloud.google.com/kubernetes-engine/docs/how-to/upgrading-a-cluster',
    (minor) => `gcloud container clusters upgrade <cluster> --master --cluster-version ${minor}`,
    (minor) => `gcloud container clusters upgrade <cluster> --node-pool <pool> --cluster-version ${minor}`,
  ),
  aks: managed(
    'aks',
    'https://learn.microsoft.com/azure/aks/upgrade-aks-cluster',
    (_m, version) =>
      `az aks upgrade --resource-group <group> --name <cluster> --kubernetes-version ${version.slice(1)} --control-plane-only`,
    (_m, version) =>
      `az aks nodepool upgrade --resource-group <group> --cluster-name <cluster> --name <pool> --kubernetes-version ${version.slice(1)}`,
  ),
  k3s: rancher('k3s', 'https://docs.k3s.io/upgrades/manual'),
  rke2: rancher('rke2', 'https://docs.rke2.io/upgrades/manual_upgrade'),
};
