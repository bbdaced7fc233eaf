/**
 * Every deprecated or removed built-in API (group/version + kind) from Kubernetes 1.16 on.
 *
 * Row facts and their sources (`source`, `deprecatedInSource`; see `TABLE_SOURCES`):
 * - `removedIn`, `replacementApi`, `replacementAvailableIn`: the Kubernetes "Deprecated API
 *   Migration Guide" (kubernetes/website `content/en/docs/reference/using-api/deprecation-guide.md`),
 *   as summarised in check-rules.md §4.1 (50 rows, 1.16–1.32). Rows the guide does not list
 *   say where they come from instead.
 * - `deprecatedIn`: the `+k8s:prerelease-lifecycle-gen:deprecated` tag of the type in
 *   kubernetes/kubernetes `staging/src/k8s.io/api/<group>/<version>/types.go` (what the API
 *   server prints in its `Warning: … is deprecated in v1.X+` header). `lifecycle-tags` marks a
 *   value read in a stored copy of those tags; `warning-unchecked` marks a value taken from
 *   the API server's well-known warning text that was not re-read from the tags (UNVERIFIED).
 *
 * Choices, and known errors of other tables (check-rules.md §4.2):
 * - Pluto lists a kind `FlowControl` for flowcontrol.apiserver.k8s.io/v1beta1; the real kinds
 *   are FlowSchema and PriorityLevelConfiguration, removed in 1.26 (Pluto says 1.29). Pluto's
 *   deprecatedIn 1.24 for flowcontrol v1beta2/v1beta3 is wrong (1.26 and 1.29). Pluto's
 *   duplicated `audit.k8s.io` rows are files, not API objects, and are left out.
 * - Rows Pluto misses are present: the authorization.k8s.io/v1beta1 review kinds and
 *   apps/v1beta1|v1beta2 ControllerRevision (removed with those versions in 1.16).
 * - A replacement that is itself removed later points to its own row (flowcontrol v1beta2 →
 *   v1beta3 → v1); checks follow that chain to the first replacement the target still serves.
 *   Each row names the replacement the API server itself recommends, usable on the release
 *   that deprecates the row (for flowcontrol v1beta2 that is v1beta3, not v1).
 * - Deprecated APIs with no planned removal (`removedIn: null`: ComponentStatus, Endpoints) are
 *   listed for the API-request metric; object evidence for them is not reported (nothing
 *   breaks on an upgrade).
 * - Removals after 1.32 are not in the guide. Pluto lists some (resource.k8s.io/v1alpha3 and
 *   v1beta1, storage.k8s.io VolumeAttributesClass v1alpha1/v1beta1, storagemigration.k8s.io/
 *   v1alpha1) without kinds or dates that could be checked against release notes
 *   (check-rules.md, UNVERIFIED item 6), so they are not rows. Alpha APIs are off by default;
 *   the API server's `apiserver_requested_deprecated_apis` metric still reports them.
 */

