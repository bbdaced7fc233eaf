/**
 * A live scan of every check under exactly the RBAC `kube-preflight rbac` prints: the loopback
 * API server (fixtures/dumps/lab-1.26) authorizes as RBAC with only those rules plus Kubernetes'
 * defaults for every authenticated user (`grantOnly`). With the Secrets role, no request is
 * refused; without it, only the LISTs of Secrets are, and the inputs that read Secrets report
 * them as not read (forbidden), so their subjects are not assessed.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterRoleManifests, type PolicyRule } from '../../src/cli/rbac.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { Registry, loadBuiltinChecks } from '../../src/engine/registry.js';
import { scan } from '../../src/report/scan.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { Report } from '../../src/contract/report.js';
import { TestApiServer } from '../support/apiserver.js';
import { openTestLive, tempDir, type TempDir } from '../support/live.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
let server: TestApiServer;
let dir: TempDir;
let kubeconfig: string;
let registry: Registry;

beforeAll(async () => {
  server = await TestApiServer.start(LAB);
  dir = tempDir();
  kubeconfig = server.writeKubeconfig(join(dir.path, 'kubeconfig'));
  registry = new Registry(await loadBuiltinChecks());
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

/** Scans every check live with only the rules of `kube-preflight rbac [--with-secrets]` granted. */
async function scanWithRole(withSecrets: boolean): Promise<Report> {
  server.reset();
  const { selected } = registry.select(undefined, undefined);
  const rules = clusterRoleManifests(selected, { name: 'kube-preflight-reader', withSecrets }).flatMap((m) => (m.object.rules as PolicyRule[] | undefined) ?? []);
  server.grantOnly(rules);
  const { source } = await openTestLive(server, kubeconfig);
  try {
    const { report } = await scan({ source, registry, config: EMPTY_CONFIG, now: new Date('2026-11-23T07:00:18Z'), failOn: 'critical', options: { kubeconfig, requestTimeoutMs: 10_000 } });
    return report;
  } finally {
    await source.close();
  }
}

describe('a live scan under the generated RBAC', () => {
  it('with --with-secrets: no request is refused, and every one is a GET or a SelfSubjectAccessReview', async () => {
    const report = await scanWithRole(true);
    expect(server.denied).toEqual([]);
    expect(server.writes()).toEqual([]);
    expect(report.inputs.filter((i) => i.status === 'forbidden' || i.partial?.some((p) => p.status === 'forbidden'))).toEqual([]);
    expect(report.permissions?.denied).toEqual([]);
  });

  it('without it: only the LISTs of Secrets are refused, and the inputs that read Secrets say so', async () => {
    const report = await scanWithRole(false);
    expect([...new Set(server.denied.map((r) => r.path))]).toEqual(['/api/v1/secrets']);
    expect(server.denied.map((r) => r.url).sort()).toEqual([
      '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls&limit=500',
      '/api/v1/secrets?labelSelector=OWNER%3DTILLER&limit=500',
      '/api/v1/secrets?labelSelector=owner%3Dhelm%2Cstatus%3Ddeployed&limit=500',
      '/api/v1/secrets?limit=500',
    ]);
    const status = (key: string) => report.inputs.find((i) => i.key === key);
    expect(status('tls-secrets')?.status).toBe('forbidden');
    expect(status('helm-releases')?.partial?.map((p) => [p.source, p.status, p.subjects])).toEqual([['secrets', 'forbidden', 'Helm releases stored in Secrets']]);
    expect(status('helm2-releases')?.partial?.map((p) => [p.source, p.status, p.subjects])).toEqual([['secrets', 'forbidden', 'Helm 2 releases stored in Secrets']]);
    expect(status('api-usage')?.partial?.map((p) => [p.source, p.status])).toEqual([['secrets', 'forbidden']]);
    // The permission plan predicted exactly that, before reading.
    expect(report.permissions?.denied.map((d) => [d.request, d.inputs])).toEqual([['list secrets', ['api-usage', 'helm-releases', 'helm2-releases', 'tls-secrets']]]);
    const notAssessed = (id: string) => report.summary.notAssessed.find((n) => n.checkId === id)?.reason ?? '';
    expect(notAssessed('certs-cluster-expiry')).toMatch(/^1 subject not assessed: TLS Secrets \(type kubernetes\.io\/tls\): forbidden \(GET \/api\/v1\/secrets\?fieldSelector=/);
    for (const id of ['apis-deprecated', 'apis-removed']) expect(notAssessed(id), id).toMatch(/^2 subjects not assessed: Helm releases stored in Secrets: forbidden .*; Secrets: forbidden \(GET \/api\/v1\/secrets:/);
    expect(notAssessed('apis-helm-releases')).toMatch(/^2 subjects not assessed: Helm 2 releases stored in Secrets: forbidden .*; Helm releases stored in Secrets: forbidden /);
  });
});
