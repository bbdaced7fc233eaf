/**
 * Which backup tools are installed, by their marker CustomResourceDefinitions (`BACKUP_TOOLS`).
 */
import { BACKUP_TOOLS } from '../../../k8s/backup-tools.js';
import { R } from '../../../k8s/resources.js';
import type { ResourceInputDef } from '../../input-def.js';
import type { BackupToolCrd } from '../../../contract/values/backup.js';

/** Tool of each marker CRD, by CRD name. */
const MARKER_CRDS = new Map(BACKUP_TOOLS.flatMap((t) => t.crds.map((c) => [c, t.tool] as const)));

export const backupCrdsInput: ResourceInputDef<BackupToolCrd> = {
  type: 'resources',
  key: 'backup-crds',
  description: 'CustomResourceDefinitions of known backup tools (which tools are installed)',
  resources: [{ ...R.customresourcedefinitions, subjects: 'CustomResourceDefinitions of backup tools' }],
  normalize(o) {
    const tool = MARKER_CRDS.get(o.metadata.name ?? '');
    return tool ? { name: o.metadata.name!, tool } : undefined;
  },
};
