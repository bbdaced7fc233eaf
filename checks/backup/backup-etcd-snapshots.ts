/**
 * The control plane has a recent, readable, non-empty etcd snapshot — the first step of every
 * upgrade runbook and the only way back from a lost etcd quorum.
 *
 * Sources, each a series judged for freshness (`lib/freshness.ts`):
 * - CronJobs recognised as etcd snapshot jobs (`etcdctl … snapshot save`, an etcd image in a
 *   job named for backups, or the name): the last success is the newer of
 *   `status.lastSuccessfulTime` and the newest `Complete` Job it owns; expected interval from
 *   `spec.schedule` (and `spec.timeZone`);
 * - one-off Jobs of that kind (not owned by such a CronJob), per namespace, judged only where
 *   no etcd snapshot CronJob exists, against `maxBackupAgeHours`;
 * - snapshot files (`backups/etcd-snapshots.json`, or `--etcd-snapshot-dir`), per folder: the
 *   newest usable file's modification time against `maxBackupAgeHours`;
 * - k3s/RKE2 `ETCDSnapshotFile` records, per node, against `maxBackupAgeHours`.
 *
 * Rules: `stale` (high), `stale-critical` and `never-succeeded` (critical) as in
 * `lib/freshness.ts`; the newest finished Job of a CronJob `Failed`, or the newest k3s snapshot
 * of a node with an error → `latest-failed` (high); CronJob `spec.suspend` → `suspended`
 * (medium); a file of 0 bytes, or whose `snapshot status` reports 0 keys → `snapshot-empty`
 * (critical); a file `snapshot status` could not read, or smaller than the `totalSize` it
 * reports (truncated) → `snapshot-unreadable` (critical); none of these sources on a
 * self-managed control plane → `no-etcd-backup` (high), with the snapshot command of the
 * distribution (kubeadm's etcdctl, `k3s|rke2 etcd-snapshot save`); k3s without embedded etcd
 * (`src/k8s/distribution.ts`: no server node has the etcd role) and none of them →
 * `no-datastore-backup` (high), with k3s's guidance (copy `/var/lib/rancher/k3s/server/db/` and
 * the token, or back up the external database). On a managed control plane with none of them,
 * etcd is the provider's to back up: not applicable.
 *
 * `details`: `controlPlane` (`managed`, `provider`, `reason`), `datastore` (`kind`: as
 * `Datastore` of `src/k8s/distribution.ts`, `reason`), `series` (rows as in
 * `lib/freshness.ts` `SeriesRow`), `files` (`path`, `sizeBytes`, `modified`, `ageHours`,
 * `totalKey`, `verdict`: ok | empty | unreadable). `figures`: its series in the
 * `backup-freshness` ages figure (`freshnessFigures` in `lib/freshness.ts`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { kindOf, type Provider } from '../../src/k8s/cluster.js';
import { detectDistribution } from '../../src/k8s/distribution.js';
import { groupBy } from '../../src/k8s/objects.js';
import type { EtcdBackupJob, EtcdSnapshotFile, K3sEtcdSnapshot } from '../../src/contract/values/backup.js';
import {
  ageHours,
  FRESHNESS_DEFAULTS,
  FRESHNESS_OPTION_SCHEMA,
  FRESHNESS_RULES,
  judgeSeries,
  limitFor,
  freshnessFigures,
  newest,
  scheduleInterval,
  type SeriesRow,
} from './lib/freshness.js';

const SNAPSHOTS_JSON = 'backups/etcd-snapshots.json';

const SAVE_COMMAND = [
  'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 \\',
  '  --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt \\',
  '  --key=/etc/kubernetes/pki/etcd/healthcheck-client.key \\',
  '  snapshot save /var/backups/etcd/etcd-$(date +%Y%m%d%H%M).db',
  'etcdutl snapshot status /var/backups/etcd/etcd-<time>.db -w table   # etcdctl snapshot status on etcd 3.4; totalKey must be > 0',
].join('\n');

/**
 * Backing up k3s without etcd (docs.k3s.io, "Backup and Restore"): SQLite is a folder copy,
 * an external database is backed up by its own tools; either way with the server token.
 */
const K3S_DATASTORE_BACKUP = [
  'SQLite (the default of a single server), on the server node:',
  '  systemctl stop k3s   # or copy from a filesystem snapshot, so the copy is consistent',
  '  tar czf /var/backups/k3s-db-$(date +%Y%m%d%H%M).tar.gz -C /var/lib/rancher/k3s/server db token',
  '  systemctl start k3s',
  'External database (--datastore-endpoint): schedule its own backups (pg_dump, mysqldump, etcdctl snapshot save).',
  'Restore: put back /var/lib/rancher/k3s/server/db (or the database) and the token; copy the backups off the node.',
].join('\n');

