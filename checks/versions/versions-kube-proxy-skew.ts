/**
 * kube-proxy within the version skew policy: against every kube-apiserver (today, and after the
 * control plane moves to the target or the next minor), and against the kubelet on each node.
 *
 * Rule sources: `SKEW_POLICY.kubeProxy` and `SKEW_POLICY.kubeProxyKubelet` in `src/k8s/skew.ts`
 * (Version Skew Policy page, KEP-3935). Which kube-proxy version counts: see `readKubeProxies`
 * (the images of the kube-proxy pods and DaemonSet when there are some; else a node's
 * `status.nodeInfo.kubeProxyVersion` only where it is not the kubelet's own version). Nodes
 * that report only the kubelet's own version are one unknown (`Component kube-proxy`), never a
 * second finding beside the kubelet's; k3s nodes (kube-proxy embedded at the kubelet's
 * version) are judged by versions-kubelet-skew alone.
 *
 * `details`: `{ source: 'daemonset'|'nodeInfo'|'none', note?, apiservers, after, daemonSets:
 *   [{ name, image, kubeProxyVersion, nodes, today?, after? }], pods: [{ name, node, image,
 *   kubeProxyVersion, daemonSet, today?, after? }] (`today`/`after`: `{ allowed, ok }` against the
 *   kube-apiservers, when the version could be read), matrix: [{ node, kubeletVersion, kubeProxyVersion, source, today?: { allowed, ok },
 *   kubelet: { allowed, ok }, after?: { allowed, ok } }], kubeletsOwnVersion: [node], embedded: [node] }`.
 * `figures`: the kube-proxy columns of the `skew-matrix` matrix (`lib/skew-figure.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import type { ResourceRef } from '../../src/contract/resource.js';
import { allowance, judgeSkew, minorLabels, SKEW_POLICY } from '../../src/k8s/skew.js';
import type { KubeVersion } from '../../src/k8s/versions.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import {
  apiserverVersions,
  judgeNodeComponent,
  kubeletOf,
  minorsText,
  nodeComponentRules,
  nodeRef,
  nodesOf,
  rangeLabel,
  readControlPlane,
  readKubeProxies,
  upgradeContext,
  upgradeToLabel,
  NODE_SKEW_SUMMARY,
} from './lib/cluster-versions.js';
import { skewFigure, type SkewEntry } from './lib/skew-figure.js';

const VS_KUBELET = SKEW_POLICY.kubeProxyKubelet;
/** The subject of the unknown for nodes that report only the kubelet's own version. */
const KUBE_PROXY = { kind: 'Component', name: 'kube-proxy' };
/** Nodes named in that unknown's reason before `and N more`. */
const NAMED_NODES = 5;

const DS_REMEDIATION = (ns: string, name: string, minor: string): string =>
  [
    `kubeadm: the kube-proxy DaemonSet follows the control plane (\`kubeadm upgrade apply\` sets its image); to align it now:`,
    `kubectl -n ${ns} set image daemonset/${name} kube-proxy=registry.k8s.io/kube-proxy:v${minor}.<patch>`,
    `EKS: aws eks update-addon --cluster-name <cluster> --addon-name kube-proxy --addon-version <version for ${minor}>`,
  ].join('\n');

