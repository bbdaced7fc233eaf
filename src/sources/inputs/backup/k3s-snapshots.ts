/**
 * k3s/RKE2 embedded etcd snapshot records: `ETCDSnapshotFile` (`k3s.cattle.io/v1`, cluster-scoped).
 */
import { parseQuantity } from '../../../k8s/quantity.js';
import type { ResourceInputDef } from '../../input-def.js';
import type { ApiResource } from '../../../contract/inputs.js';
import { optBool, optObject, optStr, quantity, readAs, z } from '../../schema.js';
import { opt } from './fields.js';

const K3S_SNAPSHOTS: ApiResource = {
  group: 'k3s.cattle.io',
  versions: ['v1'],
  resource: 'etcdsnapshotfiles',
  kind: 'ETCDSnapshotFile',
  namespaced: false,
  crd: true,
  subjects: 'k3s/RKE2 etcd snapshots (ETCDSnapshotFiles)',
};

/** A k3s/RKE2 `ETCDSnapshotFile` (one per snapshot, cluster-scoped). */
export interface K3sEtcdSnapshot {
  name: string;
  snapshotName?: string;
  nodeName?: string;
  /** `file://…` or `s3://…`. */
  location?: string;
  /** `status.size` in bytes (a Quantity); absent when the snapshot failed. */
  sizeBytes?: number;
  creationTime?: string;
  readyToUse?: boolean;
  errorMessage?: string;
  creationTimestamp?: string;
}

/** The fields of an `ETCDSnapshotFile` the normalizer reads. */
const K3S_SNAPSHOT = z.object({
  spec: optObject({ snapshotName: optStr, nodeName: optStr, location: optStr }),
  status: optObject({ size: quantity.nullish(), creationTime: optStr, readyToUse: optBool, error: optObject({ message: optStr }) }),
});

export const k3sEtcdSnapshotsInput: ResourceInputDef<K3sEtcdSnapshot> = {
  type: 'resources',
  key: 'k3s-etcd-snapshots',
  description: 'k3s/RKE2 embedded etcd snapshots (ETCDSnapshotFile: node, size, creation time, error)',
  resources: [K3S_SNAPSHOTS],
  normalize(o) {
    const { spec, status } = readAs(K3S_SNAPSHOT, o);
    return {
      name: o.metadata.name!,
      snapshotName: opt(spec?.snapshotName),
      nodeName: opt(spec?.nodeName),
      location: opt(spec?.location),
      sizeBytes: parseQuantity(status?.size),
      creationTime: opt(status?.creationTime),
      readyToUse: opt(status?.readyToUse),
      errorMessage: opt(status?.error?.message),
      creationTimestamp: o.metadata.creationTimestamp,
    };
  },
};

declare module '../../../contract/inputs.js' {
  interface InputTypes {
    'k3s-etcd-snapshots': K3sEtcdSnapshot[];
  }
}
