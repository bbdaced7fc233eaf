/**
 * Inputs of the backup family: Velero objects, etcd snapshot CronJobs and Jobs, etcd snapshot
 * files, k3s/RKE2 etcd snapshot records, the runs of other backup operators, and the CRDs that
 * show which backup tools are installed.
 *
 * Sources of the shapes: `vmware-tanzu/velero:pkg/apis/velero/v1/*_types.go` (Backup, Schedule,
 * BackupStorageLocation, Restore); Kubernetes batch/v1 CronJob and Job; `etcdctl snapshot status
 * -w json`; k3s `ETCDSnapshotFile` (`k3s.cattle.io/v1`, cluster-scoped); k8up
 * (`k8up-io/k8up:docs/modules/ROOT/pages/references/status.adoc`); KubeStash and Stash
 * BackupSession (`stash.appscode.com/v1beta1`, `core.kubestash.com/v1alpha1`); Longhorn Backup
 * (`longhorn.io/v1beta2`).
 */
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isRecord, num, str, type KubeObject } from '../../k8s/objects.js';
import { parseQuantity } from '../../k8s/quantity.js';
import { kindPlural, R } from '../../k8s/resources.js';
import { InputError, type ApiResource, type DumpFile, type FileFetch, type FileInputDef, type ResourceInputDef } from '../input-def.js';
import { parseJsonFile } from '../parse.js';
import { describeIssue, optBool, optConditions, optList, optNum, optObject, optStr, optStrings, quantity, readAs, z } from '../schema.js';

// ---------------------------------------------------------------------------------------------
// Velero

const velero = (resource: string, kind: string): ApiResource => ({ group: 'velero.io', versions: ['v1'], resource, kind, namespaced: true, crd: true, subjects: `Velero ${kindPlural(kind)}` });

/** Velero API resources (`velero.io/v1`, CRDs). */
export const VELERO = {
  backups: velero('backups', 'Backup'),
  schedules: velero('schedules', 'Schedule'),
  backupStorageLocations: velero('backupstoragelocations', 'BackupStorageLocation'),
  restores: velero('restores', 'Restore'),
};

/** A Velero Backup, reduced to what the freshness and health rules read. */
export interface VeleroBackup {
  namespace: string;
  name: string;
  /** `status.phase` as written; `undefined` when unset (Velero prints that as `New`). */
  phase?: string;
  /** Label `velero.io/schedule-name`: the Schedule that created it. */
  schedule?: string;
  /** `spec.storageLocation`, else label `velero.io/storage-location`. */
  storageLocation?: string;
  creationTimestamp?: string;
  startTimestamp?: string;
  completionTimestamp?: string;
  /** When Velero garbage-collects it (`status.expiration`). */
  expiration?: string;
  /** `status.errors` / `status.warnings` counts (0 when unset). */
  errors: number;
  warnings: number;
  failureReason?: string;
  /** `status.progress.totalItems` / `itemsBackedUp`, when reported. */
  totalItems?: number;
  itemsBackedUp?: number;
}

export interface VeleroSchedule {
  namespace: string;
  name: string;
  /** `spec.schedule` (cron, robfig/cron syntax). */
  schedule: string;
  paused: boolean;
  /** `status.phase`: `New`, `Enabled`, `FailedValidation`. */
  phase?: string;
  /** When the schedule last *created* a Backup (not when one succeeded). */
  lastBackup?: string;
  validationErrors: string[];
  creationTimestamp?: string;
}

export interface VeleroStorageLocation {
  namespace: string;
  name: string;
  provider?: string;
  bucket?: string;
  prefix?: string;
  default: boolean;
  /** `ReadWrite` (default) or `ReadOnly`. */
  accessMode?: string;
  /** `spec.validationFrequency` as a Go duration (`1m0s`); unset = the server default (1m). */
  validationFrequency?: string;
  /** `status.phase`: `Available` or `Unavailable`. */
  phase?: string;
  lastValidationTime?: string;
  lastSyncedTime?: string;
  message?: string;
  creationTimestamp?: string;
}

