/**
 * `kube-preflight rbac` (the built CLI): one YAML stream `kubectl apply -f -` accepts on a fresh
 * cluster — Namespace, ServiceAccount, ClusterRoles, then ClusterRoleBindings — each a valid
 * object (kubernetes-models), list/get only, no wildcard, no subresource; Secrets only in the
 * opt-in role of `--with-secrets`.
 */
import { Namespace, ServiceAccount } from 'kubernetes-models/v1';
import { ClusterRole, ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../src/cli/rbac.js';
import { runCli } from '../support/cli.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace: Namespace,
  ServiceAccount: ServiceAccount,
  ClusterRole: ClusterRole,
  ClusterRoleBinding: ClusterRoleBinding,
};

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { name: string };
  subjects?: Array<{ kind: string; name: string; namespace: string }>;
}

async function rbac(args: string[]): Promise<{ stdout: string; docs: Doc[] }> {
  const r = await runCli(['rbac', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const docs = parseAllDocuments(r.stdout).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  });
  for (const d of docs) expect(() => new MODELS[d.kind]!(d as never).validate(), d.kind).not.toThrow();
  return { stdout: r.stdout, docs };
}

const names = (docs: Doc[]) => docs.map((d) => `${d.kind}/${d.metadata.name}`);
const grants = (rules: PolicyRule[]) => rules.flatMap((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...(r.nonResourceURLs ?? [])]);

describe('kube-preflight rbac', () => {
  it('--service-account: Namespace, ServiceAccount, ClusterRole, ClusterRoleBinding, in that order; no Secrets, no wildcard', async () => {
    const { stdout, docs } = await rbac(['--service-account', 'scan/preflight']);
    expect(names(docs)).toEqual(['Namespace/scan', 'ServiceAccount/preflight', 'ClusterRole/kube-preflight-reader', 'ClusterRoleBinding/kube-preflight-reader']);
    expect(docs[1]!.metadata.namespace).toBe('scan');
    expect(docs[3]!.subjects).toEqual([{ kind: 'ServiceAccount', name: 'preflight', namespace: 'scan' }]);
    const rules = docs[2]!.rules!;
    expect([...new Set(rules.flatMap((r) => r.verbs))].sort()).toEqual(['get', 'list']);
    expect(rules.filter((r) => r.nonResourceURLs)).toEqual([{ nonResourceURLs: ['/apis', '/metrics', '/readyz', '/version'], verbs: ['get'] }]);
    expect(grants(rules).filter((x) => x.includes('*') || (x.includes('/') && !x.startsWith('/')) || x === 'secrets')).toEqual([]);
    expect(stdout).toContain('# Secrets are not readable (add --with-secrets): api-usage, helm-releases, helm2-releases, tls-secrets will be reported as not assessed.\n');
  });

  it('--with-secrets: the opt-in role lists Secrets only, with its risk stated, and its own binding', async () => {
    const { stdout, docs } = await rbac(['--service-account', 'scan/preflight', '--with-secrets', '--name', 'pf']);
    expect(names(docs)).toEqual(['Namespace/scan', 'ServiceAccount/preflight', 'ClusterRole/pf', 'ClusterRole/pf-secrets', 'ClusterRoleBinding/pf', 'ClusterRoleBinding/pf-secrets']);
    expect(docs[3]!.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
    expect(docs[5]!.roleRef!.name).toBe('pf-secrets');
    expect(stdout).toContain('# Opt-in (--with-secrets): list on Secrets in every namespace, for api-usage, helm-releases, helm2-releases, tls-secrets');
    expect(stdout).toContain('RISK: list returns the data of every Secret');
  });

  it('without --service-account: the ClusterRole only; --checks narrows it to what those checks read', async () => {
    const { docs } = await rbac(['--checks', 'pdb-blocking']);
    expect(names(docs)).toEqual(['ClusterRole/kube-preflight-reader']);
    expect(docs[0]!.rules).toEqual([
      { apiGroups: [''], resources: ['namespaces', 'pods', 'replicationcontrollers'], verbs: ['list'] },
      { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['list'] },
      { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['list'] },
      { nonResourceURLs: ['/version'], verbs: ['get'] },
    ]);
  });

  it('--custom-resources adds list on those custom resources for the deprecated-API object scan', async () => {
    const { docs } = await rbac(['--checks', 'apis-deprecated', '--custom-resources', 'certificates.cert-manager.io']);
    expect(docs[0]!.rules).toContainEqual({ apiGroups: ['cert-manager.io'], resources: ['certificates'], verbs: ['list'] });
    const bad = await runCli(['rbac', '--custom-resources', 'pods.']);
    expect([bad.code, bad.stderr]).toEqual([2, 'kube-preflight: error: --custom-resources: "pods." is not PLURAL.GROUP of a custom resource\n']);
  });
});
