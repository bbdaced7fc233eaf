/**
 * Pictures of a family, drawn from its checks' `details` (documented in each check's
 * docstring). Geometry is worked out here and drawn as inline SVG or HTML by
 * `templates/partials/picture.hbs`; no script, no remote asset. Each picture also carries its
 * numbers as a table (for screen readers and for copying).
 *
 * A picture is drawn only from the `details` a check produced; a check that errored has none,
 * and its family then shows no picture (its findings and coverage still say what happened).
 */
import type { Family } from '../contract/check.js';
import type { CheckResult, Report } from '../contract/report.js';
import { isRecord, num, str } from '../k8s/objects.js';

export interface Cell {
  text: string;
  /** CSS class: `ok`, `warn`, `bad`, `muted`, or empty. */
  cls: string;
}

export interface DataTable {
  columns: string[];
  rows: Cell[][];
}

export interface BarRow {
  y: number;
  textY: number;
  /** Vertical middle of the row (markers). */
  midY: number;
  label: string;
  fullLabel: string;
  x: number;
  w: number;
  barY: number;
  barH: number;
  cls: string;
  note: string;
  noteX: number;
  /** A marker (a point in time) instead of a bar. */
  marker: boolean;
}

export interface BarChart {
  width: number;
  height: number;
  labelX: number;
  plotX: number;
  plotW: number;
  axisY: number;
  rows: BarRow[];
  ticks: Array<{ x: number; label: string; anchor: 'start' | 'middle' | 'end' }>;
  lines: Array<{ x: number; y1: number; y2: number; label: string; labelY: number; cls: string }>;
  legend: Array<{ label: string; cls: string }>;
}

export interface Picture {
  id: string;
  title: string;
  caption: string;
  bars: BarChart | null;
  /** Cards (etcd members, drain steps): a title, a status and lines of facts each. */
  cards: Array<{ title: string; badge: string; cls: string; lines: string[] }> | null;
  /** Cards in order (a plan): numbered. */
  ordered: boolean;
  /** The picture's numbers (null when the cards say it all); for a matrix it is the picture. */
  table: DataTable | null;
  tableIsPicture: boolean;
  /** Rows left out of the drawing (shown in the table and the findings). */
  omitted: string | null;
  /** Facts a row of the drawing stands for, listed under it (and printed): `label: text`. */
  notes: Array<{ label: string; text: string }>;
}

