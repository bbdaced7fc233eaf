/**
 * The hostile-input corpus: a generator, not a folder of binaries. Each case starts from a dump
 * the scanner judges GO (a `pass-` fixture of one check), breaks it in one way a tenant, a
 * colleague's archive or a broken tool could, and says what a trustworthy scanner must still
 * do: exit with a known code, name the file, never read as GO, never print a secret byte or a
 * raw control character. `hostile.test.ts` runs every case through the built CLI.
 *
 * Heavy cases (archive bombs, 200 MB files) are marked `heavy` and run only with
 * `KUBE_PREFLIGHT_BOMBS=1`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAllDocuments, stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../src/paths.js';

/** Distinct values planted where secrets hide; none of them, their base64 or a fragment may appear in any output. */
export const CANARIES = {
  secretData: 'kpCanarySecretData7f3a9c2e',
  tlsKey: 'kpCanaryTlsKey91b0d4e6a5c3',
  helmValues: 'kpCanaryHelmValues2d8e1f07',
  kubeconfigToken: 'kpCanaryKubeToken5a6b7c8d9e',
  execEnv: 'kpCanaryExecEnv0e1d2c3b4a',
  nearSyntaxError: 'kpCanaryNearError4c5d6e7f80',
} as const;

export interface Built {
  /** Value of `--dump`; empty for a scan without one (`--no-cluster`). */
  dump: string;
  /** Extra arguments after `scan --dump <dump>`. */
  args: string[];
}

export interface HostileCase {
  name: string;
  /** Writes the case below `dir` (an empty temp folder). */
  build(dir: string): Built;
  /** Exit codes that are acceptable. */
  exit: number[];
  /** A report is written and its verdict must not be GO. */
  notGo?: boolean;
  /** With exit 2: the one error line must contain this (the file or option named). */
  names?: string;
  /** Canary values planted by the case. */
  canaries?: string[];
  /** Needs `KUBE_PREFLIGHT_BOMBS=1`. */
  heavy?: boolean;
}

const FIXTURES = join(PACKAGE_ROOT, 'fixtures', 'checks');

/** Copies the fixture case `check/case` to `dir/dump` and returns its scan arguments (its `--now`, `--target-version`, `--checks`). */
function fromFixture(dir: string, check: string, fixture: string): Built {
  const dump = join(dir, 'dump');
  cpSync(join(FIXTURES, check, fixture), dump, { recursive: true });
  rmSync(join(dump, 'expected.json'), { force: true });
  const expected = JSON.parse(readFileSync(join(FIXTURES, check, fixture, 'expected.json'), 'utf8')) as {
    scan?: { now?: string; targetVersion?: string };
  };
  const args = ['--checks', check];
  if (expected.scan?.now) args.push('--now', expected.scan.now);
  if (expected.scan?.targetVersion) args.push('--target-version', expected.scan.targetVersion);
  return { dump, args };
}

type Obj = Record<string, unknown>;

/** Rewrites the objects of a YAML/JSON resources file (Lists expanded) as multi-document YAML. */
function mutate(file: string, fn: (items: Obj[]) => Obj[]): void {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as Obj | null)
    .filter((d): d is Obj => d !== null);
  const items = docs.flatMap((d) => (Array.isArray(d.items) ? (d.items as Obj[]) : [d]));
  writeFileSync(
    file,
    fn(items)
      .map((o) => stringify(o))
      .join('---\n'),
  );
}

const first =
  (fn: (o: Obj) => void) =>
  (items: Obj[]): Obj[] => {
    fn(items[0]!);
    return items;
  };

const PDB = ['pdb-blocking', 'pass-budgets-allow-disruptions'] as const;
const pdbFile = (b: Built): string => join(b.dump, 'resources', 'poddisruptionbudgets.policy.yaml');
const CERTS = ['certs-cluster-expiry', 'pass-all-sources'] as const;
const secretsFile = (b: Built): string => join(b.dump, 'resources', 'secrets.yaml');

