/**
 * Active etcd alarms and the backend database's size against its quota.
 *
 * Rules (etcd `server/etcdserver/quota.go` (3.5), `server/storage/quota.go` (3.6); the etcd
 * mixin's alerts, `contrib/mixin/alerts/alerts.libsonnet`; etcd "Maintenance" guide):
 * - `alarm-active` (critical): an alarm is raised (NOSPACE: the database hit its quota and
 *   etcd refuses writes; CORRUPT: a member's data diverged). Alarms are read from
 *   `etcdctl alarm list`, else from the members' status errors (`memberID:<id> alarm:<TYPE>`,
 *   listed on every member), else from etcdctl 3.5+ health errors (`Active Alarm(s): …`);
 * - `db-size-near-quota` (high): a member's `dbSize` (the allocated size, which is what etcd
 *   compares with the quota) is at least `quotaWarnPercent` % of the quota. The quota is the
 *   status's `dbSizeQuota` (etcd 3.6+), else the member pod's `--quota-backend-bytes`, else
 *   the option `quotaBytes` (etcd's default, 2 GiB: `DefaultQuotaBytes`, etcd
 *   `server/etcdserver/quota.go`); a negative flag disables the quota. When the control-plane
 *   pods were not read, a member judged against the option is also an unknown (`field: quota`);
 * - `db-fragmented` (low): `dbSizeInUse` is below `fragmentationMaxInUsePercent` % of
 *   `dbSize` and at least `fragmentationMinFreeBytes` could be reclaimed by a defrag (the etcd
 *   mixin's etcdDatabaseHighFragmentationRatio alert uses in-use/total < 0.5 with 100 MiB).
 *
 * `details`: `{ alarms: [{ member, memberId, alarm }], alarmSource, members: [{ name,
 * dbSizeBytes, dbSizeInUseBytes, quotaBytes, quotaSource, percentOfQuota }] }`. `figures`:
 * each judged member's size against its quota, merged into `etcd-quorum`'s `etcd-members`
 * cards (`lib/figure.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import {
  CLUSTER_REF,
  ETCD_ANY_OF,
  ETCD_CHECK_INPUTS,
  ETCDCTL,
  memberRef,
  notReadUnknown,
  resolveEtcd,
  type MemberView,
} from './lib/model.js';
import { quotaFigure } from './lib/figure.js';

const MIB = 1024 * 1024;

const DEFRAG = (m: MemberView): string =>
  `Defragment one member at a time, outside peak hours (it blocks that member while it runs): ` +
  `\`${ETCDCTL.replace('<client-url>', m.clientURLs[0] ?? '<client-url>')} defrag\`; compact first ` +
  `if the history is large (\`etcdctl compact <revision>\`; the API server compacts every 5 ` +
  `minutes by default).`;

const ALARM_REMEDIATION: Record<string, string> = {
  NOSPACE:
    `Free space, then clear the alarm: compact (\`rev=$(${ETCDCTL} endpoint status -w json | grep -o ` +
    `'"revision":[0-9]*' | grep -o '[0-9]*'); ${ETCDCTL} compact $rev\`), defragment every member ` +
    `(\`${ETCDCTL} defrag --cluster\`), raise --quota-backend-bytes if the data really needs it, ` +
    `then \`${ETCDCTL} alarm disarm\`.`,
  CORRUPT:
    `Do not disarm it blindly: find the diverged member (\`${ETCDCTL} endpoint hashkv --cluster\`), ` +
    `take a snapshot from a healthy member, remove the corrupt member (\`member remove ` +
    `<member-id>\`) and add it back with an empty data dir, then \`${ETCDCTL} alarm disarm\`.`,
};

function gib(bytes: number): string {
  return bytes >= 1024 * MIB ? `${+(bytes / (1024 * MIB)).toFixed(2)} GiB` : `${+(bytes / MIB).toFixed(1)} MiB`;
}

export default defineCheck({
  id: 'etcd-alarms-space',
  family: 'etcd',
  title: 'No etcd alarm is active and the database has room below its quota',
  summary:
    'an active NOSPACE/CORRUPT alarm (critical), `dbSize` ≥ 80% of the quota (high; the quota from etcd 3.6, the ' +
    "pod's `--quota-backend-bytes`, else 2 GiB), fragmentation worth a defrag (low)",
  rationale:
    'When the etcd database reaches its space quota, etcd raises the NOSPACE alarm and refuses every ' +
    'write until it is compacted, defragmented and the alarm disarmed: the cluster is read-only. An ' +
    'upgrade writes many objects (new ReplicaSets, leases, events), so a database close to its quota ' +
    'can fill up in the middle of it.',
  remediation:
    `Compact and defragment (\`${ETCDCTL} defrag --cluster\`), raise --quota-backend-bytes if ` +
    `needed, and clear alarms with \`etcdctl alarm disarm\`.`,
  references: [
    'https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota',
    'https://etcd.io/docs/v3.5/op-guide/maintenance/#defragmentation',
    'https://etcd.io/docs/v3.5/op-guide/data_corruption/',
    'https://github.com/etcd-io/etcd/blob/main/contrib/mixin/alerts/alerts.libsonnet',
  ],
  defaultSeverity: 'high',
  rules: {
    'alarm-active': { title: 'etcd alarm active', severity: 'critical' },
    'db-size-near-quota': {
      title: 'etcd database close to its space quota',
      remediation:
        `Compact and defragment every member (\`${ETCDCTL} defrag --cluster\`) and find what grows ` +
        `(\`kubectl get --raw /metrics | grep apiserver_storage_objects\`); raise --quota-backend-bytes ` +
        `(etcd suggests at most 8 GiB) if the data needs it.`,
    },
    'db-fragmented': { title: 'etcd database fragmented (defragmentation advised)', severity: 'low' },
  },
  requires: [],
  optional: ETCD_CHECK_INPUTS,
  requiresAnyOf: ETCD_ANY_OF,
  defaultOptions: { quotaBytes: 2147483648, quotaWarnPercent: 80, fragmentationMaxInUsePercent: 50, fragmentationMinFreeBytes: 104857600 },
  optionSchema: {
    quotaBytes: {
      type: 'integer',
      min: 1,
      unit: 'bytes',
      description: "etcd's space quota when neither the status (3.6+) nor the pod's --quota-backend-bytes gives it (etcd default 2 GiB)",
    },
    quotaWarnPercent: { type: 'number', min: 0, max: 100, unit: 'percent', description: 'share of the quota at which dbSize is flagged' },
    fragmentationMaxInUsePercent: {
      type: 'number',
      min: 0,
      max: 100,
      unit: 'percent',
      description: 'dbSizeInUse below this share of dbSize counts as fragmented',
    },
    fragmentationMinFreeBytes: {
      type: 'integer',
      min: 0,
      unit: 'bytes',
      description: 'space a defrag would reclaim (dbSize − dbSizeInUse) below which fragmentation is not flagged',
    },
  },
  run({ optional }, ctx) {
    const r = resolveEtcd(optional);
    if ('notApplicable' in r) return { evaluated: 0, findings: [], notApplicable: r.notApplicable };
    const { model } = r;
    const o = ctx.options;
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [...notReadUnknown(model, 'alarms and database size are not known')];
    let evaluated = 0;
    const podsRead = optional['control-plane-pods'].status === 'ok' || optional['control-plane-pods'].status === 'absent';

    if (model.alarms) {
      evaluated++;
      for (const a of model.alarms) {
        const m = model.members.find((x) => x.idHex !== undefined && x.idHex === a.memberIdHex);
        const where = m ? ` on member ${m.name}` : a.memberIdHex ? ` on member ${a.memberIdHex}` : '';
        const effect = a.alarm === 'NOSPACE' ? ': etcd refuses writes until it is cleared' : '';
        findings.push({
          rule: 'alarm-active',
          resource: m ? memberRef(m) : { ...CLUSTER_REF, field: `alarm:${a.alarm}` },
          message: `etcd alarm ${a.alarm} is active${where}${effect}.`,
          evidence: { alarm: a.alarm, memberId: a.memberIdHex ?? null, member: a.member ?? null, source: model.alarmSource ?? null },
          remediation: ALARM_REMEDIATION[a.alarm] ?? `Investigate the alarm, then \`${ETCDCTL} alarm disarm\`.`,
        });
      }
    } else if (!model.etcdNotRead) {
      unknowns.push({
        resource: { ...CLUSTER_REF, field: 'alarms' },
        reason: 'no alarm list and no endpoint status were read (etcd/alarm-list.json, etcd/endpoint-status.json): alarms are not known',
      });
    }

    const table: Array<Record<string, unknown>> = [];
    const judged: Array<{ name: string; dbSizeBytes: number; percentOfQuota: number | null }> = [];
    for (const m of model.members) {
      if (model.etcdNotRead) break;
      if (m.dbSizeBytes === undefined) {
        unknowns.push({
          resource: memberRef(m),
          reason:
            `no endpoint status for this member (${m.state}${m.stateReason ? `: ${m.stateReason}` : ''}): ` +
            `its database size is not known`,
        });
        continue;
      }
      evaluated++;
      const quota =
        m.dbSizeQuotaBytes !== undefined && m.dbSizeQuotaBytes > 0
          ? { quotaBytes: m.dbSizeQuotaBytes, quotaSource: 'dbSizeQuota (endpoint status)' }
          : m.quotaBackendBytesFlag !== undefined && m.quotaBackendBytesFlag !== 0
            ? { quotaBytes: m.quotaBackendBytesFlag, quotaSource: `--quota-backend-bytes (pod ${m.pod})` }
            : { quotaBytes: o.quotaBytes, quotaSource: 'default (option quotaBytes)' };
      if (quota.quotaSource.startsWith('default') && !podsRead) {
        // The pods are an alternative to etcd for the engine, so this check names the gap.
        unknowns.push({
          resource: { ...memberRef(m), field: 'quota' },
          reason:
            `its --quota-backend-bytes is not known (input control-plane-pods is ` +
            `${optional['control-plane-pods'].status}): judged against the default quota`,
        });
      }
      const disabled = quota.quotaBytes < 0;
      const percentOfQuota = disabled ? null : Math.round((m.dbSizeBytes / quota.quotaBytes) * 1000) / 10;
      judged.push({ name: m.name, dbSizeBytes: m.dbSizeBytes, percentOfQuota });
      table.push({ name: m.name, dbSizeBytes: m.dbSizeBytes, dbSizeInUseBytes: m.dbSizeInUseBytes ?? null, ...quota, percentOfQuota });
      if (!disabled && m.dbSizeBytes * 100 >= o.quotaWarnPercent * quota.quotaBytes) {
        findings.push({
          rule: 'db-size-near-quota',
          resource: memberRef(m),
          message:
            `etcd member ${m.name}'s database is ${gib(m.dbSizeBytes)}, ${percentOfQuota}% of its ` +
            `${gib(quota.quotaBytes)} quota (flagged from ${o.quotaWarnPercent}%); at 100% etcd raises ` +
            `NOSPACE and refuses writes.`,
          evidence: { member: m.name, dbSizeBytes: m.dbSizeBytes, dbSizeInUseBytes: m.dbSizeInUseBytes ?? null, ...quota, percentOfQuota },
        });
      }
      if (m.dbSizeInUseBytes !== undefined && m.dbSizeBytes > 0) {
        const inUsePercent = Math.floor((m.dbSizeInUseBytes / m.dbSizeBytes) * 1000) / 10;
        const freeBytes = m.dbSizeBytes - m.dbSizeInUseBytes;
        if (m.dbSizeInUseBytes * 100 < o.fragmentationMaxInUsePercent * m.dbSizeBytes && freeBytes >= o.fragmentationMinFreeBytes) {
          findings.push({
            rule: 'db-fragmented',
            resource: memberRef(m),
            message:
              `etcd member ${m.name} uses ${gib(m.dbSizeInUseBytes)} of its ${gib(m.dbSizeBytes)} database ` +
              `(${inUsePercent}%): a defrag would reclaim ${gib(freeBytes)}.`,
            evidence: {
              member: m.name,
              dbSizeBytes: m.dbSizeBytes,
              dbSizeInUseBytes: m.dbSizeInUseBytes,
              inUsePercent,
              reclaimableBytes: freeBytes,
            },
            remediation: DEFRAG(m),
          });
        }
      }
    }
    return {
      evaluated,
      findings,
      unknowns,
      details: {
        alarms: (model.alarms ?? []).map((a) => ({ member: a.member ?? null, memberId: a.memberIdHex ?? null, alarm: a.alarm })),
        alarmSource: model.alarmSource ?? null,
        members: table,
      },
      figures: quotaFigure(judged),
    };
  },
});
