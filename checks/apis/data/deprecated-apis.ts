/**
 * Every deprecated or removed built-in API (group/version + kind) from Kubernetes 1.16 on, as
 * data: `deprecated-apis.json` beside this file (schema `deprecationTableSchema` in
 * `src/k8s/tables.ts`; `--data DIR` may replace it). Each row names the source of its facts
 * (`source`, `deprecatedInSource`, keys of the file's `sources`):
 * - `migration-guide`: `removedIn`, `replacementApi`, `replacementAvailableIn` from the
 *   Kubernetes "Deprecated API Migration Guide" (kubernetes/website
 *   `content/en/docs/reference/using-api/deprecation-guide.md`), 1.16–1.32;
 *   `scripts/update-data.ts` checks those rows against a local copy of the guide.
 * - `lifecycle-tags`: `deprecatedIn` read in the `+k8s:prerelease-lifecycle-gen:deprecated` tag
 *   of the type (kubernetes/kubernetes `staging/src/k8s.io/api/<group>/<version>/types.go`);
 *   `warning-unchecked`: taken from the API server's warning text, not re-read from the tags.
 * - `pluto`: alpha versions the guide does not list (it lists only beta and `extensions`
 *   removals): rbac.authorization.k8s.io/v1alpha1 and scheduling.k8s.io/v1alpha1, from
 *   FairwindsOps/pluto `versions.yaml`.
 * - `changelog-1.19`, `blog-1.33-endpoints`: deprecations without a planned removal
 *   (ComponentStatus, Endpoints), listed for the API-request metric.
 *
 * Choices, and known errors of other tables:
 * - Pluto lists a kind `FlowControl` for flowcontrol.apiserver.k8s.io/v1beta1; the real kinds
 *   are FlowSchema and PriorityLevelConfiguration, removed in 1.26. Pluto's deprecatedIn 1.24
 *   for flowcontrol v1beta2/v1beta3 is wrong (1.26 and 1.29). Pluto's `audit.k8s.io` rows are
 *   files, not API objects, and are left out.
 * - Rows Pluto misses are present: the authorization.k8s.io/v1beta1 review kinds and
 *   apps/v1beta1|v1beta2 ControllerRevision (removed with those versions in 1.16).
 * - A replacement that is itself removed later points to its own row (flowcontrol v1beta2 →
 *   v1beta3 → v1); checks follow that chain to the first replacement the target still serves.
 * - `coversThrough` is the newest minor whose removals the rows were checked for: the guide
 *   lists none after 1.32 up to 1.37, the newest release at `asOf`. Removals of alpha and
 *   off-by-default beta APIs after 1.32 (admissionregistration v1alpha1 ValidatingAdmissionPolicy,
 *   resource.k8s.io v1alpha3/v1beta1, storage.k8s.io VolumeAttributesClass v1alpha1/v1beta1,
 *   storagemigration.k8s.io/v1alpha1) are Pluto's rows (`source: pluto`); with no deprecation
 *   release of their own, they count as deprecated from the first release serving their
 *   successor (`deprecatedInSource: successor-served`). The apis checks report a target past
 *   `coversThrough` as not judged.
 */
import { builtinDeprecationTable, type DeprecationTable } from '../../../src/k8s/tables.js';

export type DeprecatedApi = DeprecationTable['apis'][number];

/** The deprecated-API table in use: the built-in one, or the one `useDeprecationTable` installed. */
export let DEPRECATION_TABLE: DeprecationTable = builtinDeprecationTable();
/**
 * The rows, sorted by `removedIn` (null last), then `apiVersion`, then `kind`
 * (the order `test/checks/apis-table.test.ts` asserts for the built-in file).
 */
export let DEPRECATED_APIS: readonly DeprecatedApi[] = DEPRECATION_TABLE.apis;
/** Where a row's facts come from, by key. */
export let TABLE_SOURCES: DeprecationTable['sources'] = DEPRECATION_TABLE.sources;

let byKind = new Map<string, DeprecatedApi>();
let byResource = new Map<string, DeprecatedApi>();
index();

function index(): void {
  byKind = new Map(DEPRECATED_APIS.map((r) => [`${r.apiVersion}|${r.kind}`, r]));
  byResource = new Map(DEPRECATED_APIS.map((r) => [`${r.apiVersion}|${r.resource}`, r]));
}

/** Replaces the table in use (`--data DIR`; tests), validated by `deprecationTableSchema`. */
export function useDeprecationTable(t: DeprecationTable): void {
  DEPRECATION_TABLE = t;
  DEPRECATED_APIS = t.apis;
  TABLE_SOURCES = t.sources;
  index();
}

/** Minor versions (`1.9`, `1.22`) compared numerically; negative when a < b. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The row of an apiVersion and kind, if the table has one. */
export function deprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return byKind.get(`${apiVersion}|${kind}`);
}

/** The row of an apiVersion and plural resource name, if the table has one. */
export function deprecatedApiByResource(apiVersion: string, resource: string): DeprecatedApi | undefined {
  return byResource.get(`${apiVersion}|${resource}`);
}

/**
 * Why the table cannot judge `target`, or undefined: the target is newer than `coversThrough`,
 * so its removals are not known.
 */
export function beyondTable(target: string): string | undefined {
  const t = DEPRECATION_TABLE;
  if (compareMinor(target, t.coversThrough) <= 0) return undefined;
  return (
    `the deprecated-API table (as of ${t.asOf}) covers removals through ${t.coversThrough}: what ` +
    `${target} removes or deprecates is not known; give newer tables with --data DIR or update ` +
    `kube-preflight`
  );
}
