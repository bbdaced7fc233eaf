/**
 * The report as SARIF 2.1.0 (`report.sarif`), for code-scanning tools (GitHub code scanning,
 * GitLab, Azure DevOps, SARIF viewers).
 *
 * - One `reportingDescriptor` per check rule that has findings, id `<checkId>/<rule>`, with
 *   the rule's title, the check's title, the remediation and the first reference.
 * - One result per finding. `level` (SARIF 2.1.0, result object, `level` property) follows
 *   the gate: `error` for a finding that makes the verdict NO-GO (unwaived, at or above
 *   `metadata.failOn`, and with a baseline new or worse than before: `isBlocking`); any other
 *   finding is `warning` when critical, high or medium and `note` when low or info, so
 *   code-scanning tools that fail on `error` fail exactly when the verdict does, and the rest
 *   stays visible, ranked. A rule's `defaultConfiguration.level` is the level an unwaived new
 *   finding of its severity would get. `partialFingerprints["kubePreflight/v1"]` = the
 *   finding's fingerprint (stable across scans), the evidence in `properties`.
 * - Waived findings carry an accepted external suppression (result `suppressions`). With a
 *   baseline, `baselineState` (§3.27.24) is `new` for new findings, `unchanged` for existing
 *   ones and `updated` for changed ones (whose `properties.previous` holds the baseline's rule,
 *   severity and fingerprint). Resolved findings are not emitted as `absent` results: they
 *   belong to the baseline scan, whose evidence this report does not hold; report.json lists
 *   them under `baseline.resolved`.
 * - Locations: a finding about a file (`{file, field}`: a `--manifests` file, a PKI file) has
 *   a physical location at that file, with `region.startLine` when the evidence gives the line:
 *   `evidence.line`, or the `line` of an `evidence.sources[]` entry for that file (the apis
 *   family's `--manifests` findings).
 *   A finding about a Kubernetes object (or an etcd member, an RBAC subject) has a logical
 *   location (kind `resource`, the object's identity) and also a physical location at a
 *   virtual path `kubernetes/<namespace|_cluster>/<Kind[.group]>/<name>`: GitHub code scanning
 *   rejects a whole upload when a result has no physical location, so every result has one.
 * - Coverage: checks that errored, were incomplete or skipped, subjects that could not be
 *   assessed, and reads the permission plan found forbidden are `toolExecutionNotifications`; `executionSuccessful` is
 *   false when a check errored.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location, Log, Notification, ReportingDescriptor, Result } from 'sarif';
import type { FailOn, Severity } from '../contract/check.js';
import type { ResourceRef } from '../contract/resource.js';
import { atOrAbove } from '../engine/verdict.js';
import { groupOf } from '../k8s/objects.js';
import { resourceIdentity, resourceLabel } from '../k8s/fingerprint.js';
import type { Finding, Report } from '../contract/report.js';
import { clusterLabel, isBlocking } from './common.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';

/** The level of a finding that does not gate. */
const NOT_GATING: Record<Severity, Result.level> = { critical: 'warning', high: 'warning', medium: 'warning', low: 'note', info: 'note' };

const BASELINE_STATE: Record<NonNullable<Finding['baseline']>, Result.baselineState> = {
  new: 'new',
  existing: 'unchanged',
  changed: 'updated',
};

function levelOf(f: Finding, report: Report): Result.level {
  return isBlocking(f, report) ? 'error' : NOT_GATING[f.severity];
}

function seg(s: string): string {
  return encodeURIComponent(s);
}

/** A URI for a file path as given (relative stays relative, with `/` separators). */
function fileUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.replace(/\\/g, '/').split('/').map(seg).join('/');
}

/** `kubernetes/velero/Schedule.velero.io/daily-full`. */
function objectUri(r: Exclude<ResourceRef, { file: string }>): string {
  const group = r.apiVersion ? groupOf(r.apiVersion) : '';
  return ['kubernetes', r.namespace ?? '_cluster', `${r.kind}${group ? `.${group}` : ''}`, r.name].map(seg).join('/');
}

function isLine(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}

/** The line of `file` the evidence names: `line`, or a `sources[]` entry `{file, line}`. */
function lineOf(file: string, evidence: Record<string, unknown>): number | undefined {
  if (isLine(evidence.line)) return evidence.line;
  if (!Array.isArray(evidence.sources)) return undefined;
  for (const s of evidence.sources as unknown[]) {
    if (typeof s === 'object' && s !== null && (s as { file?: unknown }).file === file && isLine((s as { line?: unknown }).line))
      return (s as { line: number }).line;
  }
  return undefined;
}

