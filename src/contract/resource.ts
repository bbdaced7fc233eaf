/**
 * Resource references: how findings, unknowns and unread input parts name their subject.
 */

/**
 * What a finding or an unknown subject is about: a Kubernetes object, a non-API subject
 * (an etcd member, an RBAC User or Group, the cluster itself), or a file of the dump/PKI dir.
 * `field` narrows it to a place inside the object or file (`data["tls.crt"]#1`,
 * `webhooks[0].clientConfig.caBundle`), so two certificates of one Secret stay distinct.
 */
export type ResourceRef =
  { apiVersion?: string; kind: string; namespace?: string; name: string; field?: string } | { file: string; field?: string };
