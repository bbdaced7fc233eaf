/**
 * Without --target-version the checks judge the minor after the cluster's version: the report
 * says so (metadata.assumedTargetVersion) and the text, HTML and Markdown headers show it.
 */
import { describe, expect, it } from 'vitest';
import { render } from '../../src/render/index.js';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { sampleReport } from './sample.js';

const assumed = await sampleReport();
const given: Report = { ...assumed, metadata: { ...assumed.metadata, targetVersion: '1.27' } };
delete given.metadata.assumedTargetVersion;
const opts = { text: { color: false, width: 120 }, pdf: { paper: 'A4' as const } };

describe('the assumed target version', () => {
  it('is in the report when --target-version is absent, and valid against the schema', () => {
    expect(assumed.metadata.targetVersion).toBeUndefined();
    expect(assumed.metadata.assumedTargetVersion).toBe('1.27');
    expect(reportSchemaErrors(assumed)).toEqual([]);
  });

  it('the text header names it as assumed; a given target is shown plainly', async () => {
    // The header is the text up to the first empty line, wrapped to the width: unwrap it.
    const first = (r: Report): Promise<string> => render('text', r, opts).then((t) => String(t).split('\n\n')[0]!.replace(/\n\s*/g, ' '));
    expect(await first(assumed)).toBe(
      'kube-preflight 0.1.0 · dump fixtures/dumps/lab-1.26 · cluster v1.26.4 · target 1.27 (assumed: the next minor; no --target-version) · fail-on critical · now 2026-11-23T07:00:18.000Z',
    );
    expect(await first(given)).toBe(
      'kube-preflight 0.1.0 · dump fixtures/dumps/lab-1.26 · cluster v1.26.4 · target 1.27 · fail-on critical · now 2026-11-23T07:00:18.000Z',
    );
  });

  it('HTML and Markdown say it too', async () => {
    expect(String(await render('html', assumed, opts))).toContain('1.27 (assumed: the next minor; no --target-version)');
    expect(String(await render('markdown', assumed, opts))).toContain('| 1.27 \\(assumed\\) |');
  });
});
