/**
 * The etcd members figure (key `etcd-members`, a `cards` figure): one card per member, by
 * name. `etcd-quorum` gives each card its role and health (badge, status) and its version,
 * database size, raft index and ID; `etcd-alarms-space` merges after it (`mergeOrder` 1) and
 * replaces the `database` fact with the size against the member's quota.
 */
import type { Card, CardFact, CardsFigure } from '../../../src/contract/figures.js';
import type { MemberView, QuorumFacts } from './model.js';

const KEY = 'etcd-members';
const TITLE = 'etcd members';

/** Bytes in binary units, one decimal above a KiB: `512 B`, `12.0 MiB`. */
export function binaryBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

const byName = (a: { title: string }, b: { title: string }): number => a.title.localeCompare(b.title);

/**
 * The members as cards, with the quorum in the caption. A member's card is `ok` when healthy
 * (`muted` for a healthy learner), else `bad`; the raft index says how far it is behind the
 * highest one.
 */
export function membersFigure(members: readonly MemberView[], q: QuorumFacts, leader: string | undefined): CardsFigure {
  const maxRaft = Math.max(...members.map((m) => m.raftIndex ?? 0));
  const cards: Card[] = members.map((m) => {
    const facts: CardFact[] = [{ label: 'etcd', text: m.version ?? 'version unknown' }];
    if (m.dbSizeBytes !== undefined) facts.push({ label: 'database', text: binaryBytes(m.dbSizeBytes) });
    if (m.raftIndex !== undefined)
      facts.push({ label: 'raft index', text: `${m.raftIndex}${m.raftIndex < maxRaft ? ` (${maxRaft - m.raftIndex} behind)` : ''}` });
    if (m.stateReason) facts.push({ text: m.stateReason });
    if (m.idHex) facts.push({ label: 'id', text: m.idHex });
    return {
      key: m.name,
      title: m.name,
      badge: `${m.isLeader ? 'leader' : m.isLearner ? 'learner' : 'follower'} · ${m.state}`,
      status: m.state === 'healthy' ? (m.isLearner ? 'muted' : 'ok') : 'bad',
      facts,
    };
  });
  return {
    shape: 'cards',
    key: KEY,
    title: TITLE,
    caption:
      `${q.voters} voting members, quorum ${q.majority}, ${q.healthyVoters} healthy; the cluster survives ` +
      `${q.failureTolerance} member failure${q.failureTolerance === 1 ? '' : 's'}. Leader: ${leader ?? 'none'}.`,
    items: 'members',
    cards: cards.sort(byName),
  };
}

/** The `database` fact of each member whose size was judged, against its quota (null: no quota). */
export function quotaFigure(rows: ReadonlyArray<{ name: string; dbSizeBytes: number; percentOfQuota: number | null }>): CardsFigure[] {
  if (rows.length === 0) return [];
  return [
    {
      shape: 'cards',
      key: KEY,
      title: TITLE,
      caption: 'The members as etcd reports them.',
      items: 'members',
      mergeOrder: 1,
      cards: rows
        .map((r) => ({
          key: r.name,
          title: r.name,
          facts: [
            {
              label: 'database',
              text: `${binaryBytes(r.dbSizeBytes)}${r.percentOfQuota !== null ? ` (${r.percentOfQuota}% of quota)` : ''}`,
            },
          ],
        }))
        .sort(byName),
    },
  ];
}