export default defineCheck({
  id: 'versions-kube-proxy-skew',
  family: 'versions',
  title: 'kube-proxy is within the version skew policy, today and after the upgrade',
  summary: NODE_SKEW_SUMMARY,
  rationale:
    "kube-proxy programs every node's Service routing from the API. A kube-proxy newer than the " +
    'kube-apiserver, older than the policy allows, or too far from the kubelet beside it is an ' +
    'unsupported combination; one that the control-plane upgrade would leave behind breaks Service ' +
    'traffic on those nodes.',
  remediation:
    "Upgrade kube-proxy with its nodes (or, for a DaemonSet, set its image to the control plane's " +
    'minor) before the control plane moves past what it supports; never run it newer than the oldest ' +
    'kube-apiserver.',
  references: [
    'https://kubernetes.io/releases/version-skew-policy/#kube-proxy',
    'https://github.com/kubernetes/kubernetes/issues/117756',
    'https://github.com/kubernetes/enhancements/tree/master/keps/sig-architecture/3935-oldest-node-newest-control-plane',
  ],
  defaultSeverity: 'high',
  rules: {
    ...nodeComponentRules('kube-proxy'),
    'kube-proxy-kubelet-skew': { title: 'kube-proxy and the kubelet beside it are too far apart', severity: 'high' },
  },
  requires: ['nodes', 'version'],
  optional: ['control-plane-pods', 'addon-images', 'kube-proxy-pods'],
  defaultOptions: {},
  run({ nodes, version, optional }, ctx) {
    const cp = readControlPlane(version, optional['control-plane-pods']);
    const unknowns: Unknown[] = [...cp.unknowns];
    if (!cp.span) return { evaluated: 0, findings: [], unknowns, notApplicable: 'no kube-apiserver version could be read' };
    const { after } = upgradeContext(ctx, cp.span);
    const proxies = readKubeProxies(nodes, optional['addon-images'], optional['kube-proxy-pods']);
    const findings: RawFinding[] = [];
    const matrix: Array<Record<string, unknown>> = [];
    const daemonSets: Array<Record<string, unknown>> = [];
    const pods: Array<Record<string, unknown>> = [];
    const entries: SkewEntry[] = [];
    // The verdict against the kube-apiservers depends on the version only: in the figure, a node
    // running a DaemonSet's (or a judged pod's) version gets that verdict.
    const verdicts = new Map<string, ReturnType<typeof judged>>();
    let evaluated = 0;

    for (const ds of proxies.daemonSets) {
      const w = ds.workload;
      const resource: ResourceRef = { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: w.namespace, name: w.name };
      const dsEntry: Record<string, unknown> = {
        name: `${w.namespace}/${w.name}`,
        image: ds.image,
        kubeProxyVersion: ds.raw,
        nodes: nodesOf(ds, nodes).length,
      };
      daemonSets.push(dsEntry);
      if (!ds.version) {
        unknowns.push({ resource, reason: ds.reason! });
        continue;
      }
      evaluated++;
      const subject = `kube-proxy ${ds.raw} (DaemonSet ${w.namespace}/${w.name})`;
      const remediation = DS_REMEDIATION(w.namespace, w.name, upgradeToLabel(cp));
      const j = judgeNodeComponent(
        { component: 'kube-proxy', label: subject, resource, version: ds.version, raw: ds.raw, remediation, extra: { image: ds.image } },
        cp,
        after,
      );
      findings.push(...j.findings);
      const verdict = judged(j);
      verdicts.set(ds.raw, verdict);
      Object.assign(dsEntry, verdict);
    }

    for (const p of proxies.pods) {
      const { pod } = p;
      const resource: ResourceRef = { apiVersion: 'v1', kind: 'Pod', namespace: pod.namespace, name: pod.name };
      const podEntry: Record<string, unknown> = {
        name: `${pod.namespace}/${pod.name}`,
        node: pod.nodeName ?? null,
        image: pod.image,
        kubeProxyVersion: p.raw,
        daemonSet: pod.daemonSet ?? null,
      };
      pods.push(podEntry);
      if (!p.version) {
        unknowns.push({ resource, reason: p.reason! });
        continue;
      }
      evaluated++;
      const on = pod.nodeName ? ` on ${pod.nodeName}` : '';
      const owner = pod.daemonSet ? `, not yet rolled to its DaemonSet ${pod.namespace}/${pod.daemonSet}'s image` : '';
      const remediation = pod.daemonSet
        ? `Delete the pod so its DaemonSet recreates it from the current template: kubectl -n ${pod.namespace} delete pod ${pod.name}`
        : `Upgrade the node${on} with its kube-proxy (a static pod of the node's release) to ${upgradeToLabel(cp)}.`;
      const extra = { image: pod.image, ...(pod.nodeName ? { node: pod.nodeName } : {}) };
      const j = judgeNodeComponent(
        {
          component: 'kube-proxy',
          label: `kube-proxy ${p.raw} in pod ${pod.namespace}/${pod.name}${on}${owner}`,
          resource,
          version: p.version,
          raw: p.raw,
          remediation,
          extra,
        },
        cp,
        after,
      );
      findings.push(...j.findings);
      const verdict = judged(j);
      verdicts.set(p.raw, verdict);
      Object.assign(podEntry, verdict);
    }

    for (const n of nodes) {
      const p = proxies.onNode.get(n.name);
      if (!p?.version) continue;
      const row = kubeletPair(n, p.version, p.raw, findings, { source: p.from });
      // `details.matrix` leaves the verdict to the DaemonSet's or pod's entry; the figure shows it per node.
      if (row) matrix.push(row);
      entries.push({ node: n.name, version: p.raw, ...(row ? { kubeletVersion: kubeletOf(n).raw } : {}), ...verdicts.get(p.raw) });
    }

    for (const n of nodes) {
      const p = proxies.perNode.get(n.name);
      if (!p) continue;
      if (!p.version) {
        unknowns.push({ resource: nodeRef(n.name), reason: p.reason! });
        continue;
      }
      evaluated++;
      const remediation =
        `Upgrade kube-proxy with the node (it ships with the node's Kubernetes release): drain ` +
        `${n.name}, upgrade it to ${upgradeToLabel(cp)}, uncordon.`;
      const extra = { source: 'status.nodeInfo.kubeProxyVersion' };
      const j = judgeNodeComponent(
        {
          component: 'kube-proxy',
          label: `kube-proxy ${p.raw} on ${n.name} (as the node reports it)`,
          resource: nodeRef(n.name),
          version: p.version,
          raw: p.raw,
          remediation,
          extra,
        },
        cp,
        after,
      );
      findings.push(...j.findings);
      const row = kubeletPair(n, p.version, p.raw, findings, extra);
      const verdicts = judged(j);
      matrix.push({ ...(row ?? { node: n.name, kubeProxyVersion: p.raw }), ...verdicts });
      entries.push({ node: n.name, version: p.raw, ...(row ? { kubeletVersion: kubeletOf(n).raw } : {}), ...verdicts });
    }

    // k3s runs kube-proxy inside its agent, at the kubelet's version: the kubelet's findings are its findings.
    evaluated += proxies.embedded.length;
    if (proxies.kubeletsOwn.length > 0) {
      const list = proxies.kubeletsOwn;
      const named =
        list.length > NAMED_NODES ? `${list.slice(0, NAMED_NODES).join(', ')} and ${list.length - NAMED_NODES} more` : list.join(', ');
      unknowns.push({
        resource: KUBE_PROXY,
        reason:
          `kube-proxy's own version is not known on ${list.length} node${list.length === 1 ? '' : 's'} ` +
          `(${named}): no kube-proxy pod or DaemonSet in kube-system, and status.nodeInfo.kubeProxyVersion ` +
          `holds the kubelet's own version (the kubelet writes it there; the field is deprecated). Where ` +
          `kube-proxy ships with the node, versions-kubelet-skew's findings cover it; otherwise check the ` +
          `kube-proxy binary's version on the nodes.`,
      });
    }

    const notApplicable =
      evaluated === 0 && unknowns.length === 0
        ? `no kube-proxy version found: no kube-proxy DaemonSet or pod in ` +
          `kube-system${proxies.addonsNote ? ` (${proxies.addonsNote})` : ''} and no node reports ` +
          `status.nodeInfo.kubeProxyVersion (kube-proxy may be replaced by the CNI)`
        : undefined;
    const apiservers = apiserverVersions(cp);
    const afterUpgrade = after ? { version: after.label, assumed: after.assumed } : null;
    return {
      evaluated,
      findings,
      unknowns,
      ...(notApplicable ? { notApplicable } : {}),
      details: {
        source: proxies.mode,
        ...(proxies.addonsNote ? { note: proxies.addonsNote } : {}),
        apiservers,
        after: afterUpgrade,
        daemonSets,
        pods,
        matrix,
        kubeletsOwnVersion: proxies.kubeletsOwn,
        embedded: proxies.embedded,
      },
      figures: nodes.length > 0 ? [skewFigure('kube-proxy', entries, apiservers, afterUpgrade)] : [],
    };
  },
});

