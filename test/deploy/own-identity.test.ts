/**
 * kube-preflight scans its own identity: the RBAC `kube-preflight rbac --service-account
 * kube-preflight/kube-preflight` prints (every check selected) is put into a copy of
 * fixtures/dumps/lab-1.26 (ClusterRoles, ClusterRoleBindings, the ServiceAccount and its
 * Namespace) and the rbac checks run on it. Without `--with-secrets` the ServiceAccount gets no
 * finding at all; with it, the opt-in Secrets role makes it admin-equivalent (`secrets-read`):
 * `rbac-risky-subjects`/`app-service-account-admin` (high), and on this dump, already at
 * `maxClusterAdmins`, `rbac-cluster-admins`/`too-many-cluster-admins` (high) — the documented
 * cost of that role.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterRoleManifests } from '../../src/cli/rbac.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { DumpSource } from '../../src/sources/dump.js';
import { tempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
const RBAC_CHECKS = ['rbac-cluster-admins', 'rbac-dangling-bindings', 'rbac-escalation-primitives', 'rbac-risky-subjects'];
const SA = { namespace: 'kube-preflight', name: 'kube-preflight' };
const SA_RESOURCE = { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'kube-preflight', name: 'kube-preflight' };
const dirs: Array<{ remove(): void }> = [];
afterAll(() => dirs.forEach((d) => d.remove()));

/** Adds objects to a `resources/<file>` List of the dump copy. */
function append(root: string, file: string, objects: Array<Record<string, unknown>>): void {
  const path = join(root, 'resources', file);
  const list = JSON.parse(readFileSync(path, 'utf8')) as { items: unknown[] };
  list.items.push(...objects);
  writeFileSync(path, JSON.stringify(list));
}

/** Scans a copy of the lab dump holding our RBAC with the rbac checks. */
async function scanWithOwnRbac(withSecrets: boolean): Promise<Report> {
  const registry = new Registry(await loadBuiltinChecks());
  const objects = clusterRoleManifests(registry.select(undefined, undefined).selected, { name: 'kube-preflight-reader', serviceAccount: SA, withSecrets }).map((m) => m.object);
  const dir = tempDir();
  dirs.push(dir);
  cpSync(LAB, dir.path, { recursive: true });
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  append(dir.path, 'namespaces.json', ofKind('Namespace'));
  append(dir.path, 'serviceaccounts.json', ofKind('ServiceAccount'));
  append(dir.path, 'clusterroles.rbac.authorization.k8s.io.json', ofKind('ClusterRole'));
  append(dir.path, 'clusterrolebindings.rbac.authorization.k8s.io.json', ofKind('ClusterRoleBinding'));
  const source = await DumpSource.open(dir.path);
  try {
    const { report } = await scan({ source, registry, config: EMPTY_CONFIG, only: RBAC_CHECKS, now: new Date('2026-11-23T07:00:18Z'), failOn: 'critical', options: { requestTimeoutMs: 30_000 } });
    return report;
  } finally {
    await source.close();
  }
}

const ours = (r: Report) =>
  r.findings
    .filter((f) => JSON.stringify(f.resource) === JSON.stringify(SA_RESOURCE) || JSON.stringify(f.evidence).includes('kube-preflight-reader'))
    .map((f) => ({ checkId: f.checkId, rule: f.rule, severity: f.severity, resource: f.resource }));

describe('the rbac checks on kube-preflight’s own RBAC', () => {
  it('the reader role alone: no finding names our ServiceAccount or roles', async () => {
    const report = await scanWithOwnRbac(false);
    expect(ours(report)).toEqual([]);
    expect(report.findings.map((f) => f.rule)).toEqual(['app-service-account-admin', 'cluster-admin', 'cluster-admin']);
  });

  it('with --with-secrets: app-service-account-admin (high) for secrets-read through the opt-in role, and a 4th admin-equivalent subject', async () => {
    const report = await scanWithOwnRbac(true);
    expect(ours(report)).toEqual([
      { checkId: 'rbac-cluster-admins', rule: 'too-many-cluster-admins', severity: 'high', resource: { kind: 'Cluster', name: 'cluster' } },
      { checkId: 'rbac-risky-subjects', rule: 'app-service-account-admin', severity: 'high', resource: SA_RESOURCE },
    ]);
    const f = report.findings.find((x) => x.rule === 'app-service-account-admin' && (x.resource as { name: string }).name === 'kube-preflight')!;
    expect(f.message).toBe('ServiceAccount kube-preflight/kube-preflight can read secrets cluster-wide.');
    expect(f.evidence).toMatchObject({
      powers: ['secrets-read'],
      grants: [{ binding: 'kube-preflight-reader-secrets', bindingKind: 'ClusterRoleBinding', role: 0 }],
      roles: [{ kind: 'ClusterRole', name: 'kube-preflight-reader-secrets', rules: [{ rule: 'apiGroups=[""] resources=[secrets] verbs=[list]', powers: ['secrets-read'] }] }],
    });
    // The lab already has 3 non-default admin-equivalent subjects (the default limit): ours is the 4th.
    const many = report.findings.find((x) => x.rule === 'too-many-cluster-admins')!;
    expect(many.evidence).toMatchObject({ clusterAdminCount: 4, maxClusterAdmins: 3 });
  });
});
