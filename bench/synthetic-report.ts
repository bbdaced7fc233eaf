/**
 * A synthetic report with many findings (default 5,000) across every family, valid against
 * `schema/report-v1.schema.json`, for measuring the renderers at scale (`npm run bench`) and
 * for tests of the HTML's grouping. Deterministic: the same `n` gives the same report.
 */
import { computeVerdict, notAssessed } from '../src/engine/verdict.js';
import { CHECK_STATUSES, SEVERITIES, type CheckStatus, type Family, type Severity } from '../src/contract/check.js';
import type { ResourceRef } from '../src/contract/resource.js';
import { fingerprint } from '../src/k8s/fingerprint.js';
import type { CheckResult, Finding, Report } from '../src/contract/report.js';
import { groupProblems, problemCounts } from '../src/report/problems.js';
import type { Figure, TimelineFigure } from '../src/contract/figures.js';
import type { NodeDrain } from '../src/k8s/drain.js';
import { drainPlanFigure } from '../checks/pdb/lib/plan-figure.js';
import { skewFigure } from '../checks/versions/lib/skew-figure.js';

interface Spec {
  id: string;
  family: Family;
  title: string;
  /** Share of the findings. */
  share: number;
  rules: Array<{ rule: string; title: string; severity: Severity }>;
  subject: (i: number) => ResourceRef;
  message: (i: number, r: ResourceRef) => string;
  evidence: (i: number) => Record<string, unknown>;
  remediation: string;
  /** Details, as the real check of that id produces them (tables, fleet, trend). */
  details?: (count: number) => Record<string, unknown>;
  /** Figures for the report's pictures, as the real check of that id produces them. */
  figures?: (count: number) => Figure[];
}

