/**
 * Maintainer script: scaffolds a new built-in check. Usage:
 *
 *   npm run new-check -- <family> <id>        (e.g. npm run new-check -- versions versions-cordoned-nodes)
 *
 * Writes `checks/<family>/<id>.ts` (a `defineCheck` with its metadata, one resource input of the
 * family in `requires`, one rule, and a `run` that counts what it judges) and three fixture cases
 * under `fixtures/checks/<id>/`, each holding only that input:
 *
 * - `pass-example/`: one object of the input, no finding expected;
 * - `fail-example/`: one object expected to carry a finding of the rule — it fails until `run`
 *   reports it, so the check cannot be merged without its logic;
 * - `error-no-<input>/`: the input left unread (`"missing"` in expected.json), status `error`.
 *
 * Refuses (one line on stderr, exit 1) a family that is not one of `FAMILIES`, an id that is
 * not `<family>-<kebab-case>`, and an id that already has a check file or fixture folder.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import forge from 'node-forge';
import { stringify } from 'yaml';
import { FAMILIES, type Family } from '../src/contract/check.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import type { InputKey } from '../src/contract/inputs.js';

/** A refused scaffold: the message is one line, for the terminal. */
export class ScaffoldError extends Error {
  override name = 'ScaffoldError';
}

/** A Kubernetes object as a fixture file holds it. */
interface SampleObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [field: string]: unknown;
}

interface FamilyTemplate {
  /** The resource input the new check requires (the author changes it in `requires`). */
  input: InputKey;
  /** The file of the dump that holds it (`resources/<plural[.group]>.yaml`). */
  file: string;
  /** A real-shaped object of that input, named `name`. */
  sample(name: string): SampleObject;
}

/**
 * A self-signed certificate (RSA 2048, valid 365 days from `from`) as base64 of its PEM, as a
 * TLS Secret's `data["tls.crt"]` holds it. Its private key is not kept.
 */
