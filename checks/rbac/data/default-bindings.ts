/**
 * The RBAC bindings that a fresh cluster of each distribution creates by itself, as exact
 * (binding kind, namespace, name, roleRef, subject) entries. A binding is a default for one of
 * its subjects only when all of these match an entry of a distribution that applies to the
 * cluster: a binding named `system:…` with another role or another subject is not a default,
 * and neither is the `kubernetes.io/bootstrapping=rbac-defaults` label (anyone who can create
 * bindings can set it).
 *
 * Sources (read from stored snapshots of the repositories and pages named):
 * - upstream: `kubernetes/kubernetes:plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/`
 *   (`cluster-role-bindings.yaml`, `controller-role-bindings.yaml`, `namespace-role-bindings.yaml`,
 *   HEAD 2026) and the bindings of `fixtures/dumps/lab-1.26` (a real v1.26.4 API server). Older
 *   subjects kept by upgrades are included: `system:unauthenticated` on `system:basic-user` and
 *   `system:discovery` (before 1.14) and `system:nodes` on `system:node` (before 1.8).
 *   `system::leader-locking-kube-controller-manager` also binds ServiceAccount
 *   `kube-system/leader-election-controller` since 1.31 (seen on a v1.31.2 API server: the k3s
 *   support bundle of Replicated troubleshoot's test baselines).
 *   The openshift/kubernetes fork (MicroShift 4.13, the lab dump) adds `system:openshift:public-info-viewer`
 *   and `system:controller:service-ca-cert-publisher` to the same bootstrap policy.
 * - kubeadm: `kubernetes/kubernetes:cmd/kubeadm/app/phases/` — `bootstraptoken/node/tlsbootstrap.go`
 *   (`kubeadm:kubelet-bootstrap`, `kubeadm:node-autoapprove-bootstrap`,
 *   `kubeadm:node-autoapprove-certificate-rotation`, `kubeadm:get-nodes`),
 *   `bootstraptoken/clusterinfo/clusterinfo.go` (`kubeadm:bootstrap-signer-clusterinfo`),
 *   `addons/proxy/proxy.go` (`kubeadm:node-proxier`, RoleBinding `kube-proxy`),
 *   `addons/dns/dns.go` (`system:coredns`), `uploadconfig/uploadconfig.go`
 *   (`kubeadm:nodes-kubeadm-config`), `kubelet/config.go` (`kubeadm:kubelet-config`, named
 *   `kubeadm:kubelet-config-1.<minor>` before 1.24), `kubeconfig/kubeconfig.go`
 *   (`kubeadm:cluster-admins`, 1.29+: the group of `admin.conf`), `copycerts/copycerts.go`
 *   (`kubeadm:kubeadm-certs`, made by `kubeadm init --upload-certs` or `init phase upload-certs`:
 *   `get` on the `kube-system/kubeadm-certs` Secret for the bootstrap-token group, so joining
 *   control-plane nodes can fetch the encrypted certificates).
 * - k3s: `k3s-io/k3s:manifests/` (`rolebindings.yaml`, `coredns.yaml`, `local-storage.yaml`,
 *   `ccm.yaml`, `metrics-server/*.yaml`), the RBAC templates of `pkg/deploy` (`system:k3s-controller`),
 *   `k3s-io/helm-controller:pkg/controllers/chart/chart.go` (`helm-<namespace>-<chart>` →
 *   `cluster-admin` for ServiceAccount `helm-<chart>`; k3s ships the `traefik` and `traefik-crd`
 *   charts in kube-system), and the traefik chart's binding to ServiceAccount `kube-system/traefik`:
 *   `traefik` (the chart's full name, chart 10.x as shipped up to k3s 1.24 — ClusterRole `traefik`
 *   of chart `traefik-10.19.300` in a k3d v1.24.4+k3s1 support bundle) or `traefik-kube-system`
 *   (the `traefik.clusterRoleName` template, `<fullname>-<namespace>`, of later charts). The subjects of
 *   `k3s-cloud-controller-manager-auth-delegator` and `k3s-cloud-controller-manager-authentication-reader`
 *   are the k3s-cloud-controller-manager user as in `ccm.yaml` (names from a k3s deploy list).
 * - kind: `kubernetes-sigs/kind:pkg/build/nodeimage/const_cni.go` (kindnet: ClusterRoleBinding
 *   `kindnet` → ServiceAccount `kube-system/kindnet`) and `const_storage.go` (local-path-provisioner:
 *   `local-path-provisioner-bind` → ServiceAccount `local-path-storage/local-path-provisioner-service-account`),
 *   both also in the Sonobuoy results of a kind v1.21.1 cluster.
 * - EKS: page "Default Amazon EKS created Kubernetes roles and users" (awsdocs/amazon-eks-user-guide,
 *   `default-roles-users.md`: every `eks:*` binding binds the `eks:*` user of the same name, plus
 *   `aws-node` and `vpc-resource-controller-rolebinding`), and the bindings and subjects listed by
 *   `kubectl get clusterrolebindings,rolebindings -A` and `rbac-lookup` on EKS 1.26–1.28 clusters in
 *   public notes (role and subject of each binding below). EKS grants its cluster creator access
 *   through access entries or the `aws-auth` ConfigMap, outside RBAC objects.
 *
 * Not covered (no source verified against the objects they create): RKE2, GKE, AKS and
 * OpenShift; on those clusters only the upstream entries apply and their own defaults surface
 * as findings (waive them by fingerprint).
 */
