/**
 * The Kubernetes version skew policy as a data table, and its evaluation.
 *
 * Sources (each row of `SKEW_POLICY` names its own):
 * - "Version Skew Policy", https://kubernetes.io/releases/version-skew-policy/
 *   (kubernetes/website `content/en/releases/version-skew-policy.md`).
 * - KEP-3935 "Support Oldest Node And Newest Control Plane"
 *   (kubernetes/enhancements `keps/sig-architecture/3935-oldest-node-newest-control-plane`):
 *   n-3 node skew "starting with Kubernetes v1.25 nodes and v1.28 control planes". The policy
 *   page phrases it on the node component's own version ("kubelet < 1.25 may only be up to two
 *   minor versions older"); for every control plane that is the same as "3 minors from 1.28,
 *   2 before", since a kubelet 3 minors behind a control plane older than 1.28 is older than 1.25.
 * - Upgrades: "kube-apiserver [must] not skip minor versions when upgrading, even in
 *   single-instance clusters" (same page, citing the API deprecation policy); kubeadm enforces it
 *   (kubernetes/kubernetes `cmd/kubeadm/app/phases/upgrade/policy.go`: "kubeadm can upgrade only
 *   1 minor version at a time").
 *
 * HA control planes: when kube-apiservers run different minors, a component must satisfy the rule
 * against every one of them ("this narrows the allowed versions"): it may not be newer than the
 * oldest, nor older than the newest allows. The policy's examples show exactly that intersection
 * (apiservers at N and N-1 → kubelets at N-1, N-2, N-3; controller-manager at N-1; kubectl at N
 * and N-1).
 *
 * Versions are compared by minor only (Kubernetes 1.x): the policy is stated in minor versions.
 */
import { CheckError } from '../contract/errors.js';
import type { ControlPlanePod, ServerVersion } from '../contract/values/core.js';
import { imageTag } from './images.js';
import { parseKubeVersion, type KubeVersion } from './versions.js';

export type SkewComponent =
  'kube-apiserver' | 'kubelet' | 'kube-proxy' | 'kube-controller-manager' | 'kube-scheduler' | 'cloud-controller-manager' | 'kubectl';

/** Minors allowed by the component's own minor: the first row whose `fromMinor` ≤ own minor applies. */
export type MinorAllowance = ReadonlyArray<{ fromMinor: number; minors: number }>;

export interface SkewRule {
  /** Key of the rule (`kubelet`, `kube-proxy-kubelet`…). */
  key: string;
  component: SkewComponent;
  /** What the component is compared with. */
  against: 'kube-apiserver' | 'kubelet';
  /** How many minors newer than the reference the component may be. */
  maxNewer: MinorAllowance;
  /** How many minors older than the reference the component may be. */
  maxOlder: MinorAllowance;
  /** The sentence of the policy, and where it is. */
  policy: string;
  source: string;
}

const SKEW_PAGE = 'https://kubernetes.io/releases/version-skew-policy/';
const KEP_3935 = 'https://github.com/kubernetes/enhancements/tree/master/keps/sig-architecture/3935-oldest-node-newest-control-plane';
const NONE: MinorAllowance = [{ fromMinor: 0, minors: 0 }];
const ONE: MinorAllowance = [{ fromMinor: 0, minors: 1 }];
/** Node components: 3 minors from 1.25 on (KEP-3935), 2 before. */
const NODE_SKEW: MinorAllowance = [
  { fromMinor: 25, minors: 3 },
  { fromMinor: 0, minors: 2 },
];

