/**
 * Some backup mechanism exists at all, for the control plane and for the workloads, and every
 * backup tool installed is one kube-preflight can assess.
 *
 * Mechanisms (each read by its own input, `src/sources/inputs/backup/`): Velero Schedules or
 * Backups; etcd snapshot CronJobs, Jobs or snapshot files; k3s/RKE2 `ETCDSnapshotFile`s; runs of
 * k8up, KubeStash, Stash or Longhorn. Installed tools are recognised by their CRDs
 * (`BACKUP_TOOLS`).
 *
 * Rules (issue "Backup freshness against an RPO"):
 * - self-managed control plane (`src/k8s/cluster.ts` `controlPlaneKind`) and no mechanism at
 *   all → `no-backup-mechanism` (critical);
 * - managed control plane (etcd is the provider's to back up) and no workload backup (Velero
 *   or another operator) → `no-workload-backup` (high).
 * The mechanism sources are one `requiresAnyOf` group: one mechanism found answers the
 * question whatever the others hold, so the check (not the engine) names the unread ones, and
 * only when no mechanism was seen. Neither rule is raised while a source that could hold a
 * mechanism, or the backup CRDs, was not readable (forbidden, missing from the dump), or while
 * a tool kube-preflight does not understand is installed: those are unknown subjects. Every
 * such tool (Kasten K10, TrilioVault, Stork, Rancher Backups, RKE etcd snapshots, KubeBlocks,
 * VolSync, legacy k8up) is an unknown subject in any case, so a report says plainly which
 * backups it did not assess. Snapshot files that were not read
 * (a live scan without `--etcd-snapshot-dir`) do not hold the rule back; the evidence says so.
 *
 * `details`: `controlPlane` (`managed`, `provider`, `reason`), `mechanisms` (`{tool, objects}`),
 * `installedTools` (`{tool, label, understood}`), `unreadable` (`{input, status, reason}`).
 */
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import type { Collected } from '../../src/contract/inputs.js';
import { controlPlaneKind } from '../../src/k8s/cluster.js';
import { BACKUP_TOOLS } from '../../src/k8s/backup-tools.js';

const WORKLOAD_SOURCES = ['velero-schedules', 'velero-backups', 'backup-operator-runs'] as const;
const ETCD_SOURCES = ['etcd-backup-cronjobs', 'etcd-backup-jobs', 'etcd-snapshot-files', 'k3s-etcd-snapshots'] as const;
/** Unread inputs that hold the rules back (snapshot files do not: see the module comment). */
const BLOCKING = new Set<string>([...WORKLOAD_SOURCES, ...ETCD_SOURCES, 'backup-crds'].filter((k) => k !== 'etcd-snapshot-files'));

