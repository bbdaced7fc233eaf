/**
 * The catalog of inputs. Each module under `inputs/` defines some inputs (and declares their
 * value types on `InputTypes`); this file lists them all by key.
 */
import type { InputDef } from './input-def.js';
import type { InputKey } from './input-types.js';
import { controlPlanePodsInput, namespacesInput, nodesInput, versionInput } from './inputs/core.js';
import { PDB_INPUTS } from './inputs/pdb.js';

const ALL: InputDef[] = [versionInput, namespacesInput, nodesInput, controlPlanePodsInput, ...PDB_INPUTS];

export const INPUTS: ReadonlyMap<string, InputDef> = new Map(ALL.map((d) => [d.key, d]));

/** Inputs every scan reads for the report's metadata (cluster version and kube-system uid). */
export const METADATA_INPUTS: readonly InputKey[] = ['version', 'namespaces'];

export function inputDef(key: string): InputDef | undefined {
  return INPUTS.get(key);
}
