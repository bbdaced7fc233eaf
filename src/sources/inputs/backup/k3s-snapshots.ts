/**
 * k3s/RKE2 embedded etcd snapshot records: `ETCDSnapshotFile` (`k3s.cattle.io/v1`, cluster-scoped).
 */
import { parseQuantity } from '../../../k8s/quantity.js';
import type { ResourceInputDef } from '../../input-def.js';
import type { ApiResource } from '../../../contract/inputs.js';
import { optBool, optObject, optStr, quantity, readAs, z } from '../../schema.js';
import { opt } from './fields.js';
import type { K3sEtcdSnapshot } from '../../../contract/values/backup.js';

const K3S_SNAPSHOTS: ApiResource = {
  group: 'k3s.cattle.io',
  versions: ['v1'],
  resource: 'etcdsnapshotfiles',
  kind: 'ETCDSnapshotFile',
  namespaced: false,
  crd: true,
  subjects: 'k3s/RKE2 etcd snapshots (ETCDSnapshotFiles)',
};

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
