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
 * An unknown check id, rule or option, or an option value its check's `optionSchema` refuses
 * (type, range, allowed strings; src/engine/options.ts), is a `ConfigError` (exit 2) naming the
 * file, the line, the key and the value.
 */
import { isMap } from 'yaml';
import { ConfigError } from '../contract/errors.js';
import { isRecord } from '../k8s/objects.js';
import type { Registry } from './registry.js';
import { SEVERITIES, type Options, type OptionValue, type Severity } from '../contract/check.js';
import { optionProblem } from './options.js';
import { parseYamlFile, readYamlText } from './yaml-file.js';

export interface CheckConfig {
  enabled?: boolean;
  severity?: Severity;
  rules?: Record<string, Severity>;
  options?: Options;
}

export interface Config {
  /** Source file, for messages. */
  file?: string;
  checks: Record<string, CheckConfig>;
}

export const EMPTY_CONFIG: Config = { checks: {} };

/** Reads and validates a config file (at most 1 MiB) against the registry. Throws `ConfigError`. */
export async function loadConfig(file: string, registry: Registry): Promise<Config> {
  return parseConfig(await readYamlText(file, 'config'), file, registry);
}

/** Validates the text of a config file (`file` names it in errors). Throws `ConfigError` naming the line and key. */
export function parseConfig(text: string, file: string, registry: Registry): Config {
  const { doc, lc, value: raw } = parseYamlFile(text, file, 'config');
  const at = (path: Array<string | number>): string => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const keyNode = path.length > 0 ? findKeyNode(doc.contents, path) : undefined;
    const pos = keyNode?.range?.[0] ?? node?.range?.[0];
    return pos === undefined ? file : `${file}:${lc.linePos(pos).line}`;
  };
  const fail = (path: Array<string | number>, msg: string): never => {
    throw new ConfigError(`config ${at(path)}: ${path.length ? path.join('.') + ': ' : ''}${msg}`);
  };
  if (raw === null || raw === undefined) return { file, checks: {} };
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
  return { file, checks };
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