/** Snapshot commands of the distributions whose embedded etcd has its own snapshot tool. */
const SNAPSHOT_TOOL: Partial<Record<Provider, string>> = {
  k3s:
    'k3s etcd-snapshot save   # on a server node; then k3s etcd-snapshot list\nScheduled snapshots: ' +
    'k3s server --etcd-snapshot-schedule-cron "0 */12 * * *" --etcd-snapshot-retention 5 (the ' +
    'defaults, unless --etcd-disable-snapshots), and --etcd-s3 to copy them off the node.',
  rke2:
    'rke2 etcd-snapshot save   # on a server node; then rke2 etcd-snapshot list\nScheduled ' +
    'snapshots: rke2 server --etcd-snapshot-schedule-cron "0 */12 * * *" --etcd-snapshot-retention 5 ' +
    '(the defaults, unless --etcd-disable-snapshots), and --etcd-s3 to copy them off the node.',
};

export default defineCheck({
  id: 'backup-etcd-snapshots',
  family: 'backup',
  title: 'etcd has a recent, readable, non-empty snapshot',
  summary:
    'etcd snapshot CronJobs/Jobs (`etcdctl snapshot save`), snapshot files (`backups/etcd-snapshots.json`, or ' +
    '`--etcd-snapshot-dir` on a control-plane node) and k3s/RKE2 snapshots: stale, failed, 0 bytes or 0 keys, ' +
    'unreadable',
  rationale:
    'Every control-plane upgrade runbook starts with an etcd snapshot, and a lost quorum or a ' +
    'corrupted keyspace can only be undone from one. Snapshot jobs fail quietly (expired client ' +
    'certificates, a full disk) and a job that "succeeds" can write a zero-byte or unreadable file ' +
    'every night for a year; only a recent snapshot that `snapshot status` can read, with keys in ' +
    'it, counts.',
  remediation:
    `Take a snapshot now and verify it:\n${SAVE_COMMAND}\nThen repair the scheduled job (\`kubectl ` +
    `-n kube-system logs job/<job>\`) so it keeps producing readable snapshots, and copy them off ` +
    `the node.`,
  references: [
    'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#backing-up-an-etcd-cluster',
    'https://etcd.io/docs/v3.5/op-guide/recovery/',
    'https://docs.k3s.io/cli/etcd-snapshot',
  ],
  defaultSeverity: 'high',
  rules: {
    ...FRESHNESS_RULES,
    'latest-failed': { title: 'Latest etcd snapshot run failed', severity: 'high' },
    suspended: { title: 'etcd snapshot CronJob is suspended', severity: 'medium' },
    'snapshot-empty': { title: 'etcd snapshot is empty (0 bytes or 0 keys)', severity: 'critical' },
    'snapshot-unreadable': { title: 'etcd snapshot cannot be read', severity: 'critical' },
    'no-etcd-backup': { title: 'No etcd snapshot mechanism found on a self-managed control plane', severity: 'high' },
    'no-datastore-backup': { title: 'No backup of the k3s datastore (SQLite or an external database) can be seen', severity: 'high' },
  },
  requires: ['etcd-backup-cronjobs', 'etcd-backup-jobs', 'version', 'nodes'],
  optional: ['etcd-snapshot-files', 'k3s-etcd-snapshots', 'control-plane-pods'],
  defaultOptions: { ...FRESHNESS_DEFAULTS },
  optionSchema: FRESHNESS_OPTION_SCHEMA,
  run({ 'etcd-backup-cronjobs': cronJobs, 'etcd-backup-jobs': jobs, version, nodes, optional }, ctx) {
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const rows: SeriesRow[] = [];
    const fileRows: Array<Record<string, unknown>> = [];
    const o = ctx.options;
    const pods = optional['control-plane-pods'];
    const dist = detectDistribution({ version, nodes, controlPlanePods: pods.status === 'ok' ? pods.value : undefined });
    const cp = kindOf(dist, nodes);
    const filesInput = optional['etcd-snapshot-files'];
    const files = filesInput.status === 'ok' || filesInput.status === 'absent' ? filesInput.value : [];
    const k3sInput = optional['k3s-etcd-snapshots'];
    const k3s = k3sInput.status === 'ok' ? k3sInput.value : [];
    let evaluated = 0;
    const judge = (...args: Parameters<typeof judgeSeries>): void => {
      const r = judgeSeries(...args);
      rows.push(r.row);
      if (r.finding) findings.push(r.finding);
      evaluated++;
    };

    // CronJobs and the Jobs they own
    const owned = new Set<string>();
    const jobsOf = groupBy(
      jobs.filter((j) => j.cronJob !== undefined),
      (j) => `${j.namespace}/${j.cronJob}`,
    );
    for (const cj of cronJobs) {
      const resource = { apiVersion: 'batch/v1', kind: 'CronJob', namespace: cj.namespace, name: cj.name };
      const mine = [...(jobsOf.get(`${cj.namespace}/${cj.name}`) ?? [])].sort(jobNewest);
      for (const j of mine) owned.add(`${j.namespace}/${j.name}`);
      const interval = scheduleInterval(cj.schedule, ctx.now, cj.timeZone);
      const lastSuccess = newest([cj.lastSuccessfulTime, ...mine.filter((j) => j.outcome === 'succeeded').map((j) => j.finishedAt)]);
      const manual = `kubectl -n ${cj.namespace} create job --from=cronjob/${cj.name} ${cj.name}-manual-$(date +%s)`;
      judge(
        {
          resource,
          label: `etcd snapshot CronJob ${cj.namespace}/${cj.name}`,
          subject: `CronJob ${cj.namespace}/${cj.name}`,
          schedule: cj.schedule,
          lastSuccess,
          limit: limitFor(interval.hours, o),
          since: mine.length === 0 && !cj.lastScheduleTime ? cj.creationTimestamp : undefined,
          evidence: {
            schedule: cj.schedule,
            ...(cj.timeZone ? { timeZone: cj.timeZone } : {}),
            ...(interval.error ? { cronError: interval.error } : {}),
            suspend: cj.suspend,
            lastScheduleTime: cj.lastScheduleTime ?? null,
            lastSuccessfulTime: cj.lastSuccessfulTime ?? null,
            matchedBy: cj.matchedBy,
          },
          remediation: `${manual}\nkubectl -n ${cj.namespace} logs job/<that-job>\n${SAVE_COMMAND}`,
        },
        ctx.now,
        o,
      );
      if (cj.suspend) {
        findings.push({
          rule: 'suspended',
          resource,
          message: `etcd snapshot CronJob ${cj.namespace}/${cj.name} is suspended: it takes no snapshots.`,
          evidence: { schedule: cj.schedule, suspend: true, lastSuccessfulTime: cj.lastSuccessfulTime ?? null },
          remediation: `kubectl -n ${cj.namespace} patch cronjob ${cj.name} -p '{"spec":{"suspend":false}}'`,
        });
      }
      const latest = mine.find((j) => j.outcome !== 'running');
      if (latest?.outcome === 'failed')
        findings.push(failedJobFinding(resource, `etcd snapshot CronJob ${cj.namespace}/${cj.name}`, latest));
    }

    // one-off Jobs, where no CronJob takes snapshots
    const standalone = jobs.filter((j) => !owned.has(`${j.namespace}/${j.name}`));
    if (cronJobs.length === 0) {
      const byNamespace = groupBy(standalone, (j) => j.namespace);
      for (const ns of [...byNamespace.keys()].sort()) {
        const mine = byNamespace.get(ns)!.sort(jobNewest);
        const resource = { kind: 'BackupTool', namespace: ns, name: 'etcd-snapshot-jobs' };
        const label = `etcd snapshot Jobs in ${ns} (no CronJob)`;
        judge(
          {
            resource,
            label,
            subject: `Jobs in ${ns}`,
            lastSuccess: newest(mine.filter((j) => j.outcome === 'succeeded').map((j) => j.finishedAt)),
            limit: limitFor(undefined, o),
            evidence: { jobs: mine.map((j) => j.name) },
            remediation: SAVE_COMMAND,
          },
          ctx.now,
          o,
        );
        const latest = mine.find((j) => j.outcome !== 'running');
        if (latest?.outcome === 'failed') findings.push(failedJobFinding(resource, label, latest));
      }
    }

    // snapshot files, per folder
    const byDir = new Map<string, EtcdSnapshotFile[]>();
    for (const f of files) {
      if (f.problem) {
        unknowns.push({ resource: { file: SNAPSHOTS_JSON, field: f.path }, reason: f.problem });
        continue;
      }
      evaluated++;
      const resource = { file: SNAPSHOTS_JSON, field: f.path };
      const evidence = {
        path: f.path,
        sizeBytes: f.sizeBytes,
        modified: f.modified,
        ageHours: ageHours(f.modified!, ctx.now),
        ...(f.status
          ? { totalKey: f.status.totalKey ?? null, totalSize: f.status.totalSize ?? null, revision: f.status.revision ?? null }
          : {}),
      };
      const verify = `etcdutl snapshot status ${f.path} -w table   # etcdctl snapshot status on etcd 3.4`;
      let verdict: 'ok' | 'empty' | 'unreadable' = 'ok';
      if (f.sizeBytes === 0 || f.status?.totalKey === 0) {
        verdict = 'empty';
        findings.push({
          rule: 'snapshot-empty',
          resource,
          evidence,
          remediation: `${verify}\n${SAVE_COMMAND}`,
          message:
            f.sizeBytes === 0
              ? `etcd snapshot ${f.path} is 0 bytes.`
              : `etcd snapshot ${f.path} holds 0 keys (snapshot status totalKey 0).`,
        });
      } else if (f.statusError || (f.status?.totalSize !== undefined && f.sizeBytes! < f.status.totalSize)) {
        verdict = 'unreadable';
        findings.push({
          rule: 'snapshot-unreadable',
          resource,
          evidence: { ...evidence, ...(f.statusError ? { statusError: f.statusError } : {}) },
          remediation: `${verify}\n${SAVE_COMMAND}`,
          message: f.statusError
            ? `etcd snapshot ${f.path} cannot be read: snapshot status failed (${f.statusError}).`
            : `etcd snapshot ${f.path} is truncated: ${f.sizeBytes} bytes, smaller than the ` +
              `${f.status!.totalSize} bytes of data it reports.`,
        });
      }
      fileRows.push({
        path: f.path,
        sizeBytes: f.sizeBytes,
        modified: f.modified,
        ageHours: evidence.ageHours,
        totalKey: f.status?.totalKey ?? null,
        verdict,
      });
      const dir = f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) || '/' : '.';
      const list = byDir.get(dir) ?? [];
      if (verdict === 'ok') list.push(f);
      byDir.set(dir, list);
    }
    for (const [dir, good] of [...byDir].sort(([a], [b]) => (a < b ? -1 : 1))) {
      judge(
        {
          resource: { file: SNAPSHOTS_JSON, field: dir },
          label: `etcd snapshots in ${dir}`,
          subject: dir,
          lastSuccess: newest(good.map((f) => f.modified)),
          limit: limitFor(undefined, o),
          evidence: { folder: dir, usableSnapshots: good.length },
          remediation: SAVE_COMMAND,
        },
        ctx.now,
        o,
      );
    }

    // k3s / RKE2 snapshot records, per node
    judgeK3s(k3s, ctx.now, o, judge, findings);

    const datastore = { kind: dist.datastore, reason: dist.datastoreReason };
    if (cronJobs.length === 0 && jobs.length === 0 && files.length === 0 && k3s.length === 0) {
      if (cp.managed) {
        return {
          evaluated: 0,
          findings: [],
          details: { controlPlane: cp, datastore },
          notApplicable: `managed control plane (${cp.provider}: ${cp.reason}); etcd is backed up by the provider`,
        };
      }
      if (dist.datastore === 'k3s-kine') {
        findings.push({
          rule: 'no-datastore-backup',
          resource: { kind: 'Cluster', name: 'datastore' },
          message:
            `k3s keeps this cluster in SQLite or an external database, not etcd (${dist.datastoreReason}): ` +
            `no backup of it can be seen from the cluster (no backup CronJob or Job). k3s backs SQLite up by ` +
            `copying /var/lib/rancher/k3s/server/db/ with the server token.`,
          evidence: { distribution: dist.name, datastore: dist.datastore, datastoreReason: dist.datastoreReason, evidence: dist.evidence },
          remediation: K3S_DATASTORE_BACKUP,
        });
      } else {
        const filesRead = filesInput.status === 'ok' || filesInput.status === 'absent';
        const own = SNAPSHOT_TOOL[cp.provider];
        const nodeFilesUnread = ' (snapshot files on the nodes were not read: scan with --etcd-snapshot-dir DIR on a control-plane node)';
        findings.push({
          rule: 'no-etcd-backup',
          resource: { kind: 'Cluster', name: 'etcd' },
          message:
            `No etcd snapshot CronJob or Job${filesRead ? ', snapshot file' : ''} or k3s snapshot record was found, ` +
            `on a self-managed control plane${filesRead || own ? '' : nodeFilesUnread}.`,
          evidence: {
            controlPlane: cp.reason,
            provider: cp.provider,
            snapshotFiles: filesInput.status,
            ...(filesRead ? {} : { snapshotFilesReason: filesInput.reason ?? null }),
          },
          remediation:
            own ??
            `${SAVE_COMMAND}\nSchedule it: a CronJob in kube-system on a control-plane node (hostNetwork, ` +
              `hostPath /etc/kubernetes/pki/etcd and a backup folder), and copy the snapshots off the node.`,
        });
      }
      evaluated = 1;
    }
    return {
      evaluated,
      findings,
      unknowns,
      details: { controlPlane: cp, datastore, series: rows, files: fileRows },
      figures: freshnessFigures(rows),
    };
  },
});