/** A verdict against the kube-apiservers, today and after the upgrade, for `details`. */
function judged(j: ReturnType<typeof judgeNodeComponent>): {
  today: { allowed: string; ok: boolean };
  after?: { allowed: string; ok: boolean };
} {
  return {
    today: { allowed: rangeLabel(j.today.allowedMinors), ok: j.today.ok },
    ...(j.after ? { after: { allowed: rangeLabel(j.after.allowedMinors), ok: j.after.ok } } : {}),
  };
}

/**
 * Judges a kube-proxy against the kubelet of a node it runs on; pushes a finding when they are
 * too far apart. Returns the matrix row, or undefined when the kubelet's version is unknown
 * (the kubelet check reports that node).
 */
function kubeletPair(
  n: NodeInfo,
  proxy: KubeVersion,
  proxyRaw: string,
  findings: RawFinding[],
  extra: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const k = kubeletOf(n);
  if (!k.version) return undefined;
  const v = judgeSkew(VS_KUBELET, proxy.minor, [k.version.minor]);
  if (!v.ok) {
    const skew = Math.abs(k.version.minor - proxy.minor);
    findings.push({
      rule: 'kube-proxy-kubelet-skew',
      resource: nodeRef(n.name),
      message:
        `kube-proxy ${proxyRaw} and kubelet ${k.raw} on ${n.name} are ${minorsText(skew)} apart; the ` +
        `policy allows ${allowance(VS_KUBELET.maxOlder, proxy.minor)} for this kube-proxy.`,
      evidence: {
        kubeProxyVersion: proxyRaw,
        kubeletVersion: k.raw,
        skewMinors: skew,
        allowedMinors: minorLabels(v.allowedMinors),
        ...extra,
      },
      remediation:
        `Upgrade the older of the two on ${n.name} (drain the node first for a kubelet upgrade); ` +
        `kube-proxy versions supported beside kubelet ${k.raw}: ${rangeLabel(v.allowedMinors)}.`,
    });
  }
  return {
    node: n.name,
    kubeletVersion: k.raw,
    kubeProxyVersion: proxyRaw,
    kubelet: { allowed: rangeLabel(v.allowedMinors), ok: v.ok },
    ...extra,
  };
}