/** Where a row's facts come from. */
export const TABLE_SOURCES = {
  'migration-guide': { title: 'Kubernetes Deprecated API Migration Guide', url: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/' },
  'lifecycle-tags': {
    title: '+k8s:prerelease-lifecycle-gen tags in kubernetes/kubernetes staging/src/k8s.io/api/<group>/<version>/types.go',
    url: 'https://github.com/kubernetes/kubernetes/tree/master/staging/src/k8s.io/api',
  },
  'warning-unchecked': {
    title: 'API server deprecation warning text (Warning: … is deprecated in v1.X+); UNVERIFIED against the lifecycle tags',
    url: 'https://kubernetes.io/blog/2020/09/03/warnings/',
  },
  'changelog-1.19': { title: 'Kubernetes 1.19 release notes: ComponentStatus is deprecated', url: 'https://github.com/kubernetes/kubernetes/blob/master/CHANGELOG/CHANGELOG-1.19.md' },
  'blog-1.33-endpoints': {
    title: 'Kubernetes v1.33: Continuing the transition from Endpoints to EndpointSlices (KEP-4974)',
    url: 'https://kubernetes.io/blog/2025/04/24/endpoints-deprecation/',
  },
} as const;

export type TableSource = keyof typeof TABLE_SOURCES;

export interface DeprecatedApi {
  /** `group/version` (`v1` for the core group). */
  apiVersion: string;
  kind: string;
  /** Plural resource name, as in URLs and the `apiserver_requested_deprecated_apis` metric. */
  resource: string;
  namespaced: boolean;
  /** Minor release (`1.19`) that deprecated it. */
  deprecatedIn: string;
  /** First minor release that no longer serves it; null when no removal is planned. */
  removedIn: string | null;
  /** `group/version` to move to; null when there is none (PodSecurityPolicy). */
  replacementApi: string | null;
  /** Kind in the replacement API when it differs (Endpoints → EndpointSlice). */
  replacementKind?: string;
  /** First minor release that serves the replacement. */
  replacementAvailableIn: string | null;
  /** Source of removedIn and the replacement. */
  source: TableSource;
  /** Source of deprecatedIn. */
  deprecatedInSource: TableSource;
  note?: string;
}

type Row = DeprecatedApi;
const G = 'migration-guide' as const;
const L = 'lifecycle-tags' as const;
const W = 'warning-unchecked' as const;

function rows(
  apiVersion: string,
  kinds: Array<[kind: string, resource: string, namespaced: boolean]>,
  rest: Omit<Row, 'apiVersion' | 'kind' | 'resource' | 'namespaced'>,
): Row[] {
  return kinds.map(([kind, resource, namespaced]) => ({ apiVersion, kind, resource, namespaced, ...rest }));
}

const apps19 = { removedIn: '1.16', replacementApi: 'apps/v1', replacementAvailableIn: '1.9', source: G } as const;

/**
 * The table, sorted by `removedIn` (null last), then `apiVersion`, then `kind`
 * (the order `test/checks/apis-table.test.ts` asserts).
 */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // Removed in 1.16.
  ...rows('apps/v1beta1', [['ControllerRevision', 'controllerrevisions', true]], {
    ...apps19,
    deprecatedIn: '1.8',
    deprecatedInSource: W,
    source: L,
    note: 'Not in the guide: apps/v1beta1 stopped being served as a whole in 1.16.',
  }),
  ...rows('apps/v1beta1', [['Deployment', 'deployments', true]], { ...apps19, deprecatedIn: '1.8', deprecatedInSource: L }),
  ...rows('apps/v1beta1', [['ReplicaSet', 'replicasets', true]], {
    ...apps19,
    deprecatedIn: '1.8',
    deprecatedInSource: W,
    note: 'Listed by the guide although apps/v1beta1 never served ReplicaSet.',
  }),
  ...rows('apps/v1beta1', [['StatefulSet', 'statefulsets', true]], { ...apps19, deprecatedIn: '1.8', deprecatedInSource: W }),
  ...rows('apps/v1beta2', [['ControllerRevision', 'controllerrevisions', true]], {
    ...apps19,
    deprecatedIn: '1.9',
    deprecatedInSource: W,
    source: L,
    note: 'Not in the guide: apps/v1beta2 stopped being served as a whole in 1.16.',
  }),
  ...rows(
    'apps/v1beta2',
    [
      ['DaemonSet', 'daemonsets', true],
      ['Deployment', 'deployments', true],
      ['ReplicaSet', 'replicasets', true],
      ['StatefulSet', 'statefulsets', true],
    ],
    { ...apps19, deprecatedIn: '1.9', deprecatedInSource: W },
  ),
  ...rows(
    'extensions/v1beta1',
    [
      ['DaemonSet', 'daemonsets', true],
      ['Deployment', 'deployments', true],
    ],
    { ...apps19, deprecatedIn: '1.8', deprecatedInSource: L },
  ),
  ...rows('extensions/v1beta1', [['NetworkPolicy', 'networkpolicies', true]], {
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacementApi: 'networking.k8s.io/v1',
    replacementAvailableIn: '1.8',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('extensions/v1beta1', [['PodSecurityPolicy', 'podsecuritypolicies', false]], {
    deprecatedIn: '1.10',
    removedIn: '1.16',
    replacementApi: 'policy/v1beta1',
    replacementAvailableIn: '1.10',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('extensions/v1beta1', [['ReplicaSet', 'replicasets', true]], { ...apps19, deprecatedIn: '1.8', deprecatedInSource: L }),

  // Removed in 1.22.
  ...rows(
    'admissionregistration.k8s.io/v1beta1',
    [
      ['MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false],
      ['ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false],
    ],
    { deprecatedIn: '1.16', removedIn: '1.22', replacementApi: 'admissionregistration.k8s.io/v1', replacementAvailableIn: '1.16', source: G, deprecatedInSource: W },
  ),
  ...rows('apiextensions.k8s.io/v1beta1', [['CustomResourceDefinition', 'customresourcedefinitions', false]], {
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacementApi: 'apiextensions.k8s.io/v1',
    replacementAvailableIn: '1.16',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('apiregistration.k8s.io/v1beta1', [['APIService', 'apiservices', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'apiregistration.k8s.io/v1',
    replacementAvailableIn: '1.10',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('authentication.k8s.io/v1beta1', [['TokenReview', 'tokenreviews', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'authentication.k8s.io/v1',
    replacementAvailableIn: '1.6',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows(
    'authorization.k8s.io/v1beta1',
    [
      ['LocalSubjectAccessReview', 'localsubjectaccessreviews', true],
      ['SelfSubjectAccessReview', 'selfsubjectaccessreviews', false],
      ['SelfSubjectRulesReview', 'selfsubjectrulesreviews', false],
      ['SubjectAccessReview', 'subjectaccessreviews', false],
    ],
    { deprecatedIn: '1.19', removedIn: '1.22', replacementApi: 'authorization.k8s.io/v1', replacementAvailableIn: '1.6', source: G, deprecatedInSource: W },
  ),
  ...rows('certificates.k8s.io/v1beta1', [['CertificateSigningRequest', 'certificatesigningrequests', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'certificates.k8s.io/v1',
    replacementAvailableIn: '1.19',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('coordination.k8s.io/v1beta1', [['Lease', 'leases', true]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'coordination.k8s.io/v1',
    replacementAvailableIn: '1.14',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('extensions/v1beta1', [['Ingress', 'ingresses', true]], {
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacementApi: 'networking.k8s.io/v1',
    replacementAvailableIn: '1.19',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows(
    'networking.k8s.io/v1beta1',
    [
      ['Ingress', 'ingresses', true],
      ['IngressClass', 'ingressclasses', false],
    ],
    { deprecatedIn: '1.19', removedIn: '1.22', replacementApi: 'networking.k8s.io/v1', replacementAvailableIn: '1.19', source: G, deprecatedInSource: W },
  ),
  ...rows(
    'rbac.authorization.k8s.io/v1beta1',
    [
      ['ClusterRole', 'clusterroles', false],
      ['ClusterRoleBinding', 'clusterrolebindings', false],
      ['Role', 'roles', true],
      ['RoleBinding', 'rolebindings', true],
    ],
    { deprecatedIn: '1.17', removedIn: '1.22', replacementApi: 'rbac.authorization.k8s.io/v1', replacementAvailableIn: '1.8', source: G, deprecatedInSource: W },
  ),
  ...rows('scheduling.k8s.io/v1beta1', [['PriorityClass', 'priorityclasses', false]], {
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacementApi: 'scheduling.k8s.io/v1',
    replacementAvailableIn: '1.14',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('storage.k8s.io/v1beta1', [['CSIDriver', 'csidrivers', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.19',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('storage.k8s.io/v1beta1', [['CSINode', 'csinodes', false]], {
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacementApi: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.17',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('storage.k8s.io/v1beta1', [['StorageClass', 'storageclasses', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.6',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('storage.k8s.io/v1beta1', [['VolumeAttachment', 'volumeattachments', false]], {
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacementApi: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.13',
    source: G,
    deprecatedInSource: L,
  }),

  // Removed in 1.25.
  ...rows('autoscaling/v2beta1', [['HorizontalPodAutoscaler', 'horizontalpodautoscalers', true]], {
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacementApi: 'autoscaling/v2',
    replacementAvailableIn: '1.23',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('batch/v1beta1', [['CronJob', 'cronjobs', true]], {
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacementApi: 'batch/v1',
    replacementAvailableIn: '1.21',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('discovery.k8s.io/v1beta1', [['EndpointSlice', 'endpointslices', true]], {
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacementApi: 'discovery.k8s.io/v1',
    replacementAvailableIn: '1.21',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('events.k8s.io/v1beta1', [['Event', 'events', true]], {
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacementApi: 'events.k8s.io/v1',
    replacementAvailableIn: '1.19',
    source: G,
    deprecatedInSource: W,
  }),
  ...rows('node.k8s.io/v1beta1', [['RuntimeClass', 'runtimeclasses', false]], {
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacementApi: 'node.k8s.io/v1',
    replacementAvailableIn: '1.20',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows('policy/v1beta1', [['PodDisruptionBudget', 'poddisruptionbudgets', true]], {
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacementApi: 'policy/v1',
    replacementAvailableIn: '1.21',
    source: G,
    deprecatedInSource: W,
    note: 'In policy/v1 an empty selector selects every pod of the namespace (v1beta1 selected none).',
  }),
  ...rows('policy/v1beta1', [['PodSecurityPolicy', 'podsecuritypolicies', false]], {
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacementApi: null,
    replacementAvailableIn: null,
    source: G,
    deprecatedInSource: W,
    note: 'No API replaces it: use Pod Security Admission (namespace labels) or a third-party admission controller.',
  }),

  // Removed in 1.26.
  ...rows('autoscaling/v2beta2', [['HorizontalPodAutoscaler', 'horizontalpodautoscalers', true]], {
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacementApi: 'autoscaling/v2',
    replacementAvailableIn: '1.23',
    source: G,
    deprecatedInSource: L,
  }),
  ...rows(
    'flowcontrol.apiserver.k8s.io/v1beta1',
    [
      ['FlowSchema', 'flowschemas', false],
      ['PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
    ],
    {
      deprecatedIn: '1.23',
      removedIn: '1.26',
      replacementApi: 'flowcontrol.apiserver.k8s.io/v1beta2',
      replacementAvailableIn: '1.23',
      source: G,
      deprecatedInSource: W,
      note: 'The guide gives no "available since" for v1beta2; 1.23 is the release that introduced it.',
    },
  ),

  // Removed in 1.27.
  ...rows('storage.k8s.io/v1beta1', [['CSIStorageCapacity', 'csistoragecapacities', true]], {
    deprecatedIn: '1.24',
    removedIn: '1.27',
    replacementApi: 'storage.k8s.io/v1',
    replacementAvailableIn: '1.24',
    source: G,
    deprecatedInSource: L,
  }),

  // Removed in 1.29.
  ...rows(
    'flowcontrol.apiserver.k8s.io/v1beta2',
    [
      ['FlowSchema', 'flowschemas', false],
      ['PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
    ],
    {
      deprecatedIn: '1.26',
      removedIn: '1.29',
      replacementApi: 'flowcontrol.apiserver.k8s.io/v1beta3',
      replacementAvailableIn: '1.26',
      source: G,
      deprecatedInSource: W,
      note: 'The guide also names flowcontrol.apiserver.k8s.io/v1, available since 1.29.',
    },
  ),

  // Removed in 1.32.
  ...rows(
    'flowcontrol.apiserver.k8s.io/v1beta3',
    [
      ['FlowSchema', 'flowschemas', false],
      ['PriorityLevelConfiguration', 'prioritylevelconfigurations', false],
    ],
    { deprecatedIn: '1.29', removedIn: '1.32', replacementApi: 'flowcontrol.apiserver.k8s.io/v1', replacementAvailableIn: '1.29', source: G, deprecatedInSource: W },
  ),

  // Deprecated, no removal planned.
  ...rows('v1', [['ComponentStatus', 'componentstatuses', false]], {
    deprecatedIn: '1.19',
    removedIn: null,
    replacementApi: null,
    replacementAvailableIn: null,
    source: 'changelog-1.19',
    deprecatedInSource: 'changelog-1.19',
    note: 'No API replaces it: query the components\' /livez and /readyz endpoints.',
  }),
  ...rows('v1', [['Endpoints', 'endpoints', true]], {
    deprecatedIn: '1.33',
    removedIn: null,
    replacementApi: 'discovery.k8s.io/v1',
    replacementKind: 'EndpointSlice',
    replacementAvailableIn: '1.21',
    source: 'blog-1.33-endpoints',
    deprecatedInSource: 'blog-1.33-endpoints',
  }),
];

/** Minor versions (`1.9`, `1.22`) compared numerically; negative when a < b. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

const BY_KIND = new Map(DEPRECATED_APIS.map((r) => [`${r.apiVersion}|${r.kind}`, r]));
const BY_RESOURCE = new Map(DEPRECATED_APIS.map((r) => [`${r.apiVersion}|${r.resource}`, r]));

/** The row of an apiVersion and kind, if the table has one. */
export function deprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return BY_KIND.get(`${apiVersion}|${kind}`);
}

/** The row of an apiVersion and plural resource name, if the table has one. */
export function deprecatedApiByResource(apiVersion: string, resource: string): DeprecatedApi | undefined {
  return BY_RESOURCE.get(`${apiVersion}|${resource}`);
}
