/**
 * Whether the upgrade to `--target-version` is one allowed step and can start, with the plan to
 * carry it out: the minors to go through, the nodes to fix first, and the upgrade order (etcd
 * snapshot, control-plane nodes one at a time — `kubeadm upgrade apply` on the first,
 * `kubeadm upgrade node` on the rest — then workers one at a time: cordon, drain, upgrade,
 * uncordon).
 *
 * Findings are about the upgrade as a whole (subject: the control plane, per target): the target
 * skips minors (critical), or nodes must be upgraded or repaired before the control plane moves
 * (high; the per-node findings are in versions-kubelet-skew, versions-kube-proxy-skew and
 * versions-node-readiness). Both carry the whole plan, with commands, as remediation. The plan
 * is always in `details`, also when the check passes.
 *
 * Rule sources: `UPGRADE_POLICY` in `src/k8s/skew.ts` (no skipped minors: Version Skew Policy,
 * kubeadm `upgrade/policy.go`); procedures in `data/upgrade-procedures.ts`; component versions
 * kubeadm deploys from the release table (an unknown once `--now` is past its horizon). Without
 * `--target-version` there is no upgrade to plan (not applicable); a target older than the
 * control plane is a configuration error.
 *
 * `details.plan`: `{ from, target, kind: 'patch'|'minor'|'multi-minor', provider, procedure,
 *   reference, upgradeFirst: [{ node, component, version }], notReady: [node],
 *   components: [{ name, current, target }], steps: [{ minor, version, phases: [{ phase, title,
 *   nodes, commands }] }] }`.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { kindOf } from '../../src/k8s/cluster.js';
import { detectDistribution } from '../../src/k8s/distribution.js';
import { imageTag } from '../../src/k8s/images.js';
import { componentImage, minorLabel, minorLabels, resolveTarget, UPGRADE_POLICY } from '../../src/k8s/skew.js';
import { releaseInfo, releaseTableStale, RELEASES_AS_OF } from '../../src/k8s/versions.js';
import type { ControlPlanePod, NodeInfo } from '../../src/contract/values/core.js';
import type { AddonWorkload } from '../../src/contract/values/versions.js';
import { UPGRADE_PROCEDURES, type PlanPhase } from './data/upgrade-procedures.js';
import { CONTROL_PLANE, laggingNodes, minorsText, readControlPlane, readKubeProxies, type Lagging } from './lib/cluster-versions.js';

/** Node names listed in a finding's evidence at most (the full lists are in `details`). */
const EVIDENCE_NODES = 50;

