/**
 * CronJobs and Jobs taken for etcd snapshot jobs (by their command, image and name), with the
 * outcome of each Job run. Shapes: Kubernetes batch/v1 CronJob and Job.
 */
import type { KubeObject } from '../../../k8s/objects.js';
import { R } from '../../../k8s/resources.js';
import type { ResourceInputDef } from '../../input-def.js';
import { optBool, optConditions, optList, optObject, optStr, optStrings, readAs, z } from '../../schema.js';
import { opt } from './fields.js';
import type { EtcdBackupCronJob, EtcdBackupJob, EtcdJobSignal } from '../../../contract/values/backup.js';

interface PodTemplateContainers {
  image: string;
  words: string;
}

/** The container fields of a pod spec the etcd snapshot signal reads. */
const CONTAINERS = optList({ image: optStr, command: optStrings, args: optStrings });
const POD_SPEC = optObject({ initContainers: CONTAINERS, containers: CONTAINERS });

function containersOf(podSpec: z.output<typeof POD_SPEC>): PodTemplateContainers[] {
  return [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])].map((c) => ({
    image: c.image ?? '',
    words: [...(c.command ?? []), ...(c.args ?? [])].join(' '),
  }));
}

const NAME_SIGNAL = /etcd.*(backup|snapshot)|(backup|snapshot).*etcd/i;
const BACKUP_WORD = /backup|snapshot/i;

/**
 * Whether a pod template (of a CronJob's job template or a Job) takes etcd snapshots:
 * a container whose command/args run `etcdctl … snapshot save` or `etcdutl … snapshot`
 * (`command`); else an etcd image (`…/etcd:<tag>`) in an object whose name or `app` label
 * says backup/snapshot (`image-and-name`); else a name or `app` label naming both etcd and
 * backup/snapshot (`name`). An etcd-image job named for defragmentation is not taken.
 * Throws `InputError` for a container field of the wrong type (path relative to the pod spec).
 */
export function etcdSnapshotSignal(name: string, labels: Record<string, string> | undefined, podSpec: unknown): EtcdJobSignal | undefined {
  const containers = containersOf(readAs(POD_SPEC, podSpec));
  if (containers.some((c) => /\betcdctl\b[\s\S]*\bsnapshot\s+save\b/.test(c.words) || /\betcdutl\b[\s\S]*\bsnapshot\b/.test(c.words)))
    return 'command';
  const names = `${name} ${labels?.app ?? ''} ${labels?.['app.kubernetes.io/name'] ?? ''}`;
  const etcdImage = containers.some((c) => /(^|\/)etcd(:|@|$)/.test(c.image));
  if (etcdImage && BACKUP_WORD.test(names)) return 'image-and-name';
  if (NAME_SIGNAL.test(names)) return 'name';
  return undefined;
}

/** The pod template of a CronJob (read first: every CronJob is tested for the signal). */
const CRONJOB_TEMPLATE = z.object({
  spec: optObject({ jobTemplate: optObject({ spec: optObject({ template: optObject({ spec: POD_SPEC }) }) }) }),
});
/** The fields of an etcd snapshot CronJob the normalizer reads. */
const CRONJOB = z.object({
  spec: optObject({ schedule: optStr, timeZone: optStr, suspend: optBool }),
  status: optObject({ lastScheduleTime: optStr, lastSuccessfulTime: optStr }),
});

export const etcdBackupCronJobsInput: ResourceInputDef<EtcdBackupCronJob> = {
  type: 'resources',
  key: 'etcd-backup-cronjobs',
  description: 'CronJobs that take etcd snapshots (etcdctl snapshot save, etcd image, or name)',
  resources: [{ ...R.cronjobs, subjects: 'etcd snapshot CronJobs' }],
  normalize(o) {
    const template = readAs(CRONJOB_TEMPLATE, o).spec?.jobTemplate?.spec?.template?.spec;
    const matchedBy = etcdSnapshotSignal(o.metadata.name ?? '', o.metadata.labels, template);
    if (!matchedBy) return undefined;
    const { spec, status } = readAs(CRONJOB, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      uid: o.metadata.uid,
      matchedBy,
      schedule: spec?.schedule ?? '',
      timeZone: opt(spec?.timeZone),
      suspend: spec?.suspend === true,
      lastScheduleTime: opt(status?.lastScheduleTime),
      lastSuccessfulTime: opt(status?.lastSuccessfulTime),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** The status fields of a Job `jobOutcome` and the Job normalizer read. */
const JOB = z.object({ status: optObject({ startTime: optStr, completionTime: optStr, conditions: optConditions }) });
/** The pod template of a Job (read first: every Job is tested for the signal). */
const JOB_TEMPLATE = z.object({ spec: optObject({ template: optObject({ spec: POD_SPEC }) }) });

/**
 * Outcome of a Job from its `Complete`/`Failed` conditions (batch/v1).
 * Throws `InputError` for a field of the wrong type (`.status.conditions: expected a list, got an object`).
 */
export function jobOutcome(o: KubeObject): Pick<EtcdBackupJob, 'outcome' | 'finishedAt' | 'failedReason'> {
  const status = readAs(JOB, o).status;
  const conds = status?.conditions ?? [];
  const complete = conds.find((c) => c.type === 'Complete' && c.status === 'True');
  if (complete) return { outcome: 'succeeded', finishedAt: status?.completionTime ?? opt(complete.lastTransitionTime) };
  const failed = conds.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { outcome: 'failed', finishedAt: opt(failed.lastTransitionTime), failedReason: opt(failed.reason) };
  return { outcome: 'running' };
}

export const etcdBackupJobsInput: ResourceInputDef<EtcdBackupJob> = {
  type: 'resources',
  key: 'etcd-backup-jobs',
  description: 'Jobs that take etcd snapshots (their CronJob, outcome and completion)',
  resources: [{ ...R.jobs, subjects: 'etcd snapshot Jobs' }],
  normalize(o) {
    const cronJob = (o.metadata.ownerReferences ?? []).find((r) => r.kind === 'CronJob')?.name;
    const matchedBy = etcdSnapshotSignal(o.metadata.name ?? '', o.metadata.labels, readAs(JOB_TEMPLATE, o).spec?.template?.spec);
    if (!matchedBy) return undefined;
    const status = readAs(JOB, o).status;
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      matchedBy,
      cronJob,
      creationTimestamp: o.metadata.creationTimestamp,
      startTime: opt(status?.startTime),
      completionTime: opt(status?.completionTime),
      ...jobOutcome(o),
    };
  },
};
