/**
 * Pictures from figures: merging figures of one key across checks (src/contract/figures.ts),
 * drawing by shape alone, and no check id anywhere in src/render.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeFigures, picturesFor } from '../../src/render/pictures.js';
import type { CheckResult } from '../../src/contract/report.js';
import type { CardsFigure, Figure, MatrixFigure, PlanFigure, TimelineFigure } from '../../src/contract/figures.js';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { syntheticReport } from '../../bench/synthetic-report.js';
import { sampleReport } from './sample.js';

const sample = await sampleReport();
const certChecks = sample.checks.filter((c) => c.family === 'certs');
const timeline = (checks: CheckResult[]) => picturesFor('certs', checks).find((p) => p.id === 'cert-timeline')!;

/** A check result of `family` carrying `figures` (the other fields as a passing check has them). */
function withFigures(id: string, family: CheckResult['family'], figures: Figure[]): CheckResult {
  return {
    id,
    family,
    title: id,
    status: 'pass',
    evaluated: 1,
    durationMs: 0,
    findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    unknowns: [],
    figures,
    origin: 'builtin',
  };
}

const certFigure = (rows: TimelineFigure['rows'], mergeOrder?: number): TimelineFigure => ({
  shape: 'timeline',
  key: 'cert-timeline',
  title: 'Certificates',
  caption: 'When they expire.',
  summary: { none: 'None soon.', some: '{n} of {total} soon.' },
  items: 'certificates',
  ...(mergeOrder !== undefined ? { mergeOrder } : {}),
  now: '2026-11-23T00:00:00.000Z',
  markers: [{ label: 'warn (30 d)', at: '2026-12-23T00:00:00.000Z' }],
  subject: 'Certificate',
  rows,
});

const row = (key: string, label: string, where: string, status: TimelineFigure['rows'][number]['status']) => ({
  key,
  label,
  locations: [where],
  notAfter: '2027-01-01T00:00:00.000Z',
  daysLeft: 39,
  status,
});

describe('certificate timeline', () => {
  it('draws the cluster CA once, with its six places, on the sample', () => {
    const pic = timeline(certChecks);
    const rows = certChecks.flatMap((c) => (c.figures ?? []).flatMap((f) => (f.shape === 'timeline' ? f.rows : [])));
    expect(rows.length).toBe(18);
    expect(new Set(rows.map((r) => r.key)).size).toBe(16);
    expect(pic.bars!.rows).toHaveLength(16);
    const labels = pic.bars!.rows.map((r) => r.label);
    expect(labels.filter((l) => l.startsWith('ca (CA)'))).toEqual(['ca (CA), 6 places']);
    // The ConfigMap's copy of the cluster CA (CN=kubernetes) is not a row of its own.
    expect(labels.some((l) => l.startsWith('kubernetes'))).toBe(false);
    expect(pic.notes).toEqual([
      {
        label: 'ca (CA) is found in 6 places',
        text: 'pki/ca.crt; pki/admin.conf [clusters[lab].certificate-authority-data]; pki/controller-manager.conf [clusters[lab].certificate-authority-data]; pki/kubelet.conf [clusters[lab].certificate-authority-data]; pki/scheduler.conf [clusters[lab].certificate-authority-data]; ConfigMap kube-system/extension-apiserver-authentication [client-ca-file#0]',
      },
      {
        label: 'front-proxy-ca (CA) is found in 2 places',
        text: 'pki/front-proxy-ca.crt; ConfigMap kube-system/extension-apiserver-authentication [requestheader-client-ca-file#0]',
      },
    ]);
    expect(pic.table!.rows.find((r) => r[0]!.text === 'ca (CA)')![1]!.text).toBe(pic.notes[0]!.text);
    expect(pic.caption).toMatch(/ 1 of 16 expire within their warning window\.$/);
    // sqrt(30 / 730) of the 440-wide plot from x 260, as before figures.
    expect(pic.bars!.lines).toEqual([{ x: 349.2, y1: 22, y2: 448, label: 'warn (30 d)', labelY: 18, cls: 'limit' }]);
  });

  it('keeps rows with different keys apart, merges the same key (places joined, worst status, lower mergeOrder names it)', () => {
    const distinct = timeline([
      withFigures('certs-b', 'certs', [
        certFigure([row('AA', 'webhook', 'Secret a/one', 'ok'), row('BB', 'webhook', 'Secret b/two', 'ok')]),
      ]),
    ]);
    expect(distinct.bars!.rows.map((r) => r.label)).toEqual(['webhook', 'webhook']);
    expect(distinct.notes).toEqual([]);
    expect(distinct.caption).toBe('When they expire. None soon.');
    // certs-a comes first in the report but merges second (mergeOrder 1): certs-b names the row.
    const merged = timeline([
      withFigures('certs-a', 'certs', [certFigure([row('AA', 'kubernetes (CA)', 'ConfigMap x', 'warn')], 1)]),
      withFigures('certs-b', 'certs', [certFigure([row('AA', 'ca (CA)', 'pki/ca.crt', 'ok')])]),
    ]);
    expect(merged.bars!.rows.map((r) => [r.label, r.cls])).toEqual([['ca (CA), 2 places', 'warn']]);
    expect(merged.notes).toEqual([{ label: 'ca (CA) is found in 2 places', text: 'pki/ca.crt; ConfigMap x' }]);
    expect(merged.caption).toBe('When they expire. 1 of 1 soon.');
  });
});