export default defineCheck({
  id: 'versions-upgrade-path',
  family: 'versions',
  title: 'The upgrade to the target version is one allowed step, with a plan',
  summary:
    'a target more than one minor above the control plane (critical, with the intermediate versions); nodes to ' +
    'upgrade or repair first (high). Both carry the plan: etcd snapshot, control-plane nodes one at a time ' +
    '(`kubeadm upgrade apply` on the first, `kubeadm upgrade node` on the rest), then workers one at a time ' +
    '(cordon, drain, upgrade, uncordon); EKS, GKE, AKS, k3s and RKE2 get their own commands. A target older than ' +
    'the cluster is a configuration error.',
  rationale:
    'kube-apiserver must not skip minor versions: each minor migrates stored objects and removes ' +
    'only APIs deprecated long enough before, and kubeadm refuses to upgrade more than one minor at ' +
    'a time. The order (etcd snapshot, control plane node by node, then workers drained one by one) ' +
    'keeps the cluster inside the skew policy and recoverable at every moment.',
  remediation:
    'Upgrade one minor at a time through every intermediate version, following the plan: first fix ' +
    'the nodes it lists, take an etcd snapshot, upgrade the control-plane nodes one by one (`kubeadm ' +
    'upgrade apply` on the first, `kubeadm upgrade node` on the rest), then the workers one by one ' +
    '(cordon, drain, upgrade, uncordon).',
  references: [
    'https://kubernetes.io/releases/version-skew-policy/#supported-component-upgrade-order',
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/',
    'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#backing-up-an-etcd-cluster',
  ],
  defaultSeverity: 'critical',
  rules: {
    'target-skips-minor': { title: 'The target is more than one minor above the control plane', severity: 'critical' },
    'upgrade-prerequisites': { title: 'Nodes must be upgraded or repaired before the control plane moves', severity: 'high' },
  },
  requires: ['version', 'nodes'],
  optional: ['control-plane-pods', 'addon-images', 'kube-proxy-pods'],
  defaultOptions: {},
  run({ version, nodes, optional }, ctx) {
    if (ctx.targetVersion === undefined) {
      return {
        evaluated: 0,
        findings: [],
        notApplicable: 'no --target-version given: there is no upgrade to plan (the skew checks judge the next minor)',
      };
    }
    const podsInput = optional['control-plane-pods'];
    const cp = readControlPlane(version, podsInput);
    if (!cp.span) return { evaluated: 0, findings: [], unknowns: cp.unknowns, notApplicable: 'no kube-apiserver version could be read' };
    const span = cp.span;
    const target = resolveTarget(ctx.targetVersion, span);
    const pods = podsInput.status === 'ok' ? podsInput.value : [];
    const addons = optional['addon-images'];
    const distribution = detectDistribution({ version, nodes, controlPlanePods: pods });
    const kind = kindOf(distribution, nodes);
    const procedure = UPGRADE_PROCEDURES[kind.provider];

    const apiserverNodes = new Set(pods.filter((p) => p.component === 'kube-apiserver' && p.nodeName).map((p) => p.nodeName!));
    const isControlPlane = (n: NodeInfo): boolean =>
      n.roles.includes('control-plane') || n.roles.includes('master') || apiserverNodes.has(n.name);
    const byName = (a: NodeInfo, b: NodeInfo): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const controlPlaneNodes = nodes
      .filter(isControlPlane)
      .sort(byName)
      .map((n) => n.name);
    const workerNodes = nodes
      .filter((n) => !isControlPlane(n))
      .sort(byName)
      .map((n) => n.name);
    const upgradeFirst = laggingNodes(nodes, readKubeProxies(nodes, addons, optional['kube-proxy-pods']), target.minor);
    const notReady = nodes
      .filter((n) => n.ready !== 'True')
      .map((n) => n.name)
      .sort();

    const stepMinors = target.kind === 'patch' ? [target.minor] : target.steps;
    const steps = stepMinors.map((m) => {
      const minor = minorLabel(m);
      const v = m === target.minor && target.patch !== undefined ? `v${minor}.${target.patch}` : `v${minor}.x`;
      return {
        minor,
        version: v,
        phases: procedure.step({ minor, version: v, controlPlaneNodes, workerNodes, datastore: distribution.datastore }),
      };
    });

    const findings: RawFinding[] = [];
    const resource = { ...CONTROL_PLANE, field: `target ${target.raw}` };
    const from = span.oldest.raw;
    const order = orderSentence(
      steps.map((s) => s.minor),
      steps[0]!.phases,
      workerNodes.length,
    );
    const remediation = planText(steps, upgradeFirst, notReady, procedure.reference);
    const planEvidence = {
      currentVersion: from,
      targetVersion: target.raw,
      steps: steps.map((s) => s.minor),
      upgradeOrder: order,
      provider: kind.provider,
      procedure: procedure.name,
      controlPlaneNodes: controlPlaneNodes.slice(0, EVIDENCE_NODES),
      workerCount: workerNodes.length,
    };
    if (target.kind === 'multi-minor') {
      const skew = target.minor - span.oldest.version.minor;
      findings.push({
        rule: 'target-skips-minor',
        resource,
        message:
          `Target ${target.raw} is ${minorsText(skew)} above the control plane (kube-apiserver ${from}); ` +
          `the control plane upgrades ${minorsText(UPGRADE_POLICY.maxMinorsPerStep)} at a time: upgrade to ` +
          `${minorLabels(target.steps).join(', then ')}.`,
        evidence: { ...planEvidence, skewMinors: skew, intermediateVersions: minorLabels(target.steps.slice(0, -1)) },
        remediation,
      });
    }
    if (upgradeFirst.length > 0 || notReady.length > 0) {
      const todo: string[] = [];
      if (upgradeFirst.length > 0)
        todo.push(
          `upgrade or replace ${[...new Set(upgradeFirst.map((l) => l.node))].join(', ')} (outside the ` +
            `skew policy of ${minorLabel(target.minor)})`,
        );
      if (notReady.length > 0) todo.push(`repair or remove ${notReady.join(', ')} (not Ready)`);
      findings.push({
        rule: 'upgrade-prerequisites',
        resource,
        message: `Before the control plane moves to ${target.raw}: ${todo.join('; ')}. Then ${order}.`,
        evidence: {
          ...planEvidence,
          upgradeFirst: upgradeFirst.slice(0, EVIDENCE_NODES),
          notReadyNodes: notReady.slice(0, EVIDENCE_NODES),
        },
        remediation,
      });
    }
    const stale = releaseTableStale(ctx.now);
    return {
      evaluated: 1,
      findings,
      unknowns: stale ? [...cp.unknowns, { resource: { kind: 'ReleaseTable', name: RELEASES_AS_OF }, reason: stale }] : cp.unknowns,
      details: {
        plan: {
          from,
          target: target.raw,
          kind: target.kind,
          provider: kind.provider,
          providerReason: kind.reason,
          procedure: procedure.name,
          reference: procedure.reference,
          upgradeFirst,
          notReady,
          components: componentTargets(pods, addons.status === 'ok' ? addons.value : [], target.minor, procedure.name === 'kubeadm'),
          steps,
        },
      },
    };
  },
});