function rowsOf(check: CheckResult | undefined, key: string): Array<Record<string, unknown>> {
  const v = check?.details?.[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function short(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function hours(h: number): string {
  return h >= 48 ? `${Math.round((h / 24) * 10) / 10} d` : `${Math.round(h * 10) / 10} h`;
}

const WIDTH = 900;
const ROW_H = 26;
const TOP = 28;
const MAX_ROWS = 40;

/** Lays out horizontal bars: `value(row)` gives the bar's end as a fraction of the plot (clipped to [0, 1]). */
function barChart<T>(
  rows: T[],
  each: (r: T) => { label: string; start: number; end: number; cls: string; note: string; marker?: boolean },
  axis: {
    ticks: Array<{ at: number; label: string }>;
    lines: Array<{ at: number; label: string; cls: string }>;
    legend: BarChart['legend'];
  },
): BarChart {
  const labelW = 250;
  const noteW = 190;
  const plotX = labelW + 10;
  const plotW = WIDTH - plotX - noteW - 10;
  const clip = (f: number): number => Math.max(0, Math.min(1, f));
  const out: BarRow[] = rows.map((r, i) => {
    const e = each(r);
    const y = TOP + i * ROW_H;
    const x0 = plotX + clip(e.start) * plotW;
    const x1 = plotX + clip(e.end) * plotW;
    return {
      y,
      textY: y + ROW_H / 2 + 4,
      midY: y + ROW_H / 2,
      label: short(e.label, 38),
      fullLabel: e.label,
      x: Math.round(Math.min(x0, x1) * 10) / 10,
      w: Math.max(e.marker ? 0 : 2, Math.round(Math.abs(x1 - x0) * 10) / 10),
      barY: y + 6,
      barH: ROW_H - 12,
      cls: e.cls,
      note: e.note,
      noteX: WIDTH - noteW + 6,
      marker: e.marker ?? false,
    };
  });
  const axisY = TOP + rows.length * ROW_H + 4;
  return {
    width: WIDTH,
    height: axisY + 22,
    labelX: labelW,
    plotX,
    plotW,
    axisY,
    rows: out,
    ticks: axis.ticks.map((t, i) => ({
      x: Math.round((plotX + clip(t.at) * plotW) * 10) / 10,
      label: t.label,
      anchor: i === 0 && t.at <= 0 ? 'start' : t.at >= 1 ? 'end' : 'middle',
    })),
    lines: axis.lines.map((l) => ({
      x: Math.round((plotX + clip(l.at) * plotW) * 10) / 10,
      y1: TOP - 6,
      y2: axisY,
      label: l.label,
      labelY: TOP - 10,
      cls: l.cls,
    })),
    legend: axis.legend,
  };
}

function picture(p: Partial<Picture> & Pick<Picture, 'id' | 'title' | 'caption'>): Picture {
  return { bars: null, cards: null, ordered: false, table: null, tableIsPicture: false, omitted: null, notes: [], ...p };
}

const FRESHNESS_CLASS: Record<string, string> = {
  fresh: 'ok',
  'not-yet-due': 'muted',
  stale: 'warn',
  'stale-critical': 'bad',
  'never-succeeded': 'bad',
};

/**
 * Backup freshness: each series' age against its limit (`details.series` of
 * backup-velero-freshness, backup-etcd-snapshots and backup-operator-freshness:
 * `subject`, `ageHours`, `limitHours`, `verdict`). The scale is relative: the limit line
 * is at the middle, so series with different limits compare at a glance; ages past twice
 * the limit run off the right edge.
 */
function backupFreshness(checks: CheckResult[]): Picture | null {
  const rows: Array<{ subject: string; ageHours: number | null; limitHours: number; verdict: string; check: string }> = [];
  for (const id of ['backup-velero-freshness', 'backup-etcd-snapshots', 'backup-operator-freshness']) {
    const check = checks.find((c) => c.id === id);
    for (const r of rowsOf(check, 'series')) {
      const limitHours = num(r.limitHours);
      if (limitHours === undefined || limitHours <= 0) continue;
      rows.push({
        subject: str(r.subject) ?? '?',
        ageHours: num(r.ageHours) ?? null,
        limitHours,
        verdict: str(r.verdict) ?? 'fresh',
        check: id,
      });
    }
  }
  if (rows.length === 0) return null;
  const order = ['never-succeeded', 'stale-critical', 'stale', 'fresh', 'not-yet-due'];
  rows.sort(
    (a, b) =>
      order.indexOf(a.verdict) - order.indexOf(b.verdict) ||
      (b.ageHours ?? Infinity) / b.limitHours - (a.ageHours ?? Infinity) / a.limitHours,
  );
  const drawn = rows.slice(0, MAX_ROWS);
  const bars = barChart(
    drawn,
    (r) => ({
      label: r.subject,
      start: 0,
      end: r.ageHours === null ? 1 : r.ageHours / r.limitHours / 2,
      cls: FRESHNESS_CLASS[r.verdict] ?? 'muted',
      note:
        r.ageHours === null
          ? r.verdict === 'not-yet-due'
            ? 'no backup yet (not due)'
            : 'never succeeded'
          : `${hours(r.ageHours)} old · limit ${hours(r.limitHours)}`,
    }),
    {
      ticks: [
        { at: 0, label: 'just now' },
        { at: 0.25, label: '½ limit' },
        { at: 0.5, label: 'limit' },
        { at: 0.75, label: '1½ × limit' },
        { at: 1, label: '≥ 2 × limit' },
      ],
      lines: [{ at: 0.5, label: 'limit (RPO)', cls: 'limit' }],
      legend: [
        { label: 'within its limit', cls: 'ok' },
        { label: 'older than its limit', cls: 'warn' },
        { label: 'past the critical age, or never succeeded', cls: 'bad' },
      ],
    },
  );
  const stale = rows.filter((r) => r.verdict !== 'fresh' && r.verdict !== 'not-yet-due').length;
  return picture({
    id: 'backup-freshness',
    title: 'Backup freshness',
    caption:
      `Age of the newest successful backup of each series against its limit (the schedule's interval ` +
      `with tolerance, capped by the RPO). ` +
      (stale === 0 ? 'Every series is within its limit.' : `${stale} of ${rows.length} series are past their limit.`),
    bars,
    table: {
      columns: ['Series', 'Newest success age', 'Limit', 'Verdict'],
      rows: rows.map((r) => [
        { text: r.subject, cls: '' },
        { text: r.ageHours === null ? 'none' : hours(r.ageHours), cls: '' },
        { text: hours(r.limitHours), cls: '' },
        { text: r.verdict, cls: FRESHNESS_CLASS[r.verdict] ?? '' },
      ]),
    },
    omitted: rows.length > drawn.length ? `${rows.length - drawn.length} more series are in the table below.` : null,
  });
}

function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Days as text: `9 d`, `1.0 y`, `expired 3 d ago`. */
function daysText(d: number): string {
  if (d < 0) return `expired ${-d} d ago`;
  return d >= 365 ? `${(d / 365).toFixed(1)} y left` : `${d} d left`;
}

const CERT_HORIZON_DAYS = 730;

/**
 * Certificate expiry timeline (`details.certificates` of certs-pki-expiry and
 * certs-cluster-expiry: `name`, `where`, `notAfter`, `daysLeft`, `isCA`, `sha256Fingerprint`,
 * `locations`). One marker per certificate at its `notAfter`, on a square-root time scale from now to two years (the near
 * term gets the room); later ones sit at the right edge, expired ones at the left. Colour by
 * the default thresholds of `checks/certs/lib/expiry.ts`: under 7 days (or expired) red,
 * under 30 days (a CA: under 365) amber.
 *
 * The same certificate is often found in several places (the cluster CA in `pki/ca.crt`, in
 * kubeconfigs and in the `extension-apiserver-authentication` ConfigMap, read by both checks):
 * one row per SHA-256 fingerprint (per name and `notAfter` in reports without fingerprints),
 * named as first found (certs-pki-expiry's kubeadm name first), with every place listed.
 */
function certTimeline(checks: CheckResult[]): Picture | null {
  const byKey = new Map<string, { name: string; places: string[]; notAfter: string; daysLeft: number; isCA: boolean }>();
  for (const id of ['certs-pki-expiry', 'certs-cluster-expiry']) {
    for (const r of rowsOf(
      checks.find((c) => c.id === id),
      'certificates',
    )) {
      const daysLeft = num(r.daysLeft);
      if (daysLeft === undefined) continue;
      const listed = Array.isArray(r.locations) ? r.locations.filter((p): p is string => typeof p === 'string') : [];
      const places = listed.length > 0 ? listed : [str(r.where) ?? '?'];
      const key = str(r.sha256Fingerprint) ?? `${str(r.name)}\u0000${str(r.notAfter)}`;
      const known = byKey.get(key);
      if (known) {
        for (const p of places) if (!known.places.includes(p)) known.places.push(p);
        known.isCA ||= r.isCA === true;
      } else byKey.set(key, { name: str(r.name) ?? '?', places, notAfter: str(r.notAfter) ?? '', daysLeft, isCA: r.isCA === true });
    }
  }
  const rows = [...byKey.values()];
  if (rows.length === 0) return null;
  rows.sort((a, b) => a.daysLeft - b.daysLeft);
  const cls = (r: (typeof rows)[number]): string => (r.daysLeft < 7 ? 'bad' : r.daysLeft < (r.isCA ? 365 : 30) ? 'warn' : 'ok');
  const at = (days: number): number => Math.sqrt(Math.max(0, days) / CERT_HORIZON_DAYS);
  const drawn = rows.slice(0, MAX_ROWS);
  const bars = barChart(
    drawn,
    (r) => ({
      label: `${r.name}${r.isCA ? ' (CA)' : ''}${r.places.length > 1 ? `, ${r.places.length} places` : ''}`,
      start: at(r.daysLeft),
      end: at(r.daysLeft),
      cls: cls(r),
      note: `${daysText(r.daysLeft)} · ${r.notAfter.slice(0, 10)}`,
      marker: true,
    }),
    {
      ticks: [
        { at: 0, label: 'now' },
        { at: at(7), label: '7 d' },
        { at: at(30), label: '30 d' },
        { at: at(90), label: '90 d' },
        { at: at(180), label: '6 mo' },
        { at: at(365), label: '1 y' },
        { at: 1, label: '≥ 2 y' },
      ],
      lines: [{ at: at(30), label: 'warn (30 d)', cls: 'limit' }],
      legend: [
        { label: 'expired or under 7 days', cls: 'bad' },
        { label: 'under 30 days (a CA: under a year)', cls: 'warn' },
        { label: 'later', cls: 'ok' },
      ],
    },
  );
  const soon = rows.filter((r) => cls(r) !== 'ok').length;
  return picture({
    id: 'cert-timeline',
    title: 'Certificate expiry timeline',
    caption:
      'When each certificate expires, soonest first (square-root time scale: the coming weeks get the room); ' +
      'a certificate found in several places is one row (same SHA-256 fingerprint), its places listed below. ' +
      (soon === 0 ? 'None expires within its warning window.' : `${soon} of ${rows.length} expire within their warning window.`),
    bars,
    table: {
      columns: ['Certificate', 'Where', 'Not after', 'Left'],
      rows: rows.map((r) => [
        { text: `${r.name}${r.isCA ? ' (CA)' : ''}`, cls: '' },
        { text: r.places.join('; '), cls: '' },
        { text: r.notAfter, cls: '' },
        { text: daysText(r.daysLeft), cls: cls(r) },
      ]),
    },
    omitted: rows.length > drawn.length ? `${rows.length - drawn.length} later certificates are in the table below.` : null,
    notes: rows
      .filter((r) => r.places.length > 1)
      .map((r) => ({ label: `${r.name}${r.isCA ? ' (CA)' : ''} is found in ${r.places.length} places`, text: r.places.join('; ') })),
  });
}

/**
 * etcd members and their health (`details` of etcd-quorum: `voters`, `majority`,
 * `failureTolerance`, `healthyVoters`, `leader`, `members` with `name`, `idHex`, `health`,
 * `version`, `dbSizeBytes`, `raftIndex`, `isLeader`, `isLearner`; and etcd-alarms-space
 * `members[].percentOfQuota`).
 */
function etcdMembers(checks: CheckResult[]): Picture | null {
  const quorum = checks.find((c) => c.id === 'etcd-quorum');
  const members = rowsOf(quorum, 'members');
  if (!quorum?.details || members.length === 0) return null;
  const quota = new Map(
    rowsOf(
      checks.find((c) => c.id === 'etcd-alarms-space'),
      'members',
    ).map((m) => [str(m.name), num(m.percentOfQuota)]),
  );
  const d = quorum.details;
  const maxRaft = Math.max(...members.map((m) => num(m.raftIndex) ?? 0));
  const sorted = [...members].sort((a, b) => (str(a.name) ?? '').localeCompare(str(b.name) ?? ''));
  const cards = sorted.map((m) => {
    const name = str(m.name) ?? '?';
    const health = str(m.health) ?? 'unknown';
    const learner = m.isLearner === true;
    const raft = num(m.raftIndex);
    const db = num(m.dbSizeBytes);
    const pct = quota.get(name);
    const lines = [`etcd ${str(m.version) ?? 'version unknown'}`];
    if (db !== undefined) lines.push(`database ${bytes(db)}${pct !== undefined ? ` (${pct}% of quota)` : ''}`);
    if (raft !== undefined) lines.push(`raft index ${raft}${raft < maxRaft ? ` (${maxRaft - raft} behind)` : ''}`);
    if (str(m.error)) lines.push(str(m.error)!);
    if (str(m.idHex)) lines.push(`id ${str(m.idHex)}`);
    return {
      title: name,
      badge: [m.isLeader === true ? 'leader' : learner ? 'learner' : 'follower', health].join(' · '),
      cls: health === 'healthy' ? (learner ? 'muted' : 'ok') : 'bad',
      lines,
    };
  });
  const voters = num(d.voters);
  const healthy = num(d.healthyVoters);
  const majority = num(d.majority);
  const tolerance = num(d.failureTolerance);
  return picture({
    id: 'etcd-members',
    title: 'etcd members',
    caption:
      voters !== undefined
        ? `${voters} voting members, quorum ${majority ?? '?'}, ${healthy ?? '?'} healthy; the cluster ` +
          `survives ${tolerance ?? '?'} member failure${tolerance === 1 ? '' : 's'}. Leader: ` +
          `${str(d.leader) ?? 'none'}.`
        : 'The members as etcd reports them.',
    cards,
  });
}

/**
 * The node-by-node drain plan (`details` of pdb-drain-plan: `maxParallelDrains`,
 * `drainOrder` (waves of node names), `nodes` as `NodeDrain` in `src/k8s/drain.ts`). Nodes
 * that can be drained come in their waves; blocked ones after, with what blocks them.
 */
function drainPlan(checks: CheckResult[]): Picture | null {
  const check = checks.find((c) => c.id === 'pdb-drain-plan');
  const nodes = rowsOf(check, 'nodes');
  if (nodes.length === 0) return null;
  const order = Array.isArray(check?.details?.drainOrder) ? (check.details.drainOrder as unknown[]) : [];
  const wave = new Map<string, number>();
  order.forEach((w, i) => {
    if (Array.isArray(w)) for (const n of w) if (typeof n === 'string') wave.set(n, i + 1);
  });
  const len = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
  const card = (n: Record<string, unknown>) => {
    const name = str(n.node) ?? '?';
    const blocked = n.blocked === true;
    const lines: string[] = [];
    if (n.controlPlane === true) lines.push('control plane');
    if (str(n.ready) && n.ready !== 'True') lines.push(`not Ready (${str(n.ready)})`);
    lines.push(`evicts ${num(n.evicted) ?? 0} pod${num(n.evicted) === 1 ? '' : 's'}`);
    const pdbBlocked = Array.isArray(n.pdbBlocked) ? n.pdbBlocked.filter(isRecord) : [];
    if (pdbBlocked.length > 0) {
      const pdbs = [
        ...new Set(pdbBlocked.flatMap((p) => (Array.isArray(p.pdbs) ? p.pdbs.filter((x): x is string => typeof x === 'string') : []))),
      ];
      lines.push(`${pdbBlocked.length} pod${pdbBlocked.length === 1 ? '' : 's'} held by ${pdbs.join(', ')}`);
    }
    if (len(n.needsForce) > 0) lines.push(`${len(n.needsForce)} pod(s) need --force (no controller)`);
    if (len(n.fitsNowhere) > 0) lines.push(`${len(n.fitsNowhere)} pod(s) fit on no other node`);
    if (len(n.localVolumes) > 0) lines.push(`${len(n.localVolumes)} pod(s) on local volumes wait for the node`);
    if (len(n.emptyDir) > 0) lines.push(`${len(n.emptyDir)} pod(s) lose emptyDir data`);
    if (len(n.stale) > 0) lines.push(`${len(n.stale)} pod(s) under a PDB with a stale status`);
    const waits = (Array.isArray(n.budgets) ? n.budgets.filter(isRecord) : []).filter(
      (b) => (num(b.pods) ?? 0) > (num(b.disruptionsAllowed) ?? 0),
    );
    for (const b of waits) lines.push(`waits for ${str(b.pdb)}: ${num(b.pods)} pods, ${num(b.disruptionsAllowed)} at a time`);
    const w = wave.get(name);
    return {
      title: name,
      badge: blocked ? 'blocked' : w !== undefined ? `wave ${w}` : 'not planned',
      cls: blocked ? 'bad' : waits.length > 0 || len(n.emptyDir) > 0 || len(n.localVolumes) > 0 ? 'warn' : w !== undefined ? 'ok' : 'muted',
      lines,
      sort: blocked ? 1_000 : (w ?? 999),
    };
  };
  const all = nodes.map(card).sort((a, b) => a.sort - b.sort || a.title.localeCompare(b.title));
  const blocked = all.filter((c) => c.badge === 'blocked').length;
  const parallel = num(check?.details?.maxParallelDrains);
  // A large cluster: the nodes that need attention, and the plain ones counted.
  const cards =
    all.length <= MAX_ROWS ? all : [...all.filter((c) => c.cls !== 'ok'), ...all.filter((c) => c.cls === 'ok')].slice(0, MAX_ROWS);
  const plain = all.length - cards.length;
  return picture({
    id: 'drain-plan',
    title: 'Node-by-node drain plan',
    caption:
      `The order nodes can be drained in${parallel !== undefined ? ` (${parallel} at a time)` : ''}, ` +
      `as kubectl drain would meet them. ` +
      (blocked === 0 ? 'No node is blocked.' : `${blocked} of ${all.length} nodes cannot be drained as things stand.`),
    cards: cards.map(({ sort: _sort, ...c }) => c),
    ordered: plain === 0,
    omitted:
      plain > 0
        ? `${plain} more nodes drain without a problem, in waves ` +
          `${Math.min(...all.slice(cards.length).map((c) => c.sort))}–${Math.max(...all.slice(cards.length).map((c) => c.sort))} ` +
          `(the pdb-drain-plan details in report.json list them all).`
        : null,
  });
}

interface SkewCell {
  allowed: string;
  ok: boolean;
}

function skew(v: unknown): SkewCell | undefined {
  return isRecord(v) && typeof v.allowed === 'string' && typeof v.ok === 'boolean' ? { allowed: v.allowed, ok: v.ok } : undefined;
}

/**
 * The version skew matrix (`details.matrix` of versions-kubelet-skew: `node`,
 * `kubeletVersion`, `ready`, `today`/`after` `{allowed, ok}`, `after: {version}`; and of
 * versions-kube-proxy-skew: `kubeProxyVersion`, `today`, `after`): per node, each
 * component's version, and whether it is within the skew the policy allows against the
 * API server today and after the upgrade.
 */
function skewMatrix(checks: CheckResult[]): Picture | null {
  const kubelet = checks.find((c) => c.id === 'versions-kubelet-skew');
  const proxy = checks.find((c) => c.id === 'versions-kube-proxy-skew');
  const kRows = rowsOf(kubelet, 'matrix');
  const pRows = new Map(rowsOf(proxy, 'matrix').map((r) => [str(r.node), r]));
  if (kRows.length === 0 && pRows.size === 0) return null;
  const details = kubelet?.details ?? proxy?.details ?? {};
  const apiservers = Array.isArray(details.apiservers) ? details.apiservers.filter((x): x is string => typeof x === 'string') : [];
  const after = isRecord(details.after) ? details.after : undefined;
  const target = after ? `${str(after.version) ?? '?'}${after.assumed === true ? ' (assumed: the next minor)' : ''}` : undefined;
  const mark = (c: SkewCell | undefined): Cell =>
    c ? { text: `${c.ok ? 'ok' : 'out of skew'} (${c.allowed})`, cls: c.ok ? 'ok' : 'bad' } : { text: '—', cls: 'muted' };
  const nodes = [...new Set([...kRows.map((r) => str(r.node)), ...pRows.keys()])].filter((n): n is string => n !== undefined);
  const byNode = new Map(kRows.map((r) => [str(r.node), r]));
  const rows: Cell[][] = nodes.map((node) => {
    const k = byNode.get(node);
    const p = pRows.get(node);
    return [
      { text: `${node}${k && str(k.ready) && k.ready !== 'True' ? ` (Ready: ${str(k.ready)})` : ''}`, cls: '' },
      { text: str(k?.kubeletVersion) ?? str(p?.kubeletVersion) ?? '—', cls: '' },
      mark(skew(k?.today)),
      mark(skew(k?.after)),
      { text: str(p?.kubeProxyVersion) ?? '—', cls: '' },
      mark(skew(p?.today)),
      mark(skew(p?.after)),
    ];
  });
  const isBad = (r: Cell[]): boolean => r.some((c) => c.cls === 'bad');
  const bad = rows.filter(isBad).length;
  // A large cluster: nodes out of skew one by one (up to MAX_ROWS), the others by version.
  let shown = rows;
  let omitted: string | null = null;
  if (rows.length > MAX_ROWS) {
    const out = rows.filter(isBad).slice(0, MAX_ROWS);
    const groups = new Map<string, { row: Cell[]; n: number }>();
    for (const r of rows.filter((x) => !isBad(x) || !out.includes(x))) {
      const key = JSON.stringify(r.slice(1));
      const g = groups.get(key);
      if (g) g.n++;
      else groups.set(key, { row: r, n: 1 });
    }
    shown = [...out, ...[...groups.values()].map((g) => (g.n === 1 ? g.row : [{ text: `${g.n} nodes`, cls: '' }, ...g.row.slice(1)]))];
    omitted = 'Nodes with the same versions and verdicts are counted on one row; report.json lists every node.';
  }
  return picture({
    id: 'skew-matrix',
    omitted,
    title: 'Version skew matrix',
    caption:
      `Each node's kubelet and kube-proxy against the API ` +
      `server${apiservers.length ? ` (${apiservers.join(', ')})` : ''} ` +
      `today${target ? ` and after the upgrade to ${target}` : ''}. ` +
      (bad === 0 ? 'Every node is within the skew policy.' : `${bad} of ${rows.length} nodes are out of skew now or after the upgrade.`),
    table: {
      columns: [
        'Node',
        'kubelet',
        'kubelet today',
        target ? `kubelet after ${str(after?.version)}` : 'kubelet after',
        'kube-proxy',
        'kube-proxy today',
        target ? `kube-proxy after ${str(after?.version)}` : 'kube-proxy after',
      ],
      rows: shown,
    },
    tableIsPicture: true,
  });
}

/** Pictures of one family, in display order. */
export function picturesFor(family: Family, checks: CheckResult[], _report: Report): Picture[] {
  const out: Array<Picture | null> = [];
  if (family === 'certs') out.push(certTimeline(checks));
  if (family === 'etcd') out.push(etcdMembers(checks));
  if (family === 'versions') out.push(skewMatrix(checks));
  if (family === 'pdb') out.push(drainPlan(checks));
  if (family === 'backup') out.push(backupFreshness(checks));
  return out.filter((p): p is Picture => p !== null);
}
