/**
 * The listable built-in resources of Kubernetes 1.26 (what `kubectl api-resources` printed
 * for the lab-1.26 cluster), with the versions a 1.26 API server serves, preferred first.
 * The test API server serves those a dump holds.
 */
export interface BuiltinResource {
  group: string;
  versions: string[];
  resource: string;
  kind: string;
  namespaced: boolean;
}

// resource  group  versions  kind  scope (n: namespaced, c: cluster)
const TABLE = `
componentstatuses - v1 ComponentStatus c
configmaps - v1 ConfigMap n
endpoints - v1 Endpoints n
events - v1 Event n
limitranges - v1 LimitRange n
namespaces - v1 Namespace c
nodes - v1 Node c
persistentvolumeclaims - v1 PersistentVolumeClaim n
persistentvolumes - v1 PersistentVolume c
pods - v1 Pod n
podtemplates - v1 PodTemplate n
replicationcontrollers - v1 ReplicationController n
resourcequotas - v1 ResourceQuota n
secrets - v1 Secret n
serviceaccounts - v1 ServiceAccount n
services - v1 Service n
mutatingwebhookconfigurations admissionregistration.k8s.io v1 MutatingWebhookConfiguration c
validatingwebhookconfigurations admissionregistration.k8s.io v1 ValidatingWebhookConfiguration c
customresourcedefinitions apiextensions.k8s.io v1 CustomResourceDefinition c
apiservices apiregistration.k8s.io v1 APIService c
controllerrevisions apps v1 ControllerRevision n
daemonsets apps v1 DaemonSet n
deployments apps v1 Deployment n
replicasets apps v1 ReplicaSet n
statefulsets apps v1 StatefulSet n
horizontalpodautoscalers autoscaling v2,v1 HorizontalPodAutoscaler n
cronjobs batch v1 CronJob n
jobs batch v1 Job n
certificatesigningrequests certificates.k8s.io v1 CertificateSigningRequest c
leases coordination.k8s.io v1 Lease n
endpointslices discovery.k8s.io v1 EndpointSlice n
events events.k8s.io v1 Event n
flowschemas flowcontrol.apiserver.k8s.io v1beta3,v1beta2 FlowSchema c
prioritylevelconfigurations flowcontrol.apiserver.k8s.io v1beta3,v1beta2 PriorityLevelConfiguration c
ingressclasses networking.k8s.io v1 IngressClass c
ingresses networking.k8s.io v1 Ingress n
networkpolicies networking.k8s.io v1 NetworkPolicy n
runtimeclasses node.k8s.io v1 RuntimeClass c
poddisruptionbudgets policy v1 PodDisruptionBudget n
clusterrolebindings rbac.authorization.k8s.io v1 ClusterRoleBinding c
clusterroles rbac.authorization.k8s.io v1 ClusterRole c
rolebindings rbac.authorization.k8s.io v1 RoleBinding n
roles rbac.authorization.k8s.io v1 Role n
priorityclasses scheduling.k8s.io v1 PriorityClass c
csidrivers storage.k8s.io v1 CSIDriver c
csinodes storage.k8s.io v1 CSINode c
csistoragecapacities storage.k8s.io v1 CSIStorageCapacity n
storageclasses storage.k8s.io v1 StorageClass c
volumeattachments storage.k8s.io v1 VolumeAttachment c
`;

export const BUILTIN_RESOURCES: BuiltinResource[] = TABLE.trim()
  .split('\n')
  .map((line) => {
    const [resource, group, versions, kind, scope] = line.trim().split(/\s+/) as [string, string, string, string, string];
    return { resource, group: group === '-' ? '' : group, versions: versions.split(','), kind, namespaced: scope === 'n' };
  });