/** A case that starts from a pass fixture and changes it with `change`. */
function broken(
  name: string,
  [check, fixture]: readonly [string, string],
  change: (b: Built) => void,
  extra: Partial<HostileCase> = {},
): HostileCase {
  return {
    name,
    build: (dir) => {
      const b = fromFixture(dir, check, fixture);
      change(b);
      return b;
    },
    exit: [1, 3],
    notGo: true,
    ...extra,
  };
}

const PEM_KEY = (canary: string): string =>
  `-----BEGIN PRIVATE KEY-----\n${Buffer.from(`${canary}${'A'.repeat(40)}`).toString('base64')}\n-----END PRIVATE KEY-----\n`;

/** Every case of the corpus. */
export function hostileCases(): HostileCase[] {
  return [
    // Wrong-typed fields: never read as absent.
    broken('pdb selector is a string', PDB, (b) =>
      mutate(
        pdbFile(b),
        first((o) => ((o.spec as Obj).selector = 'app=web')),
      ),
    ),
    broken('pdb minAvailable is an object', PDB, (b) =>
      mutate(
        pdbFile(b),
        first((o) => ((o.spec as Obj).minAvailable = { n: 1 })),
      ),
    ),
    broken('pod labels are a list', PDB, (b) =>
      mutate(
        join(b.dump, 'resources', 'pods.yaml'),
        first((o) => ((o.metadata as Obj).labels = ['app=web'])),
      ),
    ),
    broken('binding subjects are not a list', ['rbac-cluster-admins', 'pass-kubeadm-pristine'], (b) =>
      mutate(
        join(b.dump, 'resources', 'clusterrolebindings.rbac.authorization.k8s.io.yaml'),
        first((o) => (o.subjects = 'system:masters')),
      ),
    ),
    broken('clusterrole rules are a string', ['rbac-cluster-admins', 'pass-kubeadm-pristine'], (b) =>
      mutate(
        join(b.dump, 'resources', 'clusterroles.rbac.authorization.k8s.io.yaml'),
        first((o) => (o.rules = '*')),
      ),
    ),
    broken('secret data is not a map', CERTS, (b) =>
      mutate(
        secretsFile(b),
        first((o) => (o.data = 'tls.crt')),
      ),
    ),
    broken('node conditions are not a list', ['versions-node-readiness', 'pass-all-ready'], (b) =>
      mutate(
        join(
          b.dump,
          'resources',
          readdirSync(join(b.dump, 'resources')).find((f) => f.startsWith('nodes'))!,
        ),
        first((o) => ((o.status as Obj).conditions = 'Ready')),
      ),
    ),
    broken('etcd alarms is a string', ['etcd-alarms-space', 'pass-healthy-three-members'], (b) =>
      writeFileSync(join(b.dump, 'etcd', 'alarm-list.json'), JSON.stringify({ header: {}, alarms: 'NOSPACE' })),
    ),

    // Files that cannot be read: named, never GO.
    broken('pdb file truncated JSON', PDB, (b) => {
      rmSync(pdbFile(b));
      writeFileSync(
        join(b.dump, 'resources', 'poddisruptionbudgets.policy.json'),
        '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"policy/v1","kind":"PodDisrup',
      );
    }),
    broken('pdb file is binary', PDB, (b) => writeFileSync(pdbFile(b), Buffer.from([0x1f, 0x8b, 0, 0, 0xff, 0xfe, 0, 1, 2, 3]))),
    broken('pdb file holds only comments', PDB, (b) => writeFileSync(pdbFile(b), '# kubectl get pdb -A -o yaml failed here\n')),
    broken('etcd endpoint status truncated', ['etcd-alarms-space', 'pass-healthy-three-members'], (b) =>
      writeFileSync(join(b.dump, 'etcd', 'endpoint-status.json'), '[{"Endpoint":"https://10.0.0.1:2379","Status":{'),
    ),

    // Secrets never leave.
    broken(
      'secret value next to a JSON syntax error',
      CERTS,
      (b) => {
        rmSync(secretsFile(b));
        const s = `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"prod"},"type":"Opaque","data":{"password":"${Buffer.from(CANARIES.nearSyntaxError).toString('base64')}","token":"${CANARIES.nearSyntaxError}" "oops": 1}}]}`;
        writeFileSync(join(b.dump, 'resources', 'secrets.json'), s);
      },
      { canaries: [CANARIES.nearSyntaxError] },
    ),
    broken(
      'private key stored under tls.crt',
      CERTS,
      (b) =>
        mutate(secretsFile(b), (items) => [
          ...items,
          {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'kubernetes.io/tls',
            metadata: { name: 'wrong', namespace: 'prod' },
            data: {
              'tls.crt': Buffer.from(PEM_KEY(CANARIES.tlsKey)).toString('base64'),
              'tls.key': Buffer.from(PEM_KEY(CANARIES.tlsKey)).toString('base64'),
            },
          },
        ]),
      { canaries: [CANARIES.tlsKey] },
    ),
    {
      ...broken(
        'opaque secret data and stringData',
        CERTS,
        (b) =>
          mutate(secretsFile(b), (items) => [
            ...items,
            {
              apiVersion: 'v1',
              kind: 'Secret',
              type: 'Opaque',
              metadata: { name: 'app', namespace: 'prod' },
              data: { key: Buffer.from(CANARIES.secretData).toString('base64') },
              stringData: { plain: CANARIES.secretData },
            },
          ]),
        { canaries: [CANARIES.secretData] },
      ),
      exit: [0, 1, 3],
      notGo: false,
    },
    {
      ...broken(
        'kubeconfig in pki is broken flow-style YAML with a token and exec env',
        ['certs-pki-expiry', 'pass-kubeadm'],
        (b) => {
          mkdirSync(join(b.dump, 'pki'), { recursive: true });
          writeFileSync(
            join(b.dump, 'pki', 'admin.conf'),
            `apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: ${CANARIES.kubeconfigToken}, exec: {command: aws, env: [{name: AWS_SECRET, value: ${CANARIES.execEnv}}]}}\nclusters: [ {{ broken\n`,
          );
        },
        { canaries: [CANARIES.kubeconfigToken, CANARIES.execEnv] },
      ),
    },
    broken(
      'helm release payload with values',
      ['apis-removed', 'pass-nothing-removed'],
      (b) => {
        const release = {
          name: 'vault',
          namespace: 'prod',
          version: 1,
          info: { status: 'deployed' },
          chart: { metadata: { name: 'vault', version: '1.0.0' }, values: { password: CANARIES.helmValues } },
          config: { password: CANARIES.helmValues },
          manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vault\n  namespace: prod\ndata:\n  secret: ${CANARIES.helmValues}\n`,
        };
        const payload = Buffer.from(gzipSync(Buffer.from(JSON.stringify(release)))).toString('base64');
        const file = join(b.dump, 'resources', 'secrets.json');
        const list = JSON.parse(readFileSync(file, 'utf8')) as { items: Obj[] };
        list.items.push({
          apiVersion: 'v1',
          kind: 'Secret',
          type: 'helm.sh/release.v1',
          metadata: {
            name: 'sh.helm.release.v1.vault.v1',
            namespace: 'prod',
            labels: { owner: 'helm', name: 'vault', status: 'deployed', version: '1' },
          },
          data: { release: Buffer.from(payload).toString('base64') },
        });
        writeFileSync(file, JSON.stringify(list));
      },
      { exit: [0, 1, 3], notGo: false, canaries: [CANARIES.helmValues] },
    ),
    broken('helm release payload is garbage', ['apis-removed', 'pass-nothing-removed'], (b) => {
      const file = join(b.dump, 'resources', 'secrets.json');
      const list = JSON.parse(readFileSync(file, 'utf8')) as { items: Obj[] };
      list.items.push({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: 'sh.helm.release.v1.api.v2',
          namespace: 'prod',
          labels: { owner: 'helm', name: 'api', status: 'deployed', version: '2' },
        },
        data: { release: Buffer.from('H4sI-not-gzip').toString('base64') },
      });
      writeFileSync(file, JSON.stringify(list));
    }),

    // Control characters and markup in data: escaped in the terminal and in markdown.
    {
      ...broken('control characters and markdown in names', PDB, (b) =>
        mutate(
          pdbFile(b),
          first((o) => {
            (o.spec as Obj).maxUnavailable = 0;
            (o.metadata as Obj).name =
              'web\u001b]8;;http://evil\u0007click\u001b]8;;\u0007\r\b\u0000\u202e[x](http://evil) ![i](http://evil/i.png) a\\|b <img src=x onerror=alert(1)>';
          }),
        ),
      ),
      exit: [1, 3],
    },

    // Archives and files that are not what they claim.
    {
      name: 'truncated tar.gz',
      build: (dir) => {
        const src = fromFixture(dir, ...PDB);
        const tgz = join(dir, 'dump.tar.gz');
        execFileSync('tar', ['-czf', tgz, '-C', src.dump, '.']);
        const bytes = readFileSync(tgz);
        writeFileSync(tgz, bytes.subarray(0, Math.floor(bytes.length / 2)));
        return { dump: tgz, args: src.args };
      },
      exit: [2],
      names: 'dump.tar.gz',
    },
    {
      name: 'dump is a FIFO',
      build: (dir) => {
        const fifo = join(dir, 'dump.fifo');
        execFileSync('mkfifo', [fifo]);
        return { dump: fifo, args: ['--checks', 'pdb-blocking'] };
      },
      exit: [2],
      names: 'dump.fifo',
    },
    broken(
      'resources file is a symlink to a file outside the dump',
      PDB,
      (b) => {
        rmSync(join(b.dump, 'resources', 'pods.yaml'));
        symlinkSync('/etc/passwd', join(b.dump, 'resources', 'pods.yaml'));
      },
      { exit: [1, 2, 3], canaries: ['root:x:0:0'] },
    ),

    // Limits: a bomb is refused at the limit, never expanded (lowered limits keep these fast).
    {
      name: 'archive bomb past --max-dump-bytes',
      build: (dir) => {
        const src = fromFixture(dir, ...PDB);
        writeFileSync(join(src.dump, 'resources', 'zeros.json'), Buffer.alloc(8 * 1024 * 1024));
        const tgz = join(dir, 'bomb.tar.gz');
        execFileSync('tar', ['-czf', tgz, '-C', src.dump, '.']);
        return { dump: tgz, args: [...src.args, '--max-dump-bytes', '4Mi'] };
      },
      exit: [2],
      names: 'bomb.tar.gz',
    },
    broken('helm release payload past --max-helm-release-bytes', ['apis-removed', 'pass-nothing-removed'], (b) => {
      const payload = gzipSync(
        Buffer.concat([Buffer.from('{"name":"big","manifest":"'), Buffer.alloc(4 * 1024 * 1024, 0x61), Buffer.from('"}')]),
      ).toString('base64');
      const file = join(b.dump, 'resources', 'secrets.json');
      const list = JSON.parse(readFileSync(file, 'utf8')) as { items: Obj[] };
      list.items.push({
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'helm.sh/release.v1',
        metadata: {
          name: 'sh.helm.release.v1.big.v1',
          namespace: 'prod',
          labels: { owner: 'helm', name: 'big', status: 'deployed', version: '1' },
        },
        data: { release: Buffer.from(payload).toString('base64') },
      });
      writeFileSync(file, JSON.stringify(list));
      b.args.push('--max-helm-release-bytes', '1Mi');
    }),
    {
      name: 'real-size archive bomb under the default limits',
      heavy: true,
      build: (dir) => {
        const src = fromFixture(dir, ...PDB);
        execFileSync('sh', ['-c', `head -c 5368709120 /dev/zero > "${join(src.dump, 'resources', 'zeros.json')}"`]);
        const tgz = join(dir, 'bomb.tar.gz');
        execFileSync('tar', ['-czf', tgz, '-C', src.dump, '.']);
        rmSync(src.dump, { recursive: true, force: true });
        return { dump: tgz, args: src.args };
      },
      exit: [2, 3],
    },

    // Folders and files given on the command line: regular files only, never a hang.
    {
      name: '--pki-dir with a FIFO and a link to /dev/zero',
      build: (dir) => {
        const pki = join(dir, 'pki');
        cpSync(join(FIXTURES, 'certs-pki-expiry', 'pass-kubeadm', 'pki'), pki, { recursive: true });
        execFileSync('mkfifo', [join(pki, 'front-proxy-ca.crt.fifo.crt')]);
        symlinkSync('/dev/zero', join(pki, 'zero.crt'));
        return { dump: '', args: ['--no-cluster', '--pki-dir', pki, '--checks', 'certs-pki-expiry', '--now', '2026-06-01T00:00:00Z'] };
      },
      exit: [3],
      notGo: true,
    },
    {
      name: '--manifests is a FIFO',
      build: (dir) => {
        const fifo = join(dir, 'manifests.yaml');
        execFileSync('mkfifo', [fifo]);
        return { dump: '', args: ['--no-cluster', '--manifests', fifo, '--checks', 'apis-removed', '--target-version', '1.29'] };
      },
      exit: [2, 3],
    },

    // Options and files a user types.
    {
      name: '--now is not a calendar date',
      build: (dir) => ({ ...fromFixture(dir, ...PDB), args: ['--checks', 'pdb-blocking', '--now', '2026-02-30T00:00:00Z'] }),
      exit: [2],
      names: '--now',
    },
    {
      name: 'waiver expires on an impossible date',
      build: (dir) => {
        const b = fromFixture(dir, ...PDB);
        const w = join(dir, 'waivers.yaml');
        writeFileSync(
          w,
          'apiVersion: kube-preflight/v1\nkind: Waivers\nwaivers:\n  - checkId: pdb-blocking\n    resource: { name: "*" }\n    reason: r\n    owner: o\n    expires: "2027-02-30"\n',
        );
        return { dump: b.dump, args: [...b.args, '--waivers', w] };
      },
      exit: [2],
      names: 'waivers.yaml',
    },
    {
      name: 'config is a YAML alias bomb',
      build: (dir) => {
        const b = fromFixture(dir, ...PDB);
        const c = join(dir, 'config.yaml');
        const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
        for (let i = 1; i < 9; i++)
          levels.push(
            `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
              .fill(`*${String.fromCharCode(96 + i)}`)
              .join(',')}]`,
          );
        writeFileSync(c, `${levels.join('\n')}\n`);
        return { dump: b.dump, args: [...b.args, '--config', c] };
      },
      exit: [2],
      names: 'config.yaml',
    },
    {
      name: 'waiver owner with control characters',
      build: (dir) => {
        const b = fromFixture(dir, ...PDB);
        const w = join(dir, 'waivers.yaml');
        writeFileSync(
          w,
          'apiVersion: kube-preflight/v1\nkind: Waivers\nwaivers:\n  - checkId: pdb-blocking\n    resource: { name: "*" }\n    reason: "r\\e[2J"\n    owner: "o\\e]0;pwned\\a\\r"\n    expires: "2099-01-01"\n',
        );
        return { dump: b.dump, args: [...b.args, '--waivers', w] };
      },
      exit: [0, 1, 3],
    },
  ];
}
