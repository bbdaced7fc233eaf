/**
 * Validators for rendered reports: html-validate (recommended rules) for the HTML, the SARIF
 * 2.1.0 JSON Schema (draft-04, as shipped by @microsoft/jest-sarif: the schema of the OASIS
 * standard, `sarif-2.1.0-rtm.5`; its `language` pattern is not a valid unicode regexp, hence
 * `unicodeRegExp: false`), an XML parse for JUnit, a GFM table-row splitter for markdown (no
 * markdown parser is installed), a pattern for raw control characters in terminal text, and
 * the wg-policy PolicyReport/ClusterPolicyReport CRD schemas (test/fixtures/policyreport, Kyverno's
 * copies) for `--format policyreport`.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { HtmlValidate } from 'html-validate';
import { create } from 'xmlbuilder2';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';

const require = createRequire(import.meta.url);

const htmlValidate = new HtmlValidate({ extends: ['html-validate:recommended'] });

/** Problems html-validate finds, as `line:col rule message`; empty when valid. */
export async function htmlProblems(html: string): Promise<string[]> {
  const r = await htmlValidate.validateString(html);
  return r.results.flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`));
}

const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const ajv = new (Ajv04 as unknown as typeof Ajv04.default)({ allErrors: true, strict: false, unicodeRegExp: false });
(addFormats as unknown as (a: unknown) => void)(ajv);
const validateSarif = ajv.compile(sarifSchema);

/** Problems against the SARIF 2.1.0 schema; empty when valid. */
export function sarifProblems(text: string): string[] {
  if (validateSarif(JSON.parse(text))) return [];
  return (validateSarif.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

/** Parses XML (throws when it is not well-formed) and returns it as a plain object. */
export function parseXml(text: string): Record<string, unknown> {
  return create(text).end({ format: 'object' }) as Record<string, unknown>;
}

/** Any C0/C1 control, DEL or bidi control. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The cells of a GFM table row, split as cmark-gfm splits them: a cell is a run of
 * backslash-escaped characters or characters other than `|` (leading and trailing pipe dropped).
 */
export function gfmCells(row: string): string[] {
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    const ch = row[i]!;
    if (ch === '\\' && i + 1 < row.length) {
      cur += ch + row[++i]!;
    } else if (ch === '|') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells.slice(1, -1);
}

/**
 * A CRD's `spec.versions[name].schema.openAPIV3Schema`, made strict the way the API server's
 * pruning is: every object schema that lists `properties` and neither `additionalProperties`
 * nor `x-kubernetes-preserve-unknown-fields` gets `additionalProperties: false`, so a field the
 * server would silently drop (a typo, a field of another version) is an error here.
 */
function crdSchema(file: string, version: string): object {
  const crd = parseYaml(readFileSync(file, 'utf8')) as { spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> } };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file}: no version ${version}`);
  const closeObjects = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(closeObjects);
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.properties && o.additionalProperties === undefined && o['x-kubernetes-preserve-unknown-fields'] !== true)
        o.additionalProperties = false;
      Object.values(o).forEach(closeObjects);
    }
  };
  const schema = structuredClone(v.schema.openAPIV3Schema);
  closeObjects(schema);
  return schema;
}

const POLICY_REPORT_CRDS = join(PACKAGE_ROOT, 'test', 'fixtures', 'policyreport');
const crdAjv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
// Kubernetes structural-schema markers (no effect on validation) and OpenAPI integer formats.
for (const k of ['x-kubernetes-map-type', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-preserve-unknown-fields'])
  crdAjv.addKeyword(k);
crdAjv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
crdAjv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
const policyReportValidators: Record<string, ValidateFunction> = {
  PolicyReport: crdAjv.compile(crdSchema(join(POLICY_REPORT_CRDS, 'wgpolicyk8s.io_policyreports.yaml'), 'v1alpha2')),
  ClusterPolicyReport: crdAjv.compile(crdSchema(join(POLICY_REPORT_CRDS, 'wgpolicyk8s.io_clusterpolicyreports.yaml'), 'v1alpha2')),
};

/** An RFC 1123 DNS label (namespace names) or subdomain (object names), as the API server checks them. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Problems of a `--format policyreport` YAML stream, as `document N: path: message` lines
 * (empty when valid): each document must parse (YAML 1.1, as Go's yaml.v2 behind kubectl reads
 * it), be `wgpolicyk8s.io/v1alpha2` PolicyReport (with a namespace) or ClusterPolicyReport
 * (without), pass its CRD schema, and carry a valid name, namespace and labels.
 */
export function policyReportProblems(text: string): string[] {
  const out: string[] = [];
  const docs = parseAllDocuments(text, { version: '1.1' });
  if (docs.length === 0) return ['no YAML document'];
  docs.forEach((doc, i) => {
    const at = `document ${i + 1}`;
    if (doc.errors.length > 0) {
      out.push(`${at}: not YAML: ${doc.errors[0]!.message}`);
      return;
    }
    const o = doc.toJS() as {
      apiVersion?: unknown;
      kind?: unknown;
      metadata?: { name?: unknown; namespace?: unknown; labels?: Record<string, unknown> };
    };
    if (o.apiVersion !== 'wgpolicyk8s.io/v1alpha2') out.push(`${at}: /apiVersion: ${String(o.apiVersion)}`);
    const validate = typeof o.kind === 'string' ? policyReportValidators[o.kind] : undefined;
    if (!validate) {
      out.push(`${at}: /kind: ${String(o.kind)} is not PolicyReport or ClusterPolicyReport`);
      return;
    }
    if (!validate(o)) out.push(...(validate.errors ?? []).map((e) => `${at}: ${e.instancePath || '/'}: ${e.message ?? 'invalid'}`));
    const m = o.metadata ?? {};
    if (typeof m.name !== 'string' || m.name.length > 253 || !DNS_SUBDOMAIN.test(m.name))
      out.push(`${at}: /metadata/name: ${String(m.name)}`);
    const namespaced = o.kind === 'PolicyReport';
    if (namespaced !== (m.namespace !== undefined))
      out.push(`${at}: /metadata/namespace: ${String(o.kind)} ${namespaced ? 'needs' : 'takes no'} namespace`);
    if (m.namespace !== undefined && (typeof m.namespace !== 'string' || m.namespace.length > 63 || !DNS_LABEL.test(m.namespace)))
      out.push(`${at}: /metadata/namespace: ${JSON.stringify(m.namespace)}`);
    for (const [k, v] of Object.entries(m.labels ?? {})) {
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push(`${at}: /metadata/labels/${k}: ${String(v)}`);
    }
  });
  return out;
}
