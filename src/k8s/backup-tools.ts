/**
 * The catalog of backup tools kube-preflight recognises in a cluster, by the CRDs they install.
 * Read by the `backup-crds` input (which tools are installed) and the backup-coverage check.
 */

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
  {
    tool: 'kubestash',
    label: 'KubeStash',
    crds: ['backupsessions.core.kubestash.com', 'backupconfigurations.core.kubestash.com'],
    understood: true,
  },
  {
    tool: 'stash',
    label: 'Stash',
    crds: ['backupsessions.stash.appscode.com', 'backupconfigurations.stash.appscode.com'],
    understood: true,
  },
  { tool: 'longhorn', label: 'Longhorn backups', crds: ['backups.longhorn.io', 'recurringjobs.longhorn.io'], understood: true },
  {
    tool: 'k8up-legacy',
    label: 'K8up (legacy backup.appuio.ch/v1alpha1)',
    crds: ['backups.backup.appuio.ch', 'schedules.backup.appuio.ch'],
    understood: false,
  },
  { tool: 'kasten', label: 'Kasten K10', crds: ['policies.config.kio.kasten.io', 'profiles.config.kio.kasten.io'], understood: false },
  {
    tool: 'trilio',
    label: 'TrilioVault for Kubernetes',
    crds: ['backups.triliovault.trilio.io', 'backupplans.triliovault.trilio.io'],
    understood: false,
  },
  {
    tool: 'stork',
    label: 'Portworx Stork application backups',
    crds: ['applicationbackups.stork.libopenstorage.org', 'applicationbackupschedules.stork.libopenstorage.org'],
    understood: false,
  },
  { tool: 'rancher-backup', label: 'Rancher Backups (backup-restore-operator)', crds: ['backups.resources.cattle.io'], understood: false },
  { tool: 'rke-etcd-snapshots', label: 'Rancher RKE etcd snapshots', crds: ['etcdsnapshots.rke.cattle.io'], understood: false },
  { tool: 'kubeblocks', label: 'KubeBlocks data protection', crds: ['backups.dataprotection.kubeblocks.io'], understood: false },
  { tool: 'volsync', label: 'VolSync', crds: ['replicationsources.volsync.backube'], understood: false },
];