describe('merging figures', () => {
  it('merges cards by key and their facts by label, and matrix cells by column', () => {
    const members = (facts: CardsFigure['cards'][number]['facts'], extra: Partial<CardsFigure> = {}): CardsFigure => ({
      shape: 'cards',
      key: 'members',
      title: 'Members',
      caption: 'Members.',
      items: 'members',
      cards: [{ key: 'm1', title: 'm1', facts }],
      ...extra,
    });
    const matrix = (columns: string[], cells: Record<string, string>, label: string, mergeOrder = 0): MatrixFigure => ({
      shape: 'matrix',
      key: 'grid',
      title: 'Grid',
      caption: 'Grid.',
      summary: { none: 'All fine.', some: '{n} of {total} out.' },
      items: 'nodes',
      mergeOrder,
      subject: 'Node',
      columns: columns.map((c) => ({ key: c, label: c.toUpperCase() })),
      rows: [
        {
          key: 'n1',
          label,
          cells: Object.entries(cells).map(([column, text]) => ({ column, text, status: text === 'no' ? 'bad' : 'ok' })),
        },
      ],
    });
    const figures = mergeFigures([
      withFigures('etcd-space', 'etcd', [
        members([{ label: 'database', text: '2 MiB (1% of quota)' }], { mergeOrder: 1 }),
        matrix(['b'], { b: 'no' }, 'n1 (from b)', 1),
      ]),
      withFigures('etcd-health', 'etcd', [
        {
          ...members([{ label: 'etcd', text: '3.5.9' }, { label: 'database', text: '2 MiB' }, { text: 'timed out' }]),
          cards: [
            {
              key: 'm1',
              title: 'm1',
              badge: 'leader · healthy',
              status: 'ok',
              facts: [{ label: 'etcd', text: '3.5.9' }, { label: 'database', text: '2 MiB' }, { text: 'timed out' }],
            },
          ],
        },
        matrix(['a', 'b'], { a: 'yes' }, 'n1'),
      ]),
    ]);
    expect(figures.map((f) => f.key)).toEqual(['members', 'grid']);
    expect((figures[0] as CardsFigure).cards).toEqual([
      {
        key: 'm1',
        title: 'm1',
        badge: 'leader · healthy',
        status: 'ok',
        facts: [{ label: 'etcd', text: '3.5.9' }, { label: 'database', text: '2 MiB (1% of quota)' }, { text: 'timed out' }],
      },
    ]);
    const grid = figures[1] as MatrixFigure;
    expect(grid.columns.map((c) => c.key)).toEqual(['a', 'b']);
    expect(grid.rows).toEqual([
      {
        key: 'n1',
        label: 'n1',
        cells: [
          { column: 'a', text: 'yes', status: 'ok' },
          { column: 'b', text: 'no', status: 'bad' },
        ],
      },
    ]);
    const [cards, table] = picturesFor('etcd', [
      withFigures('etcd-x', 'etcd', [matrix(['a', 'c'], { a: 'no' }, 'n1')]),
      withFigures('etcd-y', 'etcd', [members([{ label: 'etcd', text: '3.5.9' }])]),
    ]).map((p) => p);
    expect(cards!.table!.rows).toEqual([
      [
        { text: 'n1', cls: '' },
        { text: 'no', cls: 'bad' },
        { text: '—', cls: 'muted' },
      ],
    ]);
    expect(cards!.table!.columns).toEqual(['Node', 'A', 'C']);
    expect(cards!.caption).toBe('Grid. 1 of 1 out.');
    expect(table!.cards).toEqual([{ title: 'm1', badge: '', cls: 'muted', lines: ['etcd 3.5.9'] }]);
  });

  it('never changes the report while merging', () => {
    const first = certFigure([row('AA', 'ca (CA)', 'pki/ca.crt', 'ok')]);
    const second = certFigure([row('AA', 'kubernetes (CA)', 'ConfigMap x', 'bad')], 1);
    const checks = [withFigures('certs-a', 'certs', [first]), withFigures('certs-b', 'certs', [second])];
    const before = structuredClone(checks);
    expect((mergeFigures(checks)[0] as TimelineFigure).rows[0]!.locations).toEqual(['pki/ca.crt', 'ConfigMap x']);
    expect(checks).toEqual(before);
  });

  it('leaves out other families and figures of a key already used by another shape', () => {
    const cards: CardsFigure = {
      shape: 'cards',
      key: 'k',
      title: 'T',
      caption: 'C.',
      items: 'things',
      cards: [{ key: 'a', title: 'a', facts: [] }],
    };
    const plan: Figure = {
      shape: 'plan',
      key: 'k',
      title: 'P',
      caption: 'P.',
      items: 'nodes',
      steps: [{ key: 'b', title: 'b', facts: [], wave: 1 }],
    };
    expect(
      picturesFor('etcd', [withFigures('etcd-a', 'etcd', [cards]), withFigures('etcd-b', 'etcd', [plan])]).map((p) => p.cards),
    ).toEqual([[{ title: 'a', badge: '', cls: 'muted', lines: [] }]]);
    expect(picturesFor('pdb', [withFigures('etcd-a', 'etcd', [cards])])).toEqual([]);
  });
});

