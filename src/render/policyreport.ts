/**
 * The report as wg-policy Policy Report objects (`report.policyreport.yaml`): the
 * `wgpolicyk8s.io/v1alpha2` PolicyReport and ClusterPolicyReport kinds that Kyverno, Policy
 * Reporter and Trivy Operator read (https://github.com/kubernetes-sigs/wg-policy-prototypes,
 * CRDs as Kyverno ships them). A YAML stream: the ClusterPolicyReport `kube-preflight` first,
 * then one PolicyReport `kube-preflight` per namespace that has findings, by namespace name;
 * every object labelled `app.kubernetes.io/managed-by: kube-preflight`, ready for
 * `kubectl apply -f` once the CRDs are installed.
 *
 * Results (`policy` = check id, `category` = family, `source` = `kube-preflight`,
 * `timestamp` = `metadata.generatedAt` as `{seconds, nanos}`):
 * - one per finding, in the PolicyReport of its subject's namespace (an object's, or a
 *   namespaced subject's such as a Helm release), else in the ClusterPolicyReport:
 *   `rule` = rule id, `severity` = the finding's (the Kyverno CRD's enum is ours: critical,
 *   high, medium, low, info), `message`, `resources` = the object when the subject is a
 *   Kubernetes API object (`apiVersion`, `kind`, `namespace`, `name`; the place inside it —
 *   `tls.crt#0`, an API version — in `properties.field`, as it is no Go field path for
 *   `fieldPath`); any other subject — a file, an etcd cluster, a Kubernetes release, an API
 *   resource — is named in `properties.subject` instead. `result` follows the gate like
 *   SARIF and JUnit: `fail` (`scored: true`) for a finding that makes the verdict NO-GO
 *   (`isBlocking`), `warn` (`scored: false`, wg-policy's "non-scored policies whose
 *   requirements were not met") for any other — below `--fail-on`, waived, in the baseline —
 *   with the reason in `properties.gate`. `properties` (strings): `fingerprint`, `title`,
 *   `gate`, `subject`, `field`, `remediation`, `evidence.<key>` (evidence flattened as the other
 *   renderings show it), `waiver.*`, `baseline`, `previous.*`;
 * - one per check in the ClusterPolicyReport for what is not a finding: `pass` for a check
 *   that passed; `error` for a check not fully assessed (status `error` or `incomplete`, or a
 *   `fail` with unknowns: the checks that make a report INCOMPLETE), its message the check's
 *   reason, `properties.unknowns` their number and `properties.notAssessed` every subject not
 *   judged (`<subject>: <reason>`, one a line), `resources` the API objects among them; `skip`
 *   for a check `skipped` or `not-applicable`, with its reason.
 * `summary` counts each object's results by `result` (pass, fail, warn, error, skip).
 *
 * Written with the `yaml` library in YAML 1.1 mode, so strings YAML 1.1 parsers would read as
 * booleans, numbers or timestamps (`yes`, `12`, `2026-12-31`; Go's yaml.v2 behind kubectl)
 * are quoted and `properties` stay strings.
 */
import { stringify } from 'yaml';
import type { Family } from '../contract/check.js';
import { resourceLabel } from '../k8s/fingerprint.js';
import type { CheckResult, Finding, Report } from '../contract/report.js';
import { evidencePairs, findingsByCheck, isBlocking, notGating, plural } from './common.js';

export const POLICY_REPORT_API_VERSION = 'wgpolicyk8s.io/v1alpha2';
/** `metadata.name` of every object, `source` of every result and the managed-by label. */
export const POLICY_REPORT_SOURCE = 'kube-preflight';

export type PolicyResultValue = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/** A Kubernetes ObjectReference as the CRD's `resources` items hold it. */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One entry of `results` (PolicyReportResult). */
export interface PolicyReportResult {
  policy: string;
  rule?: string;
  result: PolicyResultValue;
  scored?: boolean;
  severity?: Finding['severity'];
  category?: Family;
  source: string;
  timestamp: { seconds: number; nanos: number };
  message: string;
  resources?: ObjectReference[];
  properties: Record<string, string>;
}

/** A PolicyReport (with `metadata.namespace`) or a ClusterPolicyReport. */
export interface PolicyReportObject {
  apiVersion: typeof POLICY_REPORT_API_VERSION;
  kind: 'PolicyReport' | 'ClusterPolicyReport';
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  summary: Record<PolicyResultValue, number>;
  results: PolicyReportResult[];
}