import type { DistributionName } from '../../../src/contract/report.js';
import type { Subject } from '../../../src/contract/values/rbac.js';

export type Distribution = 'upstream' | 'kubeadm' | 'kind' | 'k3s' | 'eks';

/**
 * The tables that apply to a detected distribution (`src/k8s/distribution.ts`): kind runs
 * kubeadm, so kubeadm's entries apply to it too; a cluster whose distribution is unknown gets
 * kubeadm's entries as well (they bind only kubeadm's own groups and ServiceAccounts, and kubeadm
 * is the commonest self-managed installer). GKE, AKS, RKE2 and OpenShift have no verified table:
 * only the upstream bootstrap policy applies and their own defaults surface as findings.
 */
export const DEFAULT_TABLES: Record<DistributionName, readonly Distribution[]> = {
  kubeadm: ['upstream', 'kubeadm'],
  kind: ['upstream', 'kubeadm', 'kind'],
  k3s: ['upstream', 'k3s'],
  eks: ['upstream', 'eks'],
  gke: ['upstream'],
  aks: ['upstream'],
  rke2: ['upstream'],
  openshift: ['upstream'],
  unknown: ['upstream', 'kubeadm'],
};

export interface DefaultBinding {
  distribution: Distribution;
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  namespace?: string;
  name: string;
  roleRef: { kind: 'ClusterRole' | 'Role'; name: string };
  subjects: Subject[];
}

const user = (name: string): Subject => ({ kind: 'User', name });
const group = (name: string): Subject => ({ kind: 'Group', name });
const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', namespace, name });

const crb = (distribution: Distribution, name: string, role: string, ...subjects: Subject[]): DefaultBinding => ({
  distribution,
  kind: 'ClusterRoleBinding',
  name,
  roleRef: { kind: 'ClusterRole', name: role },
  subjects,
});
const rb = (
  distribution: Distribution,
  namespace: string,
  name: string,
  role: { kind: 'ClusterRole' | 'Role'; name: string },
  ...subjects: Subject[]
): DefaultBinding => ({
  distribution,
  kind: 'RoleBinding',
  namespace,
  name,
  roleRef: role,
  subjects,
});
const role = (name: string) => ({ kind: 'Role' as const, name });

/** kube-controller-manager controllers that run with their own ServiceAccount (`--use-service-account-credentials`). */
const UPSTREAM_CONTROLLERS = [
  'attachdetach-controller',
  'certificate-controller',
  'clusterrole-aggregation-controller',
  'cronjob-controller',
  'daemon-set-controller',
  'deployment-controller',
  'disruption-controller',
  'endpoint-controller',
  'endpointslice-controller',
  'endpointslicemirroring-controller',
  'ephemeral-volume-controller',
  'expand-controller',
  'generic-garbage-collector',
  'horizontal-pod-autoscaler',
  'job-controller',
  'legacy-service-account-token-cleaner',
  'namespace-controller',
  'node-controller',
  'persistent-volume-binder',
  'pod-garbage-collector',
  'podcheckpoint-controller',
  'pv-protection-controller',
  'pvc-protection-controller',
  'replicaset-controller',
  'replication-controller',
  'resource-claim-controller',
  'resourcequota-controller',
  'root-ca-cert-publisher',
  'route-controller',
  'selinux-warning-controller',
  'service-account-controller',
  'service-cidrs-controller',
  'service-controller',
  'statefulset-controller',
  'ttl-after-finished-controller',
  'ttl-controller',
  'validatingadmissionpolicy-status-controller',
  'volumeattributesclass-protection-controller',
  // openshift/kubernetes fork (MicroShift 4.13):
  'service-ca-cert-publisher',
];

