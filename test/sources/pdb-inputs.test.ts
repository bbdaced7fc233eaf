/** Normalization of the pdb family's inputs (`src/sources/inputs/pdb.ts`). */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/objects.js';
import {
  normalizePdb,
  normalizePod,
  normalizeWorkload,
  persistentVolumeClaimsInput,
  persistentVolumesInput,
  podRequests,
} from '../../src/sources/inputs/pdb.js';

const obj = (apiVersion: string, kind: string, metadata: KubeObject['metadata'], rest: Record<string, unknown> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata,
  ...rest,
});

describe('normalizePdb', () => {
  const pdb = (apiVersion: string, selector: unknown, extra: Record<string, unknown> = {}) =>
    normalizePdb(
      obj(
        apiVersion,
        'PodDisruptionBudget',
        { name: 'web', namespace: 'shop', generation: 2 },
        { spec: { ...(selector === undefined ? {} : { selector }), maxUnavailable: 1 }, ...extra },
      ),
    );

  it('keeps policy/v1 semantics: {} matches all, absent matches none', () => {
    expect(pdb('policy/v1', {}).selector).toEqual([]);
    expect(pdb('policy/v1', undefined).selector).toBeNull();
    expect(pdb('policy/v1', { matchLabels: { app: 'web' } }).selector).toEqual([{ key: 'app', operator: 'In', values: ['web'] }]);
  });

  it('reads an empty policy/v1beta1 selector as matching nothing', () => {
    const p = pdb('policy/v1beta1', {});
    expect(p.selector).toBeNull();
    expect(p.apiVersion).toBe('policy/v1beta1');
    expect(pdb('policy/v1beta1', { matchLabels: {} }).selector).toBeNull();
    expect(pdb('policy/v1beta1', { matchLabels: { app: 'web' } }).selector).toHaveLength(1);
  });

  it('keeps an invalid selector as matching nothing, with the reason', () => {
    const p = pdb('policy/v1', { matchExpressions: [{ key: 'app', operator: 'Like', values: ['w'] }] });
    expect(p.selector).toBeNull();
    expect(p.selectorError).toContain('unknown operator');
  });

  it('reads spec and status', () => {
    const p = normalizePdb(
      obj(
        'policy/v1',
        'PodDisruptionBudget',
        { name: 'web', namespace: 'shop', generation: 2 },
        {
          spec: { minAvailable: '50%', selector: {}, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
          status: {
            observedGeneration: 1,
            disruptionsAllowed: 0,
            currentHealthy: 1,
            desiredHealthy: 2,
            expectedPods: 3,
            disruptedPods: { 'web-1': '2026-11-23T06:59:00Z' },
            conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '' }],
          },
        },
      ),
    );
    expect(p).toEqual({
      namespace: 'shop',
      name: 'web',
      apiVersion: 'policy/v1',
      generation: 2,
      selector: [],
      minAvailable: '50%',
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      status: {
        observedGeneration: 1,
        disruptionsAllowed: 0,
        currentHealthy: 1,
        desiredHealthy: 2,
        expectedPods: 3,
        disruptedPods: 1,
        disruptionAllowed: { status: 'False', reason: 'InsufficientPods' },
      },
    });
    expect(pdb('policy/v1beta1', {}, { status: { podDisruptionsAllowed: 2, observedGeneration: 2 } }).status).toMatchObject({
      disruptionsAllowed: 2,
    });
    expect(pdb('policy/v1', {}, { status: {} }).status).toBeUndefined();
  });
});

describe("podRequests (the scheduler's sum)", () => {
  const c = (cpu?: string, memory?: string, restartPolicy?: string) => ({
    name: 'c',
    ...(restartPolicy ? { restartPolicy } : {}),
    resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } },
  });
  it('sums containers and takes the larger init container', () => {
    expect(podRequests({ containers: [c('100m', '64Mi'), c('250m')], initContainers: [c('1', '32Mi')] })).toEqual({
      cpuCores: 1,
      memoryBytes: 64 * 2 ** 20,
    });
  });
  it('adds sidecar init containers to the sum and to later init steps', () => {
    const r = podRequests({ containers: [c('500m')], initContainers: [c('200m', undefined, 'Always'), c('400m')] });
    expect(r.cpuCores).toBeCloseTo(0.7); // max(0.5 + 0.2, 0.4 + 0.2)
    expect(podRequests({ containers: [c('100m')], initContainers: [c('100m', undefined, 'Always'), c('1')] }).cpuCores).toBeCloseTo(1.1);
  });
  it('adds overhead, and takes pod-level requests where set', () => {
    expect(podRequests({ containers: [c('100m', '64Mi')], overhead: { cpu: '250m', memory: '120Mi' } })).toEqual({
      cpuCores: 0.35,
      memoryBytes: 184 * 2 ** 20,
    });
    expect(podRequests({ containers: [c('100m', '64Mi')], resources: { requests: { cpu: '2' } } })).toEqual({
      cpuCores: 2,
      memoryBytes: 64 * 2 ** 20,
    });
    expect(podRequests({ containers: [{ name: 'c' }] })).toEqual({ cpuCores: 0, memoryBytes: 0 });
  });
});

