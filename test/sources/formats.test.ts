/**
 * Dumps written by other tools (`src/sources/formats.ts`): a troubleshoot support bundle, a
 * `kubectl cluster-info dump --output-directory` folder and Sonobuoy results, each built here
 * from the same objects, scan with the findings of a kube-preflight dump holding the same
 * objects; what each format cannot hold is `missing` with a reason naming the format. The real
 * archives of ../shared/fixtures-external are scanned in place when that folder is there.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/contract/report.js';
import { reportSchemaErrors } from '../../src/report/schema.js';
import { DumpSource } from '../../src/sources/dump.js';
import { veleroSchedulesInput } from '../../src/sources/inputs/backup/velero.js';
import { nodesInput } from '../../src/sources/inputs/core.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { runCli } from '../support/cli.js';

const NOW = '2026-12-01T00:00:00Z';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kp-formats-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function folder(name: string, files: Record<string, unknown>): Promise<string> {
  const dir = join(work, name);
  for (const [p, c] of Object.entries(files)) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), typeof c === 'string' ? c : JSON.stringify(c, null, 1));
  }
  return dir;
}

async function scanReport(dir: string, name: string): Promise<{ code: number | null; report: Report; stdout: string }> {
  const out = join(work, `out-${name}`);
  const r = await runCli(['scan', '--dump', dir, '--now', NOW, '-q', '--format', 'text,json', '-o', out]);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  expect(reportSchemaErrors(report)).toEqual([]);
  return { code: r.code, report, stdout: r.stdout };
}

/** Findings as `checkId rule kind namespace/name`, sorted. */
function findingKeys(report: Report): string[] {
  return report.findings
    .map((f) => {
      const r = f.resource as { kind?: string; namespace?: string; name?: string; file?: string };
      return `${f.checkId} ${f.rule} ${r.kind ?? r.file ?? ''} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? ''}`;
    })
    .sort();
}

function input(
  report: Report,
  key: string,
): { status: string; reason?: string; count?: number; partial?: Array<{ source: string; status: string; reason: string }> } {
  const i = report.inputs.find((x) => x.key === key);
  expect(i, key).toBeDefined();
  return i as never;
}

// ---- One small cluster, in our own words ----------------------------------------------------

