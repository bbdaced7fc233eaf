/**
 * Workloads a drain disrupts without a safety net:
 * - `single-replica`: a Deployment or StatefulSet with `spec.replicas: 1` — draining its node
 *   is an outage until the replacement is Ready elsewhere (and a PDB cannot help: with
 *   `minAvailable: 1` it would block the drain instead);
 * - `no-pdb`: a Deployment, StatefulSet, ReplicaSet or ReplicationController (the latter two
 *   when not owned by another controller) with 2 or more replicas and no PodDisruptionBudget
 *   selecting its pods — parallel drains (several nodes at once, the cluster autoscaler,
 *   Karpenter) may evict all its replicas together.
 * A workload is covered when a PDB of its namespace selects one of its pods (found through
 * the pods' controller references, a Deployment's through its ReplicaSets), or, when it has
 * no pod, its pod template's labels. Workloads scaled to 0 are skipped; namespaces listed in
 * the `ignoreNamespaces` option too.
 *
 * Only the workloads are required: `single-replica` needs nothing else. `no-pdb` needs the
 * PDBs and the pods; when either was not read, the engine names it as an unknown and no
 * `no-pdb` finding is made (a workload without a known PDB is not one without a PDB).
 *
 * Sources: "Specifying a Disruption Budget for your Application", "Disruptions"
 * (kubernetes.io); Polaris `missingPodDisruptionBudget`, Popeye POP-206, eksup K8S004.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { keyOf, PdbCoverage, scaleOwner, WorkloadIndex } from '../../src/k8s/disruption.js';
import { matches } from '../../src/k8s/selectors.js';
import type { PodInfo, WorkloadInfo } from '../../src/contract/values/pdb.js';
import { isLive, unreadWorkloadKinds } from './lib/common.js';

const KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

const ref = (w: WorkloadInfo) => ({ apiVersion: w.apiVersion, kind: w.kind, namespace: w.namespace, name: w.name });

export default defineCheck({
  id: 'pdb-coverage',
  family: 'pdb',
  title: 'Replicated workloads have a PodDisruptionBudget and more than one replica',
  summary: 'single-replica Deployments/StatefulSets (medium), replicated workloads without a PDB (low)',
  rationale:
    'A drain evicts whatever runs on the node. A single-replica Deployment or StatefulSet is down ' +
    'until its replacement is Ready on another node; a replicated workload without a ' +
    'PodDisruptionBudget can lose every replica at once when several nodes are drained together.',
  remediation:
    'Run at least 2 replicas of anything that must stay up (`kubectl scale deployment/<name> -n <ns> ' +
    '--replicas=2`) and give each replicated workload a PodDisruptionBudget with `maxUnavailable: 1` ' +
    '(`kubectl create pdb <name> -n <ns> --selector=<labels> --max-unavailable=1`).',
  references: [
    'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    'https://kubernetes.io/docs/concepts/workloads/pods/disruptions/',
  ],
  defaultSeverity: 'low',
  rules: {
    'single-replica': { title: 'Single-replica workload: a drain of its node is an outage', severity: 'medium' },
    'no-pdb': { title: 'Replicated workload without a PodDisruptionBudget', severity: 'low' },
  },
  requires: ['workloads'],
  optional: ['pdbs', 'pods'],
  defaultOptions: { ignoreNamespaces: [] as string[] },
  optionSchema: { ignoreNamespaces: { type: 'string[]', description: 'namespaces whose workloads are not checked (e.g. kube-system)' } },
  run({ workloads, optional }, ctx) {
    const ignored = new Set(ctx.options.ignoreNamespaces);
    const readable = (c: { status: string }): boolean => c.status === 'ok' || c.status === 'absent';
    const judgeCoverage = readable(optional.pdbs) && readable(optional.pods);
    const pdbs = optional.pdbs.value ?? [];
    const pods = optional.pods.value ?? [];
    const coverage = PdbCoverage.of(pdbs, pods);
    const index = WorkloadIndex.of(workloads, unreadWorkloadKinds(ctx));
    const podsOf = new Map<WorkloadInfo, PodInfo[]>();
    for (const pod of pods) {
      if (!isLive(pod)) continue;
      const o = scaleOwner(pod, index);
      if (o.type !== 'scale') continue;
      const l = podsOf.get(o.workload);
      if (l) l.push(pod);
      else podsOf.set(o.workload, [pod]);
    }
    const findings: RawFinding[] = [];
    let evaluated = 0;
    for (const w of workloads) {
      if (!KINDS.has(w.kind) || ignored.has(w.namespace)) continue;
      if ((w.kind === 'ReplicaSet' || w.kind === 'ReplicationController') && w.controller) continue;
      evaluated++;
      const replicas = w.replicas ?? 1;
      if (replicas === 0) continue;
      if (replicas === 1 && (w.kind === 'Deployment' || w.kind === 'StatefulSet')) {
        findings.push({
          rule: 'single-replica',
          resource: ref(w),
          message: `${w.kind} ${keyOf(w)} runs 1 replica: draining its node stops it until the replacement is Ready on another node.`,
          evidence: { replicas },
          remediation:
            `kubectl scale ${w.kind.toLowerCase()}/${w.name} -n ${w.namespace} --replicas=2 (and add a ` +
            `PodDisruptionBudget with maxUnavailable: 1)`,
        });
        continue;
      }
      if (replicas < 2 || !judgeCoverage) continue;
      const mine = podsOf.get(w) ?? [];
      const covered =
        mine.length > 0
          ? mine.some((p) => coverage.pdbsOf(p).length > 0)
          : pdbs.some((pdb) => pdb.namespace === w.namespace && matches(pdb.selector, w.templateLabels));
      if (covered) continue;
      const labels = Object.entries(w.templateLabels)
        .filter(([k]) => k !== 'pod-template-hash')
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      findings.push({
        rule: 'no-pdb',
        resource: ref(w),
        message:
          `${w.kind} ${keyOf(w)} runs ${replicas} replicas and no PodDisruptionBudget selects its pods: ` +
          `drains of several nodes at once may evict all of them together.`,
        evidence: { replicas, pods: mine.length },
        remediation: `kubectl create pdb ${w.name} -n ${w.namespace} --selector=${labels || '<pod labels>'} --max-unavailable=1`,
      });
    }
    return {
      evaluated,
      findings,
      ...(evaluated === 0 ? { notApplicable: 'no Deployments, StatefulSets, ReplicaSets or ReplicationControllers to check' } : {}),
    };
  },
});