/** The skew policy, one row per rule. */
export const SKEW_POLICY = {
  kubelet: {
    key: 'kubelet',
    component: 'kubelet',
    against: 'kube-apiserver',
    maxNewer: NONE,
    maxOlder: NODE_SKEW,
    policy: 'kubelet must not be newer than kube-apiserver, and may be up to three minor versions older (kubelet < 1.25: two).',
    source: `${SKEW_PAGE}#kubelet; ${KEP_3935}`,
  },
  kubeProxy: {
    key: 'kube-proxy',
    component: 'kube-proxy',
    against: 'kube-apiserver',
    maxNewer: NONE,
    maxOlder: NODE_SKEW,
    policy: 'kube-proxy must not be newer than kube-apiserver, and may be up to three minor versions older (kube-proxy < 1.25: two).',
    source: `${SKEW_PAGE}#kube-proxy; ${KEP_3935}`,
  },
  kubeProxyKubelet: {
    key: 'kube-proxy-kubelet',
    component: 'kube-proxy',
    against: 'kubelet',
    maxNewer: NODE_SKEW,
    maxOlder: NODE_SKEW,
    policy: 'kube-proxy may be up to three minor versions older or newer than the kubelet it runs alongside (kube-proxy < 1.25: two).',
    source: `${SKEW_PAGE}#kube-proxy`,
  },
  controllerManager: {
    key: 'kube-controller-manager',
    component: 'kube-controller-manager',
    against: 'kube-apiserver',
    maxNewer: NONE,
    maxOlder: ONE,
    policy:
      'kube-controller-manager, kube-scheduler and cloud-controller-manager must not be newer than the ' +
      'kube-apiservers they talk to; same minor expected, one older allowed.',
    source: `${SKEW_PAGE}#kube-controller-manager-kube-scheduler-and-cloud-controller-manager`,
  },
  kubectl: {
    key: 'kubectl',
    component: 'kubectl',
    against: 'kube-apiserver',
    maxNewer: ONE,
    maxOlder: ONE,
    policy: 'kubectl is supported within one minor version (older or newer) of kube-apiserver.',
    source: `${SKEW_PAGE}#kubectl`,
  },
  apiserverHa: {
    key: 'kube-apiserver',
    component: 'kube-apiserver',
    against: 'kube-apiserver',
    maxNewer: ONE,
    maxOlder: ONE,
    policy: 'In HA clusters, the newest and oldest kube-apiserver instances must be within one minor version.',
    source: `${SKEW_PAGE}#kube-apiserver`,
  },
} as const satisfies Record<string, SkewRule>;

/** Upgrades: one minor at a time. */
export const UPGRADE_POLICY = {
  maxMinorsPerStep: 1,
  policy: 'kube-apiserver must not skip minor versions when upgrading, even in single-instance clusters.',
  source: `${SKEW_PAGE}#kube-apiserver-1; kubernetes/kubernetes cmd/kubeadm/app/phases/upgrade/policy.go`,
} as const;

/** The allowance of a component at its own minor. */
export function allowance(a: MinorAllowance, ownMinor: number): number {
  for (const row of a) if (ownMinor >= row.fromMinor) return row.minors;
  return 0;
}

/** `1.26` for minor 26 (Kubernetes 1.x). */
export function minorLabel(minor: number): string {
  return `1.${minor}`;
}

export interface SkewVerdict {
  ok: boolean;
  /** Which side is broken: newer than a reference allows, or older. */
  problem?: 'newer' | 'older';
  /** Minors the component may run against these references (contiguous), oldest first. */
  allowedMinors: number[];
}

/**
 * Judges a component's minor against reference minors (every kube-apiserver, or the one
 * kubelet beside a kube-proxy): it must satisfy the rule against each of them.
 */
export function judgeSkew(rule: SkewRule, ownMinor: number, refMinors: readonly number[]): SkewVerdict {
  const allowedMinors = allowedMinorsFor(rule, refMinors);
  if (allowedMinors.includes(ownMinor)) return { ok: true, allowedMinors };
  const newer = refMinors.some((r) => ownMinor - r > allowance(rule.maxNewer, ownMinor));
  return { ok: false, problem: newer ? 'newer' : 'older', allowedMinors };
}

/** Every minor the rule allows against all references (empty when the references are too far apart). */
export function allowedMinorsFor(rule: SkewRule, refMinors: readonly number[]): number[] {
  if (refMinors.length === 0) return [];
  const lo = Math.min(...refMinors);
  const hi = Math.max(...refMinors);
  const out: number[] = [];
  for (let m = Math.max(0, lo - 8); m <= hi + 8; m++) {
    const fits = refMinors.every((r) => (m >= r ? m - r <= allowance(rule.maxNewer, m) : r - m <= allowance(rule.maxOlder, m)));
    if (fits) out.push(m);
  }
  return out;
}

/** `['1.24', '1.25', '1.26']`, for evidence. */
export function minorLabels(minors: readonly number[]): string[] {
  return minors.map(minorLabel);
}

/** One kube-apiserver whose version is known: the one `/version` answered from, or a static pod. */
export interface ApiserverInstance {
  /** `version` for the `/version` document, `pod` for a kube-apiserver pod of kube-system. */
  source: 'version' | 'pod';
  /** Pod name, or `/version`. */
  name: string;
  namespace?: string;
  nodeName?: string;
  /** The version as reported: `gitVersion`, or the pod's image tag. */
  raw: string;
  /** The pod's image. */
  image?: string;
  version: KubeVersion;
}

/** A control-plane component whose version could not be read. */
export interface UnreadableVersion {
  source: 'version' | 'pod';
  name: string;
  namespace?: string;
  raw: string;
  reason: string;
}

/** Parses a Kubernetes 1.x version; a version of another major is not one this policy covers. */
export function parseKube1(raw: string | undefined): KubeVersion | undefined {
  const v = parseKubeVersion(raw);
  return v?.major === 1 ? v : undefined;
}

