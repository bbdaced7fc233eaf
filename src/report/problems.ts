/**
 * Problems: findings that share a root cause, grouped so a reader fixes causes, not symptoms.
 *
 * Two PodDisruptionBudgets that allow no disruption give five critical findings (the two PDBs
 * and the three nodes whose drain they block), but two things to fix. A problem is one root
 * finding (the cause; its remediation is the fix) and the findings it explains (its effects).
 * Every finding is in at least one problem; only an effect with several causes (a node whose
 * drain two such PDBs block) is in more than one. Findings and fingerprints are unchanged.
 *
 * The grouping rules, applied in this order to the findings no earlier rule
 * took (a rule makes a problem only from two or more findings; a finding left alone is a
 * `single` problem):
 *
 * | rule               | cause (root)                                  | effects                                                                                          |
 * |--------------------|-----------------------------------------------|--------------------------------------------------------------------------------------------------|
 * | `pdb-blocks-drain` | a `pdb-blocking` finding (PDB `ns/name`)      | `pdb-drain-plan` `drain-blocked-by-pdb` findings whose `evidence.pdbs` all have a `pdb-blocking` finding and whose blocked pods (`evidence.pods`, complete when `podCount` equals its length) are all `no-disruptions-allowed` |
 * | `node-skew`        | the worst `versions-kubelet-skew` finding     | the other `versions-kubelet-skew` and `versions-kube-proxy-skew` findings on the same Node        |
 * | `same-certificate` | the worst `certs-*` finding                   | the other `certs-*` findings with the same `evidence.sha256Fingerprint` (one certificate, any location) |
 * | `api-version`      | the worst `apis-removed` or `apis-deprecated` finding (an object to re-apply), else the worst | the other `apis-removed`, `apis-deprecated`, `apis-in-use-metric` and `apis-served-versions` findings of the same group/version |
 * | `same-subject`     | the worst finding of one check on one resource | the check's other findings on that resource (`resourceIdentity`, field included)                 |
 *
 * "Worst" is the most severe, then the first in report order. A problem's `severity` is the
 * worst of its findings; it is `blocking` when any of its findings blocks the verdict
 * (unwaived, new against a baseline, at or above `--fail-on`: `gates` and `atOrAbove`).
 * Its `id` is `P` and 12 hex digits of SHA-256 over the rule and the root's fingerprint: the
 * same cause keeps its id from scan to scan whatever its effects.
 */
import { createHash } from 'node:crypto';
import { atOrAbove, gates } from '../engine/verdict.js';
import { FAMILIES, SEVERITIES, type FailOn, type Family, type Severity } from '../contract/check.js';
import { resourceIdentity, resourceLabel } from '../k8s/fingerprint.js';
import type { CheckResult, Finding, Problem, ProblemRule, Report } from '../contract/report.js';
import { firstOf } from '../lists.js';

/** At most this many effect subjects are named in a title; the rest are counted. */
export const TITLE_LISTED = 5;

const rank = (s: Severity): number => SEVERITIES.indexOf(s);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
const nodeName = (f: Finding): string | undefined => ('kind' in f.resource && f.resource.kind === 'Node' ? f.resource.name : undefined);

/** The most severe finding, the first in the given order among equals. */
function worst(list: Finding[]): Finding {
  return list.reduce((a, b) => (rank(b.severity) < rank(a.severity) ? b : a));
}

/**
 * Names as a short list: the first `TITLE_LISTED`, then a count. A name that shares the first
 * name's stem (up to its last `-`) is written from the `-`: `lab-worker-1, -2, -3`.
 */
function listed(names: string[]): string {
  const first = names[0] ?? '';
  const stem = first.includes('-') ? first.slice(0, first.lastIndexOf('-')) : undefined;
  const short = (n: string, i: number): string =>
    i > 0 && stem && n.startsWith(`${stem}-`) && !n.slice(stem.length + 1).includes('-') ? n.slice(stem.length) : n;
  return firstOf([...names.slice(0, TITLE_LISTED).map(short), ...names.slice(TITLE_LISTED)], TITLE_LISTED);
}

interface Group {
  rule: ProblemRule;
  root: Finding;
  effects: Finding[];
  title: string;
}

/** `maxUnavailable: 0`, `minAvailable: 2`, or the computed `disruptionsAllowed: 0`. */
function budgetText(e: Record<string, unknown>): string {
  if (e.maxUnavailable !== undefined) return `maxUnavailable: ${e.maxUnavailable as number | string}`;
  if (e.minAvailable !== undefined) return `minAvailable: ${e.minAvailable as number | string}`;
  return 'disruptionsAllowed: 0';
}

