/**
 * Runs of other backup operators, in one shape: k8up Backups
 * (`k8up-io/k8up:docs/modules/ROOT/pages/references/status.adoc`), KubeStash and Stash
 * BackupSessions (`core.kubestash.com/v1alpha1`, `stash.appscode.com/v1beta1`), Longhorn
 * Backups (`longhorn.io/v1beta2`).
 */
import type { KubeObject } from '../../../k8s/objects.js';
import type { ResourceInputDef } from '../../input-def.js';
import type { ApiResource } from '../../../contract/inputs.js';
import { optConditions, optObject, optStr, readAs, z } from '../../schema.js';
import { opt } from './fields.js';
import type { OperatorRun } from '../../../contract/values/backup.js';

const K8UP_BACKUPS: ApiResource = {
  group: 'k8up.io',
  versions: ['v1'],
  resource: 'backups',
  kind: 'Backup',
  namespaced: true,
  crd: true,
  subjects: 'K8up Backups',
};
const KUBESTASH_SESSIONS: ApiResource = {
  group: 'core.kubestash.com',
  versions: ['v1alpha1'],
  resource: 'backupsessions',
  kind: 'BackupSession',
  namespaced: true,
  crd: true,
  subjects: 'KubeStash BackupSessions',
};
const STASH_SESSIONS: ApiResource = {
  group: 'stash.appscode.com',
  versions: ['v1beta1'],
  resource: 'backupsessions',
  kind: 'BackupSession',
  namespaced: true,
  crd: true,
  subjects: 'Stash BackupSessions',
};
const LONGHORN_BACKUPS: ApiResource = {
  group: 'longhorn.io',
  versions: ['v1beta2'],
  resource: 'backups',
  kind: 'Backup',
  namespaced: true,
  crd: true,
  subjects: 'Longhorn Backups',
};

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

const SESSION_OUTCOME: Record<string, OperatorRun['outcome']> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  Pending: 'running',
  Running: 'running',
  Skipped: 'skipped',
};

/** The fields of a KubeStash or Stash BackupSession the normalizer reads. */
const SESSION = z.object({
  spec: optObject({ invoker: optObject({ apiGroup: optStr, kind: optStr, name: optStr }) }),
  status: optObject({ phase: optStr }),
});

function sessionRun(
  tool: 'kubestash' | 'stash',
  o: KubeObject,
  base: Pick<OperatorRun, 'apiVersion' | 'kind' | 'namespace' | 'name'>,
): OperatorRun {
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

const LONGHORN_OUTCOME: Record<string, OperatorRun['outcome']> = {
  Completed: 'succeeded',
  Error: 'failed',
  '': 'running',
  Pending: 'running',
  InProgress: 'running',
};

/** The fields of a Longhorn Backup the normalizer reads. */
const LONGHORN_BACKUP = z.object({
  status: optObject({ state: optStr, volumeName: optStr, backupCreatedAt: optStr, lastSyncedAt: optStr }),
});

function longhornRun(o: KubeObject, base: Pick<OperatorRun, 'apiVersion' | 'kind' | 'namespace' | 'name'>): OperatorRun {
  const status = readAs(LONGHORN_BACKUP, o).status;
  const state = status?.state ?? '';
  const volume = status?.volumeName || o.metadata.labels?.['backup-volume'] || base.name;
  const outcome = LONGHORN_OUTCOME[state] ?? 'unknown';
  const at = outcome === 'succeeded' ? opt(status?.backupCreatedAt) : status?.lastSyncedAt || o.metadata.creationTimestamp;
  return {
    tool: 'longhorn',
    ...base,
    series: { apiVersion: 'longhorn.io/v1beta2', kind: 'Volume', namespace: base.namespace, name: volume },
    outcome,
    state: state || 'New',
    at: at || undefined,
  };
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