export interface VeleroRestore {
  namespace: string;
  name: string;
  backupName?: string;
  scheduleName?: string;
  phase?: string;
  creationTimestamp?: string;
  startTimestamp?: string;
  completionTimestamp?: string;
  errors: number;
  warnings: number;
  failureReason?: string;
}

const count = (v: number | null | undefined): number => v ?? 0;
/** `null` read as absent. */
const opt = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/** The fields of a Velero Backup the normalizer reads. */
const VELERO_BACKUP = z.object({
  spec: optObject({ storageLocation: optStr }),
  status: optObject({
    phase: optStr,
    startTimestamp: optStr,
    completionTimestamp: optStr,
    expiration: optStr,
    errors: optNum,
    warnings: optNum,
    failureReason: optStr,
    progress: optObject({ totalItems: optNum, itemsBackedUp: optNum }),
  }),
});

export const veleroBackupsInput: ResourceInputDef<VeleroBackup> = {
  type: 'resources',
  key: 'velero-backups',
  description: 'Velero Backups (phase, start/completion, expiration, errors, schedule label)',
  resources: [VELERO.backups],
  normalize(o) {
    const { spec, status: s } = readAs(VELERO_BACKUP, o);
    const labels = o.metadata.labels ?? {};
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      phase: s?.phase || undefined,
      schedule: labels['velero.io/schedule-name'] || undefined,
      storageLocation: spec?.storageLocation ?? labels['velero.io/storage-location'],
      creationTimestamp: o.metadata.creationTimestamp,
      startTimestamp: opt(s?.startTimestamp),
      completionTimestamp: opt(s?.completionTimestamp),
      expiration: opt(s?.expiration),
      errors: count(s?.errors),
      warnings: count(s?.warnings),
      failureReason: opt(s?.failureReason),
      totalItems: opt(s?.progress?.totalItems),
      itemsBackedUp: opt(s?.progress?.itemsBackedUp),
    };
  },
};

/** The fields of a Velero Schedule the normalizer reads. */
const VELERO_SCHEDULE = z.object({
  spec: optObject({ schedule: optStr, paused: optBool }),
  status: optObject({ phase: optStr, lastBackup: optStr, validationErrors: optStrings }),
});