describe('normalizePod', () => {
  it('keeps only what drains and scheduling read', () => {
    const p = normalizePod(
      obj(
        'v1',
        'Pod',
        {
          name: 'db-0',
          namespace: 'data',
          uid: 'u1',
          labels: { app: 'db' },
          annotations: { 'kubectl.kubernetes.io/restartedAt': 'x' },
          ownerReferences: [
            { apiVersion: 'v1', kind: 'ConfigMap', name: 'not-a-controller' },
            { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u2', controller: true },
          ],
        },
        {
          spec: {
            nodeName: 'w-1',
            priority: 100,
            nodeSelector: { disk: 'ssd' },
            containers: [{ name: 'db', image: 'postgres:16', resources: { requests: { cpu: '1', memory: '4Gi' } } }],
            tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule', tolerationSeconds: 5 }],
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
                },
              },
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname', namespaceSelector: {} },
                  { topologyKey: 'topology.kubernetes.io/zone', namespaces: ['data', 'other'] },
                ],
              },
            },
            volumes: [
              { name: 'data', persistentVolumeClaim: { claimName: 'data-db-0' } },
              { name: 'tmp', emptyDir: { medium: 'Memory' } },
              { name: 'sock', hostPath: { path: '/run/x.sock' } },
              { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
              { name: 'cfg', configMap: { name: 'db' } },
            ],
          },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'db', ready: true }] },
        },
      ),
    );
    expect(p).toEqual({
      namespace: 'data',
      name: 'db-0',
      uid: 'u1',
      nodeName: 'w-1',
      phase: 'Running',
      ready: true,
      labels: { app: 'db' },
      controller: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u2' },
      mirror: false,
      priority: 100,
      requests: { cpuCores: 1, memoryBytes: 4 * 2 ** 30 },
      volumes: {
        kinds: ['configMap', 'emptyDir', 'ephemeral', 'hostPath', 'persistentVolumeClaim'],
        emptyDir: ['tmp'],
        hostPath: ['sock'],
        claims: ['data-db-0', 'db-0-scratch'],
      },
      nodeSelector: { disk: 'ssd' },
      requiredNodeAffinity: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }], matchFields: [] }],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }],
      requiredAntiAffinity: [
        {
          topologyKey: 'kubernetes.io/hostname',
          selector: [{ key: 'app', operator: 'In', values: ['db'] }],
          namespaces: [],
          namespaceSelector: [],
        },
        { topologyKey: 'topology.kubernetes.io/zone', selector: null, namespaces: ['data', 'other'] },
      ],
    });
  });

  it('recognises mirror pods, deletion and unready pods', () => {
    const p = normalizePod(
      obj(
        'v1',
        'Pod',
        {
          name: 'etcd-cp',
          namespace: 'kube-system',
          deletionTimestamp: '2026-11-23T07:00:00Z',
          annotations: { 'kubernetes.io/config.mirror': 'abc' },
        },
        {
          spec: { containers: [] },
          status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
        },
      ),
    );
    expect(p).toMatchObject({ mirror: true, ready: false, deletionTimestamp: '2026-11-23T07:00:00Z' });
    expect(p.controller).toBeUndefined();
  });
});

