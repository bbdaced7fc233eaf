/**
 * Generates a synthetic dump of a large cluster (the bench's sizes: 1,000 nodes / 30,000 pods
 * up to 10,000 / 300,000) in the layout `collect` writes: `resources/<resource>/<nnnn>.json`
 * pages of 500 objects, each object shaped like what the API returns (managedFields, status,
 * ownerReferences…). Everything it does not generate (RBAC, Secrets, Velero, CronJobs, etcd/,
 * pki/, metrics/, backups/…) is copied from the bundled lab-1.26 dump, so every check has its
 * inputs.
 *
 * Shape: 3 control-plane nodes and workers over 3 zones; per node 2 DaemonSet pods
 * (kube-proxy, node-exporter); the other pods in Deployments of 10 replicas spread over the
 * workers and `namespaces` namespaces, one Deployment in 5 with a PodDisruptionBudget
 * (maxUnavailable 1).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface SyntheticSize {
  nodes: number;
  pods: number;
  namespaces: number;
  /**
   * Every Deployment pod (and pod template) carries a required pod anti-affinity against the
   * pods of its own Deployment, topology `kubernetes.io/hostname` (one replica per node).
   */
  antiAffinity?: boolean;
  /** Pods are written as one `resources/pods.json` List (streamed out) instead of pages. */
  singlePodsFile?: boolean;
}

const PAGE = 500;

function iso(daysAgo: number): string {
  return new Date(Date.UTC(2026, 10, 23) - daysAgo * 86_400_000).toISOString().replace('.000Z', 'Z');
}

function managedFields(manager: string, apiVersion: string): unknown[] {
  return [
    {
      manager,
      operation: 'Update',
      apiVersion,
      time: iso(3),
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } } },
      },
    },
  ];
}

/** Writes `items` as `resources/<resource>/0001.json`, … List pages of 500 objects (one empty page for none). */
export async function writePaged(dir: string, resource: string, items: unknown[]): Promise<void> {
  const d = join(dir, 'resources', resource);
  await mkdir(d, { recursive: true });
  for (let i = 0; i * PAGE < items.length || i === 0; i++) {
    const page = items.slice(i * PAGE, (i + 1) * PAGE);
    await writeFile(
      join(d, `${String(i + 1).padStart(4, '0')}.json`),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: page }),
    );
    if (page.length === 0) break;
  }
}

/** Writes `items` as one List file `resources/<resource>.json`, object by object (no whole-file string). */
export async function writeSingleList(dir: string, resource: string, items: unknown[]): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  const out = createWriteStream(join(dir, 'resources', `${resource}.json`));
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write('{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[');
  for (let i = 0; i < items.length; i++) await write(`${i ? ',' : ''}${JSON.stringify(items[i])}`);
  out.end(']}\n');
  await once(out, 'finish');
}

