/**
 * The skew policy table and its evaluation, version parsing of vendor builds, image tags,
 * and the support window of releases.
 */
import { describe, expect, it } from 'vitest';
import { CheckError } from '../../src/contract/errors.js';
import { imageTag } from '../../src/k8s/images.js';
import {
  allowedMinorsFor,
  apiserverInstances,
  controlPlaneSpan,
  judgeSkew,
  parseKube1,
  resolveTarget,
  SKEW_POLICY,
  type ApiserverInstance,
} from '../../src/k8s/skew.js';
import { supportedMinors, supportStatus } from '../../src/k8s/versions.js';
import type { ControlPlanePod } from '../../src/contract/values/core.js';

const ok = (rule: (typeof SKEW_POLICY)[keyof typeof SKEW_POLICY], own: number, refs: number[]): boolean => judgeSkew(rule, own, refs).ok;

describe('kubelet skew (Version Skew Policy, KEP-3935)', () => {
  it("allows n-2 before 1.28 control planes and n-3 from them, by the kubelet's own version", () => {
    expect(ok(SKEW_POLICY.kubelet, 25, [27])).toBe(true);
    expect(ok(SKEW_POLICY.kubelet, 24, [27])).toBe(false);
    expect(ok(SKEW_POLICY.kubelet, 25, [28])).toBe(true);
    expect(ok(SKEW_POLICY.kubelet, 24, [28])).toBe(false);
    expect(ok(SKEW_POLICY.kubelet, 26, [29])).toBe(true);
    expect(ok(SKEW_POLICY.kubelet, 25, [29])).toBe(false);
    expect(ok(SKEW_POLICY.kubelet, 22, [24])).toBe(true);
    expect(ok(SKEW_POLICY.kubelet, 21, [24])).toBe(false);
  });

  it('"3 minors from 1.28, 2 before" and "3 for kubelets ≥ 1.25" agree for every control plane', () => {
    for (let api = 20; api <= 40; api++) {
      for (let k = api - 6; k <= api; k++) {
        const byControlPlane = api - k <= (api >= 28 ? 3 : 2);
        expect(ok(SKEW_POLICY.kubelet, k, [api]), `kubelet 1.${k} on 1.${api}`).toBe(byControlPlane);
      }
    }
  });

  it('never allows a kubelet newer than a kube-apiserver', () => {
    expect(judgeSkew(SKEW_POLICY.kubelet, 30, [29])).toEqual({ ok: false, problem: 'newer', allowedMinors: [26, 27, 28, 29] });
  });

  it("narrows to the intersection for HA kube-apiservers at different minors (the policy's example)", () => {
    expect(allowedMinorsFor(SKEW_POLICY.kubelet, [35, 34])).toEqual([32, 33, 34]);
    expect(judgeSkew(SKEW_POLICY.kubelet, 31, [34, 35]).problem).toBe('older');
    expect(judgeSkew(SKEW_POLICY.kubelet, 35, [34, 35]).problem).toBe('newer');
  });
});

describe('other components', () => {
  it('kube-proxy: like the kubelet against kube-apiserver, ±3 (±2 before 1.25) around its kubelet', () => {
    expect(ok(SKEW_POLICY.kubeProxy, 25, [28])).toBe(true);
    expect(ok(SKEW_POLICY.kubeProxy, 29, [28])).toBe(false);
    expect(ok(SKEW_POLICY.kubeProxyKubelet, 25, [28])).toBe(true);
    expect(ok(SKEW_POLICY.kubeProxyKubelet, 28, [25])).toBe(true);
    expect(ok(SKEW_POLICY.kubeProxyKubelet, 29, [25])).toBe(false);
    expect(ok(SKEW_POLICY.kubeProxyKubelet, 24, [27])).toBe(false);
    expect(ok(SKEW_POLICY.kubeProxyKubelet, 24, [26])).toBe(true);
  });

  it('controller-manager and scheduler: same minor or one older; none fits apiservers two apart', () => {
    expect(allowedMinorsFor(SKEW_POLICY.controllerManager, [30])).toEqual([29, 30]);
    expect(allowedMinorsFor(SKEW_POLICY.controllerManager, [30, 29])).toEqual([29]);
    expect(allowedMinorsFor(SKEW_POLICY.controllerManager, [30, 28])).toEqual([]);
  });

  it('kubectl: one minor either way, narrowed by HA skew', () => {
    expect(allowedMinorsFor(SKEW_POLICY.kubectl, [30])).toEqual([29, 30, 31]);
    expect(allowedMinorsFor(SKEW_POLICY.kubectl, [30, 29])).toEqual([29, 30]);
  });
});

