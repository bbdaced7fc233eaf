/**
 * The shape of the etcd cluster: how many voters, learners waiting for promotion, members
 * that disagree (cluster ID, leader, version), and members whose raft log lags.
 *
 * Rules (raft quorum over voting members; `maxGapBetweenApplyAndCommitIndex`, etcd 3.5
 * `server/etcdserver/v3_server.go`; etcd FAQ "Why an odd number of cluster members?",
 * "What is maximum cluster size?"):
 * - `single-member` (medium): one voter — no failure tolerance at all (no HA);
 * - `even-voters` (medium): 2, 4, 6… voters — an even count adds no failure tolerance over
 *   the odd count below it and raises the quorum size;
 * - `too-many-voters` (low): more than 7 voters — etcd recommends at most 7 (every write
 *   waits for a majority);
 * - `learner-not-promoted` (medium): a learner at scan time (a `member add --learner` not
 *   finished with `member promote`); ready to promote when its raft index is ≥ 90 % of the
 *   leader's (`readyPercent = 0.9`, etcd 3.5 `server/etcdserver/server.go`);
 * - `mixed-versions` (medium): members run different etcd versions (a rolling etcd
 *   upgrade that did not finish);
 * - `leader-disagreement` (medium): voters report different leaders (split view; a learner's
 *   leader field can be stale and is not counted);
 * - `cluster-id-mismatch` (medium): a member reports a cluster ID other than the member
 *   list's (an endpoint that belongs to another cluster);
 * - `raft-index-lag` (medium): a member's raft index trails the leader's by more than
 *   `maxRaftIndexLag`, or its applied index trails its committed index by more than that
 *   (etcd itself refuses requests past a gap of 5000: `maxGapBetweenApplyAndCommitIndex`,
 *   etcd 3.5 `server/etcdserver/v3_server.go`; statuses are read at slightly different
 *   instants, so small lags are normal).
 *
 * `details`: `{ voters, learners, versions: { <member>: <version> }, leader }`.
 */
import semver from 'semver';
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
} from './lib/model.js';

/** etcd's learner promotion threshold (`readyPercent`, etcd 3.5 server.go). */
const LEARNER_READY_PERCENT = 90;

