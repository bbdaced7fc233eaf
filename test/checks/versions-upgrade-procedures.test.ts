/**
 * The upgrade procedures of the versions-upgrade-path plan: every kind of control plane upgrades
 * the control plane before the workers, one node at a time, and self-managed etcd is snapshotted
 * first.
 */
import { describe, expect, it } from 'vitest';
import { UPGRADE_PROCEDURES } from '../../checks/versions/data/upgrade-procedures.js';

const input = {
  minor: '1.31',
  version: 'v1.31.x',
  controlPlaneNodes: ['cp-1', 'cp-2'],
  workerNodes: ['w-1', 'w-2'],
  datastore: 'k3s-embedded-etcd' as const,
};

describe('upgrade procedures', () => {
  it.each(Object.entries(UPGRADE_PROCEDURES))('%s: control plane before workers', (_provider, proc) => {
    const phases = proc.step(input).map((p) => p.phase);
    expect(phases.indexOf('control-plane')).toBeGreaterThanOrEqual(0);
    expect(phases.indexOf('control-plane')).toBeLessThan(phases.indexOf('workers'));
    if (phases.includes('etcd-snapshot')) expect(phases[0]).toBe('etcd-snapshot');
    if (phases.includes('datastore-backup')) expect(phases[0]).toBe('datastore-backup');
    expect(proc.reference).toMatch(/^https:\/\//);
  });

  it('kubeadm: snapshot, kubeadm upgrade apply on the first control-plane node, upgrade node on the rest, workers drained one by one', () => {
    const [snap, cp, workers] = UPGRADE_PROCEDURES.kubeadm.step(input);
    expect(snap!.commands[0]).toContain('etcdctl');
    expect(snap!.commands[0]).toContain('snapshot save');
    expect(cp!.nodes).toEqual(['cp-1', 'cp-2']);
    expect(cp!.commands.join('\n')).toContain('on the first (cp-1): kubeadm upgrade plan && kubeadm upgrade apply v1.31.x');
    expect(cp!.commands.join('\n')).toContain('kubeadm upgrade node');
    expect(workers!.nodes).toEqual(['w-1', 'w-2']);
    expect(workers!.commands).toEqual([
      'kubectl cordon <node>',
      'kubectl drain <node> --ignore-daemonsets --delete-emptydir-data',
      expect.stringContaining('kubeadm upgrade node'),
      expect.stringContaining("kubelet='1.31.*'"),
      'kubectl uncordon <node>',
    ]);
  });

  it('managed control planes: the provider command, no etcd snapshot', () => {
    expect(UPGRADE_PROCEDURES.eks.step(input)[0]!.commands[0]).toContain(
      'aws eks update-cluster-version --name <cluster> --kubernetes-version 1.31',
    );
    expect(UPGRADE_PROCEDURES.gke.step(input)[0]!.commands[0]).toContain(
      'gcloud container clusters upgrade <cluster> --master --cluster-version 1.31',
    );
    expect(UPGRADE_PROCEDURES.aks.step({ ...input, version: 'v1.31.2' })[0]!.commands[0]).toContain(
      '--kubernetes-version 1.31.2 --control-plane-only',
    );
    for (const p of ['eks', 'gke', 'aks'] as const)
      expect(UPGRADE_PROCEDURES[p].step(input).map((x) => x.phase)).not.toContain('etcd-snapshot');
  });

  it('k3s and RKE2: etcd snapshot, servers, then agents with the install script', () => {
    expect(UPGRADE_PROCEDURES.k3s.step(input)[0]!.commands).toEqual(['k3s etcd-snapshot save --name before-v1.31.x']);
    const kine = UPGRADE_PROCEDURES.k3s.step({ ...input, datastore: 'k3s-kine' })[0]!;
    expect(kine.phase).toBe('datastore-backup');
    expect(kine.nodes).toEqual(['cp-1']);
    expect(kine.commands).toEqual([
      'on the server, with k3s stopped: cp -a /var/lib/rancher/k3s/server/db /var/backups/k3s-db-before-v1.31.x && cp /var/lib/rancher/k3s/server/token /var/backups/k3s-token-before-v1.31.x',
      'an external database (MySQL, PostgreSQL, etcd): back it up with its own tools',
    ]);
    expect(UPGRADE_PROCEDURES.rke2.step(input)[2]!.commands.join('\n')).toContain(
      'INSTALL_RKE2_TYPE=agent INSTALL_RKE2_VERSION=v1.31.x+rke2r1',
    );
  });
});
