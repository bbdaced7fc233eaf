/**
 * The version skew matrix figure (key `skew-matrix`, a `matrix` figure): one row per node
 * (key: node name), with each component's version and its verdict against the kube-apiservers
 * today and after the upgrade. `versions-kubelet-skew` gives the kubelet columns and the row
 * labels (with the node's Ready condition when not `True`); `versions-kube-proxy-skew`
 * merges after it (`mergeOrder` 1) with the kube-proxy columns.
 */
import type { MatrixCell, MatrixFigure, MatrixRow } from '../../../src/contract/figures.js';

/** A verdict as the checks' `details` give it: the allowed minors in words and whether the version is in them. */
export interface SkewVerdict {
  allowed: string;
  ok: boolean;
}

/** One node's component as the figure shows it. */
export interface SkewEntry {
  node: string;
  ready?: string;
  /** The component's version as reported; undefined when not known. */
  version?: string;
  /** The kubelet's version, when a kube-proxy entry knows it (the kubelet column, if the kubelet check gives none). */
  kubeletVersion?: string;
  today?: SkewVerdict;
  after?: SkewVerdict;
}

const verdict = (column: string, v: SkewVerdict | undefined): MatrixCell[] =>
  v ? [{ column, text: `${v.ok ? 'ok' : 'out of skew'} (${v.allowed})`, status: v.ok ? 'ok' : 'bad' }] : [];

/**
 * The matrix of one component (`kubelet` or `kube-proxy`): `apiservers` are the API servers'
 * versions and `after` the upgrade target (null: no minor upgrade, and no "after" column), for
 * the caption and the column headings. The kube-proxy columns are given even when no node's
 * kube-proxy version is known (their cells are then empty).
 */
export function skewFigure(
  component: 'kubelet' | 'kube-proxy',
  entries: readonly SkewEntry[],
  apiservers: readonly string[],
  after: { version: string; assumed: boolean } | null,
): MatrixFigure {
  const target = after ? `${after.version}${after.assumed ? ' (assumed: the next minor)' : ''}` : undefined;
  const rows: MatrixRow[] = entries.map((e) => ({
    key: e.node,
    label: `${e.node}${e.ready && e.ready !== 'True' ? ` (Ready: ${e.ready})` : ''}`,
    cells: [
      ...(e.kubeletVersion !== undefined ? [{ column: 'kubelet', text: e.kubeletVersion }] : []),
      ...(e.version !== undefined ? [{ column: component, text: e.version }] : []),
      ...verdict(`${component}-today`, e.today),
      ...verdict(`${component}-after`, e.after),
    ],
  }));
  return {
    shape: 'matrix',
    key: 'skew-matrix',
    title: 'Version skew matrix',
    caption:
      `Each node's kubelet and kube-proxy against the API server${apiservers.length ? ` (${apiservers.join(', ')})` : ''} ` +
      `today${target ? ` and after the upgrade to ${target}` : ''}.`,
    summary: {
      none: 'Every node is within the skew policy.',
      some: '{n} of {total} nodes are out of skew now or after the upgrade.',
    },
    items: 'nodes',
    ...(component === 'kube-proxy' ? { mergeOrder: 1 } : {}),
    subject: 'Node',
    columns: [
      ...(component === 'kube-proxy' ? [{ key: 'kubelet', label: 'kubelet' }] : []),
      { key: component, label: component },
      { key: `${component}-today`, label: `${component} today` },
      ...(after ? [{ key: `${component}-after`, label: `${component} after ${after.version}` }] : []),
    ],
    rows,
  };
}
