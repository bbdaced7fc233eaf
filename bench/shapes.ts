/**
 * The pathological shapes of `npm run bench`: dumps that stress one part of the scan, each
 * measured against its own floor (reading and parsing the dump's JSON). Every generator writes
 * a dump folder in the layout `collect` writes (objects shaped like what the API returns) and
 * returns the number of objects written per resource; the rest of the cluster (RBAC, nodes,
 * etcd/, pki/, metrics/, backups/…) comes from the bundled lab-1.26 dump.
 *
 * - `writeHelmDump`: many Helm 3 releases, each with its revision history, as Helm stores
 *   them (release Secrets).
 * - `writeSingleFileDump`: the synthetic cluster with every pod in one `resources/pods.json`
 *   (about 2.7 KiB a pod: 150,000 pods make a 410 MB file), the loader's streaming path.
 * - many namespaces with several RoleBindings each: `writeRbacDump` in `shapes-rbac.ts`.
 * - `antiAffinityShape`: the synthetic cluster where every Deployment pod has a required pod
 *   anti-affinity (one replica per node), the drain simulation's hardest placement.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PACKAGE_ROOT } from '../src/paths.js';
import { writePaged, writeSyntheticDump } from './synthetic.js';

const LAB = join(PACKAGE_ROOT, 'fixtures', 'dumps', 'lab-1.26');

/** Copies the lab-1.26 dump into `dir`, except the `resources/` files named in `except` (`secrets`, `namespaces`…). */
async function copyLab(dir: string, except: string[]): Promise<void> {
  await cp(LAB, dir, { recursive: true, filter: (src) => !except.some((r) => src === join(LAB, 'resources', `${r}.json`)) });
}

/** The `items` of a List file of the lab-1.26 dump. */
async function labItems(resource: string): Promise<Array<Record<string, unknown>>> {
  return (JSON.parse(await readFile(join(LAB, 'resources', `${resource}.json`), 'utf8')) as { items: Array<Record<string, unknown>> })
    .items;
}

export interface HelmShape {
  /** Helm releases, spread over `releases / 10` namespaces (`apps-<n>`). */
  releases: number;
  /** Revisions kept per release (Helm's default `--history-max` is 10): the last is `deployed`, the others `superseded`. */
  revisions: number;
}

/** The charts releases are made of; one in three is old enough to render APIs since removed. */
const CHARTS = [
  {
    name: 'web-frontend',
    version: '2.4.1',
    appVersion: '1.25.3',
    pdb: 'policy/v1',
    hpa: 'autoscaling/v2',
    ingress: 'networking.k8s.io/v1',
  },
  {
    name: 'orders-api',
    version: '0.9.12',
    appVersion: '3.1.0',
    pdb: 'policy/v1beta1',
    hpa: 'autoscaling/v2beta2',
    ingress: 'networking.k8s.io/v1',
  },
  {
    name: 'reporting',
    version: '1.0.0',
    appVersion: '2022.3',
    pdb: 'policy/v1beta1',
    hpa: 'autoscaling/v2beta1',
    ingress: 'extensions/v1beta1',
  },
];

