/**
 * Nodes that are not Ready before an upgrade: drained pods land on the remaining nodes, and
 * a node that is already down shrinks the capacity the upgrade counts on.
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';

export default defineCheck({
  id: 'versions-node-readiness',
  family: 'versions',
  title: 'Every node is Ready before the upgrade',
  summary: 'NotReady nodes (high): an upgrade drains onto the others',
  rationale:
    'An upgrade drains nodes one at a time and reschedules their pods on the others. A node that is ' +
    'NotReady (or whose kubelet stopped reporting) already runs nothing, so the cluster has less ' +
    'room than planned, and its kubelet cannot be upgraded until it is repaired.',
  remediation:
    'Find out why the node is not Ready (`kubectl describe node <name>`, `journalctl -u kubelet` on ' +
    'the node), repair it or remove it (`kubectl drain <name> --ignore-daemonsets ' +
    '--delete-emptydir-data`, then `kubectl delete node <name>`) before upgrading.',
  references: [
    'https://kubernetes.io/docs/concepts/architecture/nodes/#condition',
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/',
  ],
  defaultSeverity: 'high',
  rules: {
    'node-not-ready': { title: 'Node is NotReady' },
    'node-status-unknown': { title: 'Node readiness unknown (kubelet stopped posting status)' },
  },
  requires: ['nodes'],
  defaultOptions: {},
  run({ nodes }) {
    const findings: RawFinding[] = [];
    for (const n of nodes) {
      if (n.ready === 'True') continue;
      const resource = { apiVersion: 'v1', kind: 'Node', name: n.name };
      const evidence = {
        ready: n.ready,
        reason: n.readyReason ?? null,
        kubeletVersion: n.kubeletVersion ?? null,
        roles: n.roles,
        unschedulable: n.unschedulable,
      };
      if (n.ready === 'False') {
        findings.push({
          rule: 'node-not-ready',
          resource,
          evidence,
          message: `Node ${n.name} is NotReady${n.readyReason ? ` (${n.readyReason})` : ''}.`,
        });
      } else {
        findings.push({
          rule: 'node-status-unknown',
          resource,
          evidence,
          message: `Node ${n.name} has no known Ready status${n.readyReason ? ` (${n.readyReason})` : ''}: its kubelet is not reporting.`,
        });
      }
    }
    return { evaluated: nodes.length, findings, ...(nodes.length === 0 ? { notApplicable: 'the cluster has no Node objects' } : {}) };
  },
});
