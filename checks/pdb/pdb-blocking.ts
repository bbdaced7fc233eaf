/**
 * PodDisruptionBudgets that allow no disruption: a drain of any node running one of their
 * pods waits forever (the Eviction API answers 429 "Cannot evict pod as it would violate the
 * pod's disruption budget" and kubectl retries every 5 s with no timeout by default).
 *
 * Per PDB that selects pods (not Succeeded/Failed), first match wins:
 * - `max-unavailable-zero`: `maxUnavailable: 0` or `"0%"` — zero by construction;
 * - `min-available-all`: `minAvailable: "100%"`, a percentage that rounds up to every expected
 *   pod, or an integer ≥ the expected pods (Σ `spec.replicas` of the pods' owners, plus one per
 *   pod without such an owner);
 * - status not current (`status.observedGeneration` ≠ `metadata.generation`, or no status) →
 *   unknown subject: evictions answer 429 until the controller catches up;
 * - `no-disruptions-allowed`: `status.disruptionsAllowed` is 0 while every expected pod is
 *   healthy (`currentHealthy ≥ expectedPods`): the budget itself is the cause;
 * - `unhealthy-pods-exhaust-budget`: `disruptionsAllowed` is 0 because pods are not healthy;
 *   drains wait until they recover.
 * A percentage or `maxUnavailable` budget forced to 0 because pods have no owner with a scale
 * subresource is reported by `pdb-misconfigured` instead.
 *
 * Sources: `pkg/controller/disruption/disruption.go`, `pkg/registry/core/pod/storage/eviction.go`,
 * kubectl `pkg/drain/drain.go` (`EvictErrorRetryDelay` 5 s, `--timeout` 0 = infinite); Polaris
 * `pdbDisruptionsIsZero`, Gatekeeper `K8sPodDisruptionBudget` (same static rules).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import {
  expectedScale,
  isZero,
  PdbCoverage,
  specBudget,
  statusFresh,
  WorkloadIndex,
  type ExpectedScale,
} from '../../src/k8s/disruption.js';
import { selectorString } from '../../src/k8s/selectors.js';
import type { PdbInfo, WorkloadInfo } from '../../src/contract/values/pdb.js';
import {
  budgetText,
  live,
  patchCommand,
  pdbEvidence,
  pdbRef,
  plural,
  podNames,
  scaleFailure,
  unreadWorkloadKinds,
  usesScale,
} from './lib/common.js';

/** `kubectl scale` for the single Deployment/StatefulSet behind a PDB, if there is exactly one. */
function scaleCommand(owners: WorkloadInfo[], replicas: number): string | undefined {
  if (owners.length !== 1) return undefined;
  const w = owners[0]!;
  return `kubectl scale ${w.kind.toLowerCase()}/${w.name} -n ${w.namespace} --replicas=${replicas}`;
}