/** The YAML manifest a release renders (the `manifest` of Helm's Release record). */
function manifest(release: string, ns: string, chart: (typeof CHARTS)[number], revision: number): string {
  const labels = `    app.kubernetes.io/name: ${chart.name}\n    app.kubernetes.io/instance: ${release}\n    app.kubernetes.io/version: "${chart.appVersion}"\n    app.kubernetes.io/managed-by: Helm\n    helm.sh/chart: ${chart.name}-${chart.version}`;
  const doc = (source: string, apiVersion: string, kind: string, spec: string): string =>
    `---\n# Source: ${chart.name}/templates/${source}\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${release}-${chart.name}\n  namespace: ${ns}\n  labels:\n${labels}\n${spec}`;
  return [
    doc('serviceaccount.yaml', 'v1', 'ServiceAccount', ''),
    doc(
      'configmap.yaml',
      'v1',
      'ConfigMap',
      `data:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "checkout,search,recommendations"\n  REVISION: "${revision}"\n`,
    ),
    doc(
      'service.yaml',
      'v1',
      'Service',
      `spec:\n  type: ClusterIP\n  ports:\n    - port: 80\n      targetPort: http\n      protocol: TCP\n      name: http\n  selector:\n    app.kubernetes.io/name: ${chart.name}\n    app.kubernetes.io/instance: ${release}\n`,
    ),
    doc(
      'deployment.yaml',
      'apps/v1',
      'Deployment',
      `spec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${chart.name}\n      app.kubernetes.io/instance: ${release}\n  template:\n    metadata:\n      annotations:\n        checksum/config: ${gzipSync(`${release}-${revision}`).toString('hex').slice(0, 64)}\n      labels:\n        app.kubernetes.io/name: ${chart.name}\n        app.kubernetes.io/instance: ${release}\n    spec:\n      serviceAccountName: ${release}-${chart.name}\n      containers:\n        - name: ${chart.name}\n          image: "registry.example.com/${chart.name}:${chart.appVersion}-r${revision}"\n          imagePullPolicy: IfNotPresent\n          ports:\n            - name: http\n              containerPort: 8080\n              protocol: TCP\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n          resources:\n            limits:\n              cpu: 500m\n              memory: 512Mi\n            requests:\n              cpu: 100m\n              memory: 128Mi\n`,
    ),
    doc(
      'hpa.yaml',
      chart.hpa,
      'HorizontalPodAutoscaler',
      `spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${release}-${chart.name}\n  minReplicas: 3\n  maxReplicas: 20\n`,
    ),
    doc(
      'pdb.yaml',
      chart.pdb,
      'PodDisruptionBudget',
      `spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${chart.name}\n      app.kubernetes.io/instance: ${release}\n`,
    ),
    doc(
      'ingress.yaml',
      chart.ingress,
      'Ingress',
      `spec:\n  rules:\n    - host: ${release}.${ns}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${release}-${chart.name}\n                port:\n                  number: 80\n`,
    ),
  ].join('\n');
}

/** Helm's Release record (helm.sh/helm/v3 pkg/release), with the chart's templates (base64) and values. */
function releaseRecord(release: string, ns: string, chart: (typeof CHARTS)[number], revision: number, last: boolean): unknown {
  const deployed = new Date(Date.UTC(2026, 0, 1) + revision * 86_400_000).toISOString();
  const templates = ['serviceaccount', 'configmap', 'service', 'deployment', 'hpa', 'pdb', 'ingress', '_helpers', 'NOTES'].map((t) => ({
    name: `templates/${t}.${t.startsWith('_') ? 'tpl' : t === 'NOTES' ? 'txt' : 'yaml'}`,
    data: Buffer.from(
      `{{- /* ${chart.name} ${t} */ -}}\napiVersion: v1\nkind: ${t}\nmetadata:\n  name: {{ include "${chart.name}.fullname" . }}\n  labels:\n    {{- include "${chart.name}.labels" . | nindent 4 }}\n`,
    ).toString('base64'),
  }));
  return {
    name: release,
    info: {
      first_deployed: new Date(Date.UTC(2026, 0, 2)).toISOString(),
      last_deployed: deployed,
      deleted: '',
      description: revision === 1 ? 'Install complete' : 'Upgrade complete',
      status: last ? 'deployed' : 'superseded',
      notes: `1. Get the application URL by running these commands:\n  kubectl --namespace ${ns} port-forward svc/${release}-${chart.name} 8080:80\n`,
    },
    chart: {
      metadata: {
        name: chart.name,
        version: chart.version,
        description: `A Helm chart for ${chart.name}`,
        apiVersion: 'v2',
        appVersion: chart.appVersion,
        type: 'application',
      },
      lock: null,
      templates,
      values: {
        replicaCount: 3,
        image: { repository: `registry.example.com/${chart.name}`, pullPolicy: 'IfNotPresent', tag: '' },
        service: { type: 'ClusterIP', port: 80 },
        ingress: { enabled: true, className: 'nginx' },
        resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 20 },
        podDisruptionBudget: { maxUnavailable: 1 },
      },
      schema: null,
      files: [{ name: '.helmignore', data: Buffer.from('.git/\n*.swp\n*.bak\n*.tmp\n.vscode/\n').toString('base64') }],
    },
    config: { image: { tag: `${chart.appVersion}-r${revision}` } },
    manifest: manifest(release, ns, chart, revision),
    version: revision,
    namespace: ns,
  };
}