describe('normalizeWorkload', () => {
  it('reads replicas (default 1), selectors and the controller', () => {
    const d = normalizeWorkload(
      obj(
        'apps/v1',
        'Deployment',
        { name: 'web', namespace: 'shop', uid: 'u' },
        { spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', v: '2' } } } } },
      ),
    );
    expect(d).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'u',
      scale: true,
      replicas: 1,
      selector: [{ key: 'app', operator: 'In', values: ['web'] }],
      templateLabels: { app: 'web', v: '2' },
    });
    const rs = normalizeWorkload(
      obj(
        'apps/v1',
        'ReplicaSet',
        {
          name: 'web-1',
          namespace: 'shop',
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u', controller: true }],
        },
        { spec: { replicas: 0 } },
      ),
    );
    expect(rs).toMatchObject({ replicas: 0, controller: { kind: 'Deployment', name: 'web', uid: 'u' }, selector: null });
    const ds = normalizeWorkload(
      obj('apps/v1', 'DaemonSet', { name: 'agent', namespace: 'mon' }, { spec: { selector: { matchLabels: { app: 'agent' } } } }),
    );
    expect(ds.scale).toBe(false);
    expect(ds.replicas).toBeUndefined();
  });
  it('reads a ReplicationController selector as a label map', () => {
    const rc = normalizeWorkload(
      obj('v1', 'ReplicationController', { name: 'nginx', namespace: 'legacy' }, { spec: { replicas: 3, selector: { app: 'nginx' } } }),
    );
    expect(rc).toMatchObject({ scale: true, replicas: 3, selector: [{ key: 'app', operator: 'In', values: ['nginx'] }] });
  });
});

describe('PersistentVolumes and claims', () => {
  it('marks local and hostPath volumes, and keeps node affinity and the claim', () => {
    const local = persistentVolumesInput.normalize(
      obj(
        'v1',
        'PersistentVolume',
        { name: 'local-1' },
        {
          spec: {
            local: { path: '/mnt/disks/1' },
            claimRef: { namespace: 'data', name: 'data-db-0' },
            nodeAffinity: {
              required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w-1'] }] }] },
            },
          },
          status: { phase: 'Bound' },
        },
      ),
    );
    expect(local).toEqual({
      name: 'local-1',
      local: true,
      nodeAffinity: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['w-1'] }], matchFields: [] }],
      claim: 'data/data-db-0',
      phase: 'Bound',
    });
    expect(
      persistentVolumesInput.normalize(obj('v1', 'PersistentVolume', { name: 'h' }, { spec: { hostPath: { path: '/data' } } })),
    ).toMatchObject({ local: true, nodeAffinity: [] });
    expect(
      persistentVolumesInput.normalize(obj('v1', 'PersistentVolume', { name: 'ebs' }, { spec: { csi: { driver: 'ebs.csi.aws.com' } } })),
    ).toMatchObject({ local: false });
    expect(
      persistentVolumeClaimsInput.normalize(
        obj(
          'v1',
          'PersistentVolumeClaim',
          { name: 'data-db-0', namespace: 'data' },
          { spec: { volumeName: 'local-1' }, status: { phase: 'Bound' } },
        ),
      ),
    ).toEqual({
      namespace: 'data',
      name: 'data-db-0',
      volumeName: 'local-1',
      phase: 'Bound',
    });
  });
});