export default defineCheck({
  id: 'pdb-blocking',
  family: 'pdb',
  title: 'PodDisruptionBudgets allow at least one disruption',
  summary:
    'budgets that allow no disruption: `maxUnavailable: 0`, `minAvailable` ≥ the expected pods or `100%`, status ' +
    'with 0 allowed while the pods are healthy (critical); a stale status is not assessed, never a pass',
  rationale:
    'An upgrade drains every node. A PodDisruptionBudget that allows no disruption makes the ' +
    'Eviction API refuse every eviction of its pods, and `kubectl drain` retries forever: the ' +
    'upgrade stalls on the first node that runs one of them.',
  remediation:
    'Give the budget room: `maxUnavailable: 1` instead of `maxUnavailable: 0` or `minAvailable` ' +
    'equal to the replicas, or add replicas so that `minAvailable` is below them. Check with ' +
    '`kubectl get pdb -A` (ALLOWED DISRUPTIONS must be at least 1).',
  references: [
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    'https://kubernetes.io/docs/concepts/workloads/pods/disruptions/',
    'https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/',
  ],
  defaultSeverity: 'critical',
  rules: {
    'max-unavailable-zero': { title: 'PDB with maxUnavailable 0 blocks every drain', severity: 'critical' },
    'min-available-all': { title: 'PDB minAvailable covers every expected pod: no disruption allowed', severity: 'critical' },
    'no-disruptions-allowed': { title: 'PDB allows no disruption although its pods are healthy', severity: 'critical' },
    'unhealthy-pods-exhaust-budget': { title: 'PDB allows no disruption because some of its pods are not healthy', severity: 'high' },
  },
  requires: ['pdbs', 'pods', 'workloads'],
  defaultOptions: {},
  run({ pdbs, pods, workloads }, ctx) {
    const coverage = PdbCoverage.of(pdbs, pods);
    const index = WorkloadIndex.of(workloads, unreadWorkloadKinds(ctx));
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    for (const pdb of pdbs) {
      const selected = live(coverage.podsOf(pdb));
      if (selected.length === 0) continue;
      const exp = expectedScale(selected, index);
      const owners = exp.owners;
      const resource = pdbRef(pdb);
      const base = { ...pdbEvidence(pdb), pods: selected.length, owners: owners.map((w) => `${w.kind}/${w.name}`) };
      const forcedZeroByOwners = scaleFailure(pdb, exp) !== undefined;

      // Static rules: the spec allows nothing even with every pod healthy.
      if (isZero(pdb.maxUnavailable)) {
        findings.push({
          rule: 'max-unavailable-zero',
          resource,
          message:
            `PodDisruptionBudget ${pdb.namespace}/${pdb.name} sets ${budgetText(pdb)}: no eviction of its ` +
            `${plural(selected.length, 'pod')} is ever allowed, so draining any node that runs one waits ` +
            `forever.`,
          evidence: base,
          remediation: patchCommand(pdb, { maxUnavailable: 1 }),
        });
        continue;
      }
      const expected = expectedFor(pdb, exp);
      if (
        pdb.minAvailable !== undefined &&
        pdb.maxUnavailable === undefined &&
        expected !== undefined &&
        expected > 0 &&
        !forcedZeroByOwners
      ) {
        const b = specBudget(pdb, expected);
        if (b?.allowedWhenHealthy === 0) {
          const scale = scaleCommand(owners, b.desiredHealthy + 1);
          const rounded = typeof pdb.minAvailable === 'string' ? ` (${b.desiredHealthy} after rounding up)` : '';
          findings.push({
            rule: 'min-available-all',
            resource,
            message:
              `PodDisruptionBudget ${pdb.namespace}/${pdb.name} sets ${budgetText(pdb)} ` +
              `for ${plural(expected, 'expected pod')}${rounded}: ` +
              `even with every pod healthy no disruption is allowed, so draining any node that runs one waits forever.`,
            evidence: { ...base, expectedPods: expected, desiredHealthy: b.desiredHealthy, disruptionsAllowedWhenHealthy: 0 },
            remediation: [
              patchCommand(pdb, { minAvailable: null, maxUnavailable: 1 }),
              ...(scale ? [`or add a replica: ${scale}`] : []),
            ].join('\n'),
          });
          continue;
        }
      }

      // Status rules: what the disruption controller computed.
      if (!statusFresh(pdb)) {
        const s = pdb.status;
        unknowns.push({
          resource,
          reason: !s
            ? 'the PDB has no status: the disruption controller has not processed it (evictions answer 429 until it does)'
            : `status is stale: observedGeneration ${s.observedGeneration ?? 'unset'} differs from generation ` +
              `${pdb.generation ?? 'unset'} (evictions answer 429 until the disruption controller catches up)`,
        });
        continue;
      }
      const s = pdb.status!;
      if (s.disruptionsAllowed! > 0 || forcedZeroByOwners) continue;
      const current = s.currentHealthy ?? 0;
      const expectedPods = s.expectedPods ?? 0;
      if (current >= expectedPods) {
        const scale = scaleCommand(owners, (s.desiredHealthy ?? 0) + 1);
        findings.push({
          rule: 'no-disruptions-allowed',
          resource,
          message:
            `PodDisruptionBudget ${pdb.namespace}/${pdb.name} (${budgetText(pdb)}) allows 0 disruptions with ` +
            `${current} of ${expectedPods} expected pods healthy and ${s.desiredHealthy ?? 0} required: ` +
            `draining any node that runs one of its pods waits forever.`,
          evidence: base,
          remediation: [
            patchCommand(pdb, { minAvailable: null, maxUnavailable: 1 }),
            ...(scale ? [`or add a replica: ${scale}`] : []),
          ].join('\n'),
        });
      } else {
        findings.push({
          rule: 'unhealthy-pods-exhaust-budget',
          resource,
          message:
            `PodDisruptionBudget ${pdb.namespace}/${pdb.name} (${budgetText(pdb)}) allows 0 disruptions ` +
            `because only ${current} of ${expectedPods} expected pods are healthy (${s.desiredHealthy ?? 0} ` +
            `required): drains of their nodes wait until the others recover.`,
          evidence: { ...base, notReadyPods: podNames(selected.filter((p) => !p.ready)) },
          remediation:
            `Find the pods that are not Ready and repair them: kubectl get pods -n ${pdb.namespace} -l ` +
            `'${selectorString(pdb.selector)}'\nIf unhealthy pods may always be evicted: ` +
            patchCommand(pdb, { unhealthyPodEvictionPolicy: 'AlwaysAllow' }),
        });
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

/**
 * The expected pods a `minAvailable` is compared with: Σ replicas of the pods' scale owners
 * plus one per pod without one (integer `minAvailable`); the owners' replicas alone for a
 * percentage, or `status.expectedPods` when an owner's scale is not known here.
 */
function expectedFor(pdb: PdbInfo, exp: ExpectedScale): number | undefined {
  if (!usesScale(pdb)) return exp.scaleCount + exp.unmanaged.length + exp.noScale.length + exp.unknown.length;
  if (exp.unknown.length > 0) return statusFresh(pdb) ? pdb.status!.expectedPods : undefined;
  return exp.scaleCount;
}
