/**
 * Kubernetes API resources the inputs read, and the names of built-in resources.
 * Versions are listed preferred first; a live scan lists the first version the server
 * serves, so it never requests a deprecated version the server also serves in a newer one.
 */
import type { ApiResource } from '../sources/input-def.js';

const core = (resource: string, kind: string, namespaced = true): ApiResource => ({ group: '', versions: ['v1'], resource, kind, namespaced });

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
  poddisruptionbudgets: { group: 'policy', versions: ['v1', 'v1beta1'], resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  clusterroles: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  clusterrolebindings: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  roles: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'roles', kind: 'Role', namespaced: true },
  rolebindings: { group: 'rbac.authorization.k8s.io', versions: ['v1'], resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  validatingwebhookconfigurations: { group: 'admissionregistration.k8s.io', versions: ['v1'], resource: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false },
  mutatingwebhookconfigurations: { group: 'admissionregistration.k8s.io', versions: ['v1'], resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false },
  apiservices: { group: 'apiregistration.k8s.io', versions: ['v1'], resource: 'apiservices', kind: 'APIService', namespaced: false },
  customresourcedefinitions: { group: 'apiextensions.k8s.io', versions: ['v1'], resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
  certificatesigningrequests: { group: 'certificates.k8s.io', versions: ['v1'], resource: 'certificatesigningrequests', kind: 'CertificateSigningRequest', namespaced: false },
} satisfies Record<string, ApiResource>;

/**
 * Names (`plural` or `plural.group`) of resources every recent Kubernetes serves. A dump
 * file named after one of them that no selected input reads is not parsed at all; files
 * with other names are always parsed, since they may hold anything.
 */
export const BUILTIN_RESOURCE_NAMES: ReadonlySet<string> = new Set([
  'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes',
  'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers', 'resourcequotas',
  'secrets', 'serviceaccounts', 'services',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io', 'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'validatingadmissionpolicies.admissionregistration.k8s.io', 'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'mutatingadmissionpolicies.admissionregistration.k8s.io', 'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io', 'apiservices.apiregistration.k8s.io',
  'controllerrevisions.apps', 'daemonsets.apps', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps',
  'horizontalpodautoscalers.autoscaling', 'cronjobs.batch', 'jobs.batch',
  'certificatesigningrequests.certificates.k8s.io', 'clustertrustbundles.certificates.k8s.io', 'leases.coordination.k8s.io',
  'endpointslices.discovery.k8s.io', 'events.events.k8s.io',
  'flowschemas.flowcontrol.apiserver.k8s.io', 'prioritylevelconfigurations.flowcontrol.apiserver.k8s.io',
  'ingressclasses.networking.k8s.io', 'ingresses.networking.k8s.io', 'networkpolicies.networking.k8s.io',
  'ipaddresses.networking.k8s.io', 'servicecidrs.networking.k8s.io',
  'runtimeclasses.node.k8s.io', 'poddisruptionbudgets.policy',
  'clusterrolebindings.rbac.authorization.k8s.io', 'clusterroles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io', 'roles.rbac.authorization.k8s.io',
  'priorityclasses.scheduling.k8s.io', 'csidrivers.storage.k8s.io', 'csinodes.storage.k8s.io',
  'csistoragecapacities.storage.k8s.io', 'storageclasses.storage.k8s.io', 'volumeattachments.storage.k8s.io',
  'volumeattributesclasses.storage.k8s.io', 'resourceclaims.resource.k8s.io', 'resourceclaimtemplates.resource.k8s.io',
  'deviceclasses.resource.k8s.io', 'resourceslices.resource.k8s.io', 'storageversionmigrations.storagemigration.k8s.io',
]);

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
