/**
 * Waivers (`--waivers FILE`): accepted findings that stay in the report, marked, and do not
 * count toward the verdict until they expire (docs/architecture.md, "Verdict and exit codes").
 *
 * ```yaml
 * apiVersion: kube-preflight/v1
 * kind: Waivers
 * waivers:
 *   - fingerprint: "3f1c…"                      # from a report; or instead:
 *     # checkId: pdb-blocking
 *     # rule: "budget-*"                       #   optional: only these rules (glob)
 *     # resource: { kind: PodDisruptionBudget, namespace: prod, name: "web-*" }   # globs allowed
 *     reason: "web tier is single-zone until Q3"
 *     owner: "platform@example.com"
 *     expires: "2027-03-31"                    # valid through that day (UTC)
 *     ticket: "OPS-123"                        # optional
 * ```
 *
 * A waiver applies to a finding when:
 * - by `fingerprint`: the fingerprint is equal — that exact check, rule and subject. It does
 *   not follow the finding to another rule (a certificate going from `expires-soon` to
 *   `expired` has a new fingerprint and is no longer covered);
 * - by `checkId`: the check id is equal, every field of the `resource` pattern matches (glob,
 *   `*` and `?`; `kind`, `namespace`, `name`, `file`, `field`), and the `rule` glob, when
 *   given, matches the finding's rule. Without `rule` it covers every rule of that check for
 *   the matching resources, including rules the finding moves to later.
 * `rule` is only valid with `checkId`. An expired waiver applies to nothing and is listed as
 * expired; a valid waiver that matches nothing is listed as stale.
 */
import picomatch from 'picomatch';
import { isMap, isSeq } from 'yaml';
import { parseCalendarDate } from '../dates.js';
import { ConfigError } from '../contract/errors.js';
import { isRecord } from '../k8s/objects.js';
import type { Finding, Waiver, WaiverUse } from '../contract/report.js';
import { parseYamlFile, readYamlText } from './yaml-file.js';

export interface WaiverResult {
  findings: Finding[];
  uses: WaiverUse[];
}

const RESOURCE_KEYS = ['kind', 'namespace', 'name', 'file', 'field'] as const;

/** Reads and validates a waivers file (at most 1 MiB). Throws `ConfigError` naming the file, line and entry. */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  return parseWaivers(await readYamlText(file, 'waivers'), file);
}

