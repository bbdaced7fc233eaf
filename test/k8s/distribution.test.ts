/**
 * Distribution detection (`src/k8s/distribution.ts`) on node, version and object shapes taken
 * from real clusters: the k3s support bundles of Replicated troubleshoot, the kind results of
 * Sonobuoy, and the provider signals the managed services document.
 */
import { describe, expect, it } from 'vitest';
import { detectDistribution } from '../../src/k8s/distribution.js';
import type { NodeInfo } from '../../src/contract/values/core.js';
import type { FoundCertificate } from '../../src/contract/values/certs.js';

function node(name: string, over: Partial<NodeInfo> = {}): NodeInfo {
  return { name, labels: {}, roles: [], unschedulable: false, taints: [], ready: 'True', allocatable: {}, ...over };
}
const k3sServer = (etcd: boolean): NodeInfo =>
  node('primary-node', {
    labels: { 'node.kubernetes.io/instance-type': 'k3s' },
    roles: ['control-plane', 'master', ...(etcd ? ['etcd'] : [])],
    kubeletVersion: 'v1.31.2+k3s1',
    providerID: 'k3s://primary-node',
  });

describe('detectDistribution', () => {
  it('k3s with SQLite: every k3s signal is evidence, no etcd role means kine', () => {
    const d = detectDistribution({ version: { gitVersion: 'v1.31.2+k3s1' }, nodes: [k3sServer(false)] });
    expect(d).toEqual({
      name: 'k3s',
      managed: false,
      evidence: [
        'gitVersion v1.31.2+k3s1 is a k3s build',
        'node primary-node: kubeletVersion is a k3s build (+k3s)',
        'node primary-node: providerID k3s://…',
        'node primary-node: label node.kubernetes.io/instance-type=k3s',
      ],
      datastore: 'k3s-kine',
      datastoreReason:
        'no node has the etcd role (node-role.kubernetes.io/etcd), server node primary-node seen: k3s keeps the cluster in SQLite (/var/lib/rancher/k3s/server/db/) or an external database',
    });
  });

  it('k3s with embedded etcd, and k3s whose nodes were not read', () => {
    expect(detectDistribution({ nodes: [k3sServer(true)] }).datastore).toBe('k3s-embedded-etcd');
    expect(detectDistribution({ version: { gitVersion: 'v1.24.4+k3s1' } })).toMatchObject({
      name: 'k3s',
      datastore: 'unknown',
      datastoreReason: 'k3s nodes were not read: the datastore is not known',
    });
  });

  it('kind: kind:// provider IDs, with the kubeadm signals as evidence', () => {
    const d = detectDistribution({
      version: { gitVersion: 'v1.21.1' },
      nodes: [node('kind-control-plane', { providerID: 'kind://docker/kind/kind-control-plane', roles: ['control-plane', 'master'] })],
      bindings: [
        {
          kind: 'ClusterRoleBinding',
          name: 'kubeadm:get-nodes',
          roleRef: { kind: 'ClusterRole', name: 'kubeadm:get-nodes' },
          subjects: [],
        },
      ],
    });
    expect(d).toMatchObject({ name: 'kind', managed: false, datastore: 'etcd' });
    expect(d.evidence).toEqual(['node kind-control-plane: providerID kind://…', "kubeadm's ClusterRoleBindings kubeadm:get-nodes exist"]);
  });

  it('managed control planes from versions, kubelet builds and labels', () => {
    expect(detectDistribution({ version: { gitVersion: 'v1.29.4-eks-036c24b' } })).toMatchObject({
      name: 'eks',
      managed: true,
      datastore: 'provider',
    });
    expect(
      detectDistribution({ nodes: [node('n1', { kubeletVersion: 'v1.30.5-gke.1014001', providerID: 'gce://p/z/n1' })] }).evidence,
    ).toEqual(['node n1: kubeletVersion is a GKE build (-gke.)', 'node n1: providerID gce://…']);
    expect(
      detectDistribution({
        nodes: [node('aks-1', { labels: { 'kubernetes.azure.com/cluster': 'MC_rg' }, providerID: 'azure:///subscriptions/x' })],
      }).name,
    ).toBe('aks');
  });

  it('a cloud provider ID alone is a self-managed cluster on that cloud', () => {
    const d = detectDistribution({ nodes: [node('vm-1', { providerID: 'azure:///subscriptions/x', roles: ['control-plane'] })] });
    expect(d).toMatchObject({ name: 'unknown', managed: false, evidence: [] });
  });

  it('RKE2, OpenShift and kubeadm from their own signals; nothing read is unknown', () => {
    expect(detectDistribution({ version: { gitVersion: 'v1.30.4+rke2r1' } }).name).toBe('rke2');
    expect(detectDistribution({ groupVersions: ['v1', 'config.openshift.io/v1'] }).evidence).toEqual([
      'API group config.openshift.io is served',
    ]);
    expect(detectDistribution({ namespaces: [{ name: 'openshift-config', labels: {} }] }).name).toBe('openshift');
    expect(
      detectDistribution({
        controlPlanePods: [
          {
            namespace: 'kube-system',
            name: 'kube-apiserver-cp-1',
            component: 'kube-apiserver',
            labels: {},
            mirror: true,
            containers: [],
          } as never,
        ],
      }).evidence,
    ).toEqual(['control-plane pods in kube-system: kube-apiserver-cp-1']);
    expect(detectDistribution({})).toEqual({
      name: 'unknown',
      managed: false,
      evidence: [],
      datastore: 'unknown',
      datastoreReason: 'neither the version nor the nodes were read',
    });
  });

  it("kubeadm from the control plane's files: two or more names only kubeadm writes", () => {
    const file = (path: string, kubeadmName?: string): FoundCertificate => ({
      resource: { kind: 'File', name: path },
      source: path.endsWith('.conf') ? 'kubeconfig' : 'pki-file',
      role: 'leaf',
      ...(kubeadmName ? { kubeadmName } : {}),
    });
    // The sample dump's PKI (a kubeadm layout copied from /etc/kubernetes), read by the pki input.
    const lab = [
      file('pki/ca.crt', 'ca'),
      file('pki/apiserver.crt', 'apiserver'),
      file('pki/apiserver-kubelet-client.crt', 'apiserver-kubelet-client'),
      file('pki/apiserver-etcd-client.crt', 'apiserver-etcd-client'),
      file('pki/front-proxy-client.crt', 'front-proxy-client'),
      file('pki/admin.conf', 'admin.conf'),
      file('pki/scheduler.conf', 'scheduler.conf'),
      file('pki/kubelet.conf'),
    ];
    expect(detectDistribution({ pki: lab })).toEqual({
      name: 'kubeadm',
      managed: false,
      evidence: [
        'control-plane files named as kubeadm writes them: apiserver-kubelet-client, apiserver-etcd-client, front-proxy-client and 2 more',
      ],
      datastore: 'etcd',
      datastoreReason: 'kubeadm runs etcd itself',
    });
    // ca.crt and apiserver.crt are common names; one kubeadm-only name is not enough.
    expect(
      detectDistribution({ pki: [file('pki/ca.crt', 'ca'), file('pki/apiserver.crt', 'apiserver'), file('pki/admin.conf', 'admin.conf')] })
        .name,
    ).toBe('unknown');
    // k3s's own build wins over kubeadm-named files.
    expect(detectDistribution({ version: { gitVersion: 'v1.31.2+k3s1' }, pki: lab }).name).toBe('k3s');
  });

  it('names at most three nodes per signal', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((n) => node(n, { providerID: `k3s://${n}` }));
    expect(detectDistribution({ nodes }).evidence).toEqual(['5 nodes a, b, c and 2 more: providerID k3s://…']);
  });
});
