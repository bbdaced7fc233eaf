/**
 * Kubernetes API resources the inputs read, and the names of built-in resources.
 * Versions are listed preferred first; a live scan lists the first version the server
 * serves, so it never requests a deprecated version the server also serves in a newer one.
 */
import type { ApiResource } from '../contract/inputs.js';

const core = (resource: string, kind: string, namespaced = true): ApiResource => ({
  group: '',
  versions: ['v1'],
  resource,
  kind,
  namespaced,
});

export const R = {
  namespaces: core('namespaces', 'Namespace', false),
  nodes: core('nodes', 'Node', false),
  pods: core('pods', 'Pod'),
  secrets: core('secrets', 'Secret'),
  configmaps: core('configmaps', 'ConfigMap'),
  serviceaccounts: core('serviceaccounts', 'ServiceAccount'),
  services: core('services', 'Service'),
  persistentvolumes: core('persistentvolumes', 'PersistentVolume', false),
  persistentvolumeclaims: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  replicationcontrollers: core('replicationcontrollers', 'ReplicationController'),
  deployments: { group: 'apps', versions: ['v1'], resource: 'deployments', kind: 'Deployment', namespaced: true },
  replicasets: { group: 'apps', versions: ['v1'], resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  statefulsets: { group: 'apps', versions: ['v1'], resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  daemonsets: { group: 'apps', versions: ['v1'], resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  jobs: { group: 'batch', versions: ['v1'], resource: 'jobs', kind: 'Job', namespaced: true },
  cronjobs: { group: 'batch', versions: ['v1', 'v1beta1'], resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  poddisruptionbudgets: {
    group: 'policy',
    versions: ['v1', 'v1beta1'],
    resource: 'poddisruptionbudgets',
    kind: 'PodDisruptionBudget',
    namespaced: true,
  },
  clusterroles: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  clusterrolebindings: {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    resource: 'clusterrolebindings',
    kind: 'ClusterRoleBinding',
    namespaced: false,
  },
  roles: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'roles', kind: 'Role', namespaced: true },
  rolebindings: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  validatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    resource: 'validatingwebhookconfigurations',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
  mutatingwebhookconfigurations: {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    resource: 'mutatingwebhookconfigurations',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  apiservices: { group: 'apiregistration.k8s.io', versions: ['v1'], resource: 'apiservices', kind: 'APIService', namespaced: false },
  customresourcedefinitions: {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
  },
  certificatesigningrequests: {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    resource: 'certificatesigningrequests',
    kind: 'CertificateSigningRequest',
    namespaced: false,
  },
} satisfies Record<string, ApiResource>;

// plural  group  version  kind (the built-in resources of recent Kubernetes, GA version first)
const BUILTIN_TABLE = `
bindings - v1 Binding
componentstatuses - v1 ComponentStatus
configmaps - v1 ConfigMap
endpoints - v1 Endpoints
events - v1 Event
limitranges - v1 LimitRange
namespaces - v1 Namespace
nodes - v1 Node
persistentvolumeclaims - v1 PersistentVolumeClaim
persistentvolumes - v1 PersistentVolume
pods - v1 Pod
podtemplates - v1 PodTemplate
replicationcontrollers - v1 ReplicationController
resourcequotas - v1 ResourceQuota
secrets - v1 Secret
serviceaccounts - v1 ServiceAccount
services - v1 Service
mutatingwebhookconfigurations admissionregistration.k8s.io v1 MutatingWebhookConfiguration
validatingwebhookconfigurations admissionregistration.k8s.io v1 ValidatingWebhookConfiguration
validatingadmissionpolicies admissionregistration.k8s.io v1 ValidatingAdmissionPolicy
validatingadmissionpolicybindings admissionregistration.k8s.io v1 ValidatingAdmissionPolicyBinding
mutatingadmissionpolicies admissionregistration.k8s.io v1beta1 MutatingAdmissionPolicy
mutatingadmissionpolicybindings admissionregistration.k8s.io v1beta1 MutatingAdmissionPolicyBinding
customresourcedefinitions apiextensions.k8s.io v1 CustomResourceDefinition
apiservices apiregistration.k8s.io v1 APIService
controllerrevisions apps v1 ControllerRevision
daemonsets apps v1 DaemonSet
deployments apps v1 Deployment
replicasets apps v1 ReplicaSet
statefulsets apps v1 StatefulSet
horizontalpodautoscalers autoscaling v2 HorizontalPodAutoscaler
cronjobs batch v1 CronJob
jobs batch v1 Job
certificatesigningrequests certificates.k8s.io v1 CertificateSigningRequest
clustertrustbundles certificates.k8s.io v1beta1 ClusterTrustBundle
leases coordination.k8s.io v1 Lease
endpointslices discovery.k8s.io v1 EndpointSlice
events events.k8s.io v1 Event
flowschemas flowcontrol.apiserver.k8s.io v1 FlowSchema
prioritylevelconfigurations flowcontrol.apiserver.k8s.io v1 PriorityLevelConfiguration
ingressclasses networking.k8s.io v1 IngressClass
ingresses networking.k8s.io v1 Ingress
networkpolicies networking.k8s.io v1 NetworkPolicy
ipaddresses networking.k8s.io v1 IPAddress
servicecidrs networking.k8s.io v1 ServiceCIDR
runtimeclasses node.k8s.io v1 RuntimeClass
poddisruptionbudgets policy v1 PodDisruptionBudget
clusterrolebindings rbac.authorization.k8s.io v1 ClusterRoleBinding
clusterroles rbac.authorization.k8s.io v1 ClusterRole
rolebindings rbac.authorization.k8s.io v1 RoleBinding
roles rbac.authorization.k8s.io v1 Role
priorityclasses scheduling.k8s.io v1 PriorityClass
csidrivers storage.k8s.io v1 CSIDriver
csinodes storage.k8s.io v1 CSINode
csistoragecapacities storage.k8s.io v1 CSIStorageCapacity
storageclasses storage.k8s.io v1 StorageClass
volumeattachments storage.k8s.io v1 VolumeAttachment
volumeattributesclasses storage.k8s.io v1 VolumeAttributesClass
resourceclaims resource.k8s.io v1 ResourceClaim
resourceclaimtemplates resource.k8s.io v1 ResourceClaimTemplate
deviceclasses resource.k8s.io v1 DeviceClass
resourceslices resource.k8s.io v1 ResourceSlice
storageversionmigrations storagemigration.k8s.io v1alpha1 StorageVersionMigration
`;

/** A built-in resource's type: what an object of it carries as `apiVersion` and `kind`. */
export interface KnownResource {
  apiVersion: string;
  kind: string;
}

/** Built-in resources by `plural` (core) or `plural.group`. */
const BUILTIN_RESOURCES: ReadonlyMap<string, KnownResource> = new Map(
  BUILTIN_TABLE.trim()
    .split('\n')
    .map((line) => {
      const [plural, group, version, kind] = line.trim().split(/\s+/) as [string, string, string, string];
      return group === '-' ? [plural, { apiVersion: version, kind }] : [`${plural}.${group}`, { apiVersion: `${group}/${version}`, kind }];
    }),
);

/**
 * Names (`plural` or `plural.group`) of resources every recent Kubernetes serves. A dump
 * file named after one of them that no selected input reads is not parsed at all; files
 * with other names are always parsed, since they may hold anything.
 */
export const BUILTIN_RESOURCE_NAMES: ReadonlySet<string> = new Set(BUILTIN_RESOURCES.keys());

/**
 * The built-in resource a name designates, as `kubectl get NAME` reads it: `plural.group`
 * (`statefulsets.apps`), or a bare plural (`pods`, `statefulsets`: the core resource first,
 * else the one group that has it). Undefined for a name it does not know (CRDs, typos) or a
 * bare plural several groups share.
 */
export function knownResource(name: string): KnownResource | undefined {
  const exact = BUILTIN_RESOURCES.get(name);
  if (exact || name.includes('.')) return exact;
  const grouped = [...BUILTIN_RESOURCES].filter(([n]) => n.startsWith(`${name}.`));
  return grouped.length === 1 ? grouped[0]![1] : undefined;
}

/**
 * Kubernetes' fallback from a kind to its plural resource name (`meta.UnsafeGuessKindToResource`
 * in k8s.io/apimachinery `pkg/api/meta/restmapper.go`): lower-case; `-s` → `-ses`, `-y` → `-ies`,
 * else `-s`; `endpoints` stays. Right for every built-in kind and nearly every CRD.
 */
export function guessPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/**
 * A kind in the plural, as the Kubernetes documentation writes it: `StatefulSets`,
 * `ConfigMaps`, `NetworkPolicies`, `Ingresses`, `Endpoints`.
 */
export function kindPlural(kind: string): string {
  if (kind === 'Endpoints') return kind;
  if (/(s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}
