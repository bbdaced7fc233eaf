/**
 * Quantities, Kubernetes versions with distribution suffixes, and fingerprints.
 */
import { describe, expect, it } from 'vitest';
import { parseQuantity } from '../../src/k8s/quantity.js';
import { parseKubeVersion, RELEASES } from '../../src/k8s/versions.js';
import { fingerprint, resourceIdentity } from '../../src/k8s/fingerprint.js';

describe('parseQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['8123456Ki', 8123456 * 1024],
    ['129e6', 129e6],
    ['100M', 1e8],
    ['250n', 2.5e-7],
  ])('%s → %d', (q, n) => expect(parseQuantity(q)).toBeCloseTo(n, 12));
  it('rejects non-quantities', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('1Qi')).toBeUndefined();
    expect(parseQuantity(undefined)).toBeUndefined();
  });
});

describe('parseKubeVersion', () => {
  it.each([
    ['v1.29.4-eks-036c24b', 1, 29, 4],
    ['v1.30.2+k3s1', 1, 30, 2],
    ['v1.28.15-gke.1020000', 1, 28, 15],
    ['v1.31.3+rke2r1', 1, 31, 3],
    ['1.31', 1, 31, 0],
    ['v1.26.4', 1, 26, 4],
  ])('%s', (raw, major, minor, patch) => expect(parseKubeVersion(raw)).toEqual({ major, minor, patch, raw }));
  it('returns undefined for a string without a version', () => {
    expect(parseKubeVersion('latest')).toBeUndefined();
    expect(parseKubeVersion('')).toBeUndefined();
    expect(parseKubeVersion(undefined)).toBeUndefined();
  });
});

describe('RELEASES', () => {
  it('is sorted by minor, each released before its end of life', () => {
    const minors = RELEASES.map((r) => Number(r.minor.split('.')[1]));
    expect(minors).toEqual([...minors].sort((a, b) => a - b));
    for (const r of RELEASES) expect(r.released < r.endOfLife).toBe(true);
  });
});

describe('fingerprint', () => {
  it('ignores the API version an object was read through, and separates fields', () => {
    const a = fingerprint('pdb-x', 'r', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: 'p', name: 'w' });
    const b = fingerprint('pdb-x', 'r', { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', namespace: 'p', name: 'w' });
    expect(a).toBe(b);
    expect(fingerprint('pdb-x', 'r', { file: 'pki/ca.crt', field: '#0' })).not.toBe(
      fingerprint('pdb-x', 'r', { file: 'pki/ca.crt', field: '#1' }),
    );
    expect(resourceIdentity({ apiVersion: 'v1', kind: 'Secret', namespace: 'a', name: 'b', field: 'tls.crt#0' })).toBe(
      '/Secret/a/b#tls.crt#0',
    );
  });
});
