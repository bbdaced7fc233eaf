/**
 * Target resolution, the removed/deprecated rule at its thresholds, and replacement chains
 * (checks/apis/lib/judge.ts).
 */
import { describe, expect, it } from 'vitest';
import { deprecatedApi } from '../../checks/apis/data/deprecated-apis.js';
import { judge, replacementFor, replacementSentence, resolveVersions } from '../../checks/apis/lib/judge.js';
import { CheckError } from '../../src/contract/errors.js';
import type { Collected } from '../../src/contract/inputs.js';
import type { ServerVersion } from '../../src/contract/values/core.js';

const ver = (gitVersion: string): Collected<ServerVersion> => ({ key: 'version', status: 'ok', value: { gitVersion } });
const row = (apiVersion: string, kind: string) => deprecatedApi(apiVersion, kind)!;

describe('resolveVersions', () => {
  it('takes --target-version as a minor', () => {
    expect(resolveVersions({ targetVersion: '1.29.3' }, ver('v1.26.4'))).toEqual({
      target: '1.29',
      targetFrom: 'target-version',
      server: '1.26',
      serverGitVersion: 'v1.26.4',
    });
  });
  it('defaults to the next minor after the server, vendor suffixes included', () => {
    expect(resolveVersions({}, ver('v1.29.4-eks-036c24b'))).toMatchObject({ target: '1.30', targetFrom: 'next-minor', server: '1.29' });
  });
  it('needs a target when the server version is unknown', () => {
    expect(() => resolveVersions({}, { key: 'version', status: 'missing', reason: 'not in the dump' })).toThrow(CheckError);
    expect(resolveVersions({ targetVersion: '1.25' }, undefined)).toEqual({ target: '1.25', targetFrom: 'target-version' });
  });
  it('refuses a target older than the cluster, accepts the same minor', () => {
    expect(() => resolveVersions({ targetVersion: '1.25' }, ver('v1.26.4'))).toThrow(/older than the cluster/);
    expect(resolveVersions({ targetVersion: '1.26' }, ver('v1.26.4')).target).toBe('1.26');
  });
});

describe('judge', () => {
  const v1beta2 = row('flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema');
  it('is removed from the removal release on, deprecated from the deprecation release until then', () => {
    expect(judge(v1beta2, '1.25')).toBeUndefined();
    expect(judge(v1beta2, '1.26')).toBe('deprecated');
    expect(judge(v1beta2, '1.28')).toBe('deprecated');
    expect(judge(v1beta2, '1.29')).toBe('removed');
    expect(judge(v1beta2, '1.35')).toBe('removed');
  });
  it('compares minors numerically (1.9 < 1.16)', () => {
    expect(judge(row('apps/v1beta2', 'Deployment'), '1.16')).toBe('removed');
    expect(judge(row('apps/v1beta2', 'Deployment'), '1.10')).toBe('deprecated');
  });
  it('never calls a row without a planned removal removed', () => {
    expect(judge(row('v1', 'ComponentStatus'), '1.40')).toBe('deprecated');
  });
});

describe('replacementFor', () => {
  it('follows the chain to the first replacement the target still serves', () => {
    const v1beta1 = row('flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema');
    expect(replacementFor(v1beta1, '1.26', '1.25')).toEqual({
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
      kind: 'FlowSchema',
      availableIn: '1.23',
      availableNow: true,
    });
    expect(replacementFor(v1beta1, '1.29', '1.25')).toEqual({
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      availableIn: '1.26',
      availableNow: false,
    });
    expect(replacementFor(v1beta1, '1.32', '1.30')).toEqual({
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      availableIn: '1.29',
      availableNow: true,
    });
  });
  it('ends without a replacement for PodSecurityPolicy once policy/v1beta1 is gone', () => {
    const ext = row('extensions/v1beta1', 'PodSecurityPolicy');
    expect(replacementFor(ext, '1.16', '1.15')?.apiVersion).toBe('policy/v1beta1');
    expect(replacementFor(ext, '1.25', '1.24')).toBeNull();
  });
  it('keeps a different replacement kind and says when the server version is unknown', () => {
    const ep = row('v1', 'Endpoints');
    expect(replacementFor(ep, '1.34', undefined)).toEqual({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      availableIn: '1.21',
      availableNow: null,
    });
    expect(replacementSentence(ep, replacementFor(ep, '1.34', undefined), '1.34')).toBe(
      'Move to discovery.k8s.io/v1 EndpointSlice (served since 1.21).',
    );
  });
  it('words a replacement the cluster does not serve yet', () => {
    const r = row('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema');
    expect(replacementSentence(r, replacementFor(r, '1.32', '1.26'), '1.32')).toMatch(/served only from 1\.29: upgrade in steps/);
  });
});