export const veleroSchedulesInput: ResourceInputDef<VeleroSchedule> = {
  type: 'resources',
  key: 'velero-schedules',
  description: 'Velero Schedules (cron, paused, phase, lastBackup)',
  resources: [VELERO.schedules],
  normalize(o) {
    const { spec, status } = readAs(VELERO_SCHEDULE, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      schedule: spec?.schedule ?? '',
      paused: spec?.paused === true,
      phase: status?.phase || undefined,
      lastBackup: opt(status?.lastBackup),
      validationErrors: status?.validationErrors ?? [],
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** The fields of a Velero BackupStorageLocation the normalizer reads. */
const VELERO_BSL = z.object({
  spec: optObject({
    provider: optStr,
    objectStorage: optObject({ bucket: optStr, prefix: optStr }),
    default: optBool,
    accessMode: optStr,
    validationFrequency: optStr,
  }),
  status: optObject({ phase: optStr, lastValidationTime: optStr, lastSyncedTime: optStr, message: optStr }),
});

export const veleroStorageLocationsInput: ResourceInputDef<VeleroStorageLocation> = {
  type: 'resources',
  key: 'velero-backup-storage-locations',
  description: 'Velero BackupStorageLocations (phase Available/Unavailable, last validation)',
  resources: [VELERO.backupStorageLocations],
  normalize(o) {
    const { spec, status } = readAs(VELERO_BSL, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      provider: opt(spec?.provider),
      bucket: opt(spec?.objectStorage?.bucket),
      prefix: opt(spec?.objectStorage?.prefix),
      default: spec?.default === true,
      accessMode: opt(spec?.accessMode),
      validationFrequency: opt(spec?.validationFrequency),
      phase: status?.phase || undefined,
      lastValidationTime: opt(status?.lastValidationTime),
      lastSyncedTime: opt(status?.lastSyncedTime),
      message: opt(status?.message),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

/** The fields of a Velero Restore the normalizer reads. */
const VELERO_RESTORE = z.object({
  spec: optObject({ backupName: optStr, scheduleName: optStr }),
  status: optObject({ phase: optStr, startTimestamp: optStr, completionTimestamp: optStr, errors: optNum, warnings: optNum, failureReason: optStr }),
});

export const veleroRestoresInput: ResourceInputDef<VeleroRestore> = {
  type: 'resources',
  key: 'velero-restores',
  description: 'Velero Restores (restore drills: phase, completion, source backup)',
  resources: [VELERO.restores],
  normalize(o) {
    const { spec, status: s } = readAs(VELERO_RESTORE, o);
    return {
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name!,
      backupName: spec?.backupName || undefined,
      scheduleName: spec?.scheduleName || undefined,
      phase: s?.phase || undefined,
      creationTimestamp: o.metadata.creationTimestamp,
      startTimestamp: opt(s?.startTimestamp),
      completionTimestamp: opt(s?.completionTimestamp),
      errors: count(s?.errors),
      warnings: count(s?.warnings),
      failureReason: opt(s?.failureReason),
    };
  },
};

// ---------------------------------------------------------------------------------------------
// etcd snapshot CronJobs and Jobs

/** Why a CronJob or Job was taken for an etcd snapshot job. */
export type EtcdJobSignal = 'command' | 'image-and-name' | 'name';

export interface EtcdBackupCronJob {
  namespace: string;
  name: string;
  uid?: string;
  matchedBy: EtcdJobSignal;
  schedule: string;
  /** `spec.timeZone` (batch/v1, 1.27+). */
  timeZone?: string;
  suspend: boolean;
  lastScheduleTime?: string;
  /** `status.lastSuccessfulTime` (batch/v1, 1.21+). */
  lastSuccessfulTime?: string;
  creationTimestamp?: string;
}

export interface EtcdBackupJob {
  namespace: string;
  name: string;
  matchedBy: EtcdJobSignal;
  /** Name of the CronJob that owns it (`ownerReferences`). */
  cronJob?: string;
  creationTimestamp?: string;
  startTime?: string;
  completionTime?: string;
  /** `Complete` or `Failed` condition with status True, and when it was set. */
  outcome: 'succeeded' | 'failed' | 'running';
  finishedAt?: string;
  failedReason?: string;
}

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
  if (containers.some((c) => /\betcdctl\b[\s\S]*\bsnapshot\s+save\b/.test(c.words) || /\betcdutl\b[\s\S]*\bsnapshot\b/.test(c.words))) return 'command';
  const names = `${name} ${labels?.app ?? ''} ${labels?.['app.kubernetes.io/name'] ?? ''}`;
  const etcdImage = containers.some((c) => /(^|\/)etcd(:|@|$)/.test(c.image));
  if (etcdImage && BACKUP_WORD.test(names)) return 'image-and-name';
  if (NAME_SIGNAL.test(names)) return 'name';
  return undefined;
}

/** The pod template of a CronJob (read first: every CronJob is tested for the signal). */
const CRONJOB_TEMPLATE = z.object({ spec: optObject({ jobTemplate: optObject({ spec: optObject({ template: optObject({ spec: POD_SPEC }) }) }) }) });
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

// ---------------------------------------------------------------------------------------------
// etcd snapshot files (backups/etcd-snapshots.json)

/** `etcdctl snapshot status -w json` (etcdutl on 3.5+; `etcd-io/etcd:etcdutl/snapshot`). */
export interface SnapshotStatus {
  hash?: number;
  revision?: number;
  totalKey?: number;
  totalSize?: number;
  /** Storage version (3.6+). */
  version?: string;
}

/** One entry of `backups/etcd-snapshots.json`. */
export interface EtcdSnapshotFile {
  /** Path of the snapshot on the node that holds it. */
  path: string;
  sizeBytes?: number;
  /** Modification time, ISO 8601. */
  modified?: string;
  status?: SnapshotStatus;
  /** What `snapshot status` printed when it could not read the file. */
  statusError?: string;
  /** Why this entry of the JSON could not be read (the check reports it as unknown). */
  problem?: string;
}

const SNAPSHOTS_FILE = 'backups/etcd-snapshots.json';

/**
 * Parses `backups/etcd-snapshots.json`: `[{ path, sizeBytes, modified, status?, statusError? }]`.
 * Throws `InputError` when the file is not a JSON array; an entry without a usable `path`,
 * `sizeBytes` or `modified` is kept with a `problem`.
 */
/** The fields of an entry of `backups/etcd-snapshots.json`; one of the wrong type makes the entry unread. */
const SNAPSHOT_ENTRY = z.object({
  path: optStr,
  sizeBytes: optNum,
  modified: optStr,
  status: optObject({ hash: optNum, revision: optNum, totalKey: optNum, totalSize: optNum, version: optStr }),
  statusError: optStr,
});

export function parseSnapshotsJson(file: DumpFile): EtcdSnapshotFile[] {
  const doc: unknown = parseJsonFile(file.path, file.content);
  if (!Array.isArray(doc)) throw new InputError(`${file.path}: expected a JSON array of snapshot files`);
  return doc.map((item, i) => {
    if (!isRecord(item)) return { path: `#${i}`, problem: `entry ${i} is not an object` };
    const typed = SNAPSHOT_ENTRY.safeParse(item);
    if (!typed.success) return { path: (typeof item.path === 'string' && item.path) || `#${i}`, problem: `entry ${i} ${describeIssue(typed.error.issues[0]!, item)}` };
    const path = str(item.path) || `#${i}`;
    const entry: EtcdSnapshotFile = { path };
    const sizeBytes = num(item.sizeBytes);
    if (sizeBytes !== undefined) entry.sizeBytes = sizeBytes;
    const modified = str(item.modified);
    if (modified !== undefined && !Number.isNaN(Date.parse(modified))) entry.modified = modified;
    if (isRecord(item.status)) {
      const s = item.status;
      entry.status = {};
      for (const k of ['hash', 'revision', 'totalKey', 'totalSize'] as const) if (num(s[k]) !== undefined) entry.status[k] = num(s[k]);
      if (str(s.version)) entry.status.version = str(s.version);
    }
    if (str(item.statusError)) entry.statusError = str(item.statusError);
    const missing = [!str(item.path) && 'path', sizeBytes === undefined && 'sizeBytes', entry.modified === undefined && 'modified'].filter(Boolean);
    if (missing.length > 0) entry.problem = `entry ${i} has no valid ${missing.join(', ')}`;
    return entry;
  });
}

/** Runs `<tool> snapshot status -w json <file>`; resolves stdout or rejects with stderr. */
export type SnapshotStatusRunner = (file: string) => Promise<string>;

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    execFile(cmd, args, { timeout: timeoutMs, env: { ...process.env, ETCDCTL_API: '3' } }, (err, stdout, stderr) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an Error, typed through Omit
      if (err) rej(Object.assign(err, { stderr }));
      else res({ stdout, stderr });
    });
  });
}

/**
 * The read-only `snapshot status` of the etcd tools on PATH: `etcdutl` (3.5+), else `etcdctl`
 * up to 3.5 (3.6 removed the command from etcdctl). Both open the file read-only (bbolt
 * `ReadOnly`) and print `{hash, revision, totalKey, totalSize}`. Resolves `undefined` when
 * neither tool is usable, so files are then only stat'ed.
 */
export async function findSnapshotStatusRunner(timeoutMs = 60_000): Promise<SnapshotStatusRunner | undefined> {
  const make = (tool: string): SnapshotStatusRunner => async (file) => (await run(tool, ['snapshot', 'status', '-w', 'json', file], timeoutMs)).stdout;
  try {
    await run('etcdutl', ['version'], 10_000);
    return make('etcdutl');
  } catch {
    /* etcdutl not on PATH: try etcdctl */
  }
  try {
    const out = (await run('etcdctl', ['version'], 10_000)).stdout;
    const m = /etcdctl version:\s*3\.(\d+)\./.exec(out);
    if (m && Number(m[1]) <= 5) return make('etcdctl');
  } catch {
    /* no usable etcdctl either */
  }
  return undefined;
}

/** File names taken as etcd snapshots in `--etcd-snapshot-dir`: `*.db`, and k3s/RKE2's `etcd-snapshot-<node>-<time>`. */
export const SNAPSHOT_FILE_NAME = /\.db$|^etcd-snapshot-[^.]+$/;

/**
 * Reads a folder of etcd snapshots on a control-plane node (`--etcd-snapshot-dir`): stats
 * each snapshot file (not recursive; names matching `SNAPSHOT_FILE_NAME`) and, when a runner
 * is given, records `snapshot status` output or the error it printed. Writes nothing.
 * Resolves a `failed` fetch when the folder cannot be read.
 */
export async function readSnapshotDir(dir: string, runner: SnapshotStatusRunner | undefined): Promise<FileFetch> {
  const abs = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(abs, { withFileTypes: true })).filter((d) => d.isFile() && SNAPSHOT_FILE_NAME.test(d.name)).map((d) => d.name).sort();
  } catch (e) {
    return { status: 'failed', reason: `--etcd-snapshot-dir ${abs}: ${(e as Error).message}`, sources: [abs] };
  }
  const entries: EtcdSnapshotFile[] = [];
  for (const name of names) {
    const path = join(abs, name);
    const st = await stat(path);
    const entry: EtcdSnapshotFile = { path, sizeBytes: st.size, modified: st.mtime.toISOString() };
    if (runner && st.size > 0) {
      try {
        const parsed = JSON.parse(await runner(path)) as unknown;
        if (isRecord(parsed)) entry.status = parsed;
      } catch (e) {
        const stderr = ((e as { stderr?: string }).stderr ?? '').trim();
        entry.statusError = (stderr.split('\n').filter(Boolean).pop() ?? (e as Error).message).slice(0, 300);
      }
    }
    entries.push(entry);
  }
  return { status: 'ok', files: [{ path: SNAPSHOTS_FILE, content: Buffer.from(`${JSON.stringify(entries, null, 1)}\n`) }], sources: [abs] };
}