function pdbGroups(findings: Finding[]): { groups: Group[]; taken: Set<Finding> } {
  const roots = new Map<string, Finding>();
  for (const f of findings) {
    if (f.checkId === 'pdb-blocking' && 'kind' in f.resource && f.resource.namespace)
      roots.set(`${f.resource.namespace}/${f.resource.name}`, f);
  }
  const effects = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.checkId !== 'pdb-drain-plan' || f.rule !== 'drain-blocked-by-pdb') continue;
    const pdbs = strings(f.evidence.pdbs);
    const pods = Array.isArray(f.evidence.pods) ? (f.evidence.pods as Array<Record<string, unknown>>) : undefined;
    if (!pdbs || pdbs.length === 0 || !pods || f.evidence.podCount !== pods.length) continue;
    if (!pdbs.every((p) => roots.has(p)) || !pods.every((p) => p.reason === 'no-disruptions-allowed')) continue;
    for (const p of pdbs) {
      const list = effects.get(p);
      if (list) list.push(f);
      else effects.set(p, [f]);
    }
  }
  const groups: Group[] = [];
  const taken = new Set<Finding>();
  for (const [key, root] of roots) {
    const eff = effects.get(key);
    if (!eff) continue;
    const nodes = eff.map((f) => nodeName(f) ?? resourceLabel(f.resource));
    groups.push({
      rule: 'pdb-blocks-drain',
      root,
      effects: eff,
      title: `PDB ${key} (${budgetText(root.evidence)}) blocks draining ${listed(nodes)}`,
    });
    taken.add(root);
    for (const f of eff) taken.add(f);
  }
  return { groups, taken };
}

/** Groups of findings by a key, in first-seen order; findings without a key are left out. */
function bucket(findings: Finding[], key: (f: Finding) => string | undefined): Finding[][] {
  const m = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = key(f);
    if (k === undefined) continue;
    const list = m.get(k);
    if (list) list.push(f);
    else m.set(k, [f]);
  }
  return [...m.values()].filter((l) => l.length > 1);
}

function nodeSkewTitle(list: Finding[], node: string): string {
  const kubelet = list.find((f) => f.checkId === 'versions-kubelet-skew' && str(f.evidence.kubeletVersion));
  const proxy = list.find((f) => f.checkId === 'versions-kube-proxy-skew' && str(f.evidence.kubeProxyVersion));
  const kv = kubelet ? str(kubelet.evidence.kubeletVersion) : undefined;
  const pv = proxy ? str(proxy.evidence.kubeProxyVersion) : undefined;
  const who =
    kv && pv
      ? kv === pv
        ? `kubelet and kube-proxy ${kv}`
        : `kubelet ${kv} and kube-proxy ${pv}`
      : kv
        ? `kubelet ${kv}`
        : pv
          ? `kube-proxy ${pv}`
          : 'kubelet and kube-proxy';
  const targets = [...new Set(list.map((f) => str(f.evidence.targetVersion)).filter((t): t is string => t !== undefined))];
  const now = list.some((f) => str(f.evidence.targetVersion) === undefined) ? strings(list[0]!.evidence.apiserverVersions)?.[0] : undefined;
  const against = [...(now ? [now] : []), ...targets];
  return `${who} on ${node}: outside the skew policy${against.length > 0 ? ` of ${against.join(' and ')}` : ''}`;
}

function rootFirst(list: Finding[], root: Finding): { root: Finding; effects: Finding[] } {
  return { root, effects: list.filter((f) => f !== root) };
}

/** The group/version an API finding speaks of: `storage.k8s.io/v1beta1`. */
function apiGroupVersion(f: Finding): string | undefined {
  const e = f.evidence;
  if (f.checkId === 'apis-removed' || f.checkId === 'apis-deprecated') return str(e.apiVersion);
  if (f.checkId === 'apis-in-use-metric') {
    const version = str(e.version);
    return version ? (str(e.group) ? `${String(e.group)}/${version}` : version) : undefined;
  }
  if (f.checkId === 'apis-served-versions') return str(e.groupVersion);
  return undefined;
}

const REMOVED_BY_TARGET = new Set(['apis-removed', 'apis-in-use-metric/requested-removed', 'apis-served-versions']);

