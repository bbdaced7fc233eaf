/**
 * Cluster names of a fleet: usable as one folder name (`-o DIR/<cluster>/`) on any file system,
 * and unique in the fleet.
 */

/**
 * A name as a folder name: every run of characters other than letters, digits, `.`, `_` and
 * `-` becomes one `-` (`arn:aws:eks:eu-west-1:1:cluster/prod` → `arn-aws-eks-eu-west-1-1-cluster-prod`),
 * leading dots and dashes are dropped (no hidden folder, no `..`), at most 100 characters;
 * `cluster` when nothing is left.
 */
export function sanitizeClusterName(name: string): string {
  const s = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 100)
    .replace(/[.-]+$/, '');
  return s || 'cluster';
}

/**
 * Sanitized names, made unique in order: the second `prod` is `prod-2`, the third `prod-3`.
 * Compared without case, so two folders never fold into one on a case-insensitive file system.
 * `reserved`: names no cluster may take (the fleet files beside the cluster folders).
 */
export function uniqueClusterNames(names: string[], reserved: string[] = []): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((raw) => {
    const base = sanitizeClusterName(raw);
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}-${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}