const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' };
const nodeObj = (name: string, kubelet: string, role?: string) => ({
  metadata: { name, uid: `uid-${name}`, labels: role ? { [`node-role.kubernetes.io/${role}`]: '' } : {} },
  spec: {},
  status: {
    nodeInfo: { kubeletVersion: kubelet, kubeProxyVersion: kubelet, containerRuntimeVersion: 'containerd://1.7.22' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});
const NODES = [nodeObj('cp-1', 'v1.31.2', 'control-plane'), nodeObj('worker-1', 'v1.28.9')];
const NAMESPACES = ['default', 'kube-system', 'shop'].map((n) => ({
  metadata: { name: n, uid: `uid-ns-${n}` },
  status: { phase: 'Active' },
}));
const DEPLOYMENTS = [
  {
    metadata: { namespace: 'shop', name: 'web', uid: 'uid-dep-web' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
    status: { replicas: 1, readyReplicas: 1 },
  },
];
const REPLICASETS = [
  {
    metadata: {
      namespace: 'shop',
      name: 'web-5d8f',
      uid: 'uid-rs-web',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-dep-web', controller: true }],
    },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
    status: { replicas: 1 },
  },
];
const podObj = (ns: string, name: string, node: string, extra: Record<string, unknown> = {}) => ({
  metadata: { namespace: ns, name, uid: `uid-pod-${name}`, ...extra },
  spec: { nodeName: node, containers: [{ name: 'main', image: 'busybox:1.36' }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});
const PODS = [
  podObj('shop', 'web-5d8f-x2k9q', 'worker-1', {
    labels: { app: 'web' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'uid-rs-web', controller: true }],
  }),
  podObj('shop', 'debug-shell', 'worker-1'),
];
const PDBS = [
  {
    metadata: { namespace: 'shop', name: 'web' },
    spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } },
    status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
  },
];
const CRBS = [
  {
    metadata: { name: 'ci-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }],
  },
];

const typed = <T extends object>(apiVersion: string, kind: string, items: T[]) => items.map((o) => ({ apiVersion, kind, ...o }));
const OBJ = {
  nodes: typed('v1', 'Node', NODES),
  namespaces: typed('v1', 'Namespace', NAMESPACES),
  deployments: typed('apps/v1', 'Deployment', DEPLOYMENTS),
  replicasets: typed('apps/v1', 'ReplicaSet', REPLICASETS),
  pods: typed('v1', 'Pod', PODS),
  pdbs: typed('policy/v1', 'PodDisruptionBudget', PDBS),
  crbs: typed('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', CRBS),
};
const list = (items: object[]) => ({ apiVersion: 'v1', kind: 'List', items });
const inNs = (items: Array<{ metadata: { namespace?: string } }>, ns: string) => items.filter((o) => o.metadata.namespace === ns);

/** A kube-preflight dump holding `names` of OBJ (as `collect` would write them, without metadata.json). */
function ownDump(names: Array<keyof typeof OBJ>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const file: Record<keyof typeof OBJ, string> = {
    nodes: 'nodes',
    namespaces: 'namespaces',
    deployments: 'deployments.apps',
    replicasets: 'replicasets.apps',
    pods: 'pods',
    pdbs: 'poddisruptionbudgets.policy',
    crbs: 'clusterrolebindings.rbac.authorization.k8s.io',
  };
  return { ...Object.fromEntries(names.map((n) => [`resources/${file[n]}.json`, list(OBJ[n])])), ...extra };
}

const ALL = Object.keys(OBJ) as Array<keyof typeof OBJ>;
const NS = ['default', 'kube-system', 'shop'];

/** troubleshoot's layout: bare arrays per namespace (empty ones as `null` items lists too), one top folder. */
function supportBundle(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    'bundle/version.yaml': 'apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: v0.100.0\n',
    'bundle/cluster-info/cluster_version.json': { info: VERSION, string: VERSION.gitVersion },
    'bundle/cluster-resources/nodes.json': { kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: OBJ.nodes },
    'bundle/cluster-resources/namespaces.json': { kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: OBJ.namespaces },
    'bundle/cluster-resources/clusterRoleBindings.json': OBJ.crbs,
    'bundle/cluster-resources/custom-resource-definitions.json': {
      kind: 'CustomResourceDefinitionList',
      apiVersion: 'apiextensions.k8s.io/v1',
      items: null,
    },
    'bundle/cluster-resources/pods/logs/shop/debug-shell/main.log': 'hello\n',
    'bundle/cluster-resources/auth-cani-list/shop.json': [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
    'bundle/cluster-resources/events/shop.json': { kind: 'EventList', apiVersion: 'v1', items: null },
    'bundle/cluster-resources/groups.json': [
      { name: '', versions: [{ groupVersion: 'v1', version: 'v1' }] },
      { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] },
    ],
  };
  for (const ns of NS) {
    files[`bundle/cluster-resources/pods/${ns}.json`] = {
      kind: 'PodList',
      apiVersion: 'v1',
      items: inNs(OBJ.pods, ns).length ? inNs(OBJ.pods, ns) : null,
    };
    files[`bundle/cluster-resources/deployments/${ns}.json`] = {
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      items: inNs(OBJ.deployments, ns),
    };
    files[`bundle/cluster-resources/replicasets/${ns}.json`] = {
      kind: 'ReplicaSetList',
      apiVersion: 'apps/v1',
      items: inNs(OBJ.replicasets, ns),
    };
    files[`bundle/cluster-resources/pod-disruption-budgets/${ns}.json`] = {
      kind: 'PodDisruptionBudgetList',
      apiVersion: 'policy/v1',
      items: inNs(OBJ.pdbs, ns),
    };
  }
  return files;
}

/** `kubectl cluster-info dump --output-directory`: typed lists whose items carry no kind. */
function clusterInfoDump(): Record<string, unknown> {
  const bare = (items: Array<Record<string, unknown>>) => items.map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
  const files: Record<string, unknown> = { 'nodes.json': { kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: bare(OBJ.nodes) } };
  for (const ns of NS) {
    files[`${ns}/pods.json`] = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: bare(inNs(OBJ.pods, ns)) };
    files[`${ns}/deployments.json`] = {
      kind: 'DeploymentList',
      apiVersion: 'apps/v1',
      metadata: {},
      items: bare(inNs(OBJ.deployments, ns)),
    };
    files[`${ns}/replicasets.json`] = {
      kind: 'ReplicaSetList',
      apiVersion: 'apps/v1',
      metadata: {},
      items: bare(inNs(OBJ.replicasets, ns)),
    };
    files[`${ns}/events.json`] = { kind: 'EventList', apiVersion: 'v1', metadata: {}, items: [] };
  }
  files['shop/debug-shell/logs.txt'] = 'hello\n';
  return files;
}

/** Sonobuoy: bare arrays, one file per namespace with objects, none for an empty list. */
function sonobuoy(): Record<string, unknown> {
  const files: Record<string, unknown> = {
    'serverversion.json': VERSION,
    'servergroups.json': {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] }],
    },
    'meta/config.json': {
      Resources: [
        'nodes',
        'namespaces',
        'pods',
        'deployments',
        'replicasets',
        'poddisruptionbudgets',
        'clusterrolebindings',
        'statefulsets',
      ],
    },
    'meta/run.log': '{}\n',
    'plugins/e2e/sonobuoy_results.yaml': 'name: e2e\nstatus: passed\n',
    'resources/cluster/core_v1_nodes.json': OBJ.nodes,
    'resources/cluster/core_v1_namespaces.json': OBJ.namespaces,
    'resources/cluster/rbac.authorization.k8s.io_v1_clusterrolebindings.json': OBJ.crbs,
    'resources/ns/shop/core_v1_pods.json': inNs(OBJ.pods, 'shop'),
    'resources/ns/shop/apps_v1_deployments.json': inNs(OBJ.deployments, 'shop'),
    'resources/ns/shop/apps_v1_replicasets.json': inNs(OBJ.replicasets, 'shop'),
    'resources/ns/shop/policy_v1_poddisruptionbudgets.json': inNs(OBJ.pdbs, 'shop'),
  };
  return files;
}

