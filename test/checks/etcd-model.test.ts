/** Quorum arithmetic and version parsing of the etcd family's model (quorum = ⌊voters/2⌋+1 over voting members). */
import { describe, expect, it } from 'vitest';
import { quorumFacts, versionFromImage, type MemberView } from '../../checks/etcd/lib/model.js';

const member = (name: string, state: MemberView['state'], isLearner = false): MemberView => ({
  name,
  peerURLs: [],
  clientURLs: [],
  isLearner,
  state,
  hasStatus: false,
  statusErrors: [],
  isLeader: false,
});

describe('quorumFacts', () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [6, 4, 2],
    [7, 4, 3],
  ])('%i voters: majority %i, tolerates %i', (n, majority, tolerance) => {
    const q = quorumFacts(Array.from({ length: n }, (_, i) => member(`m${i}`, 'healthy')));
    expect(q).toEqual({ voters: n, majority, failureTolerance: tolerance, healthyVoters: n, unknownVoters: 0 });
  });

  it('learners do not vote; only healthy voters count', () => {
    const q = quorumFacts([member('a', 'healthy'), member('b', 'unreachable'), member('c', 'unknown'), member('l', 'healthy', true)]);
    expect(q).toEqual({ voters: 3, majority: 2, failureTolerance: 1, healthyVoters: 1, unknownVoters: 1 });
  });
});

describe('versionFromImage', () => {
  it('reads kubeadm etcd image tags', () => {
    expect(versionFromImage('registry.k8s.io/etcd:3.5.6-0')).toBe('3.5.6');
    expect(versionFromImage('quay.io/coreos/etcd:v3.4.13')).toBe('3.4.13');
    expect(versionFromImage('localhost:5000/etcd:3.5.9-0')).toBe('3.5.9');
    expect(versionFromImage('registry.k8s.io/etcd@sha256:abc')).toBeUndefined();
    expect(versionFromImage(undefined)).toBeUndefined();
  });
});