/** Writes the dump into `dir` and returns the number of objects written per resource. */
export async function writeSyntheticDump(dir: string, size: SyntheticSize): Promise<Record<string, number>> {
  const zones = ['a', 'b', 'c'];
  const nodes = Array.from({ length: size.nodes }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `node-${i}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      resourceVersion: String(1000 + i),
      creationTimestamp: iso(200),
      labels: {
        'kubernetes.io/hostname': `node-${i}`,
        'topology.kubernetes.io/zone': `zone-${zones[i % 3]}`,
        ...(i < 3 ? { 'node-role.kubernetes.io/control-plane': '' } : { 'node-role.kubernetes.io/worker': '' }),
      },
      managedFields: managedFields('kubelet', 'v1'),
    },
    spec: {
      podCIDR: `10.${i >> 8}.${i & 255}.0/24`,
      providerID: `kind://docker/node-${i}`,
      ...(i < 3 ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
    status: {
      capacity: { cpu: '16', memory: '65842764Ki', pods: '110' },
      allocatable: { cpu: '15800m', memory: '64842764Ki', pods: '110' },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          lastHeartbeatTime: iso(0),
          lastTransitionTime: iso(100),
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          lastHeartbeatTime: iso(0),
          lastTransitionTime: iso(100),
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          lastHeartbeatTime: iso(0),
          lastTransitionTime: iso(100),
        },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: iso(0), lastTransitionTime: iso(100) },
      ],
      addresses: [
        { type: 'InternalIP', address: `10.0.${i >> 8}.${i & 255}` },
        { type: 'Hostname', address: `node-${i}` },
      ],
      nodeInfo: {
        kubeletVersion: i % 7 === 0 ? 'v1.30.6' : 'v1.31.2',
        kubeProxyVersion: 'v1.31.2',
        containerRuntimeVersion: 'containerd://1.7.22',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        architecture: 'amd64',
        kernelVersion: '6.1.0-26-amd64',
        operatingSystem: 'linux',
      },
      images: Array.from({ length: 8 }, (_, k) => ({
        names: [`registry.example.com/app-${k}@sha256:${'0'.repeat(64)}`, `registry.example.com/app-${k}:v${k}`],
        sizeBytes: 100_000_000 + k,
      })),
    },
  }));
  const namespaces = Array.from({ length: size.namespaces }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: i === 0 ? 'kube-system' : `team-${i}`,
      uid: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      labels: { 'kubernetes.io/metadata.name': i === 0 ? 'kube-system' : `team-${i}` },
    },
    status: { phase: 'Active' },
  }));
  const daemonPods = size.nodes * 2;
  const appPods = Math.max(0, size.pods - daemonPods);
  const replicasPer = 10;
  const deployments: unknown[] = [];
  const replicasets: unknown[] = [];
  const pdbs: unknown[] = [];
  const pods: unknown[] = [];
  const nsName = (i: number): string => `team-${1 + (i % (size.namespaces - 1))}`;
  for (let d = 0; d * replicasPer < appPods; d++) {
    const ns = nsName(d);
    const name = `app-${d}`;
    const replicas = Math.min(replicasPer, appPods - d * replicasPer);
    const labels = { app: name, tier: d % 2 ? 'web' : 'worker' };
    const affinity = size.antiAffinity
      ? {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { labelSelector: { matchLabels: { app: name } }, topologyKey: 'kubernetes.io/hostname' },
            ],
          },
        }
      : undefined;
    deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: ns, name, uid: `d-${d}`, generation: 1, labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'app', image: 'registry.example.com/app:v1' }], ...(affinity ? { affinity } : {}) },
        },
      },
      status: { replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: 1 },
    });
    replicasets.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        namespace: ns,
        name: `${name}-5d4f8`,
        uid: `rs-${d}`,
        labels: { ...labels, 'pod-template-hash': '5d4f8' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: `d-${d}`, controller: true }],
      },
      spec: { replicas, selector: { matchLabels: { app: name, 'pod-template-hash': '5d4f8' } } },
      status: { replicas, readyReplicas: replicas },
    });
    if (d % 5 === 0) {
      pdbs.push({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { namespace: ns, name, generation: 1 },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } },
        status: {
          observedGeneration: 1,
          disruptionsAllowed: 1,
          currentHealthy: replicas,
          desiredHealthy: replicas - 1,
          expectedPods: replicas,
        },
      });
    }
    for (let r = 0; r < replicas; r++) {
      const p = d * replicasPer + r;
      pods.push(
        pod(
          ns,
          `${name}-5d4f8-${r}`,
          { ...labels, 'pod-template-hash': '5d4f8' },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-5d4f8`, uid: `rs-${d}`, controller: true },
          `node-${3 + (p % (size.nodes - 3))}`,
          p,
          affinity,
        ),
      );
    }
  }
  for (let n = 0; n < size.nodes && pods.length < size.pods; n++) {
    for (const ds of ['kube-proxy', 'node-exporter']) {
      pods.push(
        pod(
          'kube-system',
          `${ds}-${n}`,
          { 'k8s-app': ds },
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds, uid: `ds-${ds}`, controller: true },
          `node-${n}`,
          n,
        ),
      );
    }
  }
  const daemonsets = ['kube-proxy', 'node-exporter'].map((ds) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { namespace: 'kube-system', name: ds, uid: `ds-${ds}` },
    spec: {
      selector: { matchLabels: { 'k8s-app': ds } },
      template: {
        spec: {
          containers: [
            { name: ds, image: ds === 'kube-proxy' ? 'registry.k8s.io/kube-proxy:v1.31.2' : 'quay.io/prometheus/node-exporter:v1.8.2' },
          ],
        },
      },
    },
    status: { desiredNumberScheduled: size.nodes, numberReady: size.nodes },
  }));
  const counts: Record<string, number> = {};
  const write = async (resource: string, items: unknown[]): Promise<void> => {
    await writePaged(dir, resource, items);
    counts[resource] = items.length;
  };
  await write('nodes', nodes);
  await write('namespaces', namespaces);
  if (size.singlePodsFile) {
    await writeSingleList(dir, 'pods', pods);
    counts.pods = pods.length;
  } else await write('pods', pods);
  await write('deployments.apps', deployments);
  await write('replicasets.apps', replicasets);
  await write('daemonsets.apps', daemonsets);
  await write('poddisruptionbudgets.policy', pdbs);
  const lab = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');
  for (const f of await readdir(join(lab, 'resources'))) {
    if (!(f.replace(/\.json$/, '') in counts)) await cp(join(lab, 'resources', f), join(dir, 'resources', f));
  }
  for (const d of ['etcd', 'pki', 'metrics', 'backups']) await cp(join(lab, d), join(dir, d), { recursive: true });
  await writeFile(
    join(dir, 'version.json'),
    JSON.stringify({ serverVersion: { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' } }),
  );
  await writeFile(join(dir, 'metadata.json'), JSON.stringify({ collectedAt: '2026-11-23T06:00:00Z', collectedBy: 'bench/synthetic.ts' }));
  return counts;
}

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  owner: Record<string, unknown>,
  nodeName: string,
  i: number,
  affinity?: unknown,
): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      name,
      uid: `p-${namespace}-${name}`,
      resourceVersion: String(5000 + i),
      creationTimestamp: iso(10),
      labels,
      ownerReferences: [owner],
      managedFields: managedFields('kube-controller-manager', 'v1'),
    },
    spec: {
      nodeName,
      ...(affinity ? { affinity } : {}),
      serviceAccountName: 'default',
      priority: 0,
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/app:v1',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: Array.from({ length: 6 }, (_, k) => ({ name: `SETTING_${k}`, value: `value-${k}-${i}` })),
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          volumeMounts: [
            { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
            { name: 'cache', mountPath: '/cache' },
          ],
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
        },
      ],
      volumes: [
        { name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } },
        { name: 'cache', emptyDir: {} },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.1.${(i >> 8) & 255}.${i & 255}`,
      startTime: iso(10),
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: iso(10) },
        { type: 'Ready', status: 'True', lastTransitionTime: iso(10) },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: iso(10) },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: iso(10) },
      ],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: 'registry.example.com/app:v1',
          imageID: `registry.example.com/app@sha256:${'1'.repeat(64)}`,
          containerID: `containerd://${'2'.repeat(64)}`,
          started: true,
          state: { running: { startedAt: iso(10) } },
        },
      ],
    },
  };
}
