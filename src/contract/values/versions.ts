/**
 * Values of the `versions` family's own inputs: add-on images, kube-proxy pods and the local
 * kubectl's version (`src/sources/inputs/versions.ts` reads them).
 */

/** A kube-system workload of an add-on, reduced to its images. */
export interface AddonWorkload {
  kind: 'DaemonSet' | 'Deployment';
  namespace: string;
  name: string;
  addon: 'kube-proxy' | 'coredns';
  /** Pod template `nodeSelector` (a kube-proxy DaemonSet per OS, for instance). */
  nodeSelector: Record<string, string>;
  /** Images of the pod template's containers, in order. */
  images: Array<{ container: string; image: string }>;
}

/** A kube-system pod that runs kube-proxy, reduced to its node and image. */
export interface KubeProxyPod {
  namespace: string;
  name: string;
  /** `spec.nodeName`: the node it runs on; undefined while unscheduled. */
  nodeName?: string;
  /** Name of the DaemonSet that controls it (`ownerReferences`); undefined for a static pod. */
  daemonSet?: string;
  /** Image of its `kube-proxy` container (else its first container). */
  image: string;
  phase?: string;
}

/** The local kubectl's `clientVersion`. */
export interface KubectlVersion {
  /** e.g. `v1.32.4`, as kubectl reports it. */
  gitVersion: string;
  platform?: string;
  /** Dump file it was read from (`kubectl-version.json`, or `version.json`). */
  file: string;
}