export default defineCheck({
  id: 'backup-coverage',
  family: 'backup',
  title: 'A backup mechanism exists for the control plane and the workloads',
  summary:
    'no backup mechanism at all on a self-managed control plane (critical); no workload backup on a managed one ' +
    '(high); installed tools it cannot read (Kasten K10, …) listed as not assessed',
  rationale:
    'Before an upgrade (whose first step is an etcd snapshot) and for every compliance period, there ' +
    'must be some backup to fall back on. A self-managed control plane with no etcd snapshot and no ' +
    'workload backup cannot be rebuilt after a failed upgrade; on a managed control plane the ' +
    'provider backs up etcd, but not in a form that restores one namespace or volume.',
  remediation:
    'Self-managed control plane: schedule etcd snapshots (`etcdctl snapshot save` in a CronJob on a ' +
    'control-plane node, verified with `etcdutl snapshot status`) and copy them off the node. ' +
    'Workloads: install Velero (`velero install --provider <p> --bucket <b> …`) and create a ' +
    'schedule: `velero schedule create daily --schedule "0 2 * * *" --ttl 720h`.',
  references: [
    'https://velero.io/docs/main/basic-install/',
    'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#backing-up-an-etcd-cluster',
  ],
  defaultSeverity: 'critical',
  rules: {
    'no-backup-mechanism': { title: 'No backup mechanism at all on a self-managed control plane', severity: 'critical' },
    'no-workload-backup': { title: 'No workload backup on a managed control plane', severity: 'high' },
  },
  // version, nodes (and the control-plane pods when read): managed or self-managed control plane.
  requires: ['version', 'nodes'],
  // backup-crds: the installed tools, some of which kube-preflight cannot assess.
  optional: [...WORKLOAD_SOURCES, ...ETCD_SOURCES, 'backup-crds', 'control-plane-pods'],
  requiresAnyOf: [[...WORKLOAD_SOURCES, ...ETCD_SOURCES]],
  defaultOptions: {},
  run({ version, nodes, optional }) {
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const pods = optional['control-plane-pods'];
    const cp = controlPlaneKind(version, nodes, pods.status === 'ok' ? pods.value : undefined);
    const inputs = optional as unknown as Record<string, Collected<unknown[]>>;
    const unreadable = Object.entries(inputs)
      .filter(([key, c]) => c.status !== 'ok' && c.status !== 'absent' && BLOCKING.has(key))
      .map(([key, c]) => ({ input: key, status: c.status, reason: c.reason ?? null }));
    const objects = (key: string): number => (inputs[key]?.status === 'ok' ? inputs[key].value.length : 0);

    const mechanisms: Array<{ tool: string; objects: number }> = [];
    const add = (tool: string, n: number): void => {
      if (n > 0) mechanisms.push({ tool, objects: n });
    };
    add('velero', objects('velero-schedules') + objects('velero-backups'));
    const runs = inputs['backup-operator-runs']?.status === 'ok' ? (inputs['backup-operator-runs'].value as Array<{ tool: string }>) : [];
    for (const tool of [...new Set(runs.map((r) => r.tool))].sort()) add(tool, runs.filter((r) => r.tool === tool).length);
    const workload = mechanisms.length > 0;
    add('etcd-snapshot-cronjobs', objects('etcd-backup-cronjobs'));
    add('etcd-snapshot-jobs', objects('etcd-backup-jobs'));
    add('etcd-snapshot-files', objects('etcd-snapshot-files'));
    add('k3s-etcd-snapshots', objects('k3s-etcd-snapshots'));

    const crds = inputs['backup-crds']?.status === 'ok' ? (inputs['backup-crds'].value as Array<{ name: string; tool: string }>) : [];
    const installed = BACKUP_TOOLS.filter((t) => crds.some((c) => c.tool === t.tool));
    const notUnderstood = installed.filter((t) => !t.understood);
    for (const t of notUnderstood) {
      unknowns.push({
        resource: { kind: 'BackupTool', name: t.tool },
        reason: `${t.label} is installed (CRDs ${crds
          .filter((c) => c.tool === t.tool)
          .map((c) => c.name)
          .join(', ')}); kube-preflight does not read its backups, so their freshness is not assessed`,
      });
    }

    const blockers = [
      ...unreadable.map((u) => `input ${u.input} is ${u.status}`),
      ...notUnderstood.map((t) => `${t.label} is installed but not assessed`),
    ];
    const filesInput = inputs['etcd-snapshot-files'];
    const filesNote =
      filesInput && filesInput.status !== 'ok' && filesInput.status !== 'absent'
        ? { snapshotFiles: filesInput.status, snapshotFilesReason: filesInput.reason ?? null }
        : {};
    const resource = { kind: 'Cluster', name: 'cluster', field: 'backups' };
    if (!cp.managed && mechanisms.length === 0) {
      if (blockers.length > 0) {
        if (unreadable.length > 0) unknowns.push({ resource, reason: `no backup mechanism seen, but ${blockers.join('; ')}` });
      } else {
        findings.push({
          rule: 'no-backup-mechanism',
          resource,
          message:
            `No backup mechanism was found (no Velero Schedule or Backup, no etcd snapshot job or file, no ` +
            `other backup operator) on a self-managed control plane (${cp.reason}).`,
          evidence: { controlPlane: cp.reason, provider: cp.provider, ...filesNote },
        });
      }
    }
    if (cp.managed && !workload) {
      if (blockers.length > 0) {
        if (unreadable.length > 0)
          unknowns.push({
            resource: { ...resource, field: 'workload backups' },
            reason: `no workload backup seen, but ${blockers.join('; ')}`,
          });
      } else {
        findings.push({
          rule: 'no-workload-backup',
          resource: { ...resource, field: 'workload backups' },
          message:
            `No workload backup (Velero or another backup operator) was found; the provider (${cp.provider}) ` +
            `backs up etcd but cannot restore one namespace or volume.`,
          evidence: { controlPlane: cp.reason, provider: cp.provider },
        });
      }
    }
    return {
      evaluated: 1,
      findings,
      unknowns,
      details: {
        controlPlane: cp,
        mechanisms,
        installedTools: installed.map((t) => ({ tool: t.tool, label: t.label, understood: t.understood })),
        unreadable,
      },
    };
  },
});
