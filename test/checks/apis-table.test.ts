/**
 * Invariants of the deprecated-API table (checks/apis/data/deprecated-apis.ts) and the rows
 * where other tools' tables are wrong (`FairwindsOps/pluto:versions.yaml`).
 */
import { describe, expect, it } from 'vitest';
import {
  compareMinor,
  deprecatedApi,
  deprecatedApiByResource,
  DEPRECATED_APIS,
  TABLE_SOURCES,
} from '../../checks/apis/data/deprecated-apis.js';
import { isPrereleaseApiVersion } from '../../src/sources/inputs/apis.js';

const MINOR = /^1\.\d{1,2}$/;

describe('deprecated API table', () => {
  it('is sorted by removedIn (null last), apiVersion, kind, with no duplicate apiVersion/kind', () => {
    const key = (r: (typeof DEPRECATED_APIS)[number]): [string, string, string] => [r.removedIn ?? '9.99', r.apiVersion, r.kind];
    for (let i = 1; i < DEPRECATED_APIS.length; i++) {
      const [a, b] = [key(DEPRECATED_APIS[i - 1]!), key(DEPRECATED_APIS[i]!)];
      const order = compareMinor(a[0], b[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
      expect(order, `${a.join(' ')} before ${b.join(' ')}`).toBeLessThan(0);
    }
  });

  it.each(DEPRECATED_APIS.map((r) => [`${r.apiVersion} ${r.kind}`, r] as const))('%s: versions are ordered and sourced', (_n, r) => {
    expect(r.deprecatedIn).toMatch(MINOR);
    if (r.removedIn !== null) {
      expect(r.removedIn).toMatch(MINOR);
      expect(compareMinor(r.deprecatedIn, r.removedIn)).toBeLessThanOrEqual(0);
      if (r.replacementAvailableIn !== null) expect(compareMinor(r.replacementAvailableIn, r.removedIn)).toBeLessThanOrEqual(0);
      // The api-usage input keeps only pre-release signals; every removal must be one.
      expect(isPrereleaseApiVersion(r.apiVersion)).toBe(true);
    }
    expect(r.replacementAvailableIn === null).toBe(r.replacementApi === null);
    if (r.replacementAvailableIn !== null) expect(r.replacementAvailableIn).toMatch(MINOR);
    expect(TABLE_SOURCES[r.source]).toBeDefined();
    expect(TABLE_SOURCES[r.deprecatedInSource]).toBeDefined();
    expect(r.resource).toMatch(/^[a-z]+$/);
    expect(deprecatedApi(r.apiVersion, r.kind)).toBe(r);
    expect(deprecatedApiByResource(r.apiVersion, r.resource)).toBe(r);
  });

  it('has the 50 rows of the migration guide, per removal release', () => {
    const guide = DEPRECATED_APIS.filter((r) => r.source === 'migration-guide');
    const per = (v: string): number => guide.filter((r) => r.removedIn === v).length;
    expect(guide).toHaveLength(50);
    expect([per('1.16'), per('1.22'), per('1.25'), per('1.26'), per('1.27'), per('1.29'), per('1.32')]).toEqual([12, 23, 7, 3, 1, 2, 2]);
    expect(DEPRECATED_APIS).toHaveLength(72);
  });

  it('has extensions/v1beta1 PodSecurityPolicy deprecated in 1.11 and removed in 1.16', () => {
    expect(deprecatedApi('extensions/v1beta1', 'PodSecurityPolicy')).toMatchObject({
      deprecatedIn: '1.11',
      removedIn: '1.16',
      replacementApi: 'policy/v1beta1',
      deprecatedInSource: 'lifecycle-tags',
    });
  });

  it('has the alpha rows Pluto carries and the guide does not', () => {
    for (const [kind, resource] of [
      ['ClusterRole', 'clusterroles'],
      ['ClusterRoleBinding', 'clusterrolebindings'],
      ['Role', 'roles'],
      ['RoleBinding', 'rolebindings'],
    ] as const) {
      expect(deprecatedApi('rbac.authorization.k8s.io/v1alpha1', kind)).toMatchObject({
        resource,
        deprecatedIn: '1.17',
        removedIn: '1.22',
        replacementApi: 'rbac.authorization.k8s.io/v1',
        replacementAvailableIn: '1.8',
        source: 'pluto',
      });
    }
    expect(deprecatedApi('scheduling.k8s.io/v1alpha1', 'PriorityClass')).toMatchObject({
      deprecatedIn: '1.14',
      removedIn: '1.17',
      replacementApi: 'scheduling.k8s.io/v1',
      replacementAvailableIn: '1.14',
      source: 'pluto',
    });
  });

  it("fixes Pluto's flowcontrol rows: real kinds, removal in 1.26, deprecations in 1.26 and 1.29", () => {
    expect(DEPRECATED_APIS.some((r) => r.kind === 'FlowControl')).toBe(false);
    for (const kind of ['FlowSchema', 'PriorityLevelConfiguration']) {
      expect(deprecatedApi('flowcontrol.apiserver.k8s.io/v1beta1', kind)).toMatchObject({ deprecatedIn: '1.23', removedIn: '1.26' });
      expect(deprecatedApi('flowcontrol.apiserver.k8s.io/v1beta2', kind)).toMatchObject({
        deprecatedIn: '1.26',
        removedIn: '1.29',
        replacementApi: 'flowcontrol.apiserver.k8s.io/v1beta3',
      });
      expect(deprecatedApi('flowcontrol.apiserver.k8s.io/v1beta3', kind)).toMatchObject({
        deprecatedIn: '1.29',
        removedIn: '1.32',
        replacementApi: 'flowcontrol.apiserver.k8s.io/v1',
      });
    }
  });

  it('has the rows Pluto misses and none of its non-API rows', () => {
    for (const kind of ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview']) {
      expect(deprecatedApi('authorization.k8s.io/v1beta1', kind)?.removedIn).toBe('1.22');
    }
    expect(deprecatedApi('apps/v1beta1', 'ControllerRevision')?.removedIn).toBe('1.16');
    expect(deprecatedApi('apps/v1beta2', 'ControllerRevision')?.removedIn).toBe('1.16');
    expect(DEPRECATED_APIS.some((r) => r.apiVersion.startsWith('audit.k8s.io/'))).toBe(false);
    expect(deprecatedApi('autoscaling/v2beta2', 'HorizontalPodAutoscaler')).toMatchObject({
      replacementApi: 'autoscaling/v2',
      replacementAvailableIn: '1.23',
    });
  });

  it('has, after 1.32, only the alpha and off-by-default beta removals Pluto carries', () => {
    const later = DEPRECATED_APIS.filter((r) => r.removedIn !== null && compareMinor(r.removedIn, '1.32') > 0);
    expect(later.map((r) => `${r.removedIn} ${r.apiVersion} ${r.kind} (deprecated ${r.deprecatedIn})`)).toEqual([
      '1.33 admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy (deprecated 1.28)',
      '1.33 admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicyBinding (deprecated 1.28)',
      '1.34 resource.k8s.io/v1alpha3 DeviceClass (deprecated 1.32)',
      '1.34 resource.k8s.io/v1alpha3 ResourceClaim (deprecated 1.32)',
      '1.34 resource.k8s.io/v1alpha3 ResourceClaimTemplate (deprecated 1.32)',
      '1.34 resource.k8s.io/v1alpha3 ResourceSlice (deprecated 1.32)',
      '1.35 storage.k8s.io/v1alpha1 VolumeAttributesClass (deprecated 1.31)',
      '1.35 storagemigration.k8s.io/v1alpha1 StorageVersionMigration (deprecated 1.35)',
      '1.36 resource.k8s.io/v1beta1 DeviceClass (deprecated 1.34)',
      '1.36 resource.k8s.io/v1beta1 ResourceClaim (deprecated 1.34)',
      '1.36 resource.k8s.io/v1beta1 ResourceClaimTemplate (deprecated 1.34)',
      '1.36 resource.k8s.io/v1beta1 ResourceSlice (deprecated 1.34)',
    ]);
    expect(later.every((r) => r.source === 'pluto')).toBe(true);
    expect(deprecatedApi('storage.k8s.io/v1beta1', 'VolumeAttributesClass')).toMatchObject({
      deprecatedIn: '1.34',
      removedIn: null,
      replacementApi: 'storage.k8s.io/v1',
    });
  });
});