export default defineCheck({
  id: 'etcd-members',
  family: 'etcd',
  title: 'etcd membership is sound (odd voter count, no stuck learner, members agree)',
  summary:
    '1 member or an even voter count (medium), more than 7 (low), a learner not promoted, mixed versions, leader or ' +
    'cluster-ID disagreement, raft index lag over `maxRaftIndexLag` 5000 (medium)',
  rationale:
    'An odd number of 3 to 7 voters gives etcd its failure tolerance; a learner left unpromoted, ' +
    'members on different versions, members that disagree on the leader or the cluster, or a member ' +
    'far behind in the raft log are half-finished operations that an upgrade (which restarts every ' +
    'member) turns into outages.',
  remediation:
    `Inspect the members with \`${ETCDCTL} member list -w table\` and \`endpoint status --cluster -w ` +
    `table\`; finish or undo membership changes before upgrading.`,
  references: [
    'https://etcd.io/docs/v3.5/faq/#why-an-odd-number-of-cluster-members',
    'https://etcd.io/docs/v3.5/faq/#what-is-maximum-cluster-size',
    'https://etcd.io/docs/v3.5/learning/design-learner/',
    'https://etcd.io/docs/v3.5/op-guide/runtime-configuration/',
    'https://etcd.io/docs/v3.5/upgrades/',
  ],
  defaultSeverity: 'medium',
  rules: {
    'single-member': {
      title: 'etcd has a single member (no high availability)',
      remediation:
        `Add members to reach 3 voters (kubeadm: \`kubeadm join --control-plane\` on two more nodes; ` +
        `external etcd: \`${ETCDCTL} member add <name> --peer-urls=https://<ip>:2380\`, then start each ` +
        `new member with \`--initial-cluster-state=existing\`). Take a snapshot first: \`etcdctl ` +
        `snapshot save\`.`,
    },
    'even-voters': {
      title: 'etcd has an even number of voting members',
      remediation:
        `Add or remove one member to get an odd count (\`${ETCDCTL} member add\` / \`member remove ` +
        `<member-id>\`): an even count tolerates no more failures than one member less.`,
    },
    'too-many-voters': {
      title: 'etcd has more than 7 voting members',
      severity: 'low',
      remediation: `Remove voters down to 5 or 7 (\`${ETCDCTL} member remove <member-id>\`): every write waits for a majority of them.`,
    },
    'learner-not-promoted': { title: 'etcd learner not promoted' },
    'mixed-versions': {
      title: 'etcd members run different versions',
      remediation:
        'Finish the rolling etcd upgrade (one member at a time, one minor version at a time) before ' +
        'upgrading Kubernetes; kubeadm upgrades its stacked etcd with `kubeadm upgrade apply` / `kubeadm ' +
        'upgrade node` on each control-plane node.',
    },
    'leader-disagreement': {
      title: 'etcd members disagree on the leader',
      remediation:
        `Read the status again (\`${ETCDCTL} endpoint status --cluster -w table\`); if members keep ` +
        `reporting different leaders, check the peer network between them (port 2380) and the members' ` +
        `logs for elections.`,
    },
    'cluster-id-mismatch': {
      title: 'etcd member reports another cluster ID',
      remediation:
        'Check the endpoint list: this endpoint belongs to another etcd cluster. Remove it from ' +
        '--etcd-servers / the endpoint list, or re-join the member with a clean data dir.',
    },
    'raft-index-lag': {
      title: 'etcd member lags behind in the raft log',
      remediation:
        "Check the member's disk (WAL fsync latency: `etcd_disk_wal_fsync_duration_seconds`) and its " +
        'peer network; read the status again to see whether it catches up. A member that never catches ' +
        'up should be removed and re-added.',
    },
  },
  requires: [],
  optional: ETCD_CHECK_INPUTS,
  requiresAnyOf: ETCD_ANY_OF,
  defaultOptions: { maxRaftIndexLag: 5000 },
  optionSchema: {
    maxRaftIndexLag: {
      type: 'integer',
      min: 0,
      description: 'raft entries a member may trail the leader (and its applied index its committed index) before it is flagged',
    },
  },
  run({ optional }, ctx) {
    const r = resolveEtcd(optional);
    if ('notApplicable' in r) return { evaluated: 0, findings: [], notApplicable: r.notApplicable };
    const { model } = r;
    const members = model.members;
    if (members.length === 0) return { evaluated: 0, findings: [], notApplicable: 'the etcd member list is empty' };
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [...notReadUnknown(model, 'learners, leader, cluster ID and raft index are not known')];
    const q = quorumFacts(members);
    const learners = members.filter((m) => m.isLearner);
    const voterNames = members.filter((m) => !m.isLearner).map((m) => m.name);
    const topology = { voters: q.voters, majority: q.majority, failureTolerance: q.failureTolerance, voterNames };

    if (model.source !== 'apiserver-flags') {
      if (q.voters === 1) {
        findings.push({
          rule: 'single-member',
          resource: CLUSTER_REF,
          message:
            'etcd runs a single voting member: losing it (or restarting it during the upgrade) stops the API ' +
            'server, and there is no replica of its data.',
          evidence: topology,
        });
      } else if (q.voters % 2 === 0) {
        findings.push({
          rule: 'even-voters',
          resource: CLUSTER_REF,
          message:
            `etcd has ${q.voters} voting members: quorum needs ${q.majority} and it tolerates ` +
            `${q.failureTolerance} failure(s), no more than ${q.voters - 1} members would.`,
          evidence: topology,
        });
      }
      if (q.voters > 7) {
        findings.push({
          rule: 'too-many-voters',
          resource: CLUSTER_REF,
          message: `etcd has ${q.voters} voting members; etcd recommends at most 7, as every write waits for ${q.majority} of them.`,
          evidence: topology,
        });
      }
    }

    const leader = members.find((m) => m.isLeader);
    for (const l of learners) {
      const percent = leader?.raftIndex && l.raftIndex !== undefined ? Math.floor((l.raftIndex / leader.raftIndex) * 100) : undefined;
      const ready = percent !== undefined && percent >= LEARNER_READY_PERCENT;
      const progress = percent !== undefined ? `; its raft index is ${percent}% of the leader's${ready ? ', ready to promote' : ''}` : '';
      findings.push({
        rule: 'learner-not-promoted',
        resource: memberRef(l),
        message: `etcd member ${l.name} is still a learner (non-voting)${progress}.`,
        evidence: { ...memberEvidence(l), leaderRaftIndex: leader?.raftIndex ?? null, readyPercent: percent ?? null },
        remediation:
          ready || percent === undefined
            ? `Promote it: \`${ETCDCTL} member promote ${l.idHex ?? '<member-id>'}\` (etcd refuses until the ` +
              `learner has ${LEARNER_READY_PERCENT}% of the leader's log), or remove it: \`member remove ` +
              `${l.idHex ?? '<member-id>'}\`.`
            : `Wait for it to catch up, then \`${ETCDCTL} member promote ${l.idHex ?? '<member-id>'}\`; if it ` +
              `never does (started? reachable on its peer URL?), remove it: \`member remove ` +
              `${l.idHex ?? '<member-id>'}\`.`,
      });
    }

    const versions = Object.fromEntries(members.filter((m) => m.version).map((m) => [m.name, m.version!]));
    const distinct = [...new Set(Object.values(versions))].sort((a, b) =>
      semver.valid(a) && semver.valid(b) ? semver.compare(a, b) : a < b ? -1 : 1,
    );
    if (distinct.length > 1) {
      findings.push({
        rule: 'mixed-versions',
        resource: CLUSTER_REF,
        message: `etcd members run ${distinct.length} versions (${distinct.join(', ')}).`,
        evidence: { versions },
      });
    }

    const withStatus = members.filter((m) => m.hasStatus);
    if (model.source === 'etcdctl' && withStatus.length === 0) {
      unknowns.push({
        resource: CLUSTER_REF,
        reason: 'no endpoint status was read (etcd/endpoint-status.json): leader, cluster ID and raft index are not compared',
      });
    }
    const reported = Object.fromEntries(
      members.filter((m) => !m.isLearner && m.reportedLeaderHex).map((m) => [m.name, m.reportedLeaderHex!]),
    );
    if (new Set(Object.values(reported)).size > 1) {
      findings.push({
        rule: 'leader-disagreement',
        resource: CLUSTER_REF,
        message: `Voting members report ${new Set(Object.values(reported)).size} different leaders (${Object.entries(reported)
          .map(([n, l]) => `${n} → ${l}`)
          .join(', ')}).`,
        evidence: { reportedLeaders: reported, leader: model.leaderHex ?? null },
      });
    }
    for (const m of withStatus) {
      if (model.clusterIdHex && m.clusterIdHex && m.clusterIdHex !== model.clusterIdHex) {
        findings.push({
          rule: 'cluster-id-mismatch',
          resource: memberRef(m),
          message: `etcd member ${m.name} reports cluster ID ${m.clusterIdHex}, not ${model.clusterIdHex} like the member list.`,
          evidence: { ...memberEvidence(m), clusterId: m.clusterIdHex, expectedClusterId: model.clusterIdHex },
        });
      }
    }
    const max = ctx.options.maxRaftIndexLag;
    const reference = leader?.raftIndex ?? Math.max(...withStatus.map((m) => m.raftIndex ?? 0));
    for (const m of withStatus) {
      if (m.raftIndex === undefined) continue;
      const lag = reference - m.raftIndex;
      const applyLag = m.raftAppliedIndex !== undefined ? m.raftIndex - m.raftAppliedIndex : 0;
      if (lag <= max && applyLag <= max) continue;
      findings.push({
        rule: 'raft-index-lag',
        resource: memberRef(m),
        message:
          lag > max
            ? `etcd member ${m.name} is ${lag} raft entries behind the ` +
              `${leader ? 'leader' : 'most advanced member'} (raft index ${m.raftIndex} vs ${reference}; ` +
              `tolerance ${max}).`
            : `etcd member ${m.name} has applied ${applyLag} fewer entries than it committed (raft index ` +
              `${m.raftIndex}, applied ${m.raftAppliedIndex}; tolerance ${max}).`,
        evidence: {
          ...memberEvidence(m),
          leaderRaftIndex: reference,
          raftAppliedIndex: m.raftAppliedIndex ?? null,
          lag,
          applyLag,
          maxRaftIndexLag: max,
        },
      });
    }
    return {
      evaluated: members.length,
      findings,
      unknowns,
      details: { voters: q.voters, learners: learners.map((l) => l.name), versions, leader: leader?.name ?? null },
    };
  },
});
