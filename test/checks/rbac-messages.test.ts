/**
 * RBAC finding messages name each path (binding → role) once, even when the role gives the
 * power through several of its rules (a ClusterRole reading Secrets with `get` in one rule and
 * `list` in another, as roles written by hand often do).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuiltinChecks } from '../../src/engine/registry.js';
import { listFixtureCases, runFixtureCase } from '../../src/testing/fixtures.js';

const RBAC = 'rbac.authorization.k8s.io';
const tmp = mkdtempSync(join(tmpdir(), 'kp-rbac-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const list = (items: unknown[]): string => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
const crb = (name: string, role: string, user: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
  subjects: [{ apiGroup: RBAC, kind: 'User', name: user }],
});

describe('rbac messages', () => {
  it('name a binding → role path once when two of its rules give the power', async () => {
    const dir = join(tmp, 'fail-two-rules');
    mkdirSync(join(dir, 'resources'), { recursive: true });
    writeFileSync(join(dir, 'version.json'), JSON.stringify({ serverVersion: { major: '1', minor: '29', gitVersion: 'v1.29.4' } }));
    writeFileSync(
      join(dir, 'resources', `clusterroles.${RBAC}.json`),
      list([
        {
          apiVersion: `${RBAC}/v1`,
          kind: 'ClusterRole',
          metadata: { name: 'secret-auditor' },
          rules: [
            { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
            { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
          ],
        },
      ]),
    );
    writeFileSync(
      join(dir, 'resources', `clusterrolebindings.${RBAC}.json`),
      list([crb('auditor-secrets', 'secret-auditor', 'auditor'), crb('auditor-secrets-2', 'secret-auditor', 'auditor')]),
    );
    writeFileSync(join(dir, 'resources', `rolebindings.${RBAC}.json`), list([]));
    writeFileSync(
      join(dir, 'expected.json'),
      JSON.stringify({
        findings: [{ rule: 'secrets-read', severity: 'high', resource: { apiVersion: `${RBAC}/v1`, kind: 'User', name: 'auditor' } }],
      }),
    );
    const [check] = await loadBuiltinChecks(['rbac-escalation-primitives']);
    const [c] = listFixtureCases(tmp);
    const outcome = await runFixtureCase(check!, c!);
    expect(outcome.problems).toEqual([]);
    expect(outcome.report!.findings.map((f) => f.message)).toEqual([
      'User auditor can read secrets cluster-wide through ClusterRoleBinding auditor-secrets → ClusterRole secret-auditor, ' +
        'ClusterRoleBinding auditor-secrets-2 → ClusterRole secret-auditor.',
    ]);
  });
});
