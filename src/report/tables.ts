/**
 * Per-family tables people know, built as data (`report.tables`) from the findings and the
 * check details, drawn as given by every renderer:
 *
 * | id                   | family   | rows                                                                                 | from |
 * |----------------------|----------|--------------------------------------------------------------------------------------|------|
 * | `certs-certificates` | certs    | one per leaf certificate (SHA-256 fingerprint), with every place it was found         | `certs-pki-expiry` and `certs-cluster-expiry` `details.certificates` |
 * | `certs-authorities`  | certs    | one per CA certificate, as kubeadm lists CAs in their own block                      | same |
 * | `apis-deprecated`    | apis     | one per object (or client request) on a deprecated or removed API version, as Pluto  | `apis-removed`, `apis-deprecated`, `apis-in-use-metric` findings |
 * | `versions-skew`      | versions | one per component instance: version and allowed minors today and after the target   | `versions-control-plane-skew`, `versions-kubelet-skew`, `versions-kube-proxy-skew` details |
 * | `pdb-drain-order`    | pdb      | one per node: wave, what blocks it, pods evicted, whether it can be drained           | `pdb-drain-plan` details |
 * | `rbac-access-review` | rbac     | one per subject and binding → role giving an admin-equivalent power                  | `rbac-cluster-admins` `details.accessReview` |
 *
 * A table is made only when its checks produced details or findings (a check in error makes
 * none); an empty table (no deprecated API found) is kept, so "none" is said, not implied.
 * Certificate columns follow `kubeadm certs check-expiration` (cmd/kubeadm/app/cmd/certs.go):
 * EXPIRES as `Jan 02, 2006 15:04 MST`, RESIDUAL TIME as apimachinery's
 * `duration.ShortHumanDuration` (`45m`, `23h`, `364d`, `9y`). API columns follow Pluto
 * (`pluto detect-all-in-cluster -o wide`).
 */
import type { Family } from '../contract/check.js';
import type { CheckResult, Finding, ReportTable, TableCell, TableColumn, TableRow } from '../contract/report.js';
import { arr } from '../k8s/objects.js';

type Details = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const obj = (v: unknown): Details => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Details) : {});
/** A scalar detail as text: a string as it is, a number or boolean printed, anything else `fallback`. */
const text = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : fallback;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const col = (key: string, label: string, align?: 'right'): TableColumn => (align ? { key, label, align } : { key, label });
const row = (cells: Record<string, TableCell>, flagged: boolean): TableRow => (flagged ? { cells, flagged: true } : { cells });

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** kubeadm's EXPIRES: `Nov 23, 2027 06:50 UTC` (UTC). */
export function kubeadmDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/**
 * kubeadm's RESIDUAL TIME for a certificate expiring at `notAfter` (ISO 8601), as apimachinery's
 * `ShortHumanDuration`: seconds under a minute (`42s`), minutes under an hour, hours under a
 * day, whole days under 365 days (`364d`), else whole 365-day years (`9y`). A certificate
 * already expired gives `expired` (kubeadm prints `<invalid>`).
 */