export const etcdSnapshotFilesInput: FileInputDef<EtcdSnapshotFile[]> = {
  type: 'files',
  key: 'etcd-snapshot-files',
  description: 'etcd snapshot files (backups/etcd-snapshots.json; --etcd-snapshot-dir on a control-plane node)',
  files: [SNAPSHOTS_FILE],
  async live() {
    return {
      status: 'missing',
      reason: 'etcd snapshot files live on the control-plane nodes, not in the API: run the scan there with --etcd-snapshot-dir DIR',
    };
  },
  async fromOptions(opts) {
    if (!opts.etcdSnapshotDir) return undefined;
    return readSnapshotDir(opts.etcdSnapshotDir, await findSnapshotStatusRunner());
  },
  parse(files) {
    const value = parseSnapshotsJson(files[0]!);
    return { value, count: value.length };
  },
};

// ---------------------------------------------------------------------------------------------
// k3s / RKE2 embedded etcd snapshots

const K3S_SNAPSHOTS: ApiResource = { group: 'k3s.cattle.io', versions: ['v1'], resource: 'etcdsnapshotfiles', kind: 'ETCDSnapshotFile', namespaced: false, crd: true, subjects: 'k3s/RKE2 etcd snapshots (ETCDSnapshotFiles)' };

/** A k3s/RKE2 `ETCDSnapshotFile` (one per snapshot, cluster-scoped). */
export interface K3sEtcdSnapshot {
  name: string;
  snapshotName?: string;
  nodeName?: string;
  /** `file://…` or `s3://…`. */
  location?: string;
  /** `status.size` in bytes (a Quantity); absent when the snapshot failed. */
  sizeBytes?: number;
  creationTime?: string;
  readyToUse?: boolean;
  errorMessage?: string;
  creationTimestamp?: string;
}