describe('dumps of other tools scan like the dump kube-preflight would write of the same objects', () => {
  it('a troubleshoot support bundle', async () => {
    const theirs = await scanReport(await folder('sb', supportBundle()), 'sb');
    const ours = await scanReport(
      await folder(
        'sb-own',
        ownDump(ALL, { 'version.json': VERSION, 'resources/customresourcedefinitions.apiextensions.k8s.io.json': list([]) }),
      ),
      'sb-own',
    );
    expect(theirs.report.metadata.source.format).toBe('support-bundle');
    expect(ours.report.metadata.source.format).toBeUndefined();
    expect(theirs.stdout.split('\n')[0]).toContain('(troubleshoot support bundle)');
    expect(theirs.report.metadata.cluster.gitVersion).toBe('v1.31.2');
    expect(findingKeys(theirs.report)).toEqual(findingKeys(ours.report));
    expect(findingKeys(theirs.report)).toEqual([
      'pdb-blocking max-unavailable-zero PodDisruptionBudget shop/web',
      'pdb-coverage single-replica Deployment shop/web',
      'pdb-drain-plan drain-needs-force Node worker-1',
      'versions-kubelet-skew kubelet-blocks-next-minor Node worker-1',
      'versions-support-window current-release-end-of-life KubernetesRelease 1.31',
    ]);
    expect(input(theirs.report, 'api-discovery')).toMatchObject({ status: 'ok', count: 1 });
    expect(input(theirs.report, 'tls-secrets')).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('a troubleshoot support bundle holds no Secrets'),
    });
    // A folder troubleshoot writes that this bundle lacks (an older collector, a narrow spec).
    expect(input(theirs.report, 'rolebindings')).toMatchObject({
      status: 'missing',
      reason:
        'this troubleshoot support bundle has no cluster-resources/ file for RoleBindings (rolebindings.rbac.authorization.k8s.io) (the troubleshoot version or spec that wrote it did not collect them)',
    });
    expect(input(theirs.report, 'pki')).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/^a troubleshoot support bundle holds no pki\//),
    });
  });

  it('a kubectl cluster-info dump', async () => {
    const theirs = await scanReport(await folder('cid', clusterInfoDump()), 'cid');
    const ours = await scanReport(await folder('cid-own', ownDump(['nodes', 'pods', 'deployments', 'replicasets'])), 'cid-own');
    expect(theirs.report.metadata.source.format).toBe('cluster-info-dump');
    expect(findingKeys(theirs.report)).toEqual(findingKeys(ours.report));
    // No PDB, Namespace or version in such a dump: only the single-replica Deployment is judged.
    expect(findingKeys(theirs.report)).toEqual(['pdb-coverage single-replica Deployment shop/web']);
    expect(input(theirs.report, 'nodes')).toMatchObject({ status: 'ok', count: 2 });
    expect(input(theirs.report, 'rolebindings')).toMatchObject({
      status: 'missing',
      reason:
        'a kubectl cluster-info dump holds no RoleBindings (rolebindings.rbac.authorization.k8s.io) (only nodes, pods, services, replicationcontrollers, deployments, replicasets, daemonsets and events)',
    });
    expect(input(theirs.report, 'version')).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/^a kubectl cluster-info dump holds no version\.json/),
    });
    expect(theirs.report.metadata.warnings).toContain(
      'a kubectl cluster-info dump holds only the namespaces it was given (kube-system and default unless --all-namespaces): this one holds default, kube-system, shop; objects of other namespaces are not known',
    );
  });

  it('Sonobuoy results', async () => {
    const theirs = await scanReport(await folder('sono', sonobuoy()), 'sono');
    // Sonobuoy queried StatefulSets and wrote no file: there are none.
    const ours = await scanReport(
      await folder('sono-own', ownDump(ALL, { 'version.json': VERSION, 'resources/statefulsets.apps.json': list([]) })),
      'sono-own',
    );
    expect(theirs.report.metadata.source.format).toBe('sonobuoy');
    expect(findingKeys(theirs.report)).toEqual(findingKeys(ours.report));
    expect(findingKeys(theirs.report)).toEqual(
      expect.arrayContaining([
        'pdb-blocking max-unavailable-zero PodDisruptionBudget shop/web',
        'versions-kubelet-skew kubelet-blocks-next-minor Node worker-1',
      ]),
    );
    expect(theirs.report.metadata.cluster.gitVersion).toBe('v1.31.2');
    const workloads = input(theirs.report, 'workloads');
    expect(workloads.status).toBe('ok');
    expect(workloads.partial?.map((p) => p.source).sort()).toEqual(['daemonsets.apps', 'jobs.batch', 'replicationcontrollers']);
    expect(workloads.partial?.find((p) => p.source === 'jobs.batch')?.reason).toBe(
      'this Sonobuoy result set holds no Jobs (jobs.batch): not in the Resources Sonobuoy queried (meta/config.json)',
    );
    expect(input(theirs.report, 'tls-secrets')).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('holds no Secrets (secrets)'),
    });
  });

  it('reads each file once: a custom resource list troubleshoot wrote as JSON and YAML', async () => {
    const cr = {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { namespace: 'velero', name: 'daily' },
      spec: { schedule: '0 2 * * *' },
    };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'schedules.velero.io' },
      spec: { group: 'velero.io', names: { plural: 'schedules', kind: 'Schedule' }, scope: 'Namespaced' },
    };
    const dir = await folder('sb-cr', {
      'cluster-resources/custom-resource-definitions.json': [crd],
      'cluster-resources/custom-resources/schedules.velero.io/velero.json': [cr],
      'cluster-resources/custom-resources/schedules.velero.io/velero.yaml': `- apiVersion: velero.io/v1\n  kind: Schedule\n  metadata: {namespace: velero, name: daily}\n  spec: {schedule: '0 2 * * *'}\n`,
    });
    const src = await DumpSource.open(dir);
    try {
      expect(src.info.format).toBe('support-bundle');
      const got = await src.load([veleroSchedulesInput, nodesInput], { requestTimeoutMs: 1000 });
      expect(got.get('velero-schedules')).toMatchObject({ status: 'ok', count: 1 });
      expect(got.get('nodes')).toMatchObject({
        status: 'missing',
        reason: expect.stringContaining('has no cluster-resources/ file for Nodes (nodes)'),
      });
    } finally {
      await src.close();
    }
  });

  it('what troubleshoot could not list (<folder>-errors.json) is forbidden, not an empty list', async () => {
    const dir = await folder('sb-err', {
      'cluster-resources/nodes.json': [],
      'cluster-resources/nodes-errors.json': [
        'nodes is forbidden: User "system:serviceaccount:app:bundle" cannot list resource "nodes" in API group "" at the cluster scope',
      ],
    });
    const src = await DumpSource.open(dir);
    try {
      const got = await src.load([nodesInput], { requestTimeoutMs: 1000 });
      expect(got.get('nodes')).toMatchObject({
        status: 'forbidden',
        reason: expect.stringMatching(
          /^cluster-resources\/nodes-errors\.json: troubleshoot could not list Nodes \(nodes\) \(nodes is forbidden: /,
        ),
      });
    } finally {
      await src.close();
    }
  });
});