export function residualTime(notAfter: string, now: Date): string {
  const ms = Date.parse(notAfter) - now.getTime();
  if (Number.isNaN(ms)) return 'unknown';
  if (ms < 0) return 'expired';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h`;
  if (h < 24 * 365) return `${Math.floor(h / 24)}d`;
  return `${Math.floor(h / 24 / 365)}y`;
}

interface CertEntry {
  name: string;
  locations: string[];
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  notAfter: string;
  isCA: boolean;
  managedBy?: string;
}

/** kubeadm's EXTERNALLY MANAGED, from who renews the certificate (`TimelineEntry.managedBy`). */
function externallyManaged(managedBy: string | undefined): string {
  if (managedBy === undefined) return 'unknown';
  return managedBy === 'kubeadm' ? 'no (kubeadm)' : `yes (${managedBy})`;
}

function certTables(checks: Map<string, CheckResult>, findings: Finding[], now: Date): ReportTable[] {
  const sources = ['certs-pki-expiry', 'certs-cluster-expiry']
    .map((id) => checks.get(id))
    .filter((c): c is CheckResult => c?.details !== undefined);
  if (sources.length === 0) return [];
  const byPrint = new Map<string, CertEntry>();
  for (const c of sources) {
    for (const raw of arr(c.details!.certificates)) {
      const e = obj(raw);
      const fp = str(e.sha256Fingerprint);
      const notAfter = str(e.notAfter);
      if (!fp || !notAfter) continue;
      const locations = arr(e.locations).filter((l): l is string => typeof l === 'string');
      const seen = byPrint.get(fp);
      if (seen) {
        for (const l of locations) if (!seen.locations.includes(l)) seen.locations.push(l);
        seen.isCA ||= e.isCA === true;
        seen.managedBy ??= str(e.managedBy);
        continue;
      }
      byPrint.set(fp, {
        name: str(e.name) ?? fp,
        locations,
        subject: str(e.subject) ?? '',
        issuer: str(e.issuer) ?? '',
        sha256Fingerprint: fp,
        notAfter,
        isCA: e.isCA === true,
        ...(str(e.managedBy) ? { managedBy: str(e.managedBy)! } : {}),
      });
    }
  }
  const flagged = new Set(findings.filter((f) => sources.some((c) => c.id === f.checkId)).map((f) => str(f.evidence.sha256Fingerprint)));
  const entries = [...byPrint.values()].sort((a, b) => cmp(a.notAfter, b.notAfter) || cmp(a.name, b.name));
  const caName = new Map<string, string>();
  for (const e of entries) if (e.isCA && !caName.has(e.subject)) caName.set(e.subject, e.name);
  const common = (e: CertEntry): Record<string, TableCell> => ({
    expires: kubeadmDate(e.notAfter),
    residualTime: residualTime(e.notAfter, now),
  });
  const leaves = entries.filter((e) => !e.isCA);
  const cas = entries.filter((e) => e.isCA);
  const note =
    'One row per certificate (SHA-256 fingerprint), with every place it was found. ' +
    'EXTERNALLY MANAGED: "no (kubeadm)" for the certificates kubeadm renews by name, ' +
    '"yes" with what renews the others when a place says so (cert-manager, cainjector), else "unknown"; ' +
    "kubeadm's own test (the CA key is absent) needs the key files, which a dump never holds.";
  return [
    {
      id: 'certs-certificates',
      family: 'certs',
      title: 'Certificates',
      columns: [
        col('certificate', 'CERTIFICATE'),
        col('expires', 'EXPIRES'),
        col('residualTime', 'RESIDUAL TIME', 'right'),
        col('ca', 'CA'),
        col('externallyManaged', 'EXTERNALLY MANAGED'),
        col('locations', 'LOCATIONS'),
      ],
      rows: leaves.map((e) =>
        row(
          {
            certificate: e.name,
            ...common(e),
            ca: e.issuer === e.subject ? 'self-signed' : (caName.get(e.issuer) ?? (e.issuer || null)),
            externallyManaged: externallyManaged(e.managedBy),
            locations: e.locations,
          },
          flagged.has(e.sha256Fingerprint),
        ),
      ),
      note,
    },
    {
      id: 'certs-authorities',
      family: 'certs',
      title: 'Certificate authorities',
      columns: [
        col('certificate', 'CERTIFICATE AUTHORITY'),
        col('expires', 'EXPIRES'),
        col('residualTime', 'RESIDUAL TIME', 'right'),
        col('externallyManaged', 'EXTERNALLY MANAGED'),
        col('locations', 'LOCATIONS'),
      ],
      rows: cas.map((e) =>
        row(
          { certificate: e.name, ...common(e), externallyManaged: externallyManaged(e.managedBy), locations: e.locations },
          flagged.has(e.sha256Fingerprint),
        ),
      ),
    },
  ];
}

/** `1.27` → 27 (the minor of a `major.minor` label); NaN when not one. */
const minorOf = (v: unknown): number => (typeof v === 'string' && /^\d+\.\d+/.test(v) ? Number(v.split('.')[1]) : NaN);

/** Where a deprecated API version was seen, per evidence source (`checks/apis/lib/usage.ts`). */
function foundIn(source: Details): string {
  switch (source.source) {
    case 'last-applied':
      return 'object (last-applied configuration)';
    case 'managed-fields':
      return `object (written by ${str(source.manager) ?? 'a field manager'})`;
    case 'helm':
      return `Helm release ${str(source.release) ?? ''} revision ${text(source.revision, '?')}${source.hook === true ? ' (hook)' : ''}`;
    case 'manifest':
      return `manifest ${str(source.file) ?? ''}:${text(source.line, '?')}`;
    default:
      return text(source.source, 'unknown');
  }
}

function apiTable(checks: Map<string, CheckResult>, findings: Finding[], target: string | undefined): ReportTable[] {
  const ids = ['apis-removed', 'apis-deprecated', 'apis-in-use-metric'];
  if (!ids.some((id) => checks.get(id)?.details !== undefined)) return [];
  const rows: Array<{ removed: number; key: string; row: TableRow }> = [];
  for (const f of findings.filter((x) => ids.includes(x.checkId))) {
    const e = f.evidence;
    const removedIn = str(e.removedIn) ?? str(e.removedRelease) ?? null;
    const targetMinor = minorOf(str(e.targetVersion) ?? target);
    const replacement = str(e.replacementApi)
      ? `${String(e.replacementApi)}${str(e.replacementKind) ? ` ${String(e.replacementKind)}` : ''}`
      : null;
    const late = removedIn !== null && minorOf(removedIn) <= targetMinor;
    let cells: Record<string, TableCell>;
    if (f.checkId === 'apis-in-use-metric') {
      const group = str(e.group);
      cells = {
        kind: `${text(e.resource)}${str(e.subresource) ? `/${String(e.subresource)}` : ''}`,
        name: null,
        namespace: null,
        version: `${group ? `${group}/` : ''}${text(e.version)}`,
        replacement,
        deprecatedIn: null,
        removedIn,
        foundIn: ['client requests (apiserver_requested_deprecated_apis)'],
      };
    } else {
      const r = f.resource;
      const kind = str(e.kind) ?? ('kind' in r ? r.kind : '');
      const apiVersion = str(e.apiVersion) ?? '';
      // A manifest's object is named in the resource's field: `<apiVersion> <kind> [<ns>/]<name>` (or `doc <n>`).
      const who = 'file' in r ? (r.field ?? '').replace(`${apiVersion} ${kind} `, '') : '';
      const slash = who.startsWith('doc ') ? -1 : who.indexOf('/');
      cells = {
        kind,
        name: 'file' in r ? who.slice(slash + 1) : r.name,
        namespace: 'file' in r ? (slash > 0 ? who.slice(0, slash) : null) : (r.namespace ?? null),
        version: apiVersion,
        replacement,
        deprecatedIn: str(e.deprecatedIn) ?? null,
        removedIn,
        foundIn: arr(e.sources).map((s) => foundIn(obj(s))),
      };
    }
    rows.push({
      removed: removedIn === null ? Infinity : minorOf(removedIn),
      key: `${String(cells.kind)}|${String(cells.namespace ?? '')}|${String(cells.name ?? '')}|${String(cells.version)}`,
      row: row(cells, late),
    });
  }
  rows.sort((a, b) => a.removed - b.removed || cmp(a.key, b.key));
  return [
    {
      id: 'apis-deprecated',
      family: 'apis',
      title: 'Deprecated and removed API versions in use',
      columns: [
        col('kind', 'KIND'),
        col('name', 'NAME'),
        col('namespace', 'NAMESPACE'),
        col('version', 'VERSION'),
        col('replacement', 'REPLACEMENT'),
        col('deprecatedIn', 'DEPRECATED IN'),
        col('removedIn', 'REMOVED IN'),
        col('foundIn', 'FOUND IN'),
      ],
      rows: rows.map((r) => r.row),
      note:
        'Objects (by their last-applied configuration, field managers, Helm releases or manifests) and client requests ' +
        `on an API version deprecated or removed by ${target ?? 'the target'}; rows removed by the target are flagged.`,
    },
  ];
}

/** `v1.26.4` → `1.26`. */
const minorLabel = (v: string): string => v.replace(/^v/, '').split('.').slice(0, 2).join('.');

function skewTable(checks: Map<string, CheckResult>): ReportTable[] {
  const cp = checks.get('versions-control-plane-skew')?.details;
  const kubelet = checks.get('versions-kubelet-skew')?.details;
  const proxy = checks.get('versions-kube-proxy-skew')?.details;
  if (!cp && !kubelet && !proxy) return [];
  const anyOf = kubelet ?? proxy ?? {};
  const apiservers = arr(anyOf.apiservers).filter((v): v is string => typeof v === 'string');
  const now = [...new Set(apiservers.map(minorLabel))].join(', ') || 'today';
  const after = str(obj(anyOf.after).version);
  const rows: TableRow[] = [];
  const judged = (j: unknown): [TableCell, TableCell] => {
    const o = obj(j);
    return [str(o.allowed) ?? null, typeof o.ok === 'boolean' ? o.ok : null];
  };
  const push = (component: string, instance: string, version: unknown, today: unknown, later: unknown): void => {
    const [allowedNow, okNow] = judged(today);
    const [allowedAfter, okAfter] = judged(later);
    rows.push(
      row(
        { component, instance, version: str(version) ?? null, allowedNow, okNow, allowedAfter, okAfter },
        okNow === false || okAfter === false,
      ),
    );
  };
  for (const raw of arr(cp?.components)) {
    const c = obj(raw);
    // etcd has no skew rule; kube-apiservers are judged against each other (within one minor).
    if (c.component === 'etcd') continue;
    const node = str(c.node);
    push(text(c.component), node ? `${node} (${text(c.pod)})` : text(c.pod), c.version, c.today, null);
  }
  for (const raw of arr(kubelet?.matrix)) {
    const m = obj(raw);
    push('kubelet', text(m.node), m.kubeletVersion, m.today, m.after);
  }
  const dsVersion = new Map<string, unknown>();
  for (const raw of arr(proxy?.daemonSets)) {
    const d = obj(raw);
    dsVersion.set(text(d.name), d.kubeProxyVersion);
    const n = typeof d.nodes === 'number' ? d.nodes : undefined;
    push(
      'kube-proxy',
      `DaemonSet ${text(d.name)}${n === undefined ? '' : ` (${n} node${n === 1 ? '' : 's'})`}`,
      d.kubeProxyVersion,
      d.today,
      d.after,
    );
  }
  // A pod is a row of its own when it is not at its DaemonSet's version (not rolled yet) or has none.
  for (const raw of arr(proxy?.pods)) {
    const p = obj(raw);
    const ds = str(p.daemonSet);
    const ns = text(p.name).split('/')[0];
    if (ds && dsVersion.get(`${ns}/${ds}`) === p.kubeProxyVersion) continue;
    push('kube-proxy', `${str(p.node) ? `${String(p.node)} ` : ''}(pod ${text(p.name)})`, p.kubeProxyVersion, p.today, p.after);
  }
  // Per node: the version the node reports (judged against the kube-apiservers), or a kube-proxy
  // too far from the node's kubelet.
  for (const raw of arr(proxy?.matrix)) {
    const m = obj(raw);
    if (m.today === undefined && obj(m.kubelet).ok !== false) continue;
    const pair = obj(m.kubelet);
    const [allowedNow, okNow] = judged(m.today);
    const [allowedAfter, okAfter] = judged(m.after);
    const vsKubelet = pair.ok === false ? ` (kubelet ${text(m.kubeletVersion, '?')} outside ${text(pair.allowed, '?')})` : '';
    rows.push(
      row(
        {
          component: 'kube-proxy',
          instance: text(m.node),
          version: `${text(m.kubeProxyVersion)}${vsKubelet}`,
          allowedNow,
          okNow,
          allowedAfter,
          okAfter,
        },
        okNow === false || okAfter === false || pair.ok === false,
      ),
    );
  }
  const own = arr(proxy?.kubeletsOwnVersion).length;
  const notes = [
    `Allowed minors beside the kube-apiserver (${now}) today and after the control plane moves to ${after ?? 'the target'} ` +
      '(Version Skew Policy); controllers are judged against the kube-apiserver of their node, and move with the control plane.',
  ];
  if (own > 0)
    notes.push(
      `kube-proxy is not listed on ${own} node${own === 1 ? '' : 's'}: ` +
        "status.nodeInfo.kubeProxyVersion holds the kubelet's own version there (see the kubelet rows).",
    );
  return [
    {
      id: 'versions-skew',
      family: 'versions',
      title: 'Version skew matrix',
      columns: [
        col('component', 'COMPONENT'),
        col('instance', 'NODE / INSTANCE'),
        col('version', 'VERSION'),
        col('allowedNow', `ALLOWED ON ${now}`),
        col('okNow', 'OK'),
        col('allowedAfter', `ALLOWED ON ${after ?? 'TARGET'}`),
        col('okAfter', `OK ON ${after ?? 'TARGET'}`),
      ],
      rows,
      note: notes.join(' '),
    },
  ];
}

function drainTable(checks: Map<string, CheckResult>): ReportTable[] {
  const d = checks.get('pdb-drain-plan')?.details;
  if (!d) return [];
  const wave = new Map<string, number>();
  arr(d.drainOrder).forEach((w, i) => arr(w).forEach((n) => typeof n === 'string' && wave.set(n, i + 1)));
  const nodes = arr(d.nodes).map(obj);
  const rank = (n: Details): number => wave.get(String(n.node)) ?? (n.blocked === true ? Infinity : Number.MAX_SAFE_INTEGER);
  nodes.sort((a, b) => rank(a) - rank(b) || cmp(String(a.node), String(b.node)));
  const rows = nodes.map((n) => {
    const name = text(n.node);
    const pdbs = [
      ...new Set(
        arr(n.pdbBlocked)
          .flatMap((p) => arr(obj(p).pdbs))
          .filter((x): x is string => typeof x === 'string'),
      ),
    ]
      .sort()
      .map((p) => `PDB ${p}`);
    const force = arr(n.needsForce).length;
    const nowhere = arr(n.fitsNowhere).length;
    const stale = arr(n.stale).length;
    const pods = (n: number, verb: string): string => `${n} pod${n === 1 ? ` ${verb}s` : `s ${verb}`}`;
    const blockedBy = [
      ...pdbs,
      ...(force > 0 ? [`${pods(force, 'need')} --force`] : []),
      ...(nowhere > 0 ? [`${pods(nowhere, 'fit')} nowhere`] : []),
    ];
    const canDrain =
      n.blocked === true
        ? 'no'
        : wave.has(name)
          ? 'yes'
          : stale > 0
            ? `unknown (${stale} pod${stale === 1 ? '' : 's'} under a PDB with a stale status)`
            : 'unknown';
    return row(
      {
        node: name,
        wave: wave.get(name) ?? null,
        blockedBy: blockedBy.length > 0 ? blockedBy : null,
        evicted: typeof n.evicted === 'number' ? n.evicted : null,
        canDrain,
      },
      n.blocked === true,
    );
  });
  return [
    {
      id: 'pdb-drain-order',
      family: 'pdb',
      title: 'Drain order',
      columns: [
        col('node', 'NODE'),
        col('wave', 'WAVE', 'right'),
        col('blockedBy', 'BLOCKED BY'),
        col('evicted', 'PODS EVICTED', 'right'),
        col('canDrain', 'CAN DRAIN'),
      ],
      rows,
      note:
        'Nodes in the order they can be drained (kubectl drain --ignore-daemonsets --delete-emptydir-data, simulated), ' +
        `control plane first, at most ${text(d.maxParallelDrains, '1')} at a time per wave; blocked nodes have no wave.`,
    },
  ];
}

/** `Group oncall-admins`, `ServiceAccount ci/deployer`. */
function subjectText(s: Details): string {
  return `${text(s.kind)} ${str(s.namespace) ? `${String(s.namespace)}/` : ''}${text(s.name)}`;
}

function accessReviewTable(checks: Map<string, CheckResult>): ReportTable[] {
  const c = checks.get('rbac-cluster-admins');
  if (!c?.details) return [];
  interface Via {
    subject: string;
    via: string;
    powers: string[];
    isDefault: boolean;
    since: string | null;
    /** The namespace the powers hold in; absent: cluster-wide. */
    namespace?: string;
  }
  const vias = new Map<string, Via>();
  const review = obj(c.details.accessReview);
  const roles = arr(review.roles).map(obj);
  const grants = arr(review.grants).map((raw) => {
    const g = obj(raw);
    const role = obj(roles[typeof g.role === 'number' ? g.role : -1]);
    const ns = str(g.namespace);
    return {
      via: `${text(g.bindingKind)} ${ns ? `${ns}/` : ''}${text(g.binding)} → ${text(role.kind)} ${text(role.name)}`,
      since: str(g.since) ?? null,
      scope: g.clusterWide === true ? undefined : ns,
    };
  });
  for (const raw of arr(review.subjects)) {
    const r = obj(raw);
    const subject = subjectText(obj(r.subject));
    for (const ref of arr(r.grants).map(obj)) {
      const g = grants[typeof ref.grant === 'number' ? ref.grant : -1];
      if (!g) continue;
      const key = `${subject}|${g.via}`;
      const v = vias.get(key) ?? {
        subject,
        via: g.via,
        powers: [],
        isDefault: ref.default === true,
        since: g.since,
        ...(g.scope ? { namespace: g.scope } : {}),
      };
      for (const power of arr(ref.powers).map((p) => text(p))) if (!v.powers.includes(power)) v.powers.push(power);
      vias.set(key, v);
    }
  }
  const list = [...vias.values()].sort(
    (a, b) => Number(a.isDefault) - Number(b.isDefault) || cmp(a.subject, b.subject) || cmp(a.via, b.via),
  );
  const d = obj(c.details.distribution);
  return [
    {
      id: 'rbac-access-review',
      family: 'rbac',
      title: 'Cluster-admin access review',
      columns: [
        col('subject', 'SUBJECT'),
        col('via', 'VIA (BINDING → ROLE)'),
        col('powers', 'POWERS'),
        col('origin', 'DEFAULT OR ADDED'),
        col('since', 'SINCE'),
      ],
      rows: list.map((v) =>
        row(
          {
            subject: v.subject,
            via: v.via,
            powers:
              (v.powers.includes('wildcard') ? 'wildcard (every power)' : v.powers.join(', ')) +
              (v.namespace ? ` (namespace ${v.namespace} only)` : ''),
            origin: v.isDefault ? 'default' : 'added',
            since: v.since,
          },
          !v.isDefault,
        ),
      ),
      note:
        'Every subject holding an admin-equivalent power (wildcard: cluster-admin, which holds every other), ' +
        'one row per binding → role (POWERS says when they hold in one namespace only); ' +
        `"default" per the ${text(d.name, 'detected')} distribution's allowlist (${arr(d.applied).join(', ') || 'upstream'}); ` +
        "SINCE is the binding's creationTimestamp. Members of the group system:masters bypass RBAC and are not listed by any binding.",
    },
  ];
}

/**
 * The tables of a report from its checks (with `details`) and findings, judged as of `now`
 * (RESIDUAL TIME) against `targetVersion` (the target minor, `1.27`, when known). Families in
 * report order; see the module comment for each table. Never throws on details of another
 * shape: what is missing shows as an empty cell or no row.
 */
export function buildTables(checks: CheckResult[], findings: Finding[], now: Date, targetVersion?: string): ReportTable[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const tables = [
    ...certTables(byId, findings, now),
    ...apiTable(byId, findings, targetVersion),
    ...skewTable(byId),
    ...drainTable(byId),
    ...accessReviewTable(byId),
  ];
  const order: Family[] = [];
  for (const c of checks) if (!order.includes(c.family)) order.push(c.family);
  return tables.filter((t) => order.includes(t.family)).sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family));
}

/** A cell as text: a list one item a line, a boolean `yes`/`no`, `null` (or an empty list) `—`. */
export function cellText(v: TableCell): string {
  if (v === null) return '—';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.join('\n');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
}
