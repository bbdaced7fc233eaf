/**
 * What the versions checks share: the kube-apiservers as the inputs show them, the target of the
 * upgrade (or the next minor when none is given), and the versions of each node's kubelet and
 * kube-proxy.
 */
import type { CheckContext, RawFinding, RuleDefinition, Unknown } from '../../../src/contract/check.js';
import type { Collected } from '../../../src/contract/inputs.js';
import type { ResourceRef } from '../../../src/contract/resource.js';
import { imageTag } from '../../../src/k8s/images.js';
import { fromLabelSelector, matches } from '../../../src/k8s/selectors.js';
import {
  allowance,
  apiserverInstances,
  controlPlaneSpan,
  judgeSkew,
  minorLabel,
  minorLabels,
  parseKube1,
  resolveTarget,
  SKEW_POLICY,
  type ApiserverInstance,
  type SkewVerdict,
  type UpgradeTarget,
} from '../../../src/k8s/skew.js';
import type { KubeVersion } from '../../../src/k8s/versions.js';
import type { ControlPlanePod, NodeInfo, ServerVersion } from '../../../src/contract/values/core.js';
import type { AddonWorkload, KubeProxyPod } from '../../../src/contract/values/versions.js';

/**
 * The README row of versions-kubelet-skew and versions-kube-proxy-skew (their `summary`): one
 * row for both, as they judge one policy from the two sides of a node.
 */
export const NODE_SKEW_SUMMARY =
  'newer than a kube-apiserver (critical); more minors older than the policy allows — 3, or 2 for components ' +
  'older than 1.25 — today (high) or after the control plane moves to the target (critical, with the nodes to ' +
  "upgrade first); kube-proxy within 3 (2) minors of its kubelet. kube-proxy's version is its image's tag: the " +
  'kube-proxy DaemonSet once, and each kube-proxy pod (on its node) that its rollout left behind or that is ' +
  "static (GKE, RKE2). A node's `kubeProxyVersion` is the kubelet's own version: equal to it, it is never a " +
  'second finding, but one not-assessed subject naming the nodes (k3s, which runs kube-proxy inside its agent, is ' +
  'left to the kubelet check)';

/** The control plane as a non-API subject (the upgrade, the `/version` document). */
export const CONTROL_PLANE: { kind: string; name: string } = { kind: 'Cluster', name: 'control-plane' };

export function nodeRef(name: string): ResourceRef {
  return { apiVersion: 'v1', kind: 'Node', name };
}

export interface ControlPlaneView {
  instances: ApiserverInstance[];
  /** Oldest and newest kube-apiserver; undefined when no version could be read. */
  span?: { oldest: ApiserverInstance; newest: ApiserverInstance };
  /** Distinct kube-apiserver minors, ascending. */
  minors: number[];
  /** kube-apiservers whose version could not be read. */
  unknowns: Unknown[];
  /** Status of the control-plane pods input (`ok`, `missing`, `forbidden`…; `not read` when not declared). */
  podsStatus: string;
}

/**
 * Reads the kube-apiservers from `/version` and, when the control-plane pods were read, from
 * every kube-apiserver pod (HA control planes, possibly at different versions).
 */
export function readControlPlane(version: ServerVersion, pods?: Collected<ControlPlanePod[]>): ControlPlaneView {
  const podList = pods && (pods.status === 'ok' || pods.status === 'absent') ? pods.value : [];
  const { instances, unreadable } = apiserverInstances(version, podList);
  const unknowns: Unknown[] = unreadable.map((u) => ({
    resource:
      u.source === 'pod'
        ? { apiVersion: 'v1', kind: 'Pod', namespace: u.namespace, name: u.name }
        : { ...CONTROL_PLANE, field: 'version.gitVersion' },
    reason: u.reason,
  }));
  const minors = [...new Set(instances.map((i) => i.version.minor))].sort((a, b) => a - b);
  return { instances, span: controlPlaneSpan(instances), minors, unknowns, podsStatus: pods?.status ?? 'not read' };
}

/** Distinct raw versions of the kube-apiservers, for evidence. */
export function apiserverVersions(cp: ControlPlaneView): string[] {
  return [...new Set(cp.instances.map((i) => i.raw))].sort();
}

/** The control plane the after-upgrade rules judge against. */
export interface AfterUpgrade {
  minor: number;
  /** `1.27` */
  label: string;
  /** True when no `--target-version` was given and the next minor is assumed. */
  assumed: boolean;
}

