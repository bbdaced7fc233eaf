/**
 * The etcd inputs: lossless parsing of etcdctl's uint64 IDs, the gateway → etcdctl shape
 * conversion, empty files, errors naming file and line, `/readyz?verbose`, and the live
 * fetches' statuses without a cluster.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { fetchEtcdFiles, toEtcdctlShape } from '../../src/sources/etcd-gateway.js';
import { InputError } from '../../src/sources/input-def.js';
import { apiserverReadyzInput, etcdInput, idToHex, parseEtcdFiles, parseReadyz } from '../../src/sources/inputs/etcd.js';
import type { LiveContext, RawResponse } from '../../src/sources/live-context.js';

const file = (path: string, text: string) => ({ path, content: Buffer.from(text) });
const real = (name: string) => file(`etcd/${name}`, readFileSync(join(PACKAGE_ROOT, 'fixtures/dumps/lab-1.26/etcd', name), 'utf8'));

describe('etcd input: etcdctl -w json files', () => {
  it('keeps uint64 IDs exact (JSON.parse would round them) and gives the hex etcdctl -w table prints', () => {
    const d = parseEtcdFiles([real('member-list.json'), real('endpoint-status.json'), real('endpoint-health.json')]).data;
    expect(d.memberList?.clusterId).toBe('1468844719594570071');
    expect(d.memberList?.members.map((m) => [m.name, m.id, m.idHex])).toEqual([
      ['etcd3', '2429227968460958099', '21b659f77a8f2993'],
      ['etcd1', '10594176927476175576', '930613c901db52d8'],
      ['etcd2', '14073933491033175742', 'c350a7f1758176be'],
    ]);
    expect(String(JSON.parse('{"a":10594176927476175576}').a)).not.toBe('10594176927476175576');
    const s = d.endpointStatus!.find((x) => x.memberIdHex === '930613c901db52d8')!;
    expect(s).toMatchObject({
      endpoint: 'https://127.0.0.1:23791',
      version: '3.4.23',
      dbSizeBytes: 2240512,
      dbSizeInUseBytes: 2240512,
      raftIndex: 1464,
      leader: '10594176927476175576',
      isLearner: false,
      errors: [],
    });
    expect(d.endpointHealth?.every((h) => h.health)).toBe(true);
    expect(d.alarms).toBeUndefined();
  });

  it('reads the appendix A shapes: unstarted learner, alarms as enum numbers, status errors', () => {
    const d = parseEtcdFiles([
      file(
        'etcd/member-list.json',
        '{"header":{"cluster_id":15276262748873838274,"member_id":13510015062231200447,"raft_term":2},"members":[{"ID":13023920125409127543,"peerURLs":["http://127.0.0.1:23804"],"isLearner":true}]}',
      ),
      file('etcd/alarm-list.json', '{"alarms":[{"memberID":13510015062231200447,"alarm":1},{"memberID":13510015062231200447,"alarm":2}]}'),
      file(
        'etcd/endpoint-status.json',
        '[{"Endpoint":"http://127.0.0.1:23791","Status":{"header":{"cluster_id":15276262748873838274,"member_id":13510015062231200447,"revision":23,"raft_term":2},"version":"3.4.23","dbSize":20480,"raftIndex":51,"raftTerm":2,"raftAppliedIndex":51,"errors":["etcdserver: no leader"],"dbSizeInUse":16384}}]',
      ),
    ]).data;
    expect(d.memberList?.members).toEqual([
      { id: '13023920125409127543', idHex: 'b4be4259b2126c77', peerURLs: ['http://127.0.0.1:23804'], clientURLs: [], isLearner: true },
    ]);
    expect(d.alarms).toEqual([
      { memberId: '13510015062231200447', memberIdHex: 'bb7d371eb677b2bf', alarm: 'NOSPACE' },
      { memberId: '13510015062231200447', memberIdHex: 'bb7d371eb677b2bf', alarm: 'CORRUPT' },
    ]);
    expect(d.endpointStatus?.[0]?.leader).toBeUndefined();
    expect(d.endpointStatus?.[0]?.errors).toEqual(['etcdserver: no leader']);
  });

  it('reads the gateway form too (numbers as strings, alarm names)', () => {
    const d = parseEtcdFiles([
      file('etcd/alarm-list.json', '{"alarms":[{"memberID":"13510015062231200447","alarm":"NOSPACE"}]}'),
      file('etcd/endpoint-health.json', '[{"endpoint":"https://127.0.0.1:2379","health":"true"}]'),
    ]).data;
    expect(d.alarms).toEqual([{ memberId: '13510015062231200447', memberIdHex: 'bb7d371eb677b2bf', alarm: 'NOSPACE' }]);
    expect(d.endpointHealth).toEqual([{ endpoint: 'https://127.0.0.1:2379', health: true }]);
  });

  it('an empty file is data not available (etcdctl failed): an unread part, not an error', () => {
    const { data: d, partial } = parseEtcdFiles([real('member-list.json'), file('etcd/alarm-list.json', '')]);
    expect(d.emptyFiles).toEqual(['etcd/alarm-list.json']);
    expect(d.alarms).toBeUndefined();
    expect(partial).toEqual([
      {
        source: 'etcd/alarm-list.json',
        status: 'failed',
        reason: 'etcd/alarm-list.json: empty file (etcdctl printed nothing: the command failed when the file was written)',
        subjects: 'etcd alarms',
        resource: { file: 'etcd/alarm-list.json' },
      },
      // The endpoint outputs were not written at all: parts not read either.
      {
        source: 'etcd/endpoint-health.json',
        status: 'missing',
        reason: 'not in the dump: no etcd/endpoint-health.json',
        subjects: 'etcd endpoint health',
        resource: { file: 'etcd/endpoint-health.json' },
      },
      {
        source: 'etcd/endpoint-status.json',
        status: 'missing',
        reason: 'not in the dump: no etcd/endpoint-status.json',
        subjects: 'etcd endpoint status',
        resource: { file: 'etcd/endpoint-status.json' },
      },
    ]);
    expect(() => parseEtcdFiles([file('etcd/member-list.json', ' \n'), file('etcd/alarm-list.json', '')])).toThrow(InputError);
  });

  it('names the file and the line of invalid JSON, and refuses --hex output and foreign documents', () => {
    expect(() => parseEtcdFiles([file('etcd/endpoint-status.json', '[\n{"Endpoint":"x",\n,}]')])).toThrow(
      /^etcd\/endpoint-status\.json:3:1: invalid JSON/,
    );
    expect(() =>
      parseEtcdFiles([file('etcd/member-list.json', '{"header":{"cluster_id":1},"members":[{"ID":"bb7d371eb677b2bf","clientURLS":[]}]}')]),
    ).toThrow(/--hex/);
    expect(() => parseEtcdFiles([file('etcd/endpoint-health.json', '{"health":true}')])).toThrow(
      /endpoint-health\.json: not the output of `etcdctl endpoint health -w json`/,
    );
    expect(() => parseEtcdFiles([file('etcd/member-list.json', '{"header":{},"members":[]}')])).toThrow(/header\.cluster_id is missing/);
  });

  it('one file that does not parse is an unread part; the other files are kept', () => {
    const r = etcdInput.parse([
      real('member-list.json'),
      file('etcd/endpoint-status.json', '[\n{"Endpoint":"x",\n,}]'),
      real('endpoint-health.json'),
    ]);
    expect(r.value.memberList?.members).toHaveLength(3);
    expect(r.value.endpointHealth).toHaveLength(3);
    expect(r.value.endpointStatus).toBeUndefined();
    expect(r.count).toBe(3);
    expect(r.partial).toEqual([
      {
        source: 'etcd/endpoint-status.json',
        status: 'failed',
        reason: expect.stringMatching(/^etcd\/endpoint-status\.json:3:1: invalid JSON: [^\n]+$/),
        subjects: 'etcd endpoint status',
        resource: { file: 'etcd/endpoint-status.json' },
      },
    ]);
    // When no member list, status or health is readable, the input fails, naming every file.
    expect(() => parseEtcdFiles([file('etcd/member-list.json', '{}'), file('etcd/endpoint-health.json', '{"health":true}')])).toThrow(
      /^etcd\/member-list\.json, etcd\/endpoint-health\.json: etcd\/member-list\.json: .+; etcd\/endpoint-health\.json: not the output of `etcdctl endpoint health -w json`/,
    );
  });

  it('idToHex matches etcd (no zero padding)', () => {
    expect(idToHex('5303474902600168587')).toBe('4999ba532caeb48b');
    expect(idToHex('255')).toBe('ff');
  });
});

describe('etcd gateway → etcdctl shapes', () => {
  it('turns the gateway status into what etcdctl prints, IDs as bare numbers', () => {
    const gw = JSON.parse(
      '{"header":{"cluster_id":"18260714710089671343","member_id":"2472317477245848247","revision":"21","raft_term":"2"},"version":"3.4.23","dbSize":"20480","leader":"18069540394990436916","raftIndex":"30","raftTerm":"2","raftAppliedIndex":"30","dbSizeInUse":"16384"}',
    ) as unknown;
    expect(stringify(toEtcdctlShape(gw))).toBe(
      '{"header":{"cluster_id":18260714710089671343,"member_id":2472317477245848247,"revision":21,"raft_term":2},"version":"3.4.23","dbSize":20480,"leader":18069540394990436916,"raftIndex":30,"raftTerm":2,"raftAppliedIndex":30,"dbSizeInUse":16384}',
    );
    expect(stringify(toEtcdctlShape({ alarms: [{ memberID: '13510015062231200447', alarm: 'NOSPACE' }] }))).toBe(
      '{"alarms":[{"memberID":13510015062231200447,"alarm":1}]}',
    );
  });

  it('is missing without --etcd-endpoints, with a reason that says how to give them', async () => {
    const r = await fetchEtcdFiles({ requestTimeoutMs: 1000 });
    expect(r).toMatchObject({ status: 'missing' });
    expect(r.status !== 'ok' && r.reason).toMatch(/--etcd-endpoints .*--etcd-cacert, --etcd-cert and --etcd-key/);
  });

  it('fails naming the flag when a TLS file cannot be read', async () => {
    const r = await fetchEtcdFiles({ requestTimeoutMs: 1000, etcd: { endpoints: ['https://127.0.0.1:1'], cacert: '/nonexistent/ca.crt' } });
    expect(r).toMatchObject({ status: 'failed' });
    expect(r.status !== 'ok' && r.reason).toMatch(/^cannot read --etcd-cacert \/nonexistent\/ca\.crt/);
  });

  it('an endpoint that refuses connections is an unhealthy entry, not a failure', async () => {
    const r = await fetchEtcdFiles({ requestTimeoutMs: 1000, etcd: { endpoints: ['http://127.0.0.1:1'] } });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.files.map((f) => f.path)).toEqual(['etcd/endpoint-status.json', 'etcd/endpoint-health.json']);
    const d = parseEtcdFiles(r.files).data;
    expect(d.endpointStatus).toEqual([]);
    expect(d.endpointHealth).toEqual([
      {
        endpoint: 'http://127.0.0.1:1',
        health: false,
        took: expect.stringMatching(/^[\d.]+m?s$/),
        error: expect.stringMatching(/ECONNREFUSED/),
      },
    ]);
    expect(etcdInput.parse(r.files).count).toBe(1);
  });
});

describe('apiserver-readyz input', () => {
  const body =
    '[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[+]poststarthook/start-apiextensions-controllers ok\nreadyz check failed\n';

  it('parses the verbose body', () => {
    expect(parseReadyz('health/readyz.txt', body)).toEqual({
      ready: false,
      checks: [
        { name: 'ping', ok: true },
        { name: 'log', ok: true },
        { name: 'etcd', ok: false, detail: 'reason withheld' },
        { name: 'poststarthook/start-apiextensions-controllers', ok: true },
      ],
    });
    expect(parseReadyz('health/readyz.txt', 'ok')).toEqual({ ready: true, checks: [] });
    expect(() => parseReadyz('health/readyz.txt', '<html>')).toThrow(/health\/readyz\.txt: not the body of \/readyz\?verbose/);
  });

  const ctx = (res: RawResponse, seen: string[]): LiveContext => ({
    server: 'https://127.0.0.1:6443',
    kubeconfigFiles: [],
    options: { requestTimeoutMs: 1000 },
    get: (p) => {
      seen.push(p);
      return Promise.resolve(res);
    },
    peerCertificates: () => Promise.resolve([]),
  });

  it('live: GET /readyz?verbose; a failing check (500) still yields the body; 403 is forbidden', async () => {
    const seen: string[] = [];
    const r = await apiserverReadyzInput.live!(ctx({ status: 500, headers: {}, body: Buffer.from(body) }, seen));
    expect(seen).toEqual(['/readyz?verbose']);
    expect(r).toMatchObject({ status: 'ok', files: [{ path: 'health/readyz.txt' }] });
    expect(await apiserverReadyzInput.live!(ctx({ status: 403, headers: {}, body: Buffer.from('') }, []))).toMatchObject({
      status: 'forbidden',
    });
    expect(await apiserverReadyzInput.live!(ctx({ status: 404, headers: {}, body: Buffer.from('') }, []))).toMatchObject({
      status: 'failed',
    });
  });
});

describe('etcd files with a field of the wrong type are failed parts naming the path', () => {
  const file = (path: string, doc: unknown) => ({ path, content: Buffer.from(JSON.stringify(doc)) });
  const health = file('etcd/endpoint-health.json', [{ endpoint: 'https://10.0.0.11:2379', health: true }]);
  it.each([
    [
      'alarms that are a string',
      file('etcd/alarm-list.json', { alarms: 'NOSPACE' }),
      'etcd/alarm-list.json .alarms: expected a list, got a string',
    ],
    [
      'peerURLs that are a string',
      file('etcd/member-list.json', { header: { cluster_id: 1 }, members: [{ ID: 2, peerURLs: 'https://10.0.0.11:2380' }] }),
      'etcd/member-list.json .members[0].peerURLs: expected a list, got a string',
    ],
    [
      'status errors that are a string',
      file('etcd/endpoint-status.json', [{ Endpoint: 'e', Status: { header: { cluster_id: 1, member_id: 2 }, errors: 'alarm:NOSPACE' } }]),
      'etcd/endpoint-status.json .[0].Status.errors: expected a list, got a string',
    ],
  ])('%s', (_what, f, reason) => {
    const { partial } = parseEtcdFiles([health, f]);
    expect(partial.find((p) => p.source === f.path)).toMatchObject({ status: 'failed', reason, resource: { file: f.path } });
  });
});
