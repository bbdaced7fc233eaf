/**
 * Golden files of every text format on the bundled sample (fixtures/dumps/lab-1.26, all
 * checks), and validators: html-validate for the HTML, the SARIF 2.1.0 schema, a well-formed
 * JUnit XML, the wg-policy CRD schemas for the policy reports. Refresh the goldens with `UPDATE_GOLDEN=1 npx vitest run test/render/golden.test.ts`
 * (after a check changes its findings or details) and review the diff.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { FILE_NAMES, render, type Format } from '../../src/render/index.js';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { sampleReport } from './sample.js';
import { htmlProblems, parseXml, policyReportProblems, sarifProblems } from './validators.js';

const GOLDEN = join(PACKAGE_ROOT, 'test', 'render', 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const FORMATS: Format[] = ['text', 'json', 'html', 'markdown', 'sarif', 'junit', 'prometheus', 'policyreport'];

let report: Report;
const out = new Map<Format, string>();

beforeAll(async () => {
  report = await sampleReport();
  for (const f of FORMATS) out.set(f, (await render(f, report, { text: { color: false, width: 120 } })) as string);
  if (UPDATE) {
    await mkdir(GOLDEN, { recursive: true });
    for (const f of FORMATS) await writeFile(join(GOLDEN, FILE_NAMES[f]), out.get(f)!);
  }
});

describe('renderings of the sample report', () => {
  it('the sample report matches the schema', () => {
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  it.each(FORMATS)('%s equals its golden file', async (f) => {
    const file = join(GOLDEN, FILE_NAMES[f]);
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    expect(out.get(f)).toBe(await readFile(file, 'utf8'));
  });

  it('the HTML passes html-validate', async () => {
    expect(await htmlProblems(out.get('html')!)).toEqual([]);
  });

  it('the SARIF passes the SARIF 2.1.0 schema', () => {
    expect(sarifProblems(out.get('sarif')!)).toEqual([]);
  });

  it('the policy reports pass the PolicyReport and ClusterPolicyReport CRD schemas', () => {
    expect(policyReportProblems(out.get('policyreport')!)).toEqual([]);
  });

  it('the JUnit XML is well-formed, with a testsuite per family', () => {
    const xml = parseXml(out.get('junit')!) as { testsuites: { testsuite: Array<{ '@name': string }> | { '@name': string } } };
    const suites = [xml.testsuites.testsuite].flat().map((s) => s['@name']);
    expect(suites).toEqual(
      [...new Set(report.checks.map((c) => c.family))].sort(
        (a, b) =>
          ['certs', 'etcd', 'versions', 'apis', 'pdb', 'backup', 'rbac'].indexOf(a) -
          ['certs', 'etcd', 'versions', 'apis', 'pdb', 'backup', 'rbac'].indexOf(b),
      ),
    );
  });

  it('the HTML is self-contained: no remote script, style, font or image', () => {
    const html = out.get('html')!;
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;/);
  });
});