/**
 * The target of the upgrade and the control plane after it. With `--target-version`, `after`
 * is the target's minor (none for a patch upgrade: the control plane stays on its minor).
 * Without it, `after` is the next minor, the only one the control plane may move to.
 * Throws `CheckError` for a target older than the control plane (see `resolveTarget`).
 */
export function upgradeContext(
  ctx: Pick<CheckContext<unknown>, 'targetVersion'>,
  span: { oldest: ApiserverInstance; newest: ApiserverInstance },
): { target?: UpgradeTarget; after?: AfterUpgrade } {
  if (ctx.targetVersion === undefined) {
    const minor = span.oldest.version.minor + 1;
    return { after: { minor, label: minorLabel(minor), assumed: true } };
  }
  const target = resolveTarget(ctx.targetVersion, span);
  if (target.kind === 'patch') return { target };
  return { target, after: { minor: target.minor, label: minorLabel(target.minor), assumed: false } };
}

/** How an after-upgrade finding names the control plane it judges against. */
export function afterPhrase(after: AfterUpgrade): string {
  return after.assumed ? `${after.label} (the next minor; no --target-version was given)` : after.label;
}

/** A version read from a string that may not parse. */
export interface ReadVersion {
  raw: string;
  version?: KubeVersion;
  /** Why `version` is undefined. */
  reason?: string;
}

/** Reads a node's kubelet version (`status.nodeInfo.kubeletVersion`). */
export function kubeletOf(n: NodeInfo): ReadVersion {
  const raw = n.kubeletVersion ?? '';
  if (raw === '') return { raw, reason: `node ${n.name} reports no status.nodeInfo.kubeletVersion` };
  const version = parseKube1(raw);
  return version ? { raw, version } : { raw, reason: `kubeletVersion "${raw}" of node ${n.name} is not a Kubernetes 1.x version` };
}

/** A kube-proxy DaemonSet and the version of its image. */
export interface KubeProxyDaemonSet extends ReadVersion {
  workload: AddonWorkload;
  image: string;
}

/** A kube-proxy pod and the version of its image. */
export interface KubeProxyPodVersion extends ReadVersion {
  pod: KubeProxyPod;
}

/** The kube-proxy that runs on a node, for the kube-proxy–kubelet rule. */
export interface NodeKubeProxy extends ReadVersion {
  /** `pod kube-system/kube-proxy-x7k2p`, `DaemonSet kube-system/kube-proxy` (its template), `status.nodeInfo.kubeProxyVersion`. */
  from: string;
}

/**
 * Where kube-proxy versions come from, most direct first:
 * - `daemonset`: kube-proxy pods in kube-system (each pod's image tag, on its `spec.nodeName`)
 *   and kube-proxy DaemonSets (the template's image tag: kubeadm, EKS, AKS). A DaemonSet is
 *   judged once; a pod only when its image differs from its DaemonSet's template (a rollout not
 *   finished) or when no DaemonSet owns it (GKE's and RKE2's static kube-proxy pods). A node
 *   without a pod runs the template of the DaemonSet that selects it.
 * - `nodeInfo`: neither: each node's `status.nodeInfo.kubeProxyVersion`. The kubelet writes its
 *   own version there and never knew kube-proxy's (kubernetes/kubernetes#117756; deprecated by
 *   KEP-4004, left empty from 1.33), so a value equal to the `kubeletVersion` says nothing of
 *   its own: such nodes are `kubeletsOwn` (not known), or `embedded` for k3s, whose agent runs
 *   kube-proxy in its own process at the kubelet's version. Only a value that differs from the
 *   `kubeletVersion` is judged (`perNode`).
 * - `none`: none of these (kube-proxy replaced by the CNI, or kubelets that no longer report it),
 *   or a kube-system DaemonSet or pod that could not be read (the engine names it as an unknown).
 */
