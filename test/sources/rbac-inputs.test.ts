/** Normalization of the rbac family's inputs (`src/sources/inputs/rbac.ts`): typed fields. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/objects.js';
import { normalizeBinding, normalizeRole } from '../../src/sources/inputs/rbac.js';

const obj = (kind: string, rest: Record<string, unknown>): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata: { name: 'x' },
  ...rest,
});

describe('rbac normalizers: a field of the wrong type is an error naming its path', () => {
  it.each([
    [
      'subjects that are not a list',
      () => normalizeBinding(obj('ClusterRoleBinding', { subjects: 'User alice' })),
      '.subjects: expected a list, got a string',
    ],
    [
      'a subject name that is a number',
      () => normalizeBinding(obj('ClusterRoleBinding', { subjects: [{ kind: 'User', name: 7 }] })),
      '.subjects[0].name: expected a string, got an integer',
    ],
    [
      'a roleRef that is a string',
      () => normalizeBinding(obj('RoleBinding', { roleRef: 'cluster-admin' })),
      '.roleRef: expected an object, got a string',
    ],
    [
      'rules that are an object',
      () => normalizeRole(obj('ClusterRole', { rules: { verbs: ['*'] } })),
      '.rules: expected a list, got an object',
    ],
    [
      'verbs that are a string',
      () => normalizeRole(obj('Role', { rules: [{ verbs: '*', resources: ['*'] }] })),
      '.rules[0].verbs: expected a list, got a string',
    ],
    [
      'aggregation selectors that are not a list',
      () => normalizeRole(obj('ClusterRole', { aggregationRule: { clusterRoleSelectors: {} } })),
      '.aggregationRule.clusterRoleSelectors: expected a list, got an object',
    ],
  ])('%s', (_what, run, message) => {
    expect(run).toThrow(expect.objectContaining({ name: 'InputError', message }));
  });

  it('absent or null lists are empty; a subject of an unknown kind is still dropped', () => {
    expect(normalizeRole(obj('ClusterRole', { rules: null }))).toEqual({ kind: 'ClusterRole', name: 'x', labels: {}, rules: [] });
    expect(
      normalizeBinding(
        obj('ClusterRoleBinding', { subjects: [{ kind: 'Robot', name: 'r' }], roleRef: { kind: 'ClusterRole', name: 'view' } }),
      ).subjects,
    ).toEqual([]);
  });
});