/**
 * Writes a dump with `releases` × `revisions` Helm 3 release Secrets
 * (`sh.helm.release.v1.<name>.v<N>`, type `helm.sh/release.v1`, labels name/owner/status/version),
 * whose `data.release` is, as Helm stores it, base64 of base64(gzip(JSON Release)) — the
 * Secret's base64 over Helm's own. The lab-1.26 dump's Secrets and Namespaces are kept.
 */
export async function writeHelmDump(dir: string, shape: HelmShape): Promise<Record<string, number>> {
  await copyLab(dir, ['secrets', 'namespaces']);
  const nsCount = Math.max(1, Math.ceil(shape.releases / 10));
  const namespaces = [...(await labItems('namespaces'))];
  for (let n = 0; n < nsCount; n++) {
    namespaces.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: `apps-${n}`,
        uid: `30000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        labels: { 'kubernetes.io/metadata.name': `apps-${n}` },
      },
      status: { phase: 'Active' },
    });
  }
  const secrets = [...(await labItems('secrets'))];
  for (let r = 0; r < shape.releases; r++) {
    const ns = `apps-${r % nsCount}`;
    const chart = CHARTS[r % CHARTS.length]!;
    const release = `${chart.name}-${r}`;
    for (let v = 1; v <= shape.revisions; v++) {
      const last = v === shape.revisions;
      const helmEncoded = gzipSync(JSON.stringify(releaseRecord(release, ns, chart, v, last))).toString('base64');
      secrets.push({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: `sh.helm.release.v1.${release}.v${v}`,
          namespace: ns,
          uid: `40000000-0000-4000-8000-${String(r * 100 + v).padStart(12, '0')}`,
          resourceVersion: String(20_000 + r * 100 + v),
          creationTimestamp: new Date(Date.UTC(2026, 0, 1) + v * 86_400_000).toISOString().replace('.000Z', 'Z'),
          labels: {
            name: release,
            owner: 'helm',
            status: last ? 'deployed' : 'superseded',
            version: String(v),
            modifiedAt: String(1_767_225_600 + v * 86_400),
          },
        },
        data: { release: Buffer.from(helmEncoded).toString('base64') },
      });
    }
  }
  await writePaged(dir, 'namespaces', namespaces);
  await writePaged(dir, 'secrets', secrets);
  return { namespaces: namespaces.length, secrets: secrets.length, helmReleaseSecrets: shape.releases * shape.revisions };
}

/** The synthetic cluster of `nodes` nodes and `pods` pods with every pod in one `resources/pods.json`. */
export function writeSingleFileDump(dir: string, size: { nodes: number; pods: number }): Promise<Record<string, number>> {
  return writeSyntheticDump(dir, { ...size, namespaces: 500, singlePodsFile: true });
}

/** The synthetic cluster of `nodes` nodes and `pods` pods, with a required hostname anti-affinity on every Deployment pod. */
export function antiAffinityShape(dir: string, size: { nodes: number; pods: number }): Promise<Record<string, number>> {
  return writeSyntheticDump(dir, { ...size, namespaces: 500, antiAffinity: true });
}

/** Writes a `--config` file setting `pdb-drain-plan`'s `maxParallelDrains`, returns its path. */
export async function writeDrainConfig(file: string, maxParallelDrains: number): Promise<string> {
  await writeFile(
    file,
    `apiVersion: kube-preflight/v1\nkind: Config\nchecks:\n  pdb-drain-plan:\n    options:\n      maxParallelDrains: ${maxParallelDrains}\n`,
  );
  return file;
}