/** `{seconds, nanos}` of an RFC 3339 time (millisecond precision, as `Date` reads it). */
export function protoTimestamp(iso: string): { seconds: number; nanos: number } {
  const ms = Date.parse(iso);
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/**
 * The subject as an ObjectReference when it is a Kubernetes API object (it has an `apiVersion`);
 * undefined for a file and for subjects that are not API objects (an etcd cluster, a Kubernetes
 * release, a Helm release, an API resource, a metric, a class of objects named `*`).
 */
function objectReference(r: Finding['resource']): ObjectReference | undefined {
  if ('file' in r || !r.apiVersion || r.name === '*') return undefined;
  return { apiVersion: r.apiVersion, kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name };
}

function findingResult(
  f: Finding,
  category: Family | undefined,
  report: Report,
  timestamp: PolicyReportResult['timestamp'],
): PolicyReportResult {
  const blocking = isBlocking(f, report);
  const properties: Record<string, string> = {
    fingerprint: f.fingerprint,
    title: f.title,
    gate: blocking ? `blocks the verdict: at or above --fail-on ${report.metadata.failOn}` : `does not gate: ${notGating(f, report)}`,
  };
  if (f.remediation) properties.remediation = f.remediation;
  for (const { key, value } of evidencePairs(f.evidence)) properties[`evidence.${key}`] = value;
  if (f.waiver) {
    properties['waiver.reason'] = f.waiver.reason;
    properties['waiver.owner'] = f.waiver.owner;
    properties['waiver.expires'] = f.waiver.expires;
    if (f.waiver.ticket) properties['waiver.ticket'] = f.waiver.ticket;
  }
  if (f.baseline) properties.baseline = f.baseline;
  if (f.previous) {
    properties['previous.rule'] = f.previous.rule;
    properties['previous.severity'] = f.previous.severity;
    properties['previous.fingerprint'] = f.previous.fingerprint;
  }
  const ref = objectReference(f.resource);
  if (!ref) properties.subject = resourceLabel(f.resource);
  else if (f.resource.field) properties.field = f.resource.field;
  return {
    policy: f.checkId,
    rule: f.rule,
    result: blocking ? 'fail' : 'warn',
    scored: blocking,
    severity: f.severity,
    ...(category ? { category } : {}),
    source: POLICY_REPORT_SOURCE,
    timestamp,
    message: f.message,
    ...(ref ? { resources: [ref] } : {}),
    properties,
  };
}

/** The check's own result when it is not (only) findings: pass, error (not fully assessed) or skip; none for a plain `fail`. */
function checkResult(c: CheckResult, timestamp: PolicyReportResult['timestamp']): PolicyReportResult | undefined {
  const own = (
    result: PolicyResultValue,
    message: string,
    properties: Record<string, string>,
    resources: ObjectReference[] = [],
  ): PolicyReportResult => ({
    policy: c.id,
    result,
    category: c.family,
    source: POLICY_REPORT_SOURCE,
    timestamp,
    message,
    ...(resources.length > 0 ? { resources } : {}),
    properties: { title: c.title, status: c.status, evaluated: String(c.evaluated), ...properties },
  });
  if (c.status === 'skipped' || c.status === 'not-applicable') return own('skip', `${c.status}${c.reason ? `: ${c.reason}` : ''}`, {});
  if (c.status === 'error' || c.status === 'incomplete' || c.unknowns.length > 0) {
    const refs = c.unknowns.map((u) => objectReference(u.resource)).filter((r): r is ObjectReference => r !== undefined);
    const properties: Record<string, string> = { unknowns: String(c.unknowns.length) };
    if (c.unknowns.length > 0) properties.notAssessed = c.unknowns.map((u) => `${resourceLabel(u.resource)}: ${u.reason}`).join('\n');
    const message = c.reason ?? (c.status === 'error' ? 'the check could not run' : `${plural(c.unknowns.length, 'subject')} not assessed`);
    return own('error', message, properties, refs);
  }
  if (c.status === 'pass') return own('pass', `${c.title}: passed, ${plural(c.evaluated, 'subject')} evaluated.`, {});
  return undefined;
}

function reportObject(kind: PolicyReportObject['kind'], results: PolicyReportResult[], namespace?: string): PolicyReportObject {
  const summary: Record<PolicyResultValue, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) summary[r.result]++;
  return {
    apiVersion: POLICY_REPORT_API_VERSION,
    kind,
    metadata: {
      name: POLICY_REPORT_SOURCE,
      ...(namespace ? { namespace } : {}),
      labels: { 'app.kubernetes.io/managed-by': POLICY_REPORT_SOURCE },
    },
    summary,
    results,
  };
}

/**
 * The report's ClusterPolicyReport, then its PolicyReports by namespace name (see the module
 * docs). Results follow the report's check order; within a check, its findings in report order,
 * then the check's own result.
 */
export function policyReports(report: Report): PolicyReportObject[] {
  const timestamp = protoTimestamp(report.metadata.generatedAt);
  const byCheck = findingsByCheck(report);
  const cluster: PolicyReportResult[] = [];
  const byNamespace = new Map<string, PolicyReportResult[]>();
  const place = (f: Finding, category: Family | undefined): void => {
    const result = findingResult(f, category, report, timestamp);
    const ns = 'file' in f.resource ? undefined : f.resource.namespace;
    if (!ns) cluster.push(result);
    else if (byNamespace.has(ns)) byNamespace.get(ns)!.push(result);
    else byNamespace.set(ns, [result]);
  };
  for (const c of report.checks) {
    for (const f of byCheck.get(c.id) ?? []) place(f, c.family);
    byCheck.delete(c.id);
    const own = checkResult(c, timestamp);
    if (own) cluster.push(own);
  }
  // Findings of a check the report does not list (a hand-edited report): kept, without a category.
  for (const list of byCheck.values()) for (const f of list) place(f, undefined);
  const namespaces = [...byNamespace.keys()].sort();
  return [reportObject('ClusterPolicyReport', cluster), ...namespaces.map((ns) => reportObject('PolicyReport', byNamespace.get(ns)!, ns))];
}

/** Renders the objects as a YAML stream, each document starting with `---` (see the module docs). */
export function renderPolicyReport(report: Report): string {
  return policyReports(report)
    .map((o) => `---\n${stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })}`)
    .join('');
}