describe('fields of the wrong type are errors naming the path, never absent values', () => {
  const obj = (kind: string, apiVersion: string, rest: Record<string, unknown>): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'prod' },
    ...rest,
  });
  it.each([
    [
      'a PDB selector that is a string',
      () => normalizePdb(obj('PodDisruptionBudget', 'policy/v1', { spec: { selector: 'app=web' } })),
      '.spec.selector: expected an object, got a string',
    ],
    [
      'a PDB minAvailable that is a boolean',
      () => normalizePdb(obj('PodDisruptionBudget', 'policy/v1', { spec: { minAvailable: true } })),
      '.spec.minAvailable: expected an integer or a percentage string, got a boolean',
    ],
    [
      'PDB status conditions that are not a list',
      () => normalizePdb(obj('PodDisruptionBudget', 'policy/v1', { status: { conditions: {} } })),
      '.status.conditions: expected a list, got an object',
    ],
    [
      'pod containers that are not a list',
      () => normalizePod(obj('Pod', 'v1', { spec: { containers: 'web' } })),
      '.spec.containers: expected a list, got a string',
    ],
    [
      'a pod request that is neither string nor number',
      () => normalizePod(obj('Pod', 'v1', { spec: { containers: [{ resources: { requests: { cpu: [1] } } }] } })),
      '.spec.containers[0].resources.requests.cpu: expected a quantity (a string or a number), got a list',
    ],
    [
      'a toleration that is a string',
      () => normalizePod(obj('Pod', 'v1', { spec: { tolerations: ['NoSchedule'] } })),
      '.spec.tolerations[0]: expected an object, got a string',
    ],
    [
      'replicas that is a string',
      () => normalizeWorkload(obj('Deployment', 'apps/v1', { spec: { replicas: '3' } })),
      '.spec.replicas: expected a number, got a string',
    ],
    [
      'a ReplicationController selector that is a list',
      () => normalizeWorkload(obj('ReplicationController', 'v1', { spec: { selector: ['app'] } })),
      '.spec.selector: expected an object, got a list',
    ],
    [
      'a PV claimRef that is a string',
      () => persistentVolumesInput.normalize(obj('PersistentVolume', 'v1', { spec: { claimRef: 'prod/data' } })),
      '.spec.claimRef: expected an object, got a string',
    ],
    [
      'a PVC volumeName that is a number',
      () => persistentVolumeClaimsInput.normalize(obj('PersistentVolumeClaim', 'v1', { spec: { volumeName: 7 } })),
      '.spec.volumeName: expected a string, got an integer',
    ],
  ])('%s', (_what, run, message) => {
    expect(run).toThrow(expect.objectContaining({ name: 'InputError', message }));
  });

  // Pods pass zod's compiled validator and are then read as they are; a pod that fails is
  // parsed by zod for the message: each field read gives zod's message.
  it.each([
    [{ status: 'Running' }, '.status: expected an object, got a string'],
    [{ status: { phase: 1 } }, '.status.phase: expected a string, got an integer'],
    [{ status: { conditions: [{ type: 'Ready', status: true }] } }, '.status.conditions[0].status: expected a string, got a boolean'],
    [{ spec: [] }, '.spec: expected an object, got a list'],
    [{ spec: { initContainers: [{ restartPolicy: 1 }] } }, '.spec.initContainers[0].restartPolicy: expected a string, got an integer'],
    [{ spec: { containers: [{ resources: [] }] } }, '.spec.containers[0].resources: expected an object, got a list'],
    [{ spec: { resources: { requests: 'cpu' } } }, '.spec.resources.requests: expected an object, got a string'],
    [{ spec: { overhead: { cpu: true } } }, '.spec.overhead.cpu: expected a quantity (a string or a number), got a boolean'],
    [{ spec: { nodeName: 3 } }, '.spec.nodeName: expected a string, got an integer'],
    [{ spec: { priority: '10' } }, '.spec.priority: expected a number, got a string'],
    // YAML's `.nan` and `.inf` are numbers that zod refuses, and so does the test by hand.
    [{ spec: { priority: NaN } }, '.spec.priority: expected a number, got a number'],
    [{ spec: { overhead: { cpu: Infinity } } }, '.spec.overhead.cpu: expected a quantity (a string or a number), got a number'],
    [{ spec: { nodeSelector: { zone: 1 } } }, '.spec.nodeSelector.zone: expected a string, got an integer'],
    [
      { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 7 } }] } },
      '.spec.volumes[0].persistentVolumeClaim.claimName: expected a string, got an integer',
    ],
    [{ spec: { volumes: {} } }, '.spec.volumes: expected a list, got an object'],
    [{ spec: { tolerations: [{ effect: ['NoSchedule'] }] } }, '.spec.tolerations[0].effect: expected a string, got a list'],
    [
      { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 1 }] } } } },
      '.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: expected a string, got an integer',
    ],
  ])('a pod with %j: %s', (rest, message) => {
    expect(() => normalizePod(obj('Pod', 'v1', rest))).toThrow(expect.objectContaining({ name: 'InputError', message }));
  });

  it('a pod field nothing reads is not judged: an app container restartPolicy, a condition reason', () => {
    const p = normalizePod(
      obj('Pod', 'v1', {
        spec: { containers: [{ restartPolicy: 1, resources: { requests: { cpu: '250m' } } }] },
        status: { conditions: [{ type: 'Ready', status: 'True', reason: 7, lastTransitionTime: 0 }] },
      }),
    );
    expect(p).toMatchObject({ ready: true, requests: { cpuCores: 0.25, memoryBytes: 0 } });
  });

  it('absent and null fields stay absent', () => {
    expect(normalizePdb(obj('PodDisruptionBudget', 'policy/v1', { spec: { selector: null, minAvailable: null }, status: null }))).toEqual({
      namespace: 'prod',
      name: 'x',
      apiVersion: 'policy/v1',
      selector: null,
    });
    expect(normalizeWorkload(obj('Deployment', 'apps/v1', { spec: { replicas: null, selector: null } }))).toMatchObject({
      replicas: 1,
      selector: null,
    });
  });
});
