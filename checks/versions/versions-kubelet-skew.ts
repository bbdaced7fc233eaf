/**
 * Every kubelet within the version skew policy: today, against every kube-apiserver, and after
 * the control plane moves to the target (or, without `--target-version`, to the next minor).
 *
 * Rule source: `SKEW_POLICY.kubelet` in `src/k8s/skew.ts` (Version Skew Policy page, KEP-3935):
 * not newer than any kube-apiserver; at most 3 minors older for a kubelet ≥ 1.25, 2 before.
 *
 * `details`: `{ apiservers: string[], after: { version, assumed } | null, upgradeFirst: string[],
 *   matrix: [{ node, kubeletVersion, ready, today: { allowed: '1.24–1.26', ok },
 *   after?: { allowed, ok } }] }` — the skew matrix of the kubelets. `figures`: the kubelet
 *   columns of the `skew-matrix` matrix (`lib/skew-figure.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import {
  apiserverVersions,
  judgeNodeComponent,
  kubeletOf,
  nodeComponentRules,
  nodeRef,
  nodeUpgradeCommands,
  rangeLabel,
  readControlPlane,
  upgradeContext,
  upgradeToLabel,
  NODE_SKEW_SUMMARY,
} from './lib/cluster-versions.js';
import { skewFigure, type SkewEntry } from './lib/skew-figure.js';

export default defineCheck({
  id: 'versions-kubelet-skew',
  family: 'versions',
  title: 'kubelets are within the version skew policy, today and after the upgrade',
  summary: NODE_SKEW_SUMMARY,
  rationale:
    'A kubelet newer than a kube-apiserver, or older than the policy allows, runs in an untested and ' +
    'unsupported combination: API fields and features it depends on may be missing or behave ' +
    'differently. Upgrading the control plane past what the oldest kubelets support breaks them at ' +
    'once, so those nodes must be upgraded (or replaced) before the control plane moves.',
  remediation:
    'Upgrade the listed nodes one at a time, never past the oldest kube-apiserver: drain, upgrade ' +
    'kubeadm and run `kubeadm upgrade node`, upgrade the kubelet package, restart the kubelet, ' +
    'uncordon. Managed node pools: upgrade or replace the pool. A kubelet newer than the control ' +
    'plane: upgrade the control plane first or reinstall the kubelet at the control plane version.',
  references: [
    'https://kubernetes.io/releases/version-skew-policy/#kubelet',
    'https://github.com/kubernetes/enhancements/tree/master/keps/sig-architecture/3935-oldest-node-newest-control-plane',
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/upgrading-linux-nodes/',
  ],
  defaultSeverity: 'high',
  rules: nodeComponentRules('kubelet'),
  requires: ['nodes', 'version'],
  optional: ['control-plane-pods'],
  defaultOptions: {},
  run({ nodes, version, optional }, ctx) {
    const cp = readControlPlane(version, optional['control-plane-pods']);
    const unknowns: Unknown[] = [...cp.unknowns];
    if (!cp.span) return { evaluated: 0, findings: [], unknowns, notApplicable: 'no kube-apiserver version could be read' };
    const { after } = upgradeContext(ctx, cp.span);
    const apiservers = apiserverVersions(cp);
    const findings: RawFinding[] = [];
    const matrix: Array<Record<string, unknown>> = [];
    const upgradeFirst: string[] = [];
    const entries: SkewEntry[] = [];
    let evaluated = 0;
    for (const n of nodes) {
      const k = kubeletOf(n);
      if (!k.version) {
        unknowns.push({ resource: nodeRef(n.name), reason: k.reason! });
        matrix.push({ node: n.name, kubeletVersion: k.raw, ready: n.ready, unknown: k.reason });
        entries.push({ node: n.name, ready: n.ready, ...(k.raw ? { version: k.raw } : {}) });
        continue;
      }
      evaluated++;
      const j = judgeNodeComponent(
        {
          component: 'kubelet',
          label: `kubelet ${k.raw} on ${n.name}`,
          resource: nodeRef(n.name),
          version: k.version,
          raw: k.raw,
          remediation: nodeUpgradeCommands(n.name, upgradeToLabel(cp)),
        },
        cp,
        after,
      );
      findings.push(...j.findings);
      const row: Record<string, unknown> = {
        node: n.name,
        kubeletVersion: k.raw,
        ready: n.ready,
        today: { allowed: rangeLabel(j.today.allowedMinors), ok: j.today.ok },
      };
      if (j.after) {
        row.after = { allowed: rangeLabel(j.after.allowedMinors), ok: j.after.ok };
        if (!j.after.ok) upgradeFirst.push(n.name);
      }
      matrix.push(row);
      entries.push({
        node: n.name,
        ready: n.ready,
        version: k.raw,
        today: { allowed: rangeLabel(j.today.allowedMinors), ok: j.today.ok },
        ...(j.after ? { after: { allowed: rangeLabel(j.after.allowedMinors), ok: j.after.ok } } : {}),
      });
    }
    const afterUpgrade = after ? { version: after.label, assumed: after.assumed } : null;
    return {
      evaluated,
      findings,
      unknowns,
      ...(nodes.length === 0 ? { notApplicable: 'the cluster has no Node objects' } : {}),
      details: {
        apiservers,
        after: afterUpgrade,
        upgradeFirst,
        matrix,
      },
      figures: nodes.length > 0 ? [skewFigure('kubelet', entries, apiservers, afterUpgrade)] : [],
    };
  },
});