function selfSignedCertificate(commonName: string, from: Date): string {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = from;
  cert.validity.notAfter = new Date(from.getTime() + 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return Buffer.from(forge.pki.certificateToPem(cert)).toString('base64');
}

const TIME = '2026-01-01T00:00:00Z';

/** Per family: the input a new check starts from and a sample object of it. */
export const FAMILY_TEMPLATES: Record<Family, FamilyTemplate> = {
  certs: {
    input: 'tls-secrets',
    file: 'resources/secrets.yaml',
    sample: (name) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: 'default' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': selfSignedCertificate(`${name}.default.svc`, new Date('2025-12-01T00:00:00Z')) },
    }),
  },
  etcd: {
    input: 'control-plane-pods',
    file: 'resources/pods.yaml',
    sample: (name) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `etcd-${name}`, namespace: 'kube-system', labels: { component: 'etcd', tier: 'control-plane' } },
      spec: {
        nodeName: name,
        containers: [
          { name: 'etcd', image: 'registry.k8s.io/etcd:3.5.15-0', command: ['etcd', `--name=${name}`, '--data-dir=/var/lib/etcd'] },
        ],
      },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    }),
  },
  versions: {
    input: 'nodes',
    file: 'resources/nodes.yaml',
    sample: (name) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: {
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: TIME }],
        nodeInfo: {
          kubeletVersion: 'v1.30.2',
          kubeProxyVersion: 'v1.30.2',
          containerRuntimeVersion: 'containerd://1.7.20',
          osImage: 'Ubuntu 22.04.4 LTS',
          architecture: 'amd64',
        },
      },
    }),
  },
  apis: {
    input: 'api-services',
    file: 'resources/apiservices.apiregistration.k8s.io.yaml',
    sample: (name) => ({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: `v1.${name}.example.com` },
      spec: {
        group: `${name}.example.com`,
        version: 'v1',
        groupPriorityMinimum: 1000,
        versionPriority: 15,
        service: { namespace: 'default', name },
      },
      status: { conditions: [{ type: 'Available', status: 'True', lastTransitionTime: TIME }] },
    }),
  },
  pdb: {
    input: 'pdbs',
    file: 'resources/poddisruptionbudgets.policy.yaml',
    sample: (name) => ({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: 'default', generation: 1 },
      spec: { minAvailable: 1, selector: { matchLabels: { app: name } } },
      status: { observedGeneration: 1, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2 },
    }),
  },
  backup: {
    input: 'velero-backups',
    file: 'resources/backups.velero.io.yaml',
    sample: (name) => ({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name, namespace: 'velero', creationTimestamp: TIME },
      spec: { storageLocation: 'default', ttl: '720h0m0s' },
      status: {
        phase: 'Completed',
        startTimestamp: TIME,
        completionTimestamp: '2026-01-01T00:05:00Z',
        expiration: '2026-01-31T00:00:00Z',
        errors: 0,
        warnings: 0,
      },
    }),
  },
  rbac: {
    input: 'clusterrolebindings',
    file: 'resources/clusterrolebindings.rbac.authorization.k8s.io.yaml',
    sample: (name) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${name}-readers` }],
    }),
  },
};

const ID = /^[a-z0-9]+(-[a-z0-9]+)+$/;

/** `versions-cordoned-nodes` → `Cordoned nodes` (the words after the family). */
function words(family: string, id: string): string {
  const rest = id.slice(family.length + 1).replace(/-/g, ' ');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** The check file's source. */
function checkSource(family: Family, id: string, input: InputKey): string {
  const rule = id.slice(family.length + 1);
  const title = words(family, id);
  const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `/**
 * ${title}: what the check judges in the ${input} input, what rule
 * \`${rule}\` reports, and the upstream source of that rule (also in \`references\`).
 */
import { defineCheck } from '../../src/contract/check.js';
import type { RawFinding } from '../../src/contract/check.js';

export default defineCheck({
  id: ${q(id)},
  family: ${q(family)},
  title: ${q(title)},
  summary: ${q(`What ${id} reports, with each rule's severity and default thresholds (its row in the README).`)},
  rationale: ${q(`Why ${title.toLowerCase()} matters before an upgrade or in an audit, in one or two sentences.`)},
  remediation: ${q('What to do about a finding, with the kubectl commands that fix it.')},
  references: ['https://kubernetes.io/docs/home/'],
  defaultSeverity: 'medium',
  rules: {
    ${q(rule)}: { title: ${q(title)} },
  },
  requires: [${q(input)}],
  defaultOptions: {},
  run({ ${q(input)}: items }) {
    const findings: RawFinding[] = [];
    return { evaluated: items.length, findings, ...(items.length === 0 ? { notApplicable: ${q(`no ${input} to judge`)} } : {}) };
  },
});
`;
}

/** A fixture file holding `objects` as a `kubectl get -o yaml` List. */
function listYaml(objects: SampleObject[]): string {
  return stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}

/** The resource a finding on `o` names (as the report writes it). */
function resourceOf(o: SampleObject): Record<string, string> {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata.name,
  };
}

/**
 * Writes the check file and its three fixture cases under `root` (the repository, or a copy of
 * its layout). Returns the paths written, relative to `root`. Throws `ScaffoldError` for a bad
 * family or id, or an id that exists.
 */
export function scaffoldCheck(root: string, family: string, id: string): string[] {
  if (!(FAMILIES as readonly string[]).includes(family)) throw new ScaffoldError(`family "${family}" is not one of ${FAMILIES.join(', ')}`);
  const fam = family as Family;
  if (!ID.test(id) || !id.startsWith(`${fam}-`))
    throw new ScaffoldError(
      `id "${id}" is not kebab-case starting with "${fam}-" (e.g. ${fam}-${fam === 'pdb' ? 'budget-floor' : 'example-rule'})`,
    );
  const checksDir = join(root, 'checks');
  const taken = existsSync(checksDir) ? readdirSync(checksDir).find((f) => existsSync(join(checksDir, f, `${id}.ts`))) : undefined;
  if (taken !== undefined) throw new ScaffoldError(`check ${id} exists: checks/${taken}/${id}.ts`);
  const fixtures = join(root, 'fixtures', 'checks', id);
  if (existsSync(fixtures)) throw new ScaffoldError(`fixtures for ${id} exist: ${relative(root, fixtures)}`);

  const t = FAMILY_TEMPLATES[fam];
  const rule = id.slice(fam.length + 1);
  const pass = t.sample('example-a');
  const fail = t.sample('example-b');
  const files: Array<[string, string]> = [
    [join('checks', fam, `${id}.ts`), checkSource(fam, id, t.input)],
    [join('fixtures', 'checks', id, 'pass-example', t.file), listYaml([pass])],
    [join('fixtures', 'checks', id, 'pass-example', 'expected.json'), `${JSON.stringify({ findings: [] }, null, 2)}\n`],
    [join('fixtures', 'checks', id, 'fail-example', t.file), listYaml([pass, fail])],
    [
      join('fixtures', 'checks', id, 'fail-example', 'expected.json'),
      `${JSON.stringify({ findings: [{ rule, severity: 'medium', resource: resourceOf(fail) }] }, null, 2)}\n`,
    ],
    [
      join('fixtures', 'checks', id, `error-no-${t.input}`, 'expected.json'),
      `${JSON.stringify({ findings: [], reason: `input ${t.input} is missing`, missing: [t.input] }, null, 2)}\n`,
    ],
  ];
  for (const [rel, text] of files) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text, { flag: 'wx' });
  }
  return files.map(([rel]) => rel);
}

function main(argv: string[]): number {
  const [family, id, ...extra] = argv;
  if (family === undefined || id === undefined || extra.length > 0) {
    process.stderr.write(`new-check: usage: npm run new-check -- <family> <id>   (family: ${FAMILIES.join(', ')})\n`);
    return 1;
  }
  let written: string[];
  try {
    written = scaffoldCheck(PACKAGE_ROOT, family, id);
  } catch (e) {
    if (!(e instanceof ScaffoldError)) throw e;
    process.stderr.write(`new-check: ${e.message}\n`);
    return 1;
  }
  const fam = family as Family;
  process.stdout.write(
    [
      `Created ${id}:`,
      ...written.map((f) => `  ${f}`),
      '',
      `Next: write the rule in checks/${fam}/${id}.ts (title, summary, rationale, remediation, references, run),`,
      `reshape the fixture cases around it (fail-example fails until run reports its finding), then:`,
      `  npm run build && npx vitest run test/checks/fixtures.test.ts -t ${id}`,
      '  (the build lists the new check in src/engine/builtin-checks.generated.ts: commit it with the check)',
      '  npm run docs        (writes docs/checks/' + id + '.md and the check tables)',
      '',
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) process.exitCode = main(process.argv.slice(2));