const EXTERNAL = join(PACKAGE_ROOT, '..', 'shared', 'fixtures-external');
const external = existsSync(EXTERNAL);

describe.skipIf(!external)('real dumps of other tools (../shared/fixtures-external, read in place)', () => {
  if (!external) it.skip(`${EXTERNAL} is absent`, () => undefined);

  async function nodesOf(archive: string): Promise<NodeInfo[]> {
    const src = await DumpSource.open(join(EXTERNAL, archive));
    try {
      return (await src.load([nodesInput], { requestTimeoutMs: 1000 })).get('nodes')!.value as NodeInfo[];
    } finally {
      await src.close();
    }
  }

  it('troubleshoot k3s v1.31 baseline bundle', async () => {
    const { code, report } = await scanReport(join(EXTERNAL, 'troubleshoot/k3s-1.31-baseline.tar.gz'), 'k3s');
    expect([0, 1, 3]).toContain(code);
    expect(report.metadata.source.format).toBe('support-bundle');
    expect(report.metadata.cluster.gitVersion).toBe('v1.31.2+k3s1');
    expect(input(report, 'nodes')).toMatchObject({ status: 'ok', count: 1 });
    expect(input(report, 'namespaces')).toMatchObject({ status: 'ok', count: 4 });
    expect(input(report, 'etcd')).toMatchObject({
      status: 'missing',
      reason: expect.stringMatching(/^a troubleshoot support bundle holds no etcd\//),
    });
    expect(input(report, 'tls-secrets')).toMatchObject({ status: 'missing', reason: expect.stringContaining('holds no Secrets') });
    expect(input(report, 'api-services')).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('holds no APIServices (apiservices.apiregistration.k8s.io)'),
    });
    const nodes = await nodesOf('troubleshoot/k3s-1.31-baseline.tar.gz');
    expect(nodes.map((n) => [n.name, n.kubeletVersion])).toEqual([['primary-node', 'v1.31.2+k3s1']]);
  });

  it('troubleshoot k3d v1.24 bundle (no DaemonSets, ServiceAccounts or ConfigMaps folders)', async () => {
    const { code, report } = await scanReport(join(EXTERNAL, 'troubleshoot/k3d-1.24-support-bundle.tar.gz'), 'k3d');
    expect([0, 1, 3]).toContain(code);
    expect(report.metadata.source.format).toBe('support-bundle');
    expect(report.metadata.cluster.gitVersion).toBe('v1.24.4+k3s1');
    expect(input(report, 'persistentvolumes')).toMatchObject({ status: 'ok', count: 4 });
    expect(input(report, 'serviceaccounts')).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('has no cluster-resources/ file for ServiceAccounts (serviceaccounts)'),
    });
    expect(input(report, 'workloads').partial?.map((p) => p.source)).toEqual(['daemonsets.apps', 'replicationcontrollers']);
    const nodes = await nodesOf('troubleshoot/k3d-1.24-support-bundle.tar.gz');
    expect(nodes.map((n) => n.kubeletVersion)).toEqual(['v1.24.4+k3s1']);
  });

  it('Sonobuoy results of a kind v1.21 cluster', async () => {
    const { code, report } = await scanReport(join(EXTERNAL, 'sonobuoy/kind-1.21-results.tar.gz'), 'kind');
    expect([0, 1, 3]).toContain(code);
    expect(report.metadata.source.format).toBe('sonobuoy');
    expect(report.metadata.cluster.gitVersion).toBe('v1.21.1');
    expect(input(report, 'namespaces')).toMatchObject({ status: 'ok', count: 20 });
    expect(input(report, 'control-plane-pods')).toMatchObject({ status: 'ok', count: 4 });
    expect(input(report, 'tls-secrets')).toMatchObject({
      status: 'missing',
      reason: expect.stringContaining('not in the Resources Sonobuoy queried'),
    });
    const nodes = await nodesOf('sonobuoy/kind-1.21-results.tar.gz');
    expect(nodes.map((n) => [n.name, n.kubeletVersion])).toEqual([['kind-control-plane', 'v1.21.1']]);
  });
});