/** The fields of an `ETCDSnapshotFile` the normalizer reads. */
const K3S_SNAPSHOT = z.object({
  spec: optObject({ snapshotName: optStr, nodeName: optStr, location: optStr }),
  status: optObject({ size: quantity.nullish(), creationTime: optStr, readyToUse: optBool, error: optObject({ message: optStr }) }),
});

export const k3sEtcdSnapshotsInput: ResourceInputDef<K3sEtcdSnapshot> = {
  type: 'resources',
  key: 'k3s-etcd-snapshots',
  description: 'k3s/RKE2 embedded etcd snapshots (ETCDSnapshotFile: node, size, creation time, error)',
  resources: [K3S_SNAPSHOTS],
  normalize(o) {
    const { spec, status } = readAs(K3S_SNAPSHOT, o);
    return {
      name: o.metadata.name!,
      snapshotName: opt(spec?.snapshotName),
      nodeName: opt(spec?.nodeName),
      location: opt(spec?.location),
      sizeBytes: parseQuantity(status?.size),
      creationTime: opt(status?.creationTime),
      readyToUse: opt(status?.readyToUse),
      errorMessage: opt(status?.error?.message),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Other backup operators

const K8UP_BACKUPS: ApiResource = { group: 'k8up.io', versions: ['v1'], resource: 'backups', kind: 'Backup', namespaced: true, crd: true, subjects: 'K8up Backups' };
const KUBESTASH_SESSIONS: ApiResource = { group: 'core.kubestash.com', versions: ['v1alpha1'], resource: 'backupsessions', kind: 'BackupSession', namespaced: true, crd: true, subjects: 'KubeStash BackupSessions' };
const STASH_SESSIONS: ApiResource = { group: 'stash.appscode.com', versions: ['v1beta1'], resource: 'backupsessions', kind: 'BackupSession', namespaced: true, crd: true, subjects: 'Stash BackupSessions' };
const LONGHORN_BACKUPS: ApiResource = { group: 'longhorn.io', versions: ['v1beta2'], resource: 'backups', kind: 'Backup', namespaced: true, crd: true, subjects: 'Longhorn Backups' };

export type OperatorTool = 'k8up' | 'kubestash' | 'stash' | 'longhorn';

/** One backup run of another operator, in one shape for every tool. */
export interface OperatorRun {
  tool: OperatorTool;
  /** The run object (`apiVersion`, `kind`, `namespace`, `name`). */
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** What the run belongs to, the freshness subject (the k8up Schedule, the invoker, the Longhorn volume). */
  series: { apiVersion: string; kind: string; namespace?: string; name: string };
  outcome: 'succeeded' | 'failed' | 'running' | 'skipped' | 'unknown';
  /** The tool's own state word (`Succeeded`, `Completed`, `Error`, condition reason). */
  state: string;
  /** When the run finished (or, for Stash/KubeStash sessions, which record no end, when it was created). */
  at?: string;
}

/** The fields of a k8up Backup the normalizer reads. */
const K8UP_BACKUP = z.object({ status: optObject({ conditions: optConditions }) });

function k8upRun(o: KubeObject, base: Pick<OperatorRun, 'apiVersion' | 'kind' | 'namespace' | 'name'>): OperatorRun {
  const conds = readAs(K8UP_BACKUP, o).status?.conditions ?? [];
  const completed = conds.find((c) => c.type === 'Completed' && c.status === 'True');
  const progressing = conds.find((c) => c.type === 'Progressing' && c.status === 'True');
  const owner = (o.metadata.ownerReferences ?? []).find((r) => r.kind === 'Schedule');
  const series = owner
    ? { apiVersion: owner.apiVersion, kind: 'Schedule', namespace: base.namespace, name: owner.name }
    : { apiVersion: 'v1', kind: 'Namespace', name: base.namespace };
  let outcome: OperatorRun['outcome'];
  let state: string;
  if (completed) {
    state = completed.reason ?? '';
    outcome = state === 'Succeeded' ? 'succeeded' : state === 'Failed' ? 'failed' : 'unknown';
  } else if (progressing || conds.length === 0) {
    state = progressing ? 'Progressing' : 'New';
    outcome = 'running';
  } else {
    state = conds.map((c) => `${String(c.type)}=${String(c.status)}`).join(',');
    outcome = 'unknown';
  }
  return { tool: 'k8up', ...base, series, outcome, state, at: opt(completed?.lastTransitionTime) };
}

const SESSION_OUTCOME: Record<string, OperatorRun['outcome']> = { Succeeded: 'succeeded', Failed: 'failed', Pending: 'running', Running: 'running', Skipped: 'skipped' };

/** The fields of a KubeStash or Stash BackupSession the normalizer reads. */
const SESSION = z.object({ spec: optObject({ invoker: optObject({ apiGroup: optStr, kind: optStr, name: optStr }) }), status: optObject({ phase: optStr }) });

function sessionRun(tool: 'kubestash' | 'stash', o: KubeObject, base: Pick<OperatorRun, 'apiVersion' | 'kind' | 'namespace' | 'name'>): OperatorRun {
  const { spec, status } = readAs(SESSION, o);
  const phase = status?.phase ?? 'Pending';
  const invokerKind = spec?.invoker?.kind ?? 'BackupConfiguration';
  const invokerName = spec?.invoker?.name ?? base.name;
  const group = spec?.invoker?.apiGroup ?? (tool === 'kubestash' ? 'core.kubestash.com' : 'stash.appscode.com');
  return {
    tool,
    ...base,
    series: { apiVersion: `${group}/${base.apiVersion.split('/')[1]}`, kind: invokerKind, namespace: base.namespace, name: invokerName },
    outcome: SESSION_OUTCOME[phase] ?? 'unknown',
    state: phase,
    at: o.metadata.creationTimestamp,
  };
}

const LONGHORN_OUTCOME: Record<string, OperatorRun['outcome']> = { Completed: 'succeeded', Error: 'failed', '': 'running', Pending: 'running', InProgress: 'running' };

/** The fields of a Longhorn Backup the normalizer reads. */
const LONGHORN_BACKUP = z.object({ status: optObject({ state: optStr, volumeName: optStr, backupCreatedAt: optStr, lastSyncedAt: optStr }) });

function longhornRun(o: KubeObject, base: Pick<OperatorRun, 'apiVersion' | 'kind' | 'namespace' | 'name'>): OperatorRun {
  const status = readAs(LONGHORN_BACKUP, o).status;
  const state = status?.state ?? '';
  const volume = status?.volumeName || o.metadata.labels?.['backup-volume'] || base.name;
  const outcome = LONGHORN_OUTCOME[state] ?? 'unknown';
  const at = outcome === 'succeeded' ? opt(status?.backupCreatedAt) : status?.lastSyncedAt || o.metadata.creationTimestamp;
  return { tool: 'longhorn', ...base, series: { apiVersion: 'longhorn.io/v1beta2', kind: 'Volume', namespace: base.namespace, name: volume }, outcome, state: state || 'New', at: at || undefined };
}

export const backupOperatorRunsInput: ResourceInputDef<OperatorRun> = {
  type: 'resources',
  key: 'backup-operator-runs',
  description: 'Backup runs of k8up (Backup), KubeStash and Stash (BackupSession) and Longhorn (Backup)',
  resources: [K8UP_BACKUPS, KUBESTASH_SESSIONS, STASH_SESSIONS, LONGHORN_BACKUPS],
  normalize(o) {
    const base = { apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name! };
    const group = o.apiVersion.split('/')[0];
    if (group === 'k8up.io') return k8upRun(o, base);
    if (group === 'core.kubestash.com') return sessionRun('kubestash', o, base);
    if (group === 'stash.appscode.com') return sessionRun('stash', o, base);
    if (group === 'longhorn.io') return longhornRun(o, base);
    return undefined;
  },
};

// ---------------------------------------------------------------------------------------------
// Backup tools by their CRDs

/**
 * Backup tools recognised by marker CRDs. `understood`: kube-preflight reads their runs
 * (Velero, k3s snapshots, k8up, KubeStash, Stash, Longhorn); the others are detected only.
 * Kasten K10 serves its actions through an aggregated API, so its `config.kio.kasten.io`
 * CRDs are the marker.
 */
export const BACKUP_TOOLS: ReadonlyArray<{ tool: string; label: string; crds: string[]; understood: boolean }> = [
  { tool: 'velero', label: 'Velero', crds: ['backups.velero.io', 'schedules.velero.io'], understood: true },
  { tool: 'k3s-etcd-snapshots', label: 'k3s/RKE2 etcd snapshots', crds: ['etcdsnapshotfiles.k3s.cattle.io'], understood: true },
  { tool: 'k8up', label: 'K8up', crds: ['backups.k8up.io', 'schedules.k8up.io'], understood: true },
  { tool: 'kubestash', label: 'KubeStash', crds: ['backupsessions.core.kubestash.com', 'backupconfigurations.core.kubestash.com'], understood: true },
  { tool: 'stash', label: 'Stash', crds: ['backupsessions.stash.appscode.com', 'backupconfigurations.stash.appscode.com'], understood: true },
  { tool: 'longhorn', label: 'Longhorn backups', crds: ['backups.longhorn.io', 'recurringjobs.longhorn.io'], understood: true },
  { tool: 'k8up-legacy', label: 'K8up (legacy backup.appuio.ch/v1alpha1)', crds: ['backups.backup.appuio.ch', 'schedules.backup.appuio.ch'], understood: false },
  { tool: 'kasten', label: 'Kasten K10', crds: ['policies.config.kio.kasten.io', 'profiles.config.kio.kasten.io'], understood: false },
  { tool: 'trilio', label: 'TrilioVault for Kubernetes', crds: ['backups.triliovault.trilio.io', 'backupplans.triliovault.trilio.io'], understood: false },
  { tool: 'stork', label: 'Portworx Stork application backups', crds: ['applicationbackups.stork.libopenstorage.org', 'applicationbackupschedules.stork.libopenstorage.org'], understood: false },
  { tool: 'rancher-backup', label: 'Rancher Backups (backup-restore-operator)', crds: ['backups.resources.cattle.io'], understood: false },
  { tool: 'rke-etcd-snapshots', label: 'Rancher RKE etcd snapshots', crds: ['etcdsnapshots.rke.cattle.io'], understood: false },
  { tool: 'kubeblocks', label: 'KubeBlocks data protection', crds: ['backups.dataprotection.kubeblocks.io'], understood: false },
  { tool: 'volsync', label: 'VolSync', crds: ['replicationsources.volsync.backube'], understood: false },
];

const MARKER_CRDS = new Map(BACKUP_TOOLS.flatMap((t) => t.crds.map((c) => [c, t.tool] as const)));

export interface BackupToolCrd {
  /** CRD name (`plural.group`). */
  name: string;
  /** `BACKUP_TOOLS[].tool`. */
  tool: string;
}

export const backupCrdsInput: ResourceInputDef<BackupToolCrd> = {
  type: 'resources',
  key: 'backup-crds',
  description: 'CustomResourceDefinitions of known backup tools (which tools are installed)',
  resources: [{ ...R.customresourcedefinitions, subjects: 'CustomResourceDefinitions of backup tools' }],
  normalize(o) {
    const tool = MARKER_CRDS.get(o.metadata.name ?? '');
    return tool ? { name: o.metadata.name!, tool } : undefined;
  },
};

declare module '../input-types.js' {
  interface InputTypes {
    'velero-backups': VeleroBackup[];
    'velero-schedules': VeleroSchedule[];
    'velero-backup-storage-locations': VeleroStorageLocation[];
    'velero-restores': VeleroRestore[];
    'etcd-backup-cronjobs': EtcdBackupCronJob[];
    'etcd-backup-jobs': EtcdBackupJob[];
    'etcd-snapshot-files': EtcdSnapshotFile[];
    'k3s-etcd-snapshots': K3sEtcdSnapshot[];
    'backup-operator-runs': OperatorRun[];
    'backup-crds': BackupToolCrd[];
  }
}

export const backupInputs = [
  veleroBackupsInput,
  veleroSchedulesInput,
  veleroStorageLocationsInput,
  veleroRestoresInput,
  etcdBackupCronJobsInput,
  etcdBackupJobsInput,
  etcdSnapshotFilesInput,
  k3sEtcdSnapshotsInput,
  backupOperatorRunsInput,
  backupCrdsInput,
];
