/**
 * Control-plane components within the version skew policy: HA kube-apiservers within one minor
 * of each other; kube-controller-manager, kube-scheduler and cloud-controller-manager not newer
 * than their kube-apiserver and at most one minor older.
 *
 * Rule sources: `SKEW_POLICY.apiserverHa` and `SKEW_POLICY.controllerManager` in
 * `src/k8s/skew.ts` (Version Skew Policy page). Which kube-apiserver a controller talks to:
 * kubeadm (≥ 1.19.1) points controller-manager.conf and scheduler.conf at the kube-apiserver of
 * the same node (kubernetes/kubernetes#94398), so a component is judged against the
 * kube-apiserver pod on its node when there is one, else against every kube-apiserver (the
 * policy's load-balancer case).
 *
 * Versions come from the image tags of the static pods in kube-system (kubeadm, RKE2); a
 * managed control plane or k3s shows none and the check is not applicable.
 *
 * `details`: `{ components: [{ component, pod, node, image, version, today? }] }` (etcd included, for the
 * picture; the skew policy sets no rule for it); `today: { allowed, ok }` for each controller
 * judged: the minors allowed beside its kube-apiserver.
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { allowance, apiserverInstances, judgeSkew, minorLabels, podVersion, SKEW_POLICY } from '../../src/k8s/skew.js';
import { minorsText, rangeLabel } from './lib/cluster-versions.js';

const CONTROLLERS = ['kube-controller-manager', 'kube-scheduler', 'cloud-controller-manager'];

export default defineCheck({
  id: 'versions-control-plane-skew',
  family: 'versions',
  title: 'Control-plane components are within the version skew policy',
  summary:
    'HA kube-apiservers more than one minor apart, controller-manager/scheduler newer than (critical) or more than ' +
    'one minor older than (high) their kube-apiserver',
  rationale:
    'HA kube-apiservers more than one minor apart serve different APIs behind the same endpoint. A ' +
    'controller-manager or scheduler newer than its kube-apiserver asks for API versions the server ' +
    'does not have; one more than a minor older misses fields it should manage. Both usually mean an ' +
    'upgrade stopped half-way.',
  remediation:
    'Finish the interrupted upgrade: on each control-plane node still on the old version run ' +
    '`kubeadm upgrade node` (or `kubeadm upgrade apply` for the first one) with the kubeadm of the ' +
    'newer version, so every component of every control-plane node runs the same minor.',
  references: [
    'https://kubernetes.io/releases/version-skew-policy/#kube-apiserver',
    'https://kubernetes.io/releases/version-skew-policy/#kube-controller-manager-kube-scheduler-and-cloud-controller-manager',
    'https://github.com/kubernetes/kubernetes/pull/94398',
  ],
  defaultSeverity: 'high',
  rules: {
    'apiserver-ha-skew': { title: 'HA kube-apiservers are more than one minor apart', severity: 'high' },
    'component-newer-than-apiserver': { title: 'Controller-manager or scheduler is newer than its kube-apiserver', severity: 'critical' },
    'component-too-old': {
      title: 'Controller-manager or scheduler is more than one minor older than its kube-apiserver',
      severity: 'high',
    },
  },
  requires: ['version', 'control-plane-pods'],
  defaultOptions: {},
  run({ version, 'control-plane-pods': pods }) {
    const { instances, unreadable } = apiserverInstances(version, pods);
    const unknowns: Unknown[] = unreadable
      .filter((u) => u.source === 'pod')
      .map((u) => ({ resource: { apiVersion: 'v1', kind: 'Pod', namespace: u.namespace, name: u.name }, reason: u.reason }));
    const findings: RawFinding[] = [];
    const components: Array<Record<string, unknown>> = [];
    let evaluated = 0;

    const podApis = instances.filter((i) => i.source === 'pod');
    const newest = podApis.reduce<(typeof podApis)[number] | undefined>(
      (a, i) => (!a || i.version.minor > a.version.minor ? i : a),
      undefined,
    );
    const maxSpread = allowance(SKEW_POLICY.apiserverHa.maxOlder, 0);
    for (const a of podApis) {
      evaluated++;
      const skew = newest!.version.minor - a.version.minor;
      if (skew > maxSpread) {
        findings.push({
          rule: 'apiserver-ha-skew',
          resource: { apiVersion: 'v1', kind: 'Pod', namespace: a.namespace, name: a.name },
          message:
            `kube-apiserver ${a.name} runs ${a.raw}, ${minorsText(skew)} older than ${newest!.name} ` +
            `(${newest!.raw}); HA kube-apiservers must be within ${minorsText(maxSpread)}.`,
          evidence: { image: a.image, nodeName: a.nodeName ?? null, newestPod: newest!.name, newestImage: newest!.image, skewMinors: skew },
        });
      }
    }

    const allMinors = [...new Set(instances.map((i) => i.version.minor))];
    for (const p of pods) {
      const pv = podVersion(p);
      const entry: Record<string, unknown> = {
        component: p.component,
        pod: p.name,
        node: p.nodeName ?? null,
        image: pv.image,
        version: pv.raw,
      };
      components.push(entry);
      if (!CONTROLLERS.includes(p.component)) continue;
      const resource = { apiVersion: 'v1', kind: 'Pod', namespace: p.namespace, name: p.name };
      if (!pv.version) {
        unknowns.push({ resource, reason: pv.reason! });
        continue;
      }
      evaluated++;
      const local = podApis.find((a) => a.nodeName !== undefined && a.nodeName === p.nodeName);
      const refs = local ? [local.version.minor] : allMinors;
      const against = local
        ? `kube-apiserver ${local.name} on the same node (${local.raw})`
        : `the kube-apiservers (${[...new Set(instances.map((i) => i.raw))].join(', ')})`;
      const v = judgeSkew(SKEW_POLICY.controllerManager, pv.version.minor, refs);
      entry.today = { allowed: rangeLabel(v.allowedMinors), ok: v.ok };
      if (v.ok) continue;
      const evidence = {
        image: pv.image,
        component: p.component,
        nodeName: p.nodeName ?? null,
        apiserver: local ? local.name : 'any',
        allowedMinors: minorLabels(v.allowedMinors),
      };
      if (v.problem === 'newer') {
        findings.push({
          rule: 'component-newer-than-apiserver',
          resource,
          message:
            `${p.component} ${p.name} (${pv.raw}) is newer than ${against}; it must not be newer than the ` + `kube-apiserver it talks to.`,
          evidence,
        });
      } else {
        findings.push({
          rule: 'component-too-old',
          resource,
          message:
            `${p.component} ${p.name} (${pv.raw}) is more than one minor older than ${against} (supported: ` +
            `${rangeLabel(v.allowedMinors)}).`,
          evidence,
        });
      }
    }
    return {
      evaluated,
      findings,
      unknowns,
      ...(evaluated === 0
        ? {
            notApplicable:
              `no kube-apiserver, controller-manager or scheduler pods in kube-system (a managed control ` +
              `plane, k3s, or components run as host services): only /version (${version.gitVersion}) is ` +
              `visible`,
          }
        : {}),
      details: { components },
    };
  },
});
