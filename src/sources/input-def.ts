/**
 * How an input is read. Two kinds:
 *
 * - a **resource input** lists Kubernetes objects (from `resources/` in a dump, or paged LISTs
 *   on a live cluster) and normalizes each object to the few fields checks read;
 * - a **file input** reads files of the dump layout (`version.json`, `pki/`, `etcd/`,
 *   `metrics/`, `backups/`). On a live cluster its `live` function fetches the same files
 *   (e.g. `GET /version` becomes `version.json`), so one `parse` serves both sources and
 *   `collect` writes exactly what a dump scan reads back.
 */
import type { ApiResource, InputPart, InputStatus } from '../contract/inputs.js';
import { ToolError, type ErrorCode } from '../contract/errors.js';
import type { KubeObject } from '../k8s/objects.js';
import { kindPlural } from '../k8s/resources.js';
import type { LiveContext } from './live-context.js';
import type { ScanOptions } from './scan-options.js';

/** Narrows a list: sent as query parameters live, applied to the objects of a dump. */
export interface Selection {
  namespace?: string;
  /** Kubernetes label selector syntax (`owner=helm,status in (deployed)`). */
  labelSelector?: string;
  /** Field selector; only `=`/`==`/`!=` on dotted paths (`type=kubernetes.io/tls`). */
  fieldSelector?: string;
}

export interface ResourceInputDef<T = unknown> {
  type: 'resources';
  key: string;
  description: string;
  /** The resources it lists; empty when `everything` is set. */
  resources: ApiResource[];
  /**
   * Reads objects of every kind: every resources file of a dump; on a live cluster, every
   * listable resource discovery reports, except the `exclude`d ones (`plural[.group]`).
   * Resources that could not be read are listed in the input's `partial`.
   */
  everything?: { exclude: string[] };
  select?: Selection;
  /**
   * Reads Helm release records' summaries (`summarizeHelmRelease`). Only for such an input is
   * a release payload decoded when the record is redacted; other inputs receive release
   * records without payload and without summary (`redactWithoutReleases`).
   */
  readsHelmReleases?: boolean;
  /**
   * Reduces one object to what checks read; `undefined` drops it (not relevant).
   * Receives objects with Secret values already redacted (see `redact.ts`).
   * Throws `InputError` for an object that is malformed in a way the input cannot ignore.
   */
  normalize(obj: KubeObject): T | undefined;
  /**
   * For values whose parts many objects share (interned by `normalize`): interns them again
   * after they crossed from a loading thread as a copy. `memo` maps the parts already
   * interned, by identity, for values that crossed in one message.
   */
  intern?(value: T, memo: Map<unknown, unknown>): T;
}

/** A file of the dump layout, path relative to the dump root with `/` separators. */
export interface DumpFile {
  path: string;
  content: Buffer;
}

/** What a live fetch of a file input produced. */
export type FileFetch =
  /** `unread`: files found but not read (not regular, too large): parts of the input, never dropped silently. */
  | { status: 'ok'; files: DumpFile[]; sources?: string[]; unread?: InputPart[] }
  | { status: Exclude<InputStatus, 'ok'>; reason: string; sources?: string[] };

export interface FileParseResult<T> {
  value: T;
  /** `absent` when the files say "none exist" (e.g. a managed control plane has no PKI). */
  status?: 'ok' | 'absent';
  /** Why it is `absent`, for the report. */
  reason?: string;
  count?: number;
  /** Files that could not be parsed while the others were (see `filePart`); `value` holds what the others gave. */
  partial?: InputPart[];
}

export interface FileInputDef<T = unknown> {
  type: 'files';
  key: string;
  description: string;
  /**
   * Dump paths the input reads: exact files (`version.json`) or folders ending in `/`
   * (`pki/`, read at any depth).
   */
  files: string[];
  /**
   * Non-resource URLs `live` GETs on the API server (`/version`, `/metrics`), for the
   * least-privilege ClusterRole (`kube-preflight rbac`).
   */
  apiPaths?: string[];
  /**
   * Live fetch of the same files. Omitted: the input exists only in dumps (status `missing`
   * on a live scan, with that reason).
   */
  live?(ctx: LiveContext): Promise<FileFetch>;
  /**
   * Reads the files from a path given on the command line (`--pki-dir`, `--manifests`),
   * in either mode, taking precedence over the dump and the live fetch. Resolves
   * `undefined` when the option is not set.
   */
  fromOptions?(opts: ScanOptions): Promise<FileFetch | undefined>;
  /**
   * What no file means (no dump file, no live fetch, no command-line option). Unset: the
   * input is `missing`, a fact of the cluster that was not read, so the checks declaring it
   * get unknowns. Set for an input that holds only what a user adds, not cluster state
   * (`--manifests`): with none given there is nothing to judge, so the input is `absent`
   * with `value()` and `reason` (why there is none).
   */
  whenNoFiles?: { status: 'absent'; reason: string; value(): T };
  /**
   * Parses the files (never empty: with no file the input is `missing`, or `whenNoFiles`).
   * Throws `InputError` (naming the file and line) when they cannot be read.
   */
  parse(files: DumpFile[]): FileParseResult<T>;
}

export type InputDef = ResourceInputDef | FileInputDef;

/** A problem with one input's data, naming the file (and line) or the request. */
export class InputError extends ToolError {
  override name = 'InputError';
  readonly errorCode: ErrorCode = 'KP_INPUT';
  constructor(
    message: string,
    readonly status: Exclude<InputStatus, 'ok' | 'absent'> = 'failed',
  ) {
    super(message);
  }
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOf(r: ApiResource, version = r.versions[0]!): string {
  return r.group ? `${r.group}/${version}` : version;
}

/** `plural.group` (or `plural` for core): the name `kubectl get` and dumps use. */
export function resourceName(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/**
 * The part of an input that one unread resource is: `source` is `plural[.group]`, `resource`
 * is `{ apiVersion, kind, name: '*' }` (with the selection's namespace, if any), `subjects`
 * the resource's `subjects` or its kind in the plural.
 */
export function resourcePart(r: ApiResource, status: Exclude<InputStatus, 'ok' | 'absent'>, reason: string, select?: Selection): InputPart {
  return {
    source: resourceName(r),
    status,
    reason,
    subjects: r.subjects ?? kindPlural(r.kind),
    resource: {
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      ...(select?.namespace !== undefined ? { namespace: select.namespace } : {}),
      name: '*',
    },
  };
}

/** The part of a file input that one unread file is (`subjects` says what it holds, e.g. `etcd member list`). */
export function filePart(path: string, status: Exclude<InputStatus, 'ok' | 'absent'>, reason: string, subjects: string): InputPart {
  return { source: path, status, reason, subjects, resource: { file: path } };
}
