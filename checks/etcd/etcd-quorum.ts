/**
 * Is every etcd member up, does the cluster have a leader, and can it lose a member and
 * survive? An upgrade restarts each control-plane node's etcd member in turn: a cluster with
 * no failure tolerance left loses quorum (and becomes read-only) during the upgrade.
 *
 * Rules (etcd "FAQ: What is failure tolerance?"; Kubernetes "API health endpoints" for the
 * API server's `etcd` check):
 * quorum counts voting members only; majority = ⌊voters/2⌋+1; failure tolerance =
 * voters − majority.
 * - `quorum-lost` (critical): healthy voters < majority (counting members whose state is
 *   unknown as healthy, so the finding is certain);
 * - `no-leader` (critical): quorum not lost, but no voter whose status was read reports a leader;
 * - `no-failure-tolerance` (critical): ≥ 3 voters and healthy voters = majority (one more
 *   failure loses quorum); not raised while a voter's state is unknown;
 * - `member-unreachable` (high): a member did not answer, or was added and never started;
 * - `member-unhealthy` (high): a member answered but is failing. Both only while quorum is
 *   kept: when it is lost, the `quorum-lost` finding lists every member that is down;
 * - `apiserver-etcd-not-ready` (critical): kube-apiserver's `/readyz` reports its etcd check
 *   failing (`[-]etcd failed`): the API server cannot use etcd.
 *
 * Without etcdctl data the members come from kubeadm's etcd pods (health = pod Ready) or from
 * kube-apiserver's `--etcd-servers` (health unknown); the check then also reports the cluster
 * as an unknown subject, so it cannot pass on Kubernetes' view alone.
 *
 * `details`: `{ source, clusterId, voters, majority, failureTolerance, healthyVoters, leader,
 * members: [{ name, id, idHex, peerURLs, clientURLs, health, error?, version, dbSizeBytes,
 * raftIndex, leader, isLeader, isLearner, pod? }] }` (`health` is the member state; `leader`
 * the hex ID the member reports). `figures`: the `etcd-members` cards (`lib/figure.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import {
  CLUSTER_REF,
  ETCD_ANY_OF,
  ETCD_CHECK_INPUTS,
  ETCDCTL,
  memberEvidence,
  memberRef,
  notReadUnknown,
  quorumFacts,
  resolveEtcd,
  type MemberView,
} from './lib/model.js';
import { membersFigure } from './lib/figure.js';

const REPLACE_MEMBER = (m: MemberView): string =>
  [
    `Find out why member ${m.name} is down on its node (\`crictl ps -a --name etcd\`, \`crictl logs ` +
      `<container>\`, \`journalctl -u kubelet\`) and start it again.`,
    `If it cannot be recovered, replace it: \`${ETCDCTL} member remove ` +
      `${m.idHex ?? '<member-id>'}\`, then \`${ETCDCTL} member add ${m.name} ` +
      `--peer-urls=${m.peerURLs[0] ?? 'https://<node-ip>:2380'}\` and start the new member with ` +
      `\`--initial-cluster-state=existing\` and an empty data dir (kubeadm: \`kubeadm reset\` on that ` +
      `node, then \`kubeadm join --control-plane\`).`,
  ].join(' ');

export default defineCheck({
  id: 'etcd-quorum',
  family: 'etcd',
  title: 'etcd members are up and the cluster survives the loss of one',
  summary:
    'quorum lost or no leader (critical); 3+ voters with exactly a majority healthy — one more failure loses quorum ' +
    "(critical); an unhealthy or unreachable member (high); the API server's `/readyz` failing on etcd (critical). " +
    'Quorum counts voting members only: majority = ⌊n/2⌋+1.',
  rationale:
    'etcd stays writable only while a majority of its voting members is up. Each control-plane ' +
    'upgrade restarts one etcd member: with no failure tolerance left, that restart (or any node ' +
    'problem during the upgrade) loses quorum, the API server can no longer write, and recovery ' +
    'means restoring a snapshot.',
  remediation:
    `Bring every member back before upgrading (check each member's container and logs on its node), ` +
    `or replace a lost member with \`etcdctl member remove\` and \`etcdctl member add\`. Verify with ` +
    `\`${ETCDCTL} endpoint health --cluster\`.`,
  references: [
    'https://etcd.io/docs/v3.5/faq/#what-is-failure-tolerance',
    'https://etcd.io/docs/v3.5/op-guide/runtime-configuration/#replace-a-failed-machine',
    'https://etcd.io/docs/v3.5/op-guide/recovery/',
    'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/',
    'https://kubernetes.io/docs/reference/using-api/health-checks/',
  ],
  defaultSeverity: 'critical',
  rules: {
    'quorum-lost': {
      title: 'etcd has lost quorum',
      remediation:
        'Start the stopped members again: quorum returns as soon as a majority of voters is up. If a ' +
        'majority is lost for good, restore the cluster from a snapshot (`etcdutl snapshot restore` on ' +
        'etcd 3.5+, `etcdctl snapshot restore` on 3.4) on every member with a new `--initial-cluster`, ' +
        'as in the etcd disaster-recovery guide.',
    },
    'no-leader': { title: 'etcd has no leader' },
    'no-failure-tolerance': {
      title: 'etcd cannot lose another member',
      remediation:
        'Repair or replace the member that is down before upgrading: the upgrade restarts each member in ' +
        'turn, and one restart now loses quorum. Use an odd number of at least 3 voters.',
    },
    'member-unreachable': { title: 'etcd member is unreachable', severity: 'high' },
    'member-unhealthy': { title: 'etcd member is unhealthy', severity: 'high' },
    'apiserver-etcd-not-ready': {
      title: "kube-apiserver's etcd readiness check fails",
      remediation:
        "Check the API server's connection to etcd: `kubectl get --raw '/readyz/etcd?verbose'`, its " +
        '`--etcd-servers`, `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile` flags (the ' +
        "apiserver-etcd-client certificate may have expired), and the etcd members' health.",
    },
  },
  requires: [],
  // apiserver-readyz: the API server's own etcd check (rule apiserver-etcd-not-ready).
  optional: [...ETCD_CHECK_INPUTS, 'apiserver-readyz'],
  requiresAnyOf: ETCD_ANY_OF,
  defaultOptions: {},
  run({ optional }) {
    const r = resolveEtcd(optional);
    // No etcd to judge (a managed control plane, k3s on SQLite or a database): the API server's
    // own etcd check is not judged either, so /readyz unread is no unknown.
    if ('notApplicable' in r) return { evaluated: 0, findings: [], notApplicable: r.notApplicable, notNeeded: ['apiserver-readyz'] };
    const { model } = r;
    const members = model.members;
    if (members.length === 0) return { evaluated: 0, findings: [], notApplicable: 'the etcd member list is empty' };
    const q = quorumFacts(members);
    const findings: RawFinding[] = [];
    // In the flags mode every member is itself an unknown subject carrying the same reason.
    const unknowns: Unknown[] =
      model.source === 'pods' ? notReadUnknown(model, 'member health is taken from the etcd pods and /readyz only') : [];
    const leader = members.find((m) => m.isLeader);
    const quorum = { voters: q.voters, majority: q.majority, failureTolerance: q.failureTolerance, healthyVoters: q.healthyVoters };
    const down = members.filter((m) => m.state !== 'healthy' && m.state !== 'unknown');

    if (q.healthyVoters + q.unknownVoters < q.majority) {
      findings.push({
        rule: 'quorum-lost',
        resource: CLUSTER_REF,
        message:
          `Only ${q.healthyVoters} of ${q.voters} voting etcd members are healthy; ${q.majority} are ` +
          `needed for quorum${model.leaderHex ? '' : ' and there is no leader'}. The cluster cannot accept ` +
          `writes.`,
        evidence: {
          ...quorum,
          leader: model.leaderHex ?? null,
          downMembers: down.map((m) => ({ name: m.name, idHex: m.idHex ?? null, health: m.state, error: m.stateReason ?? null })),
        },
      });
    } else {
      const voterStatuses = members.filter((m) => !m.isLearner && m.hasStatus);
      if (voterStatuses.length > 0 && !voterStatuses.some((m) => m.reportedLeaderHex)) {
        findings.push({
          rule: 'no-leader',
          resource: CLUSTER_REF,
          message:
            `None of the ${voterStatuses.length} voting members whose status was read reports a leader: etcd ` +
            `cannot serve writes or linearizable reads until one is elected.`,
          evidence: { ...quorum, leader: null, statusErrors: Object.fromEntries(voterStatuses.map((m) => [m.name, m.statusErrors])) },
        });
      }
      if (q.voters >= 3 && q.unknownVoters === 0 && q.healthyVoters === q.majority) {
        findings.push({
          rule: 'no-failure-tolerance',
          resource: CLUSTER_REF,
          message:
            `${q.healthyVoters} of ${q.voters} voting etcd members are healthy, exactly the ${q.majority} ` +
            `quorum needs: losing one more member (as each upgrade step does) makes the cluster read-only.`,
          evidence: { ...quorum, downMembers: down.filter((m) => !m.isLearner).map((m) => m.name) },
        });
      }
      for (const m of down) {
        const role = m.isLearner ? 'learner' : 'voting member';
        const reason = m.stateReason ? ` (${m.stateReason})` : '';
        findings.push({
          rule: m.state === 'unhealthy' ? 'member-unhealthy' : 'member-unreachable',
          resource: memberRef(m),
          message:
            m.state === 'unhealthy'
              ? `etcd ${role} ${m.name} answers but is unhealthy${reason}.`
              : m.state === 'unstarted'
                ? `etcd ${role} ${m.name} was added to the cluster but never started.`
                : `etcd ${role} ${m.name} did not answer${reason}.`,
          evidence: memberEvidence(m),
          remediation: REPLACE_MEMBER(m),
        });
      }
    }
    for (const m of members)
      if (m.state === 'unknown') unknowns.push({ resource: memberRef(m), reason: m.stateReason ?? 'no health information' });
    if (model.readyzEtcd && !model.readyzEtcd.ok) {
      findings.push({
        rule: 'apiserver-etcd-not-ready',
        resource: { ...CLUSTER_REF, field: '/readyz/etcd' },
        message:
          `kube-apiserver reports its etcd check failing ("[-]etcd ` +
          `failed${model.readyzEtcd.detail ? `: ${model.readyzEtcd.detail}` : ''}").`,
        evidence: { check: model.readyzEtcd.name, detail: model.readyzEtcd.detail ?? null },
      });
    }
    return {
      evaluated: members.length,
      findings,
      unknowns,
      details: {
        source: model.source,
        clusterId: model.clusterIdHex ?? null,
        ...quorum,
        leader: leader?.name ?? null,
        members: members.map(memberEvidence),
      },
      figures: [membersFigure(members, q, leader?.name)],
    };
  },
});