const BOOTSTRAP_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

export const DEFAULT_BINDINGS: readonly DefaultBinding[] = [
  // ---- upstream bootstrap policy -------------------------------------------------------------
  crb('upstream', 'cluster-admin', 'cluster-admin', group('system:masters')),
  crb('upstream', 'system:basic-user', 'system:basic-user', group('system:authenticated'), group('system:unauthenticated')),
  crb('upstream', 'system:discovery', 'system:discovery', group('system:authenticated'), group('system:unauthenticated')),
  crb('upstream', 'system:public-info-viewer', 'system:public-info-viewer', group('system:authenticated'), group('system:unauthenticated')),
  crb(
    'upstream',
    'system:openshift:public-info-viewer',
    'system:openshift:public-info-viewer',
    group('system:authenticated'),
    group('system:unauthenticated'),
  ),
  crb('upstream', 'system:kube-controller-manager', 'system:kube-controller-manager', user('system:kube-controller-manager')),
  crb('upstream', 'system:kube-scheduler', 'system:kube-scheduler', user('system:kube-scheduler')),
  crb('upstream', 'system:volume-scheduler', 'system:volume-scheduler', user('system:kube-scheduler')),
  crb('upstream', 'system:node-proxier', 'system:node-proxier', user('system:kube-proxy')),
  crb('upstream', 'system:node', 'system:node', group('system:nodes')),
  crb('upstream', 'system:kube-dns', 'system:kube-dns', sa('kube-system', 'kube-dns')),
  crb('upstream', 'system:monitoring', 'system:monitoring', group('system:monitoring')),
  crb('upstream', 'system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', group('system:serviceaccounts')),
  ...UPSTREAM_CONTROLLERS.map((c) => crb('upstream', `system:controller:${c}`, `system:controller:${c}`, sa('kube-system', c))),
  rb(
    'upstream',
    'kube-system',
    'system::extension-apiserver-authentication-reader',
    role('extension-apiserver-authentication-reader'),
    user('system:kube-controller-manager'),
    user('system:kube-scheduler'),
  ),
  rb(
    'upstream',
    'kube-system',
    'system::leader-locking-kube-controller-manager',
    role('system::leader-locking-kube-controller-manager'),
    user('system:kube-controller-manager'),
    sa('kube-system', 'kube-controller-manager'),
    sa('kube-system', 'leader-election-controller'),
  ),
  rb(
    'upstream',
    'kube-system',
    'system::leader-locking-kube-scheduler',
    role('system::leader-locking-kube-scheduler'),
    user('system:kube-scheduler'),
    sa('kube-system', 'kube-scheduler'),
  ),
  rb(
    'upstream',
    'kube-system',
    'system:controller:bootstrap-signer',
    role('system:controller:bootstrap-signer'),
    sa('kube-system', 'bootstrap-signer'),
  ),
  rb(
    'upstream',
    'kube-public',
    'system:controller:bootstrap-signer',
    role('system:controller:bootstrap-signer'),
    sa('kube-system', 'bootstrap-signer'),
  ),
  rb(
    'upstream',
    'kube-system',
    'system:controller:cloud-provider',
    role('system:controller:cloud-provider'),
    sa('kube-system', 'cloud-provider'),
  ),
  rb(
    'upstream',
    'kube-system',
    'system:controller:token-cleaner',
    role('system:controller:token-cleaner'),
    sa('kube-system', 'token-cleaner'),
  ),

  // ---- kubeadm ---------------------------------------------------------------------------------
  crb('kubeadm', 'kubeadm:cluster-admins', 'cluster-admin', group('kubeadm:cluster-admins')),
  crb('kubeadm', 'kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', group(BOOTSTRAP_TOKEN_GROUP)),
  crb(
    'kubeadm',
    'kubeadm:node-autoapprove-bootstrap',
    'system:certificates.k8s.io:certificatesigningrequests:nodeclient',
    group(BOOTSTRAP_TOKEN_GROUP),
  ),
  crb(
    'kubeadm',
    'kubeadm:node-autoapprove-certificate-rotation',
    'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient',
    group('system:nodes'),
  ),
  crb('kubeadm', 'kubeadm:get-nodes', 'kubeadm:get-nodes', group(BOOTSTRAP_TOKEN_GROUP)),
  crb('kubeadm', 'kubeadm:node-proxier', 'system:node-proxier', sa('kube-system', 'kube-proxy')),
  crb('kubeadm', 'system:coredns', 'system:coredns', sa('kube-system', 'coredns')),
  rb('kubeadm', 'kube-system', 'kube-proxy', role('kube-proxy'), group(BOOTSTRAP_TOKEN_GROUP)),
  rb(
    'kubeadm',
    'kube-system',
    'kubeadm:nodes-kubeadm-config',
    role('kubeadm:nodes-kubeadm-config'),
    group(BOOTSTRAP_TOKEN_GROUP),
    group('system:nodes'),
  ),
  rb(
    'kubeadm',
    'kube-public',
    'kubeadm:bootstrap-signer-clusterinfo',
    role('kubeadm:bootstrap-signer-clusterinfo'),
    user('system:anonymous'),
  ),
  rb('kubeadm', 'kube-system', 'kubeadm:kubeadm-certs', role('kubeadm:kubeadm-certs'), group(BOOTSTRAP_TOKEN_GROUP)),
  ...['kubeadm:kubelet-config', ...Array.from({ length: 16 }, (_, i) => `kubeadm:kubelet-config-1.${i + 8}`)].map((n) =>
    rb('kubeadm', 'kube-system', n, role(n), group('system:nodes'), group(BOOTSTRAP_TOKEN_GROUP)),
  ),

  // ---- k3s -------------------------------------------------------------------------------------
  crb('k3s', 'kube-apiserver-kubelet-admin', 'system:kubelet-api-admin', user('kube-apiserver')),
  crb('k3s', 'system:k3s-controller', 'system:k3s-controller', user('system:k3s-controller')),
  crb('k3s', 'k3s-cloud-controller-manager', 'k3s-cloud-controller-manager', user('k3s-cloud-controller-manager')),
  crb('k3s', 'k3s-cloud-controller-manager-auth-delegator', 'system:auth-delegator', user('k3s-cloud-controller-manager')),
  crb('k3s', 'clustercidrs-node', 'clustercidrs-node', group('system:nodes')),
  crb('k3s', 'system:coredns', 'system:coredns', sa('kube-system', 'coredns')),
  crb('k3s', 'local-path-provisioner-bind', 'local-path-provisioner-role', sa('kube-system', 'local-path-provisioner-service-account')),
  crb('k3s', 'metrics-server:system:auth-delegator', 'system:auth-delegator', sa('kube-system', 'metrics-server')),
  crb('k3s', 'system:metrics-server', 'system:metrics-server', sa('kube-system', 'metrics-server')),
  crb('k3s', 'helm-kube-system-traefik', 'cluster-admin', sa('kube-system', 'helm-traefik')),
  crb('k3s', 'helm-kube-system-traefik-crd', 'cluster-admin', sa('kube-system', 'helm-traefik-crd')),
  crb('k3s', 'traefik-kube-system', 'traefik-kube-system', sa('kube-system', 'traefik')),
  crb('k3s', 'traefik', 'traefik', sa('kube-system', 'traefik')),
  rb(
    'k3s',
    'kube-system',
    'metrics-server-auth-reader',
    role('extension-apiserver-authentication-reader'),
    sa('kube-system', 'metrics-server'),
  ),
  rb(
    'k3s',
    'kube-system',
    'k3s-cloud-controller-manager-authentication-reader',
    role('extension-apiserver-authentication-reader'),
    user('k3s-cloud-controller-manager'),
  ),

  // ---- kind (on top of kubeadm's) ---------------------------------------------------------------
  crb('kind', 'kindnet', 'kindnet', sa('kube-system', 'kindnet')),
  crb(
    'kind',
    'local-path-provisioner-bind',
    'local-path-provisioner-role',
    sa('local-path-storage', 'local-path-provisioner-service-account'),
  ),

  // ---- EKS -------------------------------------------------------------------------------------
  crb('eks', 'aws-node', 'aws-node', sa('kube-system', 'aws-node')),
  crb('eks', 'eks:addon-cluster-admin', 'cluster-admin', user('eks:addon-manager')),
  crb('eks', 'eks:addon-manager', 'eks:addon-manager', user('eks:addon-manager')),
  crb('eks', 'eks:az-poller', 'eks:az-poller', user('eks:az-poller')),
  crb('eks', 'eks:certificate-controller', 'system:controller:certificate-controller', user('eks:certificate-controller')),
  crb('eks', 'eks:certificate-controller-approver', 'eks:certificate-controller-approver', user('eks:certificate-controller')),
  crb('eks', 'eks:certificate-controller-signer', 'eks:certificate-controller-signer', user('eks:certificate-controller')),
  crb('eks', 'eks:cloud-controller-manager', 'eks:cloud-controller-manager', user('eks:cloud-controller-manager')),
  crb('eks', 'eks:cloud-provider-extraction-migration', 'eks:cloud-provider-extraction-migration', user('system:kube-controller-manager')),
  crb('eks', 'eks:cluster-event-watcher', 'eks:cluster-event-watcher', user('eks:cluster-event-watcher')),
  crb('eks', 'eks:fargate-manager', 'eks:fargate-manager', user('eks:fargate-manager')),
  crb('eks', 'eks:fargate-scheduler', 'eks:fargate-scheduler', user('eks:fargate-scheduler')),
  crb('eks', 'eks:k8s-metrics', 'eks:k8s-metrics', user('eks:k8s-metrics')),
  crb('eks', 'eks:kube-proxy', 'system:node-proxier', sa('kube-system', 'kube-proxy')),
  crb('eks', 'eks:kube-proxy-fargate', 'system:node-proxier', group('system:node-proxier')),
  crb('eks', 'eks:kube-proxy-windows', 'system:node-proxier', group('eks:kube-proxy-windows')),
  crb('eks', 'eks:node-bootstrapper', 'eks:node-bootstrapper', group('system:bootstrappers'), group('system:nodes')),
  crb('eks', 'eks:node-manager', 'eks:node-manager', user('eks:node-manager')),
  crb('eks', 'eks:nodewatcher', 'eks:nodewatcher', user('eks:nodewatcher')),
  crb('eks', 'eks:pod-identity-mutating-webhook', 'eks:pod-identity-mutating-webhook', user('eks:pod-identity-mutating-webhook')),
  crb('eks', 'eks:podsecuritypolicy:authenticated', 'eks:podsecuritypolicy:privileged', group('system:authenticated')),
  crb('eks', 'eks:tagging-controller', 'eks:tagging-controller', sa('kube-system', 'tagging-controller')),
  crb(
    'eks',
    'vpc-resource-controller-rolebinding',
    'vpc-resource-controller-role',
    user('eks:vpc-resource-controller'),
    sa('kube-system', 'eks-vpc-resource-controller'),
  ),
  crb('eks', 'system:coredns', 'system:coredns', sa('kube-system', 'coredns')),
  rb('eks', 'kube-system', 'eks:addon-manager', role('eks:addon-manager'), user('eks:addon-manager')),
  rb('eks', 'kube-system', 'eks:authenticator', role('eks:authenticator'), user('eks:authenticator')),
  rb('eks', 'kube-system', 'eks:az-poller', role('eks:az-poller'), user('eks:az-poller')),
  rb('eks', 'default', 'eks:az-poller', role('eks:az-poller'), user('eks:az-poller')),
  rb('eks', 'kube-system', 'eks:certificate-controller', role('eks:certificate-controller'), user('eks:certificate-controller')),
  rb(
    'eks',
    'kube-system',
    'eks:cloud-controller-manager:apiserver-authentication-reader',
    role('extension-apiserver-authentication-reader'),
    user('eks:cloud-controller-manager'),
  ),
  rb('eks', 'kube-system', 'eks:fargate-manager', role('eks:fargate-manager'), user('eks:fargate-manager')),
  rb('eks', 'kube-system', 'eks:k8s-metrics', role('eks:k8s-metrics'), user('eks:k8s-metrics')),
  rb('eks', 'kube-system', 'eks:node-manager', role('eks:node-manager'), user('eks:node-manager')),
  rb(
    'eks',
    'kube-system',
    'eks-vpc-resource-controller-rolebinding',
    role('eks-vpc-resource-controller-role'),
    user('eks:vpc-resource-controller'),
    sa('kube-system', 'eks-vpc-resource-controller'),
  ),
];