export interface KubeProxyView {
  mode: 'daemonset' | 'nodeInfo' | 'none';
  daemonSets: KubeProxyDaemonSet[];
  /** Pods judged on their own (see `daemonset` above). */
  pods: KubeProxyPodVersion[];
  /** Per node name, the kube-proxy that runs there (`daemonset` mode). */
  onNode: Map<string, NodeKubeProxy>;
  /** Per node name, a `kubeProxyVersion` that differs from the kubelet's (`nodeInfo` mode). */
  perNode: Map<string, ReadVersion>;
  /** Nodes whose `kubeProxyVersion` is the kubelet's own version (`nodeInfo` mode), sorted. */
  kubeletsOwn: string[];
  /** k3s nodes (kube-proxy embedded in the agent, at the kubelet's version), sorted. */
  embedded: string[];
  /** Why DaemonSets or pods could not be looked at, when an input was not read. */
  addonsNote?: string;
}

/** The version of a kube-proxy image from its tag. */
function imageVersion(image: string): ReadVersion {
  const tag = imageTag(image);
  const version = tag === undefined ? undefined : parseKube1(tag);
  if (version) return { raw: tag!, version };
  return {
    raw: tag ?? image,
    reason:
      tag === undefined ? `image "${image}" has no tag, so its version is unknown` : `image tag "${tag}" is not a Kubernetes 1.x version`,
  };
}

const readable = <T>(c: Collected<T> | undefined): c is Collected<T> => c !== undefined && (c.status === 'ok' || c.status === 'absent');
const statusOf = (c: Collected<unknown> | undefined): string => c?.status ?? 'not declared';

