/**
 * Pods selected by more than one PodDisruptionBudget. The Eviction API refuses such a pod
 * with a 500 ("This pod has more than one PodDisruptionBudget, which the eviction subresource
 * does not support.") whatever the budgets say, so it can never be evicted: every drain of
 * its node fails, as do the cluster autoscaler and Karpenter.
 *
 * One finding per PDB that shares pods with another, naming the others and the shared pods.
 * Selectors are evaluated as eviction does (same namespace; `matchLabels` and
 * `matchExpressions`; an empty selector matches every pod of the namespace). Succeeded and
 * Failed pods are left out (they are deleted without consulting PDBs).
 *
 * Sources: `pkg/registry/core/pod/storage/eviction.go` (`len(pdbs) > 1` → 500),
 * `pkg/controller/disruption/disruption.go` (event `MultiplePodDisruptionBudgets`);
 * Popeye POP-209, which misses empty selectors.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { keyOf, PdbCoverage } from '../../src/k8s/disruption.js';
import type { PdbInfo, PodInfo } from '../../src/contract/values/pdb.js';
import { isLive, pdbEvidence, pdbRef, plural, podNames } from './lib/common.js';

export default defineCheck({
  id: 'pdb-overlap',
  family: 'pdb',
  title: 'No pod is selected by more than one PodDisruptionBudget',
  summary: 'pods under several PDBs, which the Eviction API refuses with a 500 (critical)',
  rationale:
    'The Eviction API does not support a pod under several PodDisruptionBudgets: it answers 500 for ' +
    'such a pod whatever the budgets allow, so the pod can never be evicted and every drain of its ' +
    'node fails.',
  remediation:
    'Make the PDB selectors disjoint: one PodDisruptionBudget per workload, selecting that ' +
    "workload's pods only (`kubectl get pdb -n <namespace> -o wide` shows the selectors); delete " +
    'the redundant one.',
  references: [
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/#arbitrary-controllers-and-selectors',
    'https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/',
  ],
  defaultSeverity: 'critical',
  rules: {
    'pod-in-several-pdbs': { title: 'Pods selected by several PodDisruptionBudgets can never be evicted', severity: 'critical' },
  },
  requires: ['pdbs', 'pods'],
  defaultOptions: {},
  run({ pdbs, pods }) {
    const coverage = PdbCoverage.of(pdbs, pods);
    const shared = new Map<PdbInfo, { others: Set<string>; pods: PodInfo[] }>();
    for (const pod of pods) {
      if (!isLive(pod)) continue;
      const mine = coverage.pdbsOf(pod);
      if (mine.length < 2) continue;
      for (const pdb of mine) {
        const e = shared.get(pdb) ?? { others: new Set<string>(), pods: [] };
        for (const other of mine) if (other !== pdb) e.others.add(keyOf(other));
        e.pods.push(pod);
        shared.set(pdb, e);
      }
    }
    const findings: RawFinding[] = [];
    for (const [pdb, e] of shared) {
      const others = [...e.others].sort();
      findings.push({
        rule: 'pod-in-several-pdbs',
        resource: pdbRef(pdb),
        message:
          `${plural(e.pods.length, 'pod')} selected by PodDisruptionBudget ${keyOf(pdb)} ` +
          `${e.pods.length === 1 ? 'is' : 'are'} also selected by ${others.join(', ')}: the Eviction API ` +
          `refuses to evict ${e.pods.length === 1 ? 'it' : 'them'} (500), so draining ` +
          `${e.pods.length === 1 ? 'its node' : 'their nodes'} never completes.`,
        evidence: { ...pdbEvidence(pdb), otherPdbs: others, sharedPods: e.pods.length, pods: podNames(e.pods) },
        remediation:
          `Make the selectors of ${[keyOf(pdb), ...others].join(' and ')} disjoint, or delete the ` +
          `redundant one: kubectl get pdb -n ${pdb.namespace} -o wide`,
      });
    }
    return { evaluated: pdbs.length, findings, ...(pdbs.length === 0 ? { notApplicable: 'the cluster has no PodDisruptionBudgets' } : {}) };
  },
});
