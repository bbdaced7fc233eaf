/**
 * The local kubectl within one minor of every kube-apiserver, today and after the upgrade.
 *
 * Rule source: `SKEW_POLICY.kubectl` in `src/k8s/skew.ts` (Version Skew Policy page: "kubectl
 * is supported within one minor version (older or newer) of kube-apiserver"). The version is the
 * `kubectl-version` input: `kubectl version --client` on a live scan; in a dump, the recorded
 * `kubectl-version.json` or the `clientVersion` of `version.json`.
 *
 * kubectl is the operator's tool, not part of the cluster: only a live scan judges it, as
 * information about the user's own client (`info`). In a dump (or `--no-cluster`) scan it is the
 * client of whoever collected the dump: the check is not applicable and its `details` show the
 * version and the kubectl minors the control plane supports, as context. Without a kubectl
 * version, the check is not applicable.
 *
 * `details`: `{ kubectlVersion, judged: boolean, today: { allowed }, after: { version, allowed } | null }`
 * (`judged` false in a dump scan; the file the version came from is the input's `sources` in the report).
 */
import { defineCheck, type RawFinding } from '../../src/contract/check.js';
import { judgeSkew, minorLabels, parseKube1, SKEW_POLICY } from '../../src/k8s/skew.js';
import { apiserverVersions, rangeLabel, readControlPlane, upgradeContext } from './lib/cluster-versions.js';

const KUBECTL = { kind: 'Client', name: 'kubectl' };

export default defineCheck({
  id: 'versions-kubectl-skew',
  family: 'versions',
  title: 'kubectl is within one minor of the kube-apiservers',
  summary:
    'live scans only: your own kubectl more than one minor from the kube-apiservers (info). In a dump it is the ' +
    "collector's client: not applicable, its version and the supported range shown as context",
  rationale:
    'The upgrade is driven with kubectl (cordon, drain, uncordon). A kubectl more than one minor ' +
    'away from the kube-apiserver is outside the tested combinations: it may not know the API ' +
    'versions the server serves, or send fields the server does not accept.',
  remediation:
    'Install a kubectl of the control plane minor (or one minor off), e.g. from ' +
    'https://dl.k8s.io/release/v<minor>.<patch>/bin/linux/amd64/kubectl, and use it for the upgrade; ' +
    'after the upgrade, use one of the target minor.',
  references: ['https://kubernetes.io/releases/version-skew-policy/#kubectl', 'https://kubernetes.io/docs/tasks/tools/'],
  defaultSeverity: 'info',
  rules: {
    'kubectl-skew': { title: 'Your kubectl is more than one minor away from a kube-apiserver', severity: 'info' },
    'kubectl-skew-after-upgrade': { title: 'Your kubectl would be more than one minor away from the target version', severity: 'info' },
  },
  requires: ['version'],
  optional: ['kubectl-version', 'control-plane-pods'],
  defaultOptions: {},
  run({ version, optional }, ctx) {
    const kc = optional['kubectl-version'];
    // Only ok or absent reach here as a value; unread, the engine reports it as an unknown.
    if (!kc.value) {
      return {
        evaluated: 0,
        findings: [],
        notApplicable: `no kubectl version to judge (input kubectl-version is ${kc.status}${kc.reason ? `: ${kc.reason}` : ''})`,
      };
    }
    const cp = readControlPlane(version, optional['control-plane-pods']);
    if (!cp.span) return { evaluated: 0, findings: [], unknowns: cp.unknowns, notApplicable: 'no kube-apiserver version could be read' };
    const raw = kc.value.gitVersion;
    const own = parseKube1(raw);
    const live = ctx.source.type === 'live';
    if (!own) {
      const reason = `kubectl gitVersion "${raw}" is not a Kubernetes 1.x version`;
      if (!live)
        return {
          evaluated: 0,
          findings: [],
          notApplicable: `${notOfTheCluster(raw, kc.value.file)} (${reason})`,
          details: { kubectlVersion: raw, judged: false },
        };
      return { evaluated: 0, findings: [], unknowns: [...cp.unknowns, { resource: KUBECTL, reason }] };
    }
    const { target } = upgradeContext(ctx, cp.span);
    const apiservers = apiserverVersions(cp);
    const today = judgeSkew(SKEW_POLICY.kubectl, own.minor, cp.minors);
    const afterMinor = target && target.kind !== 'patch' ? target.minor : undefined;
    const after = afterMinor === undefined ? undefined : judgeSkew(SKEW_POLICY.kubectl, own.minor, [afterMinor]);
    const details = {
      kubectlVersion: raw,
      judged: live,
      today: { allowed: rangeLabel(today.allowedMinors) },
      after: after ? { version: `1.${afterMinor}`, allowed: rangeLabel(after.allowedMinors) } : null,
    };
    if (!live) {
      const supported =
        `kubectl supported today: ` +
        `${details.today.allowed}${details.after ? `; after the upgrade to ${details.after.version}: ${details.after.allowed}` : ''}`;
      return { evaluated: 0, findings: [], notApplicable: `${notOfTheCluster(raw, kc.value.file)} (${supported})`, details };
    }
    const findings: RawFinding[] = [];
    const evidence = { kubectlVersion: raw, apiserverVersions: apiservers };
    if (!today.ok) {
      findings.push({
        rule: 'kubectl-skew',
        resource: KUBECTL,
        message:
          `Your kubectl ${raw} is outside one minor of kube-apiserver ${apiservers.join(', ')} (supported ` +
          `kubectl: ${rangeLabel(today.allowedMinors)}).`,
        evidence: { ...evidence, allowedMinors: minorLabels(today.allowedMinors) },
      });
    }
    if (after && !after.ok) {
      findings.push({
        rule: 'kubectl-skew-after-upgrade',
        resource: KUBECTL,
        message:
          `Your kubectl ${raw} would be outside one minor of kube-apiserver 1.${afterMinor} after the ` +
          `upgrade (supported kubectl: ${rangeLabel(after.allowedMinors)}).`,
        evidence: { ...evidence, targetVersion: `1.${afterMinor}`, allowedMinors: minorLabels(after.allowedMinors) },
      });
    }
    return { evaluated: 1, findings, unknowns: cp.unknowns, details };
  },
});

/** Why a dump's kubectl is not judged: it belongs to whoever collected the dump. */
function notOfTheCluster(raw: string, file: string): string {
  return `kubectl ${raw} (from ${file}) is the client that collected the dump, not part of the cluster: not judged`;
}
