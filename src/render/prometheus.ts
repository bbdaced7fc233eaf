/**
 * The report as OpenMetrics text (`report.prom`), for node_exporter's textfile collector or
 * a Pushgateway: written with prom-client in its OpenMetrics mode (`# EOF` terminated). Every
 * series is a gauge; times are in seconds (OpenMetrics units, in the names).
 *
 * - `kube_preflight_certificate_expiry_seconds{check,name,location}`: seconds from the scan's
 *   clock (`metadata.now`) to the certificate's notAfter (negative once expired), for every
 *   certificate a check lists in `details.certificates` (the certs family's expiry checks);
 *   `name` is kubeadm's name of a PKI file, else the subject CN.
 * - `kube_preflight_certificate_not_after_timestamp_seconds{check,name,location}`: notAfter
 *   itself, for alerts that keep counting after the scan (`… - time() < 7 * 86400`).
 * - `kube_preflight_findings{check,severity}`: findings per check and severity (waived ones
 *   not counted), zero included, for every check in the report.
 * - `kube_preflight_findings_waived`: findings a waiver covers.
 * - `kube_preflight_check_status{check,family,status}`: 1 for the check's status, 0 for the
 *   other statuses (one series per status: an enum that alerting can match exactly).
 * - `kube_preflight_verdict{verdict}`: 1 for the scan's verdict, 0 for the others.
 * - `kube_preflight_scan_duration_seconds`: how long `scan` took (only when written by scan;
 *   `render` of an earlier report does not know it and leaves it out).
 * - `kube_preflight_last_success_timestamp_seconds`: when the report was generated
 *   (`metadata.generatedAt`): the last scan that completed.
 * - `kube_preflight_report_info{version,catalog_version,cluster,source,target_version}`: 1.
 */
import { Gauge, Registry } from 'prom-client';
import { CHECK_STATUSES, SEVERITIES, type Verdict } from '../contract/check.js';
import type { Report } from '../contract/report.js';
import { clusterLabel } from './common.js';

const VERDICTS: readonly Verdict[] = ['GO', 'NO-GO', 'INCOMPLETE', 'REPORT-ONLY'];

export interface PrometheusOptions {
  /** Wall time of the scan that made the report, in seconds (`scan` knows it; `render` does not). */
  scanDurationSeconds?: number;
}

interface CertificateRow {
  name: string;
  where: string;
  notAfter: string;
}

function certificatesOf(details: Record<string, unknown> | undefined): CertificateRow[] {
  const list = details?.certificates;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (c): c is CertificateRow =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as CertificateRow).name === 'string' &&
      typeof (c as CertificateRow).where === 'string' &&
      !Number.isNaN(Date.parse((c as CertificateRow).notAfter)),
  );
}

const seconds = (iso: string): number => Date.parse(iso) / 1000;

/** Renders the report as OpenMetrics text (see the module docs for the metrics). */
export async function renderPrometheus(report: Report, opts: PrometheusOptions = {}): Promise<string> {
  const registry = new Registry<typeof Registry.OPENMETRICS_CONTENT_TYPE>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const m = report.metadata;
  const now = seconds(m.now);

  const info = gauge(
    'kube_preflight_report_info',
    'The scan that made this report: tool and catalog version, cluster, source, target version',
    ['version', 'catalog_version', 'cluster', 'source', 'target_version'],
  );
  info.set(
    {
      version: m.tool.version,
      catalog_version: m.tool.catalogVersion,
      cluster: clusterLabel(report),
      source: m.source.type,
      target_version: m.targetVersion ?? '',
    },
    1,
  );

  const verdict = gauge('kube_preflight_verdict', 'The verdict of the scan: 1 for the verdict given, 0 for the others', ['verdict']);
  for (const v of VERDICTS) verdict.set({ verdict: v }, v === report.summary.verdict ? 1 : 0);

  gauge('kube_preflight_last_success_timestamp_seconds', 'When the last completed scan generated its report (Unix time)', []).set(
    seconds(m.generatedAt),
  );
  if (opts.scanDurationSeconds !== undefined)
    gauge('kube_preflight_scan_duration_seconds', 'Wall time of the scan', []).set(opts.scanDurationSeconds);

  const status = gauge('kube_preflight_check_status', 'Status of each check: 1 for its status, 0 for the others', [
    'check',
    'family',
    'status',
  ]);
  const findings = gauge('kube_preflight_findings', 'Findings of each check by severity (waived findings not counted)', [
    'check',
    'severity',
  ]);
  const expiry = gauge(
    'kube_preflight_certificate_expiry_seconds',
    'Seconds from the scan clock to the certificate notAfter (negative once expired)',
    ['check', 'name', 'location'],
  );
  const notAfter = gauge('kube_preflight_certificate_not_after_timestamp_seconds', 'The certificate notAfter (Unix time)', [
    'check',
    'name',
    'location',
  ]);
  for (const c of report.checks) {
    for (const s of CHECK_STATUSES) status.set({ check: c.id, family: c.family, status: s }, s === c.status ? 1 : 0);
    for (const s of SEVERITIES) findings.set({ check: c.id, severity: s }, c.findings[s]);
    for (const cert of certificatesOf(c.details)) {
      const labels = { check: c.id, name: cert.name, location: cert.where };
      expiry.set(labels, seconds(cert.notAfter) - now);
      notAfter.set(labels, seconds(cert.notAfter));
    }
  }
  gauge('kube_preflight_findings_waived', 'Findings a waiver covers (not counted toward the verdict)', []).set(
    report.summary.findings.waived,
  );
  return registry.metrics();
}
