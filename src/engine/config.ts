/**
 * The `--config` file: severity overrides and typed options per check id.
 *
 * ```yaml
 * apiVersion: kube-preflight/v1
 * kind: Config
 * checks:
 *   certs-expiry:
 *     severity: high            # every rule of the check
 *     rules: { expired: critical }
 *     options: { warnDays: 45 }
 *   rbac-cluster-admins:
 *     enabled: false            # reported as skipped
 * ```
 *
 * `--set <id>.<key>=<value>` (repeatable) sets one value at the same path as in the file
 * (`certs-expiry.options.warnDays=45`, `certs-expiry.rules.expired=critical`,
 * `rbac-cluster-admins.enabled=false`), over the file's value; `<value>` is read as YAML
 * (`45`, `true`, `[a, b]`, `"007"` for a string).
 *
 * An unknown check id, rule or option, or an option value its check's `optionSchema` refuses
 * (type, range, allowed strings; src/engine/options.ts), is a `ConfigError` (exit 2) naming the
 * file, the line, the key and the value, or the `--set` that gave it.
 */
import { isMap, parse as parseYamlValue } from 'yaml';
import { ConfigError } from '../contract/errors.js';
import { isRecord } from '../k8s/objects.js';
import type { Registry } from './registry.js';
import { SEVERITIES, type Options, type OptionValue, type Severity } from '../contract/check.js';
import { optionProblem } from './options.js';
import { MAX_ALIAS_COUNT, parseYamlFile } from './yaml-file.js';

export interface CheckConfig {
  enabled?: boolean;
  severity?: Severity;
  rules?: Record<string, Severity>;
  options?: Options;
}

export interface Config {
  /** Source file, for messages. */
  file?: string;
  /** The `--set` settings applied over the file, as given. */
  set?: string[];
  checks: Record<string, CheckConfig>;
}

/** A `--set` setting: where it goes under `checks`, and its value. */
interface Setting {
  text: string;
  path: string[];
  value: unknown;
}

/**
 * Reads `--set <id>.<key>[.<name>]=<value>`. Throws `ConfigError` for a setting without `=`,
 * with an empty or too long path, or whose value is not one line of YAML.
 */
function parseSetting(text: string): Setting {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq);
  const path = key.split('.');
  if (eq < 0 || path.length < 2 || path.length > 3 || path.some((p) => p === '')) {
    throw new ConfigError(
      `--set ${text}: expected <check>.<key>=<value>, e.g. certs-expiry.options.warnDays=45 or rbac-cluster-admins.enabled=false`,
    );
  }
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = raw.includes('\n') || raw.includes('\r') ? undefined : parseYamlValue(raw, { maxAliasCount: 0 });
  } catch {
    value = undefined;
  }
  if (value === undefined) throw new ConfigError(`--set ${key}: the value is not one line of YAML (write strings in quotes)`);
  return { text, path, value };
}

export const EMPTY_CONFIG: Config = { checks: {} };

/**
 * The check ids that a config text and `--set` settings name: the keys of the file's `checks`
 * mapping and the first part of each setting, so a scan narrowed by `--checks` can also load
 * the definitions that validate these settings. Text that does not parse gives none of its ids
 * (`parseConfig` then reports it); unknown ids are returned as they are (`parseConfig` rejects
 * them).
 */
export function configuredCheckIds(text: string, set: readonly string[] = []): string[] {
  const ids = set.map((s) => s.slice(0, Math.max(0, s.indexOf('='))).split('.')[0]!).filter(Boolean);
  let raw: unknown;
  try {
    raw = parseYamlFile(text, '', 'config').value;
  } catch {
    return ids;
  }
  if (isRecord(raw) && isRecord(raw.checks)) ids.push(...Object.keys(raw.checks));
  return [...new Set(ids)];
}

/**
 * Validates the text of a config file (`file` names it in errors) with the `--set` settings
 * applied over it. Throws `ConfigError` naming the line and key, or the setting.
 */