function jobNewest(a: EtcdBackupJob, b: EtcdBackupJob): number {
  const t = (j: EtcdBackupJob): number => Date.parse(j.finishedAt ?? j.startTime ?? j.creationTimestamp ?? '') || 0;
  return t(b) - t(a) || (a.name < b.name ? 1 : -1);
}

function failedJobFinding(
  resource: { kind: string; namespace?: string; name: string; apiVersion?: string },
  label: string,
  j: EtcdBackupJob,
): RawFinding {
  return {
    rule: 'latest-failed',
    resource,
    message: `${label}: the latest finished Job ${j.name} failed${j.failedReason ? ` (${j.failedReason})` : ''}.`,
    evidence: { job: j.name, failedAt: j.finishedAt ?? null, reason: j.failedReason ?? null },
    remediation: `kubectl -n ${j.namespace} logs job/${j.name}\nkubectl -n ${j.namespace} describe job ${j.name}`,
  };
}

function judgeK3s(
  snapshots: K3sEtcdSnapshot[],
  now: Date,
  o: typeof FRESHNESS_DEFAULTS,
  judge: (...args: Parameters<typeof judgeSeries>) => void,
  findings: RawFinding[],
): void {
  const at = (s: K3sEtcdSnapshot): string | undefined => s.creationTime ?? s.creationTimestamp;
  const byNode = groupBy(snapshots, (s) => s.nodeName ?? '');
  for (const [node, list] of [...byNode].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => (Date.parse(at(b) ?? '') || 0) - (Date.parse(at(a) ?? '') || 0));
    for (const s of list) {
      if (s.sizeBytes === 0) {
        findings.push({
          rule: 'snapshot-empty',
          resource: { apiVersion: 'k3s.cattle.io/v1', kind: 'ETCDSnapshotFile', name: s.name },
          message: `k3s etcd snapshot ${s.snapshotName ?? s.name} on ${node} is 0 bytes.`,
          evidence: {
            snapshotName: s.snapshotName ?? null,
            nodeName: node,
            location: s.location ?? null,
            sizeBytes: 0,
            creationTime: at(s) ?? null,
          },
          remediation: 'k3s etcd-snapshot save   # on a server node (rke2 etcd-snapshot save on RKE2)\nk3s etcd-snapshot list',
        });
      }
    }
    const good = list.filter((s) => !s.errorMessage && s.readyToUse !== false && (s.sizeBytes ?? 1) > 0);
    const resource = { apiVersion: 'v1', kind: 'Node', name: node, field: 'etcd snapshots' };
    judge(
      {
        resource,
        label: `k3s/RKE2 etcd snapshots of node ${node}`,
        subject: `k3s snapshots of ${node}`,
        lastSuccess: newest(good.map(at)),
        limit: limitFor(undefined, o),
        evidence: { snapshots: list.length, newestSnapshot: list[0]?.snapshotName ?? list[0]?.name ?? null },
        remediation: 'k3s etcd-snapshot save   # on that server node (rke2 etcd-snapshot save on RKE2)\nk3s etcd-snapshot list',
      },
      now,
      o,
    );
    const latest = list[0];
    if (latest?.errorMessage) {
      findings.push({
        rule: 'latest-failed',
        resource,
        message:
          `k3s/RKE2 etcd snapshots of node ${node}: the latest snapshot ` +
          `${latest.snapshotName ?? latest.name} failed (${latest.errorMessage}).`,
        evidence: { snapshot: latest.name, error: latest.errorMessage, creationTime: at(latest) ?? null },
        remediation: 'journalctl -u k3s | grep -i snapshot   # rke2-server on RKE2\nk3s etcd-snapshot save',
      });
    }
  }
}