function location(r: ResourceRef, evidence: Record<string, unknown>): Location {
  if ('file' in r) {
    const line = lineOf(r.file, evidence);
    const loc: Location = {
      physicalLocation: {
        artifactLocation: { uri: fileUri(r.file) },
        ...(line !== undefined ? { region: { startLine: line } } : {}),
      },
    };
    if (r.field) loc.message = { text: r.field };
    return loc;
  }
  return {
    physicalLocation: { artifactLocation: { uri: objectUri(r) } },
    logicalLocations: [{ name: resourceLabel(r), fullyQualifiedName: resourceIdentity(r), kind: 'resource' }],
  };
}

/** The first reference that is an http(s) URL, normalized (percent-encoded) for `helpUri`. */
function helpUri(references: string[]): string | undefined {
  for (const r of references) {
    try {
      const u = new URL(r);
      if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
    } catch {
      // not a URL: try the next one
    }
  }
  return undefined;
}

function ruleOf(f: Finding, failOn: FailOn, checkTitle: string | undefined, family: string | undefined): ReportingDescriptor {
  const help = f.remediation.trim();
  const uri = helpUri(f.references);
  return {
    id: `${f.checkId}/${f.rule}`,
    shortDescription: { text: f.title },
    ...(checkTitle ? { fullDescription: { text: checkTitle } } : {}),
    ...(help ? { help: { text: help } } : {}),
    ...(uri ? { helpUri: uri } : {}),
    defaultConfiguration: { level: atOrAbove(f.severity, failOn) ? 'error' : NOT_GATING[f.severity] },
    properties: { severity: f.severity, ...(family ? { tags: ['kubernetes', family] } : { tags: ['kubernetes'] }) },
  };
}

/** Renders the SARIF 2.1.0 log (one run) as JSON text ending in a newline. */
export function renderSarif(report: Report): string {
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const sorted = [...report.findings].sort((a, b) => `${a.checkId}/${a.rule}`.localeCompare(`${b.checkId}/${b.rule}`));
  for (const f of sorted) {
    const id = `${f.checkId}/${f.rule}`;
    if (ruleIndex.has(id)) continue;
    ruleIndex.set(id, rules.length);
    const c = checks.get(f.checkId);
    rules.push(ruleOf(f, report.metadata.failOn, c?.title, c?.family));
  }
  const results: Result[] = report.findings.map((f) => {
    const id = `${f.checkId}/${f.rule}`;
    const r: Result = {
      ruleId: id,
      ruleIndex: ruleIndex.get(id)!,
      level: levelOf(f, report),
      message: { text: f.message },
      locations: [location(f.resource, f.evidence)],
      partialFingerprints: { 'kubePreflight/v1': f.fingerprint },
      properties: {
        severity: f.severity,
        title: f.title,
        resource: f.resource,
        evidence: f.evidence,
        ...(f.previous ? { previous: f.previous } : {}),
      },
    };
    if (f.waiver) {
      r.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification:
            `${f.waiver.reason} (owner ${f.waiver.owner}, expires ` +
            `${f.waiver.expires}${f.waiver.ticket ? `, ${f.waiver.ticket}` : ''})`,
        },
      ];
    }
    if (f.baseline) r.baselineState = BASELINE_STATE[f.baseline];
    return r;
  });
  const notifications: Notification[] = [];
  for (const c of report.checks) {
    if (c.status === 'error' || c.status === 'incomplete' || c.status === 'skipped') {
      notifications.push({
        level: c.status === 'error' ? 'error' : c.status === 'incomplete' ? 'warning' : 'note',
        message: { text: `${c.id}: ${c.status}${c.reason ? `: ${c.reason}` : ''}` },
        descriptor: { id: c.id },
      });
    }
    for (const u of c.unknowns) {
      notifications.push({
        level: 'warning',
        message: { text: `${c.id}: not assessed: ${resourceLabel(u.resource)}: ${u.reason}` },
        descriptor: { id: c.id },
        locations: [location(u.resource, {})],
      });
    }
  }
  for (const d of report.permissions?.denied ?? []) {
    const inError = d.requiredBy.length ? `: ${d.requiredBy.join(', ')} in error` : '';
    const less = d.optionalFor.length ? `; less evidence for ${d.optionalFor.join(', ')}` : '';
    notifications.push({
      level: d.requiredBy.length > 0 ? 'error' : 'warning',
      message: { text: `forbidden read ${d.request}${inError}${less}` },
    });
  }
  const m = report.metadata;
  const log: Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'kube-preflight', version: m.tool.version, semanticVersion: m.tool.version, rules } },
        automationDetails: { id: `kube-preflight/${clusterLabel(report).replace(/[^A-Za-z0-9._-]+/g, '-')}/` },
        invocations: [
          {
            executionSuccessful: !report.checks.some((c) => c.status === 'error'),
            endTimeUtc: m.generatedAt,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        properties: {
          verdict: report.summary.verdict,
          reason: report.summary.reason,
          notAssessed: report.summary.notAssessed.map((n) => n.checkId),
          failOn: m.failOn,
          now: m.now,
          cluster: m.cluster,
          source: { type: m.source.type, location: m.source.location },
          catalogVersion: m.tool.catalogVersion,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
