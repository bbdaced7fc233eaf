/**
 * The `kube-preflight rbac` command: its flags, and the action, which loads the checks and
 * the policy rules (`./rbac.ts`) only when it runs.
 */
import { Command } from 'commander';
import { FatalError } from '../contract/errors.js';
import { parseList } from './options.js';

/** Parses `--service-account NAMESPACE/NAME`. */
export function parseServiceAccount(v: string): { namespace: string; name: string } {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(v);
  if (!m) throw new FatalError('--service-account: expected NAMESPACE/NAME');
  return { namespace: m[1]!, name: m[3]! };
}

export function rbacCommand(): Command {
  return new Command('rbac')
    .description(
      'Print the read-only RBAC (list and get only, no Secrets unless --with-secrets) the selected checks need, for a scanning identity',
    )
    .option('--checks <ids>', 'only these checks or families, comma-separated', parseList)
    .option('--skip <ids>', 'skip these checks or families, comma-separated', parseList)
    .option('--name <name>', 'name of the ClusterRole (and binding); the Secrets role is NAME-secrets', 'kube-preflight-reader')
    .option('--service-account <namespace/name>', 'also print the Namespace, the ServiceAccount and the ClusterRoleBindings to it')
    .option('--with-secrets', 'also print the opt-in ClusterRole that lists Secrets (TLS certificate expiry, Helm releases)')
    .option(
      '--custom-resources <plural.group,...>',
      'also grant list on these custom resources, for the deprecated-API object scan (api-usage)',
      parseList,
    )
    .option('--plugin <path|package>', 'include third-party checks (repeatable)', (v: string, prev: string[] | undefined) => [
      ...(prev ?? []),
      v,
    ])
    .action(
      async (flags: {
        checks?: string[];
        skip?: string[];
        name: string;
        serviceAccount?: string;
        withSecrets?: boolean;
        customResources?: string[];
        plugin?: string[];
      }) => {
        const { BUILTIN_RESOURCE_NAMES } = await import('../k8s/resources.js');
        for (const c of flags.customResources ?? []) {
          if (!/^[a-z0-9-]+\.[a-z0-9.-]+$/.test(c) || BUILTIN_RESOURCE_NAMES.has(c))
            throw new FatalError(`--custom-resources: "${c}" is not PLURAL.GROUP of a custom resource`);
        }
        const { loadRegistry } = await import('./common.js');
        const { inputsFor } = await import('../report/scan.js');
        const { clusterRoleManifests, manifestsText, rulesFor } = await import('./rbac.js');
        const registry = await loadRegistry(flags.plugin);
        const { selected } = registry.select(flags.checks, flags.skip);
        const manifests = clusterRoleManifests(selected, {
          name: flags.name,
          withSecrets: flags.withSecrets === true,
          ...(flags.customResources ? { customResources: flags.customResources } : {}),
          ...(flags.serviceAccount ? { serviceAccount: parseServiceAccount(flags.serviceAccount) } : {}),
        });
        process.stdout.write(`# kube-preflight rbac for ${selected.length} check(s): ${selected.map((c) => c.def.id).join(', ')}\n`);
        const secrets = rulesFor(inputsFor(selected)).secrets;
        if (secrets && !flags.withSecrets)
          process.stdout.write(
            `# Secrets are not readable (add --with-secrets): ${secrets.inputs.join(', ')} will be reported as not assessed.\n`,
          );
        process.stdout.write(manifestsText(manifests));
      },
    );
}