describe('src/render knows no check', () => {
  it('names no built-in check id in any file of src/render', async () => {
    const ids = (await loadBuiltinChecks()).map((c) => c.def.id);
    expect(ids.length).toBeGreaterThan(20);
    const dir = join(PACKAGE_ROOT, 'src', 'render');
    const hits = readdirSync(dir).flatMap((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return ids.filter((id) => text.includes(id)).map((id) => `${f}: ${id}`);
    });
    expect(hits).toEqual([]);
  });
});

describe('figures in the report schema', () => {
  const shapes = new Map(sample.checks.flatMap((c) => c.figures ?? []).map((f) => [f.shape, f]));
  const withFigure = (figure: unknown) => ({
    ...sample,
    checks: sample.checks.map((c, i) => (i === 0 ? { ...c, figures: [figure as Figure] } : c)),
  });

  it('holds every shape on the sample, valid', () => {
    expect([...shapes.keys()].sort()).toEqual(['ages', 'cards', 'matrix', 'plan', 'timeline']);
    expect(reportSchemaErrors(sample)).toEqual([]);
  });

  it('rejects an unknown field, a missing one and an unknown status, in every shape', () => {
    for (const f of shapes.values()) {
      expect(reportSchemaErrors(withFigure({ ...f, width: 900 })), f.shape).not.toEqual([]);
      const { items: _items, ...noItems } = f;
      expect(reportSchemaErrors(withFigure(noItems)), f.shape).not.toEqual([]);
      expect(reportSchemaErrors(withFigure({ ...f, legend: [{ status: 'red', label: 'x' }] })), f.shape).not.toEqual([]);
    }
    expect(reportSchemaErrors(withFigure({ ...shapes.get('cards')!, shape: 'pie' }))).not.toEqual([]);
    const plan = shapes.get('plan') as PlanFigure;
    expect(reportSchemaErrors(withFigure({ ...plan, steps: [{ ...plan.steps[0]!, x: 10 }] }))).not.toEqual([]);
  });
});

describe('pictures of a large cluster (the synthetic report)', () => {
  const big = syntheticReport(600);
  const one = (family: CheckResult['family']) => picturesFor(family, big.checks)[0]!;

  it('draws the drain plan steps that need attention first and counts the plain ones with their waves', () => {
    const plan = one('pdb');
    expect(plan.cards).toHaveLength(40);
    expect(plan.cards![0]).toEqual({
      title: 'node-0000',
      badge: 'blocked',
      cls: 'bad',
      lines: ['control plane', 'evicts 10 pods', '1 pod held by team-000/web'],
    });
    expect(plan.cards!.slice(1).every((c) => c.cls === 'ok')).toBe(true);
    expect(plan.ordered).toBe(false);
    expect(plan.omitted).toBe('1960 more nodes go without a problem, in waves 4–200 (report.json lists them all).');
  });

  it('lists the rows of a large matrix out of skew one by one and counts the rest by identical cells', () => {
    const skew = one('versions');
    expect(skew.caption).toMatch(/ 48 of 240 nodes are out of skew now or after the upgrade\.$/);
    expect(skew.table!.rows).toHaveLength(42);
    expect(skew.table!.rows.slice(40).map((r) => r.map((c) => c.text))).toEqual([
      ['8 nodes', 'v1.23.17', 'out of skew (1.24–1.26)', 'out of skew (1.25–1.27)'],
      ['192 nodes', 'v1.26.4', 'ok (1.24–1.26)', 'ok (1.25–1.27)'],
    ]);
    expect(skew.omitted).toBe('Nodes with the same cells are counted on one row; report.json lists them all.');
  });

  it('draws the 40 soonest certificates and leaves the later ones to the table', () => {
    const timeline = one('certs');
    expect(timeline.bars!.rows).toHaveLength(40);
    expect(timeline.table!.rows).toHaveLength(72);
    expect(timeline.omitted).toBe('32 later certificates are in the table below.');
  });
});