function apiTitle(list: Finding[], gv: string): string {
  const removedIn = list.map((f) => str(f.evidence.removedIn) ?? str(f.evidence.removedRelease)).find((v) => v !== undefined);
  const removed = list.some((f) => REMOVED_BY_TARGET.has(f.checkId) || REMOVED_BY_TARGET.has(`${f.checkId}/${f.rule}`));
  const state = removed ? `is removed in ${removedIn ?? 'the target'}` : `is deprecated${removedIn ? ` (removed in ${removedIn})` : ''}`;
  const users = list
    .filter((f) => f.checkId === 'apis-removed' || f.checkId === 'apis-deprecated')
    .map((f) => resourceLabel({ ...f.resource, field: undefined }));
  const clients = list.some((f) => f.checkId === 'apis-in-use-metric');
  const parts = [...(users.length > 0 ? [`used by ${listed(users)}`] : []), ...(clients ? ['clients still request it'] : [])];
  return `${gv} ${state}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/**
 * Groups `findings` into problems (rules: see the module comment), sorted by impact: blocking
 * first, then by severity, then by number of findings (most first), then by family order and
 * title. `checks` gives each finding's family; `failOn` the gate. Throws when a finding's
 * check has no result in `checks`.
 */
export function groupProblems(findings: Finding[], checks: CheckResult[], failOn: FailOn): Problem[] {
  const groups: Group[] = [];
  const pdb = pdbGroups(findings);
  groups.push(...pdb.groups);
  let rest = findings.filter((f) => !pdb.taken.has(f));
  const take = (made: Group[]): void => {
    const used = new Set(made.flatMap((g) => [g.root, ...g.effects]));
    groups.push(...made);
    rest = rest.filter((f) => !used.has(f));
  };

  take(
    bucket(rest, (f) => (f.checkId === 'versions-kubelet-skew' || f.checkId === 'versions-kube-proxy-skew' ? nodeName(f) : undefined)).map(
      (list) => {
        // The kubelet's remediation upgrades the node, kube-proxy with it: among the most
        // severe findings, a kubelet one is the root.
        const worstRank = rank(worst(list).severity);
        const top = list.filter((f) => rank(f.severity) === worstRank);
        const g = rootFirst(list, top.find((f) => f.checkId === 'versions-kubelet-skew') ?? top[0]!);
        return { rule: 'node-skew', ...g, title: nodeSkewTitle(list, nodeName(list[0]!)!) };
      },
    ),
  );
  take(
    bucket(rest, (f) => (f.checkId.startsWith('certs-') ? str(f.evidence.sha256Fingerprint) : undefined)).map((list) => {
      const g = rootFirst(list, worst(list));
      const subject = str(g.root.evidence.subject) ?? resourceLabel(g.root.resource);
      const places = [...new Set(list.map((f) => str(f.evidence.foundIn) ?? resourceLabel(f.resource)))];
      const rules = [...new Set(list.map((f) => f.title))];
      return {
        rule: 'same-certificate',
        ...g,
        title:
          `Certificate ` +
          `${subject}${places.length > 1 ? ` (${places.length} places: ${listed(places)})` : ` (${places[0]})`}: ` +
          rules.join('; '),
      };
    }),
  );
  take(
    bucket(rest, apiGroupVersion).map((list) => {
      // An object's manifest is the fix a reader can make; a client is found through the audit log.
      const objects = list.filter((f) => f.checkId === 'apis-removed' || f.checkId === 'apis-deprecated');
      const g = rootFirst(list, objects.length > 0 ? worst(objects) : worst(list));
      return { rule: 'api-version', ...g, title: apiTitle(list, apiGroupVersion(list[0]!)!) };
    }),
  );
  take(
    bucket(rest, (f) => `${f.checkId}\u0000${resourceIdentity(f.resource)}`).map((list) => {
      const g = rootFirst(list, worst(list));
      return {
        rule: 'same-subject',
        ...g,
        title: `${resourceLabel(g.root.resource)}: ${[...new Set(list.map((f) => f.title))].join('; ')}`,
      };
    }),
  );
  for (const f of rest) groups.push({ rule: 'single', root: f, effects: [], title: `${f.title}: ${resourceLabel(f.resource)}` });

  const families = new Map(checks.map((c) => [c.id, c.family]));
  const familyOf = (checkId: string): Family => {
    const family = families.get(checkId);
    if (!family) throw new Error(`finding of check ${checkId}, which has no result in the report`);
    return family;
  };
  const order = new Map(findings.map((f, i) => [f, i]));
  const problems = groups.map((g) => {
    const all = [g.root, ...g.effects.sort((a, b) => order.get(a)! - order.get(b)!)];
    const p: Problem = {
      id: `P${createHash('sha256').update(`${g.rule}\u0000${g.root.fingerprint}`).digest('hex').slice(0, 12)}`,
      rule: g.rule,
      title: g.title,
      severity: worst(all).severity,
      blocking: all.some((f) => gates(f) && atOrAbove(f.severity, failOn)),
      family: familyOf(g.root.checkId),
      fix: g.root.remediation,
      findings: all.map((f) => f.fingerprint),
    };
    if (all.every((f) => f.waiver)) p.waived = true;
    return p;
  });
  return problems.sort(
    (a, b) =>
      Number(b.blocking) - Number(a.blocking) ||
      rank(a.severity) - rank(b.severity) ||
      b.findings.length - a.findings.length ||
      FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) ||
      (a.title < b.title ? -1 : a.title > b.title ? 1 : 0),
  );
}

/** Problem counts for `summary.problems`: by severity (unwaived), waived, and blocking. */
export function problemCounts(problems: Problem[]): Record<Severity | 'waived' | 'blocking', number> {
  const out: Record<Severity | 'waived' | 'blocking', number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    info: 0,
    waived: 0,
    blocking: 0,
  };
  for (const p of problems) {
    if (p.waived) out.waived++;
    else out[p.severity]++;
    if (p.blocking) out.blocking++;
  }
  return out;
}

/**
 * The report's problems: `report.problems`, or, for a report written before problems existed,
 * the findings grouped now (same rules, same order).
 */
export function problemsOf(report: Report): Problem[] {
  return report.problems ?? groupProblems(report.findings, report.checks, report.metadata.failOn);
}
