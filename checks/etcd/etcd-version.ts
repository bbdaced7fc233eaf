/**
 * etcd versions against the etcd that kubeadm ships with the target Kubernetes version.
 *
 * Rule `older-than-kubeadm` (medium), one finding for the etcd cluster: members run an etcd
 * older than the image kubeadm x.y.0 of the target version deploys (`RELEASES[].kubeadmEtcd`,
 * from `kubeadm config images list` per release); the evidence lists each such member and its
 * version. One fact, one finding: the upgrade is of the cluster, and the finding keeps its
 * identity whether members are named by the member list or by their endpoints. The target is `--target-version`, else the
 * minor after the server's version. Versions come from the members' status, else from the
 * image tag of their kubeadm pod (`registry.k8s.io/etcd:3.5.6-0`). A target outside the table
 * is reported as an unknown subject.
 *
 * `details`: `{ targetVersion, targetSource, kubeadmEtcd, versions: { <member>: <version> } }`.
 */
import semver from 'semver';
import { defineCheck, type RawFinding, type Unknown } from '../../src/contract/check.js';
import { CheckError } from '../../src/contract/errors.js';
import { minorOf, parseKubeVersion, releaseInfo, RELEASES } from '../../src/k8s/versions.js';
import { CLUSTER_REF, ETCD_ANY_OF, ETCD_CHECK_INPUTS, memberRef, resolveEtcd } from './lib/model.js';

export default defineCheck({
  id: 'etcd-version',
  family: 'etcd',
  title: 'etcd is at least the version kubeadm ships with the target Kubernetes version',
  summary: 'etcd older than what kubeadm ships with the target version (medium)',
  rationale:
    'Each Kubernetes release is tested against the etcd version kubeadm deploys with it. kubeadm ' +
    'upgrades its stacked etcd during `kubeadm upgrade apply`, but an external etcd (or a stacked ' +
    'one whose upgrade was skipped with --etcd-upgrade=false) stays behind, and etcd itself can only ' +
    'be upgraded one minor version at a time.',
  remediation:
    'Stacked etcd (kubeadm): let `kubeadm upgrade apply` upgrade it (do not pass ' +
    '--etcd-upgrade=false). External etcd: upgrade members one at a time, one minor version at a ' +
    'time (3.4 → 3.5 → 3.6), taking a snapshot first (`etcdctl snapshot save`), as in the etcd ' +
    'upgrade guides.',
  references: [
    'https://kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-upgrade/',
    'https://etcd.io/docs/v3.5/upgrades/upgrade_3_5/',
    'https://etcd.io/docs/v3.6/upgrades/upgrade_3_6/',
    'https://github.com/kubernetes/kubernetes/blob/master/cmd/kubeadm/app/constants/constants.go',
  ],
  defaultSeverity: 'medium',
  rules: { 'older-than-kubeadm': { title: 'etcd older than the version kubeadm ships with the target Kubernetes version' } },
  requires: [],
  optional: ETCD_CHECK_INPUTS,
  requiresAnyOf: ETCD_ANY_OF,
  defaultOptions: {},
  run({ optional }, ctx) {
    const r = resolveEtcd(optional);
    if ('notApplicable' in r) return { evaluated: 0, findings: [], notApplicable: r.notApplicable };
    const { model } = r;

    let targetVersion: string;
    let targetSource: string;
    if (ctx.targetVersion) {
      const t = parseKubeVersion(ctx.targetVersion);
      if (!t) throw new CheckError(`target version "${ctx.targetVersion}" is not a Kubernetes version`);
      targetVersion = minorOf(t);
      targetSource = '--target-version';
    } else {
      const server = optional.version.status === 'ok' ? parseKubeVersion(optional.version.value.gitVersion) : undefined;
      if (!server)
        throw new CheckError(
          `no target version: give --target-version (the server version is not known: input version is ${optional.version.status})`,
        );
      targetVersion = minorOf({ major: server.major, minor: server.minor + 1 });
      targetSource = `the minor after the server's ${server.raw}`;
    }
    const release = releaseInfo(targetVersion);
    const versions = Object.fromEntries(model.members.filter((m) => m.version).map((m) => [m.name, m.version!]));
    if (!release?.kubeadmEtcd) {
      const covered = `${RELEASES[0]!.minor}–${RELEASES[RELEASES.length - 1]!.minor}`;
      const gap = release ? `, without the kubeadm images of ${targetVersion}` : '';
      const unknowns: Unknown[] = [
        {
          resource: CLUSTER_REF,
          reason: `no kubeadm etcd version known for Kubernetes ${targetVersion} (${targetSource}); the table covers ${covered}${gap}`,
        },
      ];
      return { evaluated: 0, findings: [], unknowns, details: { targetVersion, targetSource, kubeadmEtcd: null, versions } };
    }
    const kubeadmEtcd = release.kubeadmEtcd;
    const wanted = semver.coerce(kubeadmEtcd)!;
    const findings: RawFinding[] = [];
    const unknowns: Unknown[] = [];
    const older: Array<{ member: string; version: string; image?: string; minorUpgrade: boolean }> = [];
    let evaluated = 0;
    for (const m of model.members) {
      const v = m.version ? semver.coerce(m.version) : null;
      if (!v) {
        unknowns.push({
          resource: memberRef(m),
          reason: `etcd version not known (${m.state}${m.stateReason ? `: ${m.stateReason}` : ''}; no status and no pod image)`,
        });
        continue;
      }
      evaluated++;
      if (semver.gte(v, wanted)) continue;
      older.push({
        member: m.name,
        version: m.version!,
        ...(m.image ? { image: m.image } : {}),
        minorUpgrade: v.minor < wanted.minor || v.major < wanted.major,
      });
    }
    if (older.length > 0) {
      older.sort((a, b) => (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
      const byVersion = new Map<string, string[]>();
      for (const o of older) byVersion.set(o.version, [...(byVersion.get(o.version) ?? []), o.member]);
      const runs = [...byVersion.entries()]
        .map(([v, ms]) => `etcd ${v} on ${ms.length === 1 ? 'member' : `${ms.length} members:`} ${ms.join(', ')}`)
        .join('; ');
      const lowest = [...byVersion.keys()].sort((a, b) => semver.compare(semver.coerce(a)!, semver.coerce(b)!))[0]!;
      const low = semver.coerce(lowest)!;
      const upgrade = `${low.major}.${low.minor} → ${wanted.major}.${wanted.minor}`;
      const step = older.some((o) => o.minorUpgrade) ? ` (a ${upgrade} etcd upgrade)` : '';
      findings.push({
        rule: 'older-than-kubeadm',
        resource: CLUSTER_REF,
        message: `${runs} — older than ${kubeadmEtcd}, which kubeadm ships with Kubernetes ${targetVersion}${step}.`,
        evidence: { version: lowest, members: older.map(({ minorUpgrade: _m, ...o }) => o), targetVersion, targetSource, kubeadmEtcd },
      });
    }
    return { evaluated, findings, unknowns, details: { targetVersion, targetSource, kubeadmEtcd, versions } };
  },
});