export function readKubeProxies(
  nodes: readonly NodeInfo[],
  addons?: Collected<AddonWorkload[]>,
  podsInput?: Collected<KubeProxyPod[]>,
): KubeProxyView {
  const daemonSets: KubeProxyDaemonSet[] = [];
  for (const w of readable(addons) ? (addons.value ?? []) : []) {
    if (w.addon !== 'kube-proxy' || w.kind !== 'DaemonSet') continue;
    const image = (w.images.find((i) => i.container === 'kube-proxy') ?? w.images[0])?.image ?? '';
    daemonSets.push({ workload: w, image, ...imageVersion(image) });
  }
  const notes = [
    ...(readable(addons) ? [] : [`kube-system DaemonSets not read (input addon-images is ${statusOf(addons)})`]),
    ...(readable(podsInput) ? [] : [`kube-proxy pods not read (input kube-proxy-pods is ${statusOf(podsInput)})`]),
  ];
  const addonsNote = notes.length > 0 ? notes.join('; ') : undefined;
  const allPods = [...(readable(podsInput) ? (podsInput.value ?? []) : [])].sort((a, b) =>
    cmp(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`),
  );
  const view: KubeProxyView = {
    mode: 'none',
    daemonSets,
    pods: [],
    onNode: new Map(),
    perNode: new Map(),
    kubeletsOwn: [],
    embedded: [],
    ...(addonsNote ? { addonsNote } : {}),
  };
  if (daemonSets.length > 0 || allPods.length > 0) {
    view.mode = 'daemonset';
    // A Running pod is the one that serves the node; others (Pending, a terminating old one) only when none runs.
    for (const p of [...allPods].sort((a, b) => Number(b.phase === 'Running') - Number(a.phase === 'Running'))) {
      const v = imageVersion(p.image);
      const ds = daemonSets.find((d) => d.workload.namespace === p.namespace && d.workload.name === p.daemonSet);
      if (ds?.raw !== v.raw) view.pods.push({ pod: p, ...v });
      if (p.nodeName !== undefined && !view.onNode.has(p.nodeName))
        view.onNode.set(p.nodeName, { ...v, from: `pod ${p.namespace}/${p.name}` });
    }
    view.pods.sort((a, b) => cmp(`${a.pod.namespace}/${a.pod.name}`, `${b.pod.namespace}/${b.pod.name}`));
    for (const ds of daemonSets) {
      const w = ds.workload;
      for (const n of nodesOf(ds, nodes)) {
        if (!view.onNode.has(n.name))
          view.onNode.set(n.name, {
            raw: ds.raw,
            ...(ds.version ? { version: ds.version } : { reason: ds.reason }),
            from: `DaemonSet ${w.namespace}/${w.name}`,
          });
      }
    }
    return view;
  }
  // A kube-proxy DaemonSet or pod that exists but could not be read is not "none": no fallback.
  const unreadObject = (c?: Collected<unknown>): boolean => (c?.partial ?? []).some((p) => 'name' in p.resource && p.resource.name !== '*');
  if (unreadObject(addons) || unreadObject(podsInput)) return view;
  for (const n of nodes) {
    const raw = n.kubeProxyVersion ?? '';
    if (raw === '') continue;
    if (raw === n.kubeletVersion) {
      (raw.includes('+k3s') ? view.embedded : view.kubeletsOwn).push(n.name);
      continue;
    }
    const version = parseKube1(raw);
    view.perNode.set(
      n.name,
      version ? { raw, version } : { raw, reason: `kubeProxyVersion "${raw}" of node ${n.name} is not a Kubernetes 1.x version` },
    );
  }
  view.kubeletsOwn.sort(cmp);
  view.embedded.sort(cmp);
  view.mode = view.perNode.size + view.kubeletsOwn.length + view.embedded.length > 0 ? 'nodeInfo' : 'none';
  return view;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Nodes a kube-proxy DaemonSet runs on (its `nodeSelector`; affinity is not evaluated). */
export function nodesOf(ds: KubeProxyDaemonSet, nodes: readonly NodeInfo[]): NodeInfo[] {
  const selector = fromLabelSelector({ matchLabels: ds.workload.nodeSelector });
  return nodes.filter((n) => matches(selector, n.labels));
}

/** A node component that falls outside the skew policy of the control plane after the upgrade. */
export interface Lagging {
  node: string;
  component: 'kubelet' | 'kube-proxy';
  version: string;
}

/**
 * Nodes whose kubelet or kube-proxy would be outside the skew policy once every kube-apiserver
 * runs `afterMinor`: the nodes to upgrade (or replace) before the control plane moves.
 */
export function laggingNodes(nodes: readonly NodeInfo[], proxies: KubeProxyView, afterMinor: number): Lagging[] {
  const out: Lagging[] = [];
  for (const n of nodes) {
    const k = kubeletOf(n);
    if (k.version && !judgeSkew(SKEW_POLICY.kubelet, k.version.minor, [afterMinor]).ok)
      out.push({ node: n.name, component: 'kubelet', version: k.raw });
    const p = proxies.perNode.get(n.name);
    if (p?.version && !judgeSkew(SKEW_POLICY.kubeProxy, p.version.minor, [afterMinor]).ok)
      out.push({ node: n.name, component: 'kube-proxy', version: p.raw });
  }
  for (const ds of proxies.daemonSets) {
    if (ds.version && !judgeSkew(SKEW_POLICY.kubeProxy, ds.version.minor, [afterMinor]).ok) {
      out.push({ node: `DaemonSet ${ds.workload.namespace}/${ds.workload.name}`, component: 'kube-proxy', version: ds.raw });
    }
  }
  for (const p of proxies.pods) {
    if (p.version && !judgeSkew(SKEW_POLICY.kubeProxy, p.version.minor, [afterMinor]).ok) {
      out.push({ node: p.pod.nodeName ?? `Pod ${p.pod.namespace}/${p.pod.name}`, component: 'kube-proxy', version: p.raw });
    }
  }
  return out;
}

/** The newest minor a lagging node may be upgraded to today: the oldest kube-apiserver's. */
export function upgradeToLabel(cp: ControlPlaneView): string {
  return minorLabel(cp.span!.oldest.version.minor);
}

/** Shell commands to upgrade one kubeadm node's kubelet to a minor (drained first: in-place minor kubelet upgrades are unsupported). */
export function nodeUpgradeCommands(node: string, minor: string): string {
  return [
    `kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`,
    `# on ${node}, with the package repository switched to v${minor} (https://pkgs.k8s.io/core:/stable:/v${minor}/deb/):`,
    `apt-get update && apt-get install -y kubeadm='${minor}.*' && kubeadm upgrade node`,
    `apt-get install -y kubelet='${minor}.*' kubectl='${minor}.*' && systemctl daemon-reload && systemctl restart kubelet`,
    `kubectl uncordon ${node}`,
    `# managed node pools and immutable nodes: replace the node with one built for ${minor} instead`,
  ].join('\n');
}

/** The allowed minors of a verdict as `1.24–1.26` (or `none`). */
export function rangeLabel(minors: readonly number[]): string {
  const l = minorLabels(minors);
  if (l.length === 0) return 'none';
  return l.length === 1 ? l[0]! : `${l[0]}–${l[l.length - 1]}`;
}

/** `1 minor` / `3 minors`. */
export function minorsText(n: number): string {
  return `${n} minor${n === 1 ? '' : 's'}`;
}

/** A kubelet or kube-proxy to judge against the kube-apiservers. */
export interface NodeComponent {
  component: 'kubelet' | 'kube-proxy';
  /** How messages name it: `kubelet v1.24.13 on worker-3`. */
  label: string;
  resource: ResourceRef;
  version: KubeVersion;
  raw: string;
  /** Commands that bring it within the policy. */
  remediation: string;
  /** Evidence specific to the subject (image, where the version was read). */
  extra?: Record<string, unknown>;
}

/** The rules `judgeNodeComponent` reports for a component, with their severities. */
export function nodeComponentRules(component: NodeComponent['component']): Record<string, RuleDefinition> {
  return {
    [`${component}-newer-than-apiserver`]: { title: `${component} is newer than a kube-apiserver`, severity: 'critical' },
    [`${component}-too-old`]: { title: `${component} is older than the skew policy allows`, severity: 'high' },
    [`${component}-unsupported-after-upgrade`]: {
      title: `${component} would be outside the skew policy of the target version`,
      severity: 'critical',
    },
    [`${component}-blocks-next-minor`]: {
      title: `${component} would be outside the skew policy of the next minor version`,
      severity: 'medium',
    },
  };
}

/**
 * Judges a kubelet or kube-proxy against every kube-apiserver today and, when given, against
 * the control plane after the upgrade. Rules, by component: `<component>-newer-than-apiserver`,
 * `<component>-too-old`, and after the upgrade `<component>-unsupported-after-upgrade` (target
 * given) or `<component>-blocks-next-minor` (next minor assumed).
 */
export function judgeNodeComponent(
  c: NodeComponent,
  cp: ControlPlaneView,
  after: AfterUpgrade | undefined,
): { findings: RawFinding[]; today: SkewVerdict; after?: SkewVerdict } {
  const rule = c.component === 'kubelet' ? SKEW_POLICY.kubelet : SKEW_POLICY.kubeProxy;
  const span = cp.span!;
  const own = c.version.minor;
  const maxOlder = allowance(rule.maxOlder, own);
  const base = {
    [c.component === 'kubelet' ? 'kubeletVersion' : 'kubeProxyVersion']: c.raw,
    apiserverVersions: apiserverVersions(cp),
    maxOlderMinors: maxOlder,
    ...c.extra,
  };
  const findings: RawFinding[] = [];
  const today = judgeSkew(rule, own, cp.minors);
  if (!today.ok && today.problem === 'newer') {
    findings.push({
      rule: `${c.component}-newer-than-apiserver`,
      resource: c.resource,
      message: `${c.label} is newer than kube-apiserver ${span.oldest.raw}; ${c.component} must not be newer than any kube-apiserver.`,
      evidence: { ...base, allowedMinors: minorLabels(today.allowedMinors) },
    });
  } else if (!today.ok) {
    const skew = span.newest.version.minor - own;
    findings.push({
      rule: `${c.component}-too-old`,
      resource: c.resource,
      message:
        `${c.label} is ${minorsText(skew)} older than kube-apiserver ${span.newest.raw}; the policy ` +
        `allows ${maxOlder} for this ${c.component} (supported: ${rangeLabel(today.allowedMinors)}).`,
      evidence: { ...base, skewMinors: skew, allowedMinors: minorLabels(today.allowedMinors) },
      remediation: c.remediation,
    });
  }
  if (!after) return { findings, today };
  const v = judgeSkew(rule, own, [after.minor]);
  if (!v.ok) {
    const skew = after.minor - own;
    const what =
      v.problem === 'newer'
        ? `would be newer than kube-apiserver ${afterPhrase(after)}`
        : `would be ${minorsText(skew)} older than kube-apiserver ${afterPhrase(after)}, where the policy ` +
          `allows ${maxOlder} for this ${c.component}`;
    findings.push({
      rule: after.assumed ? `${c.component}-blocks-next-minor` : `${c.component}-unsupported-after-upgrade`,
      resource: c.resource,
      message: `${c.label} ${what}: upgrade it (to ${upgradeToLabel(cp)}) before the control plane.`,
      evidence: {
        ...base,
        targetVersion: after.label,
        targetAssumed: after.assumed,
        skewMinors: skew,
        allowedMinors: minorLabels(v.allowedMinors),
      },
      remediation: c.remediation,
    });
  }
  return { findings, today, after: v };
}
