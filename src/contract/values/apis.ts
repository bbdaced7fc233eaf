/**
 * Values of the `apis` family's inputs: API usage per object, Helm releases, the deprecated-API
 * metric, discovery, APIServices and manifests (`src/sources/inputs/apis.ts` reads them).
 */

export interface HelmObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** From a hook manifest (`release.hooks[].manifest`) rather than the main manifest. */
  hook?: boolean;
}

/** An API version a client used for an object: one managedFields entry. */
export interface ManagedFieldsUse {
  manager: string;
  operation?: string;
  apiVersion: string;
  time?: string;
  subresource?: string;
}

/** An object that some client wrote through a pre-release API version. */
export interface ApiUsageObject {
  kind: string;
  namespace?: string;
  name: string;
  /** apiVersion and kind of the last-applied configuration, when pre-release. */
  lastApplied?: { apiVersion: string; kind: string };
  /** managedFields entries written through a pre-release version. */
  managedFields?: ManagedFieldsUse[];
}

/** The newest-known state of one Helm 3 release record (status `deployed`). */
export interface HelmRelease {
  /** `Secret` or `ConfigMap` holding the record, and its name (`sh.helm.release.v1.web.v3`). */
  driver: 'Secret' | 'ConfigMap';
  record: string;
  namespace: string;
  name: string;
  revision: number;
  status: string;
  chart?: string;
  chartVersion?: string;
  /** Objects of the manifest and hooks, all kinds. */
  objectCount: number;
  /** The objects whose apiVersion is pre-release. */
  objects: HelmObjectRef[];
  /** Why the payload could not be read (corrupt, not gzip, not JSON). */
  error?: string;
}

/** A Helm 2 (Tiller) release record: recognised, not decoded (protobuf). */
export interface Helm2Release {
  driver: 'Secret' | 'ConfigMap';
  record: string;
  /** Tiller's namespace (where the record lives), not the release's target namespace. */
  namespace: string;
  name: string;
  revision: number;
  status: string;
}

/** One sample of `apiserver_requested_deprecated_apis`. */
export interface DeprecatedApiRequest {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** `1.29`; empty when no removal is planned (e.g. a CRD version marked deprecated). */
  removedRelease: string;
  value: number;
}

export interface DeprecatedApiRequests {
  requests: DeprecatedApiRequest[];
  /** `process_start_time_seconds` of the API server that served the metrics (ISO 8601). */
  apiserverStartTime?: string;
}

/** Served group versions (`apps/v1`, `flowcontrol.apiserver.k8s.io/v1beta3`), sorted. */
export interface ApiDiscovery {
  groupVersions: string[];
}

export interface ApiServiceInfo {
  /** `v1beta2.flowcontrol.apiserver.k8s.io` */
  name: string;
  group: string;
  version: string;
  /** Served by kube-apiserver itself (no `spec.service`). */
  local: boolean;
  /** Status of the `Available` condition. */
  available?: string;
}

/** One object of a manifest file. */
export interface ManifestObject {
  /** Path as given on the command line (`deploy/`, joined with the path inside it), or the dump path. */
  file: string;
  /** 1-based document index in the file. */
  doc: number;
  /** 1-based line where the object starts. */
  line: number;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
}

export interface Manifests {
  /** Objects whose apiVersion is pre-release. */
  objects: ManifestObject[];
  /** Number of Kubernetes objects read (all versions). */
  objectCount: number;
  fileCount: number;
  /** Files (or documents) that could not be read. */
  problems: Array<{ file: string; line?: number; reason: string }>;
}