/** The upgrade order in one sentence: the steps, then per step the phases. */
function orderSentence(steps: string[], phases: PlanPhase[], workers: number): string {
  const order = phases
    .map((p) => {
      if (p.phase === 'etcd-snapshot') return 'take an etcd snapshot';
      if (p.phase === 'datastore-backup') return 'back up the datastore';
      if (p.phase === 'control-plane') {
        if (p.nodes.length === 0) return 'upgrade the managed control plane';
        return p.nodes.length === 1
          ? `upgrade the control-plane node ${p.nodes[0]}`
          : `upgrade the control-plane nodes ${p.nodes.join(', ')} one at a time`;
      }
      return `then the ${workers} worker${workers === 1 ? '' : 's'} one at a time (cordon, drain, upgrade, uncordon)`;
    })
    .join(', ');
  return steps.length === 1
    ? `upgrade to ${steps[0]}: ${order}`
    : `upgrade in ${steps.length} steps (${steps.join(', then ')}), each: ${order}`;
}

/** The plan as text with commands, for the finding's remediation. */
function planText(
  steps: Array<{ minor: string; version: string; phases: PlanPhase[] }>,
  first: Lagging[],
  notReady: string[],
  reference: string,
): string {
  const lines: string[] = [];
  if (first.length > 0 || notReady.length > 0) {
    lines.push('Before the control plane moves:');
    for (const l of first)
      lines.push(`  - upgrade or replace ${l.node}: ${l.component} ${l.version} is outside the skew policy of the target`);
    for (const n of notReady) lines.push(`  - repair or remove ${n}: not Ready (the drains would move its pods onto the other nodes)`);
  }
  steps.forEach((s, i) => {
    lines.push(`Step ${i + 1} of ${steps.length}: ${s.minor} (${s.version})`);
    s.phases.forEach((p, j) => {
      const nodes =
        p.nodes.length > 0
          ? `: ${p.nodes.slice(0, EVIDENCE_NODES).join(', ')}${p.nodes.length > EVIDENCE_NODES ? `, … (${p.nodes.length})` : ''}`
          : '';
      lines.push(`  ${j + 1}. ${p.title}${nodes}`);
      for (const c of p.commands) lines.push(`     - ${c}`);
    });
  });
  lines.push(`Procedure: ${reference}`);
  return lines.join('\n');
}

/** Components whose versions the upgrade changes (kubeadm upgrades etcd and CoreDNS with the control plane). */
function componentTargets(
  pods: readonly ControlPlanePod[],
  addons: readonly AddonWorkload[],
  targetMinor: number,
  kubeadm: boolean,
): Array<{ name: string; current: string[]; target: string | null }> {
  const row = releaseInfo(minorLabel(targetMinor));
  const current = (list: Array<string | undefined>): string[] => [...new Set(list.filter((x): x is string => !!x))].sort();
  const out: Array<{ name: string; current: string[]; target: string | null }> = [];
  for (const c of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
    const versions = current(pods.filter((p) => p.component === c).map((p) => imageTag(componentImage(p) ?? '')));
    if (versions.length > 0) out.push({ name: c, current: versions, target: minorLabel(targetMinor) });
  }
  const etcd = current(pods.filter((p) => p.component === 'etcd').map((p) => imageTag(componentImage(p) ?? '')));
  if (etcd.length > 0) out.push({ name: 'etcd', current: etcd, target: kubeadm ? (row?.kubeadmEtcd ?? null) : null });
  const coredns = current(addons.filter((a) => a.addon === 'coredns').flatMap((a) => a.images.map((i) => imageTag(i.image))));
  if (coredns.length > 0) out.push({ name: 'coredns', current: coredns, target: kubeadm ? (row?.kubeadmCoreDNS ?? null) : null });
  const proxy = current(addons.filter((a) => a.addon === 'kube-proxy').flatMap((a) => a.images.map((i) => imageTag(i.image))));
  if (proxy.length > 0) out.push({ name: 'kube-proxy', current: proxy, target: minorLabel(targetMinor) });
  return out;
}