export function parseConfig(text: string, file: string | undefined, registry: Registry, set: readonly string[] = []): Config {
  const label = file ?? '--set';
  const settings = set.map(parseSetting);
  const parsed = parseYamlFile(text, label, 'config');
  const { doc, lc } = parsed;
  let raw = parsed.value;
  if (settings.length > 0) {
    if (
      raw !== null &&
      raw !== undefined &&
      (!isRecord(raw) || (raw.checks !== undefined && raw.checks !== null && !isRecord(raw.checks)))
    ) {
      throw new ConfigError(`config ${label}: --set needs a file whose checks are a mapping`);
    }
    for (const s of settings) {
      try {
        doc.setIn(['checks', ...s.path], doc.createNode(s.value));
      } catch {
        throw new ConfigError(`--set ${s.path.join('.')}: the file sets ${s.path.slice(0, -1).join('.')} to a value that is not a mapping`);
      }
    }
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  }
  /** The last setting at or inside `path` (a key under `checks`), if one gave it. */
  const settingAt = (path: Array<string | number>): Setting | undefined =>
    path[0] === 'checks' ? settings.findLast((s) => s.path.every((p, i) => i >= path.length - 1 || p === path[i + 1])) : undefined;
  const at = (path: Array<string | number>): string => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const keyNode = path.length > 0 ? findKeyNode(doc.contents, path) : undefined;
    const pos = keyNode?.range?.[0] ?? node?.range?.[0];
    return pos === undefined ? label : `${label}:${lc.linePos(pos).line}`;
  };
  const fail = (path: Array<string | number>, msg: string): never => {
    const setting = settingAt(path);
    if (setting) {
      const where = path.slice(1).join('.');
      throw new ConfigError(`--set ${setting.text}: ${where === setting.path.join('.') ? '' : `${where}: `}${msg}`);
    }
    throw new ConfigError(`config ${at(path)}: ${path.length ? path.join('.') + ': ' : ''}${msg}`);
  };
  const done = (checks: Record<string, CheckConfig>): Config => ({
    ...(file === undefined ? {} : { file }),
    ...(set.length > 0 ? { set: [...set] } : {}),
    checks,
  });
  if (raw === null || raw === undefined) return done({});
  if (!isRecord(raw)) return fail([], 'expected a mapping');
  for (const k of Object.keys(raw))
    if (!['apiVersion', 'kind', 'checks'].includes(k)) fail([k], 'unknown key (expected apiVersion, kind, checks)');
  if (raw.apiVersion !== undefined && raw.apiVersion !== 'kube-preflight/v1') fail(['apiVersion'], 'must be kube-preflight/v1');
  if (raw.kind !== undefined && raw.kind !== 'Config') fail(['kind'], 'must be Config');
  const checks: Record<string, CheckConfig> = {};
  if (raw.checks !== undefined && !isRecord(raw.checks)) fail(['checks'], 'expected a mapping of check id to settings');
  for (const [id, v] of Object.entries((raw.checks as Record<string, unknown> | undefined) ?? {})) {
    const reg = registry.get(id);
    if (!reg) fail(['checks', id], 'unknown check id (see `kube-preflight checks`)');
    const def = reg!.def;
    if (!isRecord(v)) fail(['checks', id], 'expected a mapping');
    const cc: CheckConfig = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      switch (k) {
        case 'enabled':
          if (typeof x !== 'boolean') fail(['checks', id, k], 'expected true or false');
          cc.enabled = x as boolean;
          break;
        case 'severity':
          if (!isSeverity(x)) fail(['checks', id, k], `expected one of ${SEVERITIES.join(', ')}`);
          cc.severity = x as Severity;
          break;
        case 'rules': {
          if (!isRecord(x)) fail(['checks', id, k], 'expected a mapping of rule to severity');
          cc.rules = {};
          for (const [rule, sev] of Object.entries(x as Record<string, unknown>)) {
            if (!(rule in def.rules)) fail(['checks', id, k, rule], `unknown rule (known: ${Object.keys(def.rules).join(', ')})`);
            if (!isSeverity(sev)) fail(['checks', id, k, rule], `expected one of ${SEVERITIES.join(', ')}`);
            cc.rules[rule] = sev as Severity;
          }
          break;
        }
        case 'options': {
          if (!isRecord(x)) fail(['checks', id, k], 'expected a mapping of option to value');
          cc.options = {};
          for (const [opt, val] of Object.entries(x as Record<string, unknown>)) {
            const problem = optionProblem(def, opt, val);
            if (problem) fail(['checks', id, k, opt], problem);
            cc.options[opt] = val as OptionValue;
          }
          break;
        }
        default:
          fail(['checks', id, k], 'unknown key (expected enabled, severity, rules, options)');
      }
    }
    checks[id] = cc;
  }
  return done(checks);
}

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

function findKeyNode(root: unknown, path: Array<string | number>): { range?: [number, number, number] } | undefined {
  let cur: unknown = root;
  let keyNode: { range?: [number, number, number] } | undefined;
  for (const p of path) {
    if (!isMap(cur)) return keyNode;
    const pair = cur.items.find((it) => (it.key as { value?: unknown } | null)?.value === p);
    if (!pair) return keyNode;
    keyNode = pair.key as { range?: [number, number, number] };
    cur = pair.value;
  }
  return keyNode;
}