const NOW = Date.parse('2026-11-23T07:00:18Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const ns = (i: number): string => `team-${String(i % 120).padStart(3, '0')}`;

/** 2,000 simulated node drains, the first `count` blocked by a PDB. */
function drainNodes(count: number): NodeDrain[] {
  return Array.from({ length: 2000 }, (_, i) => ({
    node: `node-${String(i).padStart(4, '0')}`,
    controlPlane: i < 3,
    ready: 'True',
    unschedulable: false,
    evicted: 10,
    skipped: { daemonSet: 3, mirror: 0 },
    pdbBlocked:
      i < count ? [{ pod: `${ns(i)}/web-0`, reason: 'no-disruptions-allowed', pdbs: [`${ns(i)}/web`], disruptionsAllowed: 0 }] : [],
    needsForce: [],
    fitsNowhere: [],
    localVolumes: [],
    emptyDir: [],
    stale: [],
    budgets: [],
    blocked: i < count,
  }));
}

/** The drainable nodes (after the first `count`) in waves of 10. */
function drainOrder(nodes: NodeDrain[], count: number): string[][] {
  return Array.from({ length: 200 }, (_, w) => nodes.slice(count + w * 10, count + w * 10 + 10).map((n) => n.node)).filter(
    (w) => w.length > 0,
  );
}

/** `count * 5` kubelets, the first `count` out of skew today and after the upgrade. */
function kubelets(count: number) {
  return Array.from({ length: count * 5 }, (_, i) => {
    const old = i < count;
    return {
      node: `node-${String(i).padStart(4, '0')}`,
      kubeletVersion: old ? 'v1.23.17' : 'v1.26.4',
      ready: 'True',
      today: { allowed: '1.24–1.26', ok: !old },
      after: { allowed: '1.25–1.27', ok: !old },
    };
  });
}

const SPECS: Spec[] = [
  {
    id: 'certs-cluster-expiry',
    family: 'certs',
    title: 'Certificates are not expired or about to expire',
    share: 0.12,
    rules: [
      { rule: 'expired', title: 'Certificate expired', severity: 'critical' },
      { rule: 'expires-soon', title: 'Certificate expires within the warning window', severity: 'high' },
    ],
    subject: (i) => ({ apiVersion: 'v1', kind: 'Secret', namespace: ns(i), name: `tls-${i}`, field: 'data["tls.crt"]#0' }),
    message: (i) => `The certificate CN=svc-${i}.example.com expires in ${(i % 60) - 5} days.`,
    evidence: (i) => ({ subject: `CN=svc-${i}.example.com`, notAfter: iso(NOW + ((i % 60) - 5) * 86_400_000), daysLeft: (i % 60) - 5 }),
    remediation: 'cert-manager renew: `cmctl renew <certificate> -n <namespace>`; or replace the Secret with a new certificate.',
    details: (count) => ({
      certificates: Array.from({ length: count }, (_, i) => ({
        name: `svc-${i}.example.com`,
        where: `Secret ${ns(i)}/tls-${i} [tls.crt#0]`,
        notAfter: iso(NOW + ((i % 60) - 5) * 86_400_000),
        daysLeft: (i % 60) - 5,
        isCA: false,
      })),
    }),
    figures: (count) => {
      const timeline: TimelineFigure = {
        shape: 'timeline',
        key: 'cert-timeline',
        title: 'Certificate expiry timeline',
        caption: 'When each certificate expires, soonest first.',
        summary: { none: 'None expires within its warning window.', some: '{n} of {total} expire within their warning window.' },
        items: 'certificates',
        now: iso(NOW),
        markers: [{ label: 'warn (30 d)', at: iso(NOW + 30 * 86_400_000) }],
        subject: 'Certificate',
        rows: Array.from({ length: count }, (_, i) => {
          const daysLeft = (i % 60) - 5;
          return {
            key: `fp-${i}`,
            label: `svc-${i}.example.com`,
            locations: [`Secret ${ns(i)}/tls-${i} [tls.crt#0]`],
            notAfter: iso(NOW + daysLeft * 86_400_000),
            daysLeft,
            status: daysLeft < 7 ? 'bad' : daysLeft < 30 ? 'warn' : 'ok',
          };
        }),
      };
      return [timeline];
    },
  },
  {
    id: 'apis-removed',
    family: 'apis',
    title: 'No stored object uses an API removed in the target version',
    share: 0.4,
    rules: [{ rule: 'removed-in-target', title: 'API removed in the target version', severity: 'high' }],
    subject: (i) => ({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', namespace: ns(i), name: `pdb-${i}` }),
    message: (i) => `PodDisruptionBudget ${ns(i)}/pdb-${i} is served as policy/v1beta1, removed in 1.25; migrate to policy/v1.`,
    evidence: () => ({ apiVersion: 'policy/v1beta1', removedIn: '1.25', replacement: 'policy/v1' }),
    remediation: 'kubectl convert -f <manifest> --output-version policy/v1 | kubectl apply -f -',
  },
  {
    id: 'rbac-risky-subjects',
    family: 'rbac',
    title: 'No role grants wildcard verbs or resources',
    share: 0.24,
    rules: [
      { rule: 'wildcard-verbs', title: 'Role grants every verb', severity: 'medium' },
      { rule: 'wildcard-resources', title: 'Role grants every resource', severity: 'low' },
    ],
    subject: (i) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespace: ns(i), name: `app-role-${i}` }),
    message: (i) => `Role ${ns(i)}/app-role-${i} grants "*" on pods, secrets and configmaps.`,
    evidence: (i) => ({ rule: { apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['*'] }, bindings: i % 4 }),
    remediation: 'List the verbs the workload needs and replace "*": `kubectl edit role <name> -n <namespace>`.',
  },
  {
    id: 'pdb-blocking',
    family: 'pdb',
    title: 'No PodDisruptionBudget blocks a node drain',
    share: 0.12,
    rules: [{ rule: 'zero-disruptions', title: 'PodDisruptionBudget allows no disruption', severity: 'high' }],
    subject: (i) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', namespace: ns(i), name: `web-${i}` }),
    message: (i) => `PodDisruptionBudget ${ns(i)}/web-${i} allows 0 disruptions (minAvailable 2, 2 healthy).`,
    evidence: () => ({ disruptionsAllowed: 0, minAvailable: 2, currentHealthy: 2, expectedPods: 2 }),
    remediation: 'Scale the workload up, or set maxUnavailable: 1 on the PodDisruptionBudget.',
  },
  {
    id: 'pdb-drain-plan',
    family: 'pdb',
    title: 'Every node can be drained, and in what order',
    share: 0.002,
    rules: [{ rule: 'drain-blocked', title: 'Node drain blocked by PodDisruptionBudgets', severity: 'critical' }],
    subject: (i) => ({ apiVersion: 'v1', kind: 'Node', name: `node-${String(i).padStart(4, '0')}` }),
    message: (i) => `Draining node-${String(i).padStart(4, '0')} never completes: 1 pod cannot be evicted.`,
    evidence: () => ({ pdbBlocked: 1 }),
    remediation: 'Relax the PodDisruptionBudget or scale its workload before draining.',
    details: (count) => {
      const nodes = drainNodes(count);
      return { maxParallelDrains: 10, drainOrder: drainOrder(nodes, count), nodes };
    },
    figures: (count) => {
      const nodes = drainNodes(count);
      return [drainPlanFigure(nodes, drainOrder(nodes, count), 10)];
    },
  },
  {
    id: 'versions-kubelet-skew',
    family: 'versions',
    title: 'Kubelets are within the supported skew of the target',
    share: 0.08,
    rules: [{ rule: 'kubelet-too-old', title: 'Kubelet older than the supported skew', severity: 'critical' }],
    subject: (i) => ({ apiVersion: 'v1', kind: 'Node', name: `node-${String(i).padStart(4, '0')}` }),
    message: (i) => `Node node-${String(i).padStart(4, '0')} runs kubelet v1.23.17, more than 3 minor versions older than the target 1.27.`,
    evidence: () => ({ kubeletVersion: 'v1.23.17', targetVersion: '1.27', maxSkew: 3 }),
    remediation: 'Upgrade the kubelet of the node before the control plane: drain it, upgrade kubeadm/kubelet packages, uncordon.',
    details: (count) => ({
      apiservers: ['v1.26.4'],
      after: { version: '1.27', assumed: false },
      matrix: kubelets(count),
    }),
    figures: (count) => [
      skewFigure(
        'kubelet',
        kubelets(count).map((k) => ({ node: k.node, ready: k.ready, version: k.kubeletVersion, today: k.today, after: k.after })),
        ['v1.26.4'],
        { version: '1.27', assumed: false },
      ),
    ],
  },
  {
    id: 'etcd-alarms-space',
    family: 'etcd',
    title: 'Every etcd member is healthy',
    share: 0.02,
    rules: [{ rule: 'db-size-high', title: 'etcd database near its quota', severity: 'medium' }],
    subject: (i) => ({ kind: 'EtcdMember', name: `etcd-${i}` }),
    message: (i) => `etcd member etcd-${i} holds a 1.9 GB database, 90% of its 2 GB quota.`,
    evidence: () => ({ dbSizeBytes: 1_932_735_283, quotaBytes: 2_147_483_648 }),
    remediation: 'etcdctl defrag --endpoints=<member>; etcdctl alarm list',
  },
  {
    id: 'backup-velero-freshness',
    family: 'backup',
    title: 'Every Velero Schedule has a recent successful backup',
    share: 0.02,
    rules: [{ rule: 'stale', title: 'Newest successful backup older than its limit', severity: 'high' }],
    subject: (i) => ({ apiVersion: 'velero.io/v1', kind: 'Schedule', namespace: 'velero', name: `ns-${i}-daily` }),
    message: (i) =>
      `Velero Schedule velero/ns-${i}-daily: the newest successful backup is ${30 + (i % 50)} h old, older than 1.5 × its interval (36 h).`,
    evidence: (i) => ({ ageHours: 30 + (i % 50), limitHours: 36, lastSuccess: iso(NOW - (30 + (i % 50)) * 3_600_000) }),
    remediation: 'velero backup create --from-schedule <schedule> -n velero --wait',
  },
];

/** A report of about `n` findings (and the checks, inputs and summary that go with them). */
export function syntheticReport(n = 5000): Report {
  const findings: Finding[] = [];
  const checks: CheckResult[] = [];
  for (const spec of SPECS) {
    const count = Math.max(1, Math.round(n * spec.share));
    const sev: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (let i = 0; i < count; i++) {
      const rule = spec.rules[i % spec.rules.length]!;
      const resource = spec.subject(i);
      sev[rule.severity]++;
      findings.push({
        checkId: spec.id,
        rule: rule.rule,
        severity: rule.severity,
        title: rule.title,
        message: spec.message(i, resource),
        resource,
        evidence: spec.evidence(i),
        remediation: spec.remediation,
        references: ['https://kubernetes.io/docs/tasks/administer-cluster/cluster-upgrade/'],
        fingerprint: fingerprint(spec.id, rule.rule, resource),
      });
    }
    checks.push({
      id: spec.id,
      family: spec.family,
      title: spec.title,
      status: 'fail',
      evaluated: count * 3,
      durationMs: 5,
      findings: sev,
      ...(spec.details ? { details: spec.details(count) } : {}),
      ...(spec.figures ? { figures: spec.figures(count) } : {}),
      unknowns:
        spec.family === 'certs'
          ? [
              {
                resource: { apiVersion: 'v1', kind: 'Secret', namespace: 'legacy', name: 'broken-tls', field: 'data["tls.crt"]#0' },
                reason: 'not a PEM certificate',
              },
            ]
          : [],
      origin: 'builtin',
    });
  }
  checks.push({
    id: 'etcd-quorum',
    family: 'etcd',
    title: 'etcd keeps quorum when one member is down',
    status: 'error',
    reason: 'input etcd-status is missing: no etcd/ folder in the dump',
    evaluated: 0,
    durationMs: 0,
    findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    unknowns: [],
    origin: 'builtin',
  });
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.checkId.localeCompare(b.checkId));
  const counts: Record<Severity | 'waived', number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0, waived: 0 };
  for (const f of findings) counts[f.severity]++;
  const statuses = Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;
  for (const c of checks) statuses[c.status]++;
  const problems = groupProblems(findings, checks, 'critical');
  const { verdict, reason } = computeVerdict(checks, findings, 'critical', problems);
  return {
    apiVersion: 'kube-preflight/v1',
    kind: 'Report',
    metadata: {
      generatedAt: '2026-11-23T07:05:00.000Z',
      now: '2026-11-23T07:00:18.000Z',
      tool: { name: 'kube-preflight', version: '0.1.0', catalogVersion: '000000000000' },
      source: { type: 'dump', location: 'synthetic' },
      cluster: { name: 'synthetic-5000', gitVersion: 'v1.26.4' },
      targetVersion: '1.27',
      failOn: 'critical',
      warnings: [],
    },
    summary: { verdict, reason, findings: counts, checks: statuses, notAssessed: notAssessed(checks), problems: problemCounts(problems) },
    checks,
    inputs: [
      {
        key: 'nodes',
        status: 'ok',
        count: 5000,
        sources: ['resources/nodes.json'],
        usedBy: { required: ['versions-kubelet-skew'], optional: [] },
      },
    ],
    findings,
    problems,
  };
}