/** Validates the text of a waivers file (`file` names it in errors). Throws `ConfigError` naming the line and entry. */
export function parseWaivers(text: string, file: string): Waiver[] {
  const { doc, lc, value: raw } = parseYamlFile(text, file, 'waivers');
  if (!isRecord(raw)) throw new ConfigError(`waivers ${file}: expected a mapping with apiVersion, kind: Waivers and waivers:`);
  if (raw.apiVersion !== undefined && raw.apiVersion !== 'kube-preflight/v1')
    throw new ConfigError(`waivers ${file}: apiVersion must be kube-preflight/v1`);
  if (raw.kind !== undefined && raw.kind !== 'Waivers') throw new ConfigError(`waivers ${file}: kind must be Waivers`);
  if (!Array.isArray(raw.waivers)) throw new ConfigError(`waivers ${file}: waivers: expected a list`);
  const seq = doc.get('waivers', true);
  /** `:line` of entry `i`, or of its `key` when given and present. */
  const lineOf = (i: number, key?: string): string => {
    const item = isSeq(seq) ? seq.items[i] : undefined;
    const pair = key && isMap(item) ? item.items.find((p) => (p.key as { value?: unknown } | null)?.value === key) : undefined;
    const node = (pair?.key ?? item) as { range?: [number, number, number] } | undefined;
    return node?.range ? `:${lc.linePos(node.range[0]).line}` : '';
  };
  return raw.waivers.map((w: unknown, i: number): Waiver => {
    const fail = (msg: string, key?: string): never => {
      throw new ConfigError(`waivers ${file}${lineOf(i, key)}: waivers[${i}]${key ? `.${key}` : ''}: ${msg}`);
    };
    if (!isRecord(w)) return fail('expected a mapping');
    for (const k of Object.keys(w)) {
      if (!['fingerprint', 'checkId', 'rule', 'resource', 'reason', 'owner', 'expires', 'ticket'].includes(k)) fail(`unknown key "${k}"`);
    }
    for (const k of ['reason', 'owner'] as const) if (typeof w[k] !== 'string' || w[k].trim() === '') fail(`${k} is required`);
    if (w.expires === undefined) fail('expires is required');
    if (typeof w.expires !== 'string') return fail('expected a date as YYYY-MM-DD', 'expires');
    const expires = parseCalendarDate(w.expires);
    if (!expires.ok) fail(`${w.expires}: ${expires.problem}`, 'expires');
    const out: Waiver = { reason: w.reason as string, owner: w.owner as string, expires: w.expires };
    if (w.ticket !== undefined) {
      if (typeof w.ticket !== 'string' && typeof w.ticket !== 'number') return fail('expected a ticket id or URL', 'ticket');
      out.ticket = String(w.ticket);
    }
    if (w.fingerprint !== undefined) {
      if (typeof w.fingerprint !== 'string' || !/^[0-9a-f]{24}$/.test(w.fingerprint))
        fail('fingerprint must be the 24 hex digits of a report finding');
      if (w.checkId !== undefined || w.rule !== undefined || w.resource !== undefined)
        fail('give either fingerprint, or checkId with rule and resource — not both');
      out.fingerprint = w.fingerprint as string;
    } else {
      if (typeof w.checkId !== 'string' || w.checkId === '')
        fail('needs a fingerprint, or a checkId (with optional rule and resource patterns)');
      out.checkId = w.checkId as string;
      if (w.rule !== undefined) {
        if (typeof w.rule !== 'string' || w.rule === '') fail('rule must be a rule name or glob');
        const problem = globProblem(w.rule as string);
        if (problem) fail(problem, 'rule');
        out.rule = w.rule as string;
      }
      if (w.resource !== undefined) {
        if (!isRecord(w.resource)) fail('resource must be a mapping of kind, namespace, name, file, field');
        const r: NonNullable<Waiver['resource']> = {};
        for (const [k, v] of Object.entries(w.resource as Record<string, unknown>)) {
          if (!(RESOURCE_KEYS as readonly string[]).includes(k))
            fail(`resource: unknown key "${k}" (expected ${RESOURCE_KEYS.join(', ')})`);
          if (typeof v !== 'string') fail(`resource.${k} must be a string`);
          const problem = globProblem(v as string);
          if (problem) fail(`resource.${k}: ${problem}`);
          r[k as (typeof RESOURCE_KEYS)[number]] = v as string;
        }
        out.resource = r;
      }
    }
    return out;
  });
}

/** Why picomatch refuses the glob (an over-long pattern), or undefined. */
function globProblem(glob: string): string | undefined {
  try {
    picomatch(glob, { dot: true });
    return undefined;
  } catch (e) {
    return `not a usable glob: ${(e as Error).message}`;
  }
}

/** True when the waiver no longer holds at `now` (after the end of its `expires` day, UTC). */
export function isExpired(w: Waiver, now: Date): boolean {
  return now.getTime() >= Date.parse(`${w.expires}T00:00:00Z`) + 86_400_000;
}

function matcher(w: Waiver): (f: Finding) => boolean {
  if (w.fingerprint) return (f) => f.fingerprint === w.fingerprint;
  const globs = Object.entries(w.resource ?? {}).map(([k, v]) => [k, picomatch(v, { dot: true })] as const);
  const rule = w.rule === undefined ? undefined : picomatch(w.rule, { dot: true });
  return (f) => {
    if (f.checkId !== w.checkId || (rule && !rule(f.rule))) return false;
    const res = f.resource as Record<string, string | undefined>;
    return globs.every(([k, m]) => res[k] !== undefined && m(res[k]));
  };
}

/** Marks the findings waivers cover (the first waiver that applies wins) and reports each waiver's use. */
export function applyWaivers(findings: Finding[], waivers: Waiver[], now: Date): WaiverResult {
  const uses: WaiverUse[] = waivers.map((w, index) => ({ ...w, index, matched: 0, state: isExpired(w, now) ? 'expired' : 'stale' }));
  const active = uses.filter((u) => u.state !== 'expired').map((u) => ({ u, m: matcher(u) }));
  const expiredMatchers = uses.filter((u) => u.state === 'expired').map((u) => ({ u, m: matcher(u) }));
  const out = findings.map((f) => {
    const hit = active.find((a) => a.m(f));
    if (!hit) {
      for (const e of expiredMatchers) if (e.m(f)) e.u.matched++;
      return f;
    }
    hit.u.matched++;
    hit.u.state = 'applied';
    const waiver: NonNullable<Finding['waiver']> = { reason: hit.u.reason, owner: hit.u.owner, expires: hit.u.expires };
    if (hit.u.ticket) waiver.ticket = hit.u.ticket;
    return { ...f, waiver };
  });
  return { findings: out, uses };
}
