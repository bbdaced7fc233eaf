/**
 * The catalog of inputs. Each module under `inputs/` defines some inputs (and declares their
 * value types on `InputTypes`); this file lists them all by key.
 */
import type { InputDef } from './input-def.js';
import type { InputKey } from '../contract/inputs.js';
import { APIS_INPUTS } from './inputs/apis.js';
import { backupInputs } from './inputs/backup/index.js';
import { CERT_INPUTS } from './inputs/certs/index.js';
import { ETCD_INPUTS } from './inputs/etcd.js';
import { PDB_INPUTS } from './inputs/pdb.js';
import { RBAC_INPUTS } from './inputs/rbac.js';
import { VERSIONS_INPUTS } from './inputs/versions.js';
import { controlPlanePodsInput, namespacesInput, nodesInput, versionInput } from './inputs/core.js';

const ALL: InputDef[] = [
  versionInput,
  namespacesInput,
  nodesInput,
  controlPlanePodsInput,
  ...APIS_INPUTS,
  ...backupInputs,
  ...CERT_INPUTS,
  ...ETCD_INPUTS,
  ...PDB_INPUTS,
  ...RBAC_INPUTS,
  ...VERSIONS_INPUTS,
];

export const INPUTS: ReadonlyMap<string, InputDef> = new Map(ALL.map((d) => [d.key, d]));

/** Inputs every scan reads for the report's metadata (cluster version and kube-system uid). */
export const METADATA_INPUTS: readonly InputKey[] = ['version', 'namespaces'];

export function inputDef(key: string): InputDef | undefined {
  return INPUTS.get(key);
}