describe('vendor versions and image tags', () => {
  it.each([
    ['v1.29.4-eks-036c24b', 29, 4],
    ['v1.30.5-gke.1014001', 30, 5],
    ['v1.29.7', 29, 7],
    ['v1.30.2+k3s1', 30, 2],
    ['v1.28.5+rke2r1', 28, 5],
    ['v1.28.5-rke2r1-build20231213', 28, 5],
    ['v1.30.0-eksbuild.3', 30, 0],
    ['v1.32.4-dispatcher', 32, 4],
  ])('%s compares as 1.%i.%i', (raw, minor, patch) => {
    expect(parseKube1(raw)).toEqual({ major: 1, minor, patch, raw });
  });

  it.each(['', 'v1', 'dev', 'latest', '3.5.6-0'])('"%s" is not a Kubernetes 1.x version', (raw) => {
    expect(parseKube1(raw)).toBeUndefined();
  });

  it.each([
    ['registry.k8s.io/kube-apiserver:v1.30.2', 'v1.30.2'],
    ['localhost:5000/kube-proxy:v1.29.4@sha256:abc', 'v1.29.4'],
    ['registry.k8s.io/kube-proxy@sha256:abc', undefined],
    ['localhost:5000/etcd', undefined],
    ['kube-proxy:', undefined],
  ])('imageTag(%s) = %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

const pod = (name: string, component: string, image: string, nodeName?: string): ControlPlanePod => ({
  namespace: 'kube-system',
  name,
  component,
  nodeName,
  labels: {},
  mirror: true,
  ready: true,
  containers: [{ name: component, image, command: [], args: [] }],
});

describe('kube-apiservers and the target', () => {
  it('reads /version and every kube-apiserver pod; unreadable ones are reported, not dropped', () => {
    const { instances, unreadable } = apiserverInstances({ gitVersion: 'v1.30.5' }, [
      pod('kube-apiserver-a', 'kube-apiserver', 'registry.k8s.io/kube-apiserver:v1.30.2', 'a'),
      pod('kube-apiserver-b', 'kube-apiserver', 'registry.k8s.io/kube-apiserver@sha256:00', 'b'),
      pod('etcd-a', 'etcd', 'registry.k8s.io/etcd:3.5.15-0', 'a'),
    ]);
    expect(instances.map((i) => [i.name, i.raw])).toEqual([
      ['/version', 'v1.30.5'],
      ['kube-apiserver-a', 'v1.30.2'],
    ]);
    expect(unreadable.map((u) => u.name)).toEqual(['kube-apiserver-b']);
    const span = controlPlaneSpan(instances)!;
    expect([span.oldest.raw, span.newest.raw]).toEqual(['v1.30.2', 'v1.30.5']);
  });

  const inst = (raw: string): ApiserverInstance => ({ source: 'version', name: '/version', raw, version: parseKube1(raw)! });
  const span = (a: string, b = a) => ({ oldest: inst(a), newest: inst(b) });

  it('classifies targets: patch, one minor, several minors', () => {
    expect(resolveTarget('1.26', span('v1.26.4'))).toEqual({ raw: '1.26', minor: 26, kind: 'patch', steps: [] });
    expect(resolveTarget('1.26.15', span('v1.26.4'))).toMatchObject({ kind: 'patch', patch: 15 });
    expect(resolveTarget('v1.27', span('v1.26.4'))).toMatchObject({ kind: 'minor', steps: [27] });
    expect(resolveTarget('1.29', span('v1.26.4'))).toMatchObject({ kind: 'multi-minor', steps: [27, 28, 29] });
    expect(resolveTarget('1.30', span('v1.29.8', 'v1.30.2'))).toMatchObject({ kind: 'minor', steps: [30] });
  });

  it('refuses a downgrade or something that is not a version', () => {
    expect(() => resolveTarget('1.25', span('v1.26.4'))).toThrow(CheckError);
    expect(() => resolveTarget('1.26.2', span('v1.26.4'))).toThrow(/older than the control plane/);
    expect(() => resolveTarget('1.29', span('v1.29.8', 'v1.30.2'))).toThrow(CheckError);
    expect(() => resolveTarget('2.1', span('v1.26.4'))).toThrow(/not a Kubernetes 1.x version/);
  });
});

describe('support window', () => {
  const at = (iso: string): Date => new Date(iso);
  it('ends at 00:00 UTC of the end-of-life date; warns within warnDays', () => {
    expect(supportStatus(35, at('2027-02-27T23:59:59Z'), 60)).toMatchObject({ state: 'ending', daysLeft: 0, endOfLife: '2027-02-28' });
    expect(supportStatus(35, at('2027-02-28T00:00:00Z'), 60)).toMatchObject({ state: 'end-of-life', daysLeft: 0 });
    expect(supportStatus(35, at('2026-12-30T00:00:00Z'), 60)).toMatchObject({ state: 'ending', daysLeft: 60 });
    expect(supportStatus(35, at('2026-12-29T00:00:00Z'), 60)).toMatchObject({ state: 'supported', daysLeft: 61 });
  });

  it('treats minors older than the table as past end of life and newer ones as unknown', () => {
    expect(supportStatus(16, at('2026-11-23T00:00:00Z'), 60)).toEqual({ minor: '1.16', state: 'end-of-life' });
    expect(supportStatus(40, at('2026-11-23T00:00:00Z'), 60)).toEqual({ minor: '1.40', state: 'unknown-newer' });
  });

  it('lists the releases still patched, 1.37 (released 2026-08-26) included', () => {
    expect(supportedMinors(at('2026-11-23T07:00:18Z'))).toEqual(['1.35', '1.36', '1.37']);
  });
});
