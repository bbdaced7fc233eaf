/**
 * PodDisruptionBudgets that do not do what they were written for:
 * - `selects-no-pods`: the selector matches no pod of the namespace (not Succeeded/Failed):
 *   harmless for drains, usually a typo or a leftover, and the workload meant is unprotected
 *   (Popeye POP-900). A `policy/v1beta1` PDB with an empty selector matches nothing.
 * - `budget-needs-scale-owner`: `maxUnavailable` or a percentage `minAvailable` over pods
 *   whose controller serves no `scale` subresource (DaemonSet, Job, a static pod's Node), or
 *   no longer exists: the disruption controller cannot compute the expected count, fails the
 *   sync (`SyncFailed`) and sets `disruptionsAllowed` to 0 — every drain waits forever. Pods
 *   with no controller at all are left out of the expected count (event `UnmanagedPods`): when
 *   only such pods are selected the budget is 0 too. Only an integer `minAvailable` works for
 *   these pods. For owners of other kinds (custom resources may serve `scale`), the PDB's
 *   `DisruptionAllowed` condition with reason `SyncFailed` decides.
 * - `unhealthy-pod-eviction-policy-unset`: `unhealthyPodEvictionPolicy` is unset and some
 *   selected pods are Running but not Ready: with the default (`IfHealthyBudget`) they can be
 *   evicted only while the budget is met, so a drain can wait on pods that never become Ready.
 *   `AlwaysAllow` lets them go (KEP-3017: beta and on by default in 1.27, GA in 1.31).
 * A PDB whose selector cannot be parsed is an unknown subject (eviction ignores it).
 *
 * Sources: `pkg/controller/disruption/disruption.go` (`getExpectedScale`, `failSafe`),
 * `pkg/registry/core/pod/storage/eviction.go`, "Specifying a Disruption Budget for your
 * Application" (Unhealthy Pod Eviction Policy; Arbitrary Controllers and Selectors).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { expectedScale, keyOf, PdbCoverage, WorkloadIndex } from '../../src/k8s/disruption.js';
import { budgetText, live, patchCommand, pdbEvidence, pdbRef, plural, podNames, scaleFailure, unreadWorkloadKinds } from './lib/common.js';

export default defineCheck({
  id: 'pdb-misconfigured',
  family: 'pdb',
  title: 'PodDisruptionBudgets select pods and can compute their budget',
  summary:
    'PDBs that select nothing (low); percentage or `maxUnavailable` budgets over DaemonSet, Job or bare pods, ' +
    'forced to 0 (high); not-Ready pods without `unhealthyPodEvictionPolicy: AlwaysAllow` (medium)',
  rationale:
    'A PodDisruptionBudget that selects nothing protects nothing; one that uses maxUnavailable or a ' +
    'percentage over DaemonSet, Job or bare pods makes the disruption controller fail and allow no ' +
    'disruption at all; one without `unhealthyPodEvictionPolicy: AlwaysAllow` can keep a drain ' +
    'waiting on pods that are not Ready.',
  remediation:
    "Fix the selector to match the workload's pod labels (`kubectl get pods -n <ns> " +
    '--show-labels`); use an integer `minAvailable` for pods without a scalable owner; set ' +
    '`unhealthyPodEvictionPolicy: AlwaysAllow` where unready pods may be evicted.',
  references: [
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy',
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/#arbitrary-controllers-and-selectors',
  ],
  defaultSeverity: 'medium',
  rules: {
    'selects-no-pods': { title: 'PodDisruptionBudget selects no pods', severity: 'low' },
    'budget-needs-scale-owner': {
      title: 'Percentage or maxUnavailable budget over pods without a scalable owner is forced to 0',
      severity: 'high',
    },
    'unhealthy-pod-eviction-policy-unset': {
      title: 'Not-ready pods under a PDB without unhealthyPodEvictionPolicy: AlwaysAllow',
      severity: 'medium',
    },
  },
  requires: ['pdbs', 'pods', 'workloads'],
  defaultOptions: {},
  run({ pdbs, pods, workloads }, ctx) {
    const coverage = PdbCoverage.of(pdbs, pods);
    const index = WorkloadIndex.of(workloads, unreadWorkloadKinds(ctx));
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    for (const pdb of pdbs) {
      const resource = pdbRef(pdb);
      if (pdb.selectorError) {
        unknowns.push({ resource, reason: `the selector cannot be evaluated (${pdb.selectorError}); the Eviction API ignores this PDB` });
        continue;
      }
      const selected = live(coverage.podsOf(pdb));
      if (selected.length === 0) {
        const v1beta1Empty = pdb.apiVersion === 'policy/v1beta1' && pdb.selector === null;
        findings.push({
          rule: 'selects-no-pods',
          resource,
          message:
            `PodDisruptionBudget ${keyOf(pdb)} selects no pod in namespace ` +
            `${pdb.namespace}${v1beta1Empty ? ' (an empty selector matches nothing in policy/v1beta1)' : ''}: ` +
            `it protects nothing.`,
          evidence: { ...pdbEvidence(pdb), apiVersion: pdb.apiVersion },
          remediation:
            `Compare the selector with the labels of the pods it should protect (kubectl get pods -n ` +
            `${pdb.namespace} --show-labels), fix it, or delete the PDB: kubectl delete pdb ${pdb.name} -n ` +
            pdb.namespace,
        });
        continue;
      }
      const failure = scaleFailure(pdb, expectedScale(selected, index));
      if (failure) {
        const n = failure.owners.length;
        const what =
          n > 0
            ? `pods owned by ${failure.owners.join(', ')}, which serve${n === 1 ? 's' : ''} no scale subresource`
            : `${plural(failure.unmanaged.length, 'pod')} without a controller`;
        findings.push({
          rule: 'budget-needs-scale-owner',
          resource,
          message:
            `PodDisruptionBudget ${keyOf(pdb)} uses ${budgetText(pdb)} over ${what}: the disruption ` +
            `controller cannot compute the expected pods and allows 0 disruptions, so every drain of their ` +
            `nodes waits forever.`,
          evidence: {
            ...pdbEvidence(pdb),
            ownersWithoutScale: failure.owners,
            unmanagedPods: podNames(failure.unmanaged),
            ...(pdb.status?.disruptionAllowed ? { condition: pdb.status.disruptionAllowed } : {}),
          },
          remediation:
            `Use an integer minAvailable (the only form the controller supports for these pods), e.g. ` +
            patchCommand(pdb, { maxUnavailable: null, minAvailable: Math.max(0, selected.length - 1) }),
        });
      }
      if (pdb.unhealthyPodEvictionPolicy === undefined) {
        const notReady = selected.filter((p) => p.phase === 'Running' && !p.ready && !p.deletionTimestamp);
        if (notReady.length > 0) {
          findings.push({
            rule: 'unhealthy-pod-eviction-policy-unset',
            resource,
            message:
              `${plural(notReady.length, 'pod')} of the ${selected.length} selected by PodDisruptionBudget ` +
              `${keyOf(pdb)} ${notReady.length === 1 ? 'is' : 'are'} Running but not Ready, and ` +
              `unhealthyPodEvictionPolicy is unset: ${notReady.length === 1 ? 'it' : 'they'} can be evicted ` +
              `only while the budget is met, so a drain may wait on pods that never become Ready.`,
            evidence: { ...pdbEvidence(pdb), notReadyPods: podNames(notReady), notReady: notReady.length },
            remediation:
              `Set the policy (Kubernetes 1.27+, GA in 1.31): ` + patchCommand(pdb, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
          });
        }
      }
    }
    return {
      evaluated: pdbs.length,
      findings,
      unknowns,
      ...(pdbs.length === 0 ? { notApplicable: 'the cluster has no PodDisruptionBudgets' } : {}),
    };
  },
});