/** The container of a control-plane pod that runs its component (same name), else the first. */
export function componentImage(pod: ControlPlanePod): string | undefined {
  return (pod.containers.find((c) => c.name === pod.component) ?? pod.containers[0])?.image;
}

/**
 * Version of a control-plane pod from its image tag (`registry.k8s.io/kube-apiserver:v1.30.2`):
 * `raw` is the tag (the image when it has none), `reason` says why `version` is missing.
 */
export function podVersion(pod: ControlPlanePod): { image: string; raw: string; version?: KubeVersion; reason?: string } {
  const image = componentImage(pod) ?? '';
  if (!image) return { image, raw: '', reason: 'the pod has no container image' };
  const tag = imageTag(image);
  if (!tag) return { image, raw: image, reason: `image ${image} has no tag (pinned by digest only), so its version is unknown` };
  const version = parseKube1(tag);
  if (!version) return { image, raw: tag, reason: `image tag "${tag}" of ${image} is not a Kubernetes 1.x version` };
  return { image, raw: tag, version };
}

/**
 * The kube-apiservers whose versions are known: the one `/version` answered from (behind a
 * load balancer, any of them) and every kube-apiserver pod of kube-system (kubeadm, RKE2 static
 * pods). Managed control planes and k3s show only `/version`.
 */
export function apiserverInstances(
  version: ServerVersion,
  pods: readonly ControlPlanePod[] = [],
): { instances: ApiserverInstance[]; unreadable: UnreadableVersion[] } {
  const instances: ApiserverInstance[] = [];
  const unreadable: UnreadableVersion[] = [];
  const v = parseKube1(version.gitVersion);
  if (v) instances.push({ source: 'version', name: '/version', raw: version.gitVersion, version: v });
  else
    unreadable.push({
      source: 'version',
      name: '/version',
      raw: version.gitVersion,
      reason: `gitVersion "${version.gitVersion}" is not a Kubernetes 1.x version`,
    });
  for (const p of pods) {
    if (p.component !== 'kube-apiserver') continue;
    const pv = podVersion(p);
    if (pv.version)
      instances.push({
        source: 'pod',
        name: p.name,
        namespace: p.namespace,
        nodeName: p.nodeName,
        raw: pv.raw,
        image: pv.image,
        version: pv.version,
      });
    else unreadable.push({ source: 'pod', name: p.name, namespace: p.namespace, raw: pv.raw, reason: pv.reason! });
  }
  return { instances, unreadable };
}

/** Oldest and newest kube-apiserver (by minor, then patch); undefined when none is known. */
export function controlPlaneSpan(
  instances: readonly ApiserverInstance[],
): { oldest: ApiserverInstance; newest: ApiserverInstance } | undefined {
  if (instances.length === 0) return undefined;
  const sorted = [...instances].sort((a, b) => a.version.minor - b.version.minor || a.version.patch - b.version.patch);
  return { oldest: sorted[0]!, newest: sorted[sorted.length - 1]! };
}

/** What `--target-version` asks for, against the control plane as it is. */
export interface UpgradeTarget {
  /** As given (`1.31`, `1.31.2`). */
  raw: string;
  minor: number;
  /** Set when the target names a patch. */
  patch?: number;
  /** `patch`: same minor; `minor`: one step; `multi-minor`: more than the policy allows at once. */
  kind: 'patch' | 'minor' | 'multi-minor';
  /** Minors the control plane goes through, one upgrade each, ending with the target's (empty for a patch upgrade). */
  steps: number[];
}

/**
 * Resolves `--target-version` against the kube-apiservers. Throws `CheckError` when the target
 * is not a Kubernetes 1.x version or is older than the newest kube-apiserver (a downgrade).
 * The steps start after the oldest kube-apiserver's minor (an HA control plane half-way
 * through an upgrade finishes that minor first).
 */
export function resolveTarget(target: string, span: { oldest: ApiserverInstance; newest: ApiserverInstance }): UpgradeTarget {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(target.trim());
  if (m?.[1] !== '1') throw new CheckError(`target version "${target}" is not a Kubernetes 1.x version such as 1.31 or 1.31.2`);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? undefined : Number(m[3]);
  const newest = span.newest.version;
  if (minor < newest.minor || (minor === newest.minor && patch !== undefined && patch < newest.patch)) {
    throw new CheckError(
      `target version ${target} is older than the control plane (kube-apiserver ${span.newest.raw}): ` +
        `downgrades are not supported; give the version you upgrade to`,
    );
  }
  const steps: number[] = [];
  for (let s = span.oldest.version.minor + 1; s <= minor; s++) steps.push(s);
  const kind = steps.length === 0 ? 'patch' : steps.length <= UPGRADE_POLICY.maxMinorsPerStep ? 'minor' : 'multi-minor';
  return { raw: target, minor, ...(patch !== undefined ? { patch } : {}), kind, steps };
}
