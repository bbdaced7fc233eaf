/**
 * The family tables' view: which cells stay on one line, which hold a very long word, and where
 * a long identifier may break (`<wbr>` in the HTML). Widths themselves are the browser's
 * (test/render/pdf.test.ts lays the tables out in Chromium).
 */
import { describe, expect, it } from 'vitest';
import type { ReportTable } from '../../src/contract/report.js';
import { breakPoints, familyTablesView } from '../../src/render/family-tables.js';
import { renderHtml } from '../../src/render/html.js';
import { sampleReport } from './sample.js';

describe('breakPoints', () => {
  it('splits a word longer than 16 characters after its separators, and nothing else', () => {
    expect(breakPoints('flowcontrol.apiserver.k8s.io/v1beta2')).toEqual(['flowcontrol.', 'apiserver.', 'k8s.', 'io/', 'v1beta2']);
    expect(breakPoints('client requests (apiserver_requested_deprecated_apis)')).toEqual([
      'client requests (apiserver_',
      'requested_',
      'deprecated_',
      'apis)',
    ]);
    expect(breakPoints('pki/admin.conf [clusters[lab].certificate-authority-data]')).toEqual([
      'pki/admin.conf [clusters[lab].',
      'certificate-authority-data]',
    ]);
    expect(breakPoints('User alice@example.com')).toEqual(['User alice@', 'example.', 'com']);
    expect(breakPoints('User bob@example.io')).toEqual(['User bob@example.io']);
    expect(breakPoints('storage.k8s.io/v1beta1')).toEqual(['storage.', 'k8s.', 'io/', 'v1beta1']);
    expect(breakPoints('v1.26.4')).toEqual(['v1.26.4']);
    expect(breakPoints('')).toEqual(['']);
  });
});

describe('familyTablesView', () => {
  const table: ReportTable = {
    id: 'apis-deprecated',
    family: 'apis',
    title: 'Deprecated and removed API versions in use',
    columns: [
      { key: 'kind', label: 'KIND' },
      { key: 'version', label: 'VERSION' },
      { key: 'removedIn', label: 'REMOVED IN' },
      { key: 'count', label: 'OBJECTS', align: 'right' },
      { key: 'foundIn', label: 'FOUND IN' },
      { key: 'since', label: 'SINCE' },
    ],
    rows: [
      {
        flagged: true,
        cells: {
          kind: 'ClusterWideNetworkAdmissionConfigurationPolicyOverrides',
          version: 'flowcontrol.apiserver.k8s.io/v1beta2',
          removedIn: '1.29',
          count: 12,
          foundIn: ['object (last-applied configuration)', 'Helm release prod/web'],
          since: '2026-11-23T06:51:50Z',
        },
      },
      {
        cells: {
          kind: 'FlowSchema',
          version: 'v1',
          removedIn: null,
          count: 1,
          foundIn: ['client requests (apiserver_requested_deprecated_apis)'],
        },
      },
    ],
  };

  it('keeps short values on one line, marks unbreakable words over 24 characters, and splits long identifiers', () => {
    const [view] = familyTablesView([table], 'apis');
    expect(view!.columns).toEqual([
      { label: 'KIND', cls: '' },
      { label: 'VERSION', cls: '' },
      { label: 'REMOVED IN', cls: '' },
      { label: 'OBJECTS', cls: 'num' },
      { label: 'FOUND IN', cls: '' },
      { label: 'SINCE', cls: '' },
    ]);
    expect(view!.rows.map((r) => r.cells.map((c) => c.cls))).toEqual([
      ['bad long', '', 'nowrap', 'num nowrap', '', 'nowrap'],
      ['nowrap', 'nowrap', 'nowrap', 'num nowrap', '', 'nowrap'],
    ]);
    expect(view!.rows[0]!.cells[1]!.lines).toEqual([['flowcontrol.', 'apiserver.', 'k8s.', 'io/', 'v1beta2']]);
    expect(view!.rows[0]!.cells[4]!.lines).toEqual([['object (last-applied configuration)'], ['Helm release prod/web']]);
    expect(view!.rows[1]!.cells[2]!.lines).toEqual([['—']]);
    expect(view!.rows[0]!.cells[5]!.lines).toEqual([['2026-11-23T06:', '51:', '50Z']]);
  });

  it('draws the break points as <wbr> in the HTML, escaped piece by piece', async () => {
    const report = await sampleReport();
    const html = renderHtml({
      ...report,
      tables: [{ ...table, rows: [{ cells: { ...table.rows[1]!.cells, kind: '<b>Flow</b>' } }, table.rows[0]!] }],
    });
    expect(html).toContain('<td class="nowrap">&lt;b&gt;Flow&lt;/b&gt;</td>');
    expect(html).toContain('<td class="">flowcontrol.<wbr>apiserver.<wbr>k8s.<wbr>io/<wbr>v1beta2</td>');
    expect(html).toContain('<td class="">object (last-applied configuration)<br>Helm release prod/web</td>');
  });
});
