/**
 * `explain` arguments: a check id, a family, a SARIF rule id `check/rule`, and the nearest ids
 * on a typo.
 */
import { describe, expect, it } from 'vitest';
import { explainIds, resolveExplainTarget, suggestIds } from '../../src/cli/explain.js';
import { loadBuiltinChecks, Registry } from '../../src/engine/registry.js';
import { FatalError } from '../../src/contract/errors.js';

const registry = new Registry(await loadBuiltinChecks());

function failure(arg: string): string {
  try {
    resolveExplainTarget(registry, arg);
  } catch (e) {
    expect(e).toBeInstanceOf(FatalError);
    return (e as Error).message;
  }
  throw new Error(`${arg} resolved`);
}

describe('explain targets', () => {
  it('a check id', () => {
    const t = resolveExplainTarget(registry, 'versions-kubelet-skew');
    expect(t.kind === 'check' && [t.check.def.id, t.rule]).toEqual(['versions-kubelet-skew', undefined]);
  });

  it('a family: its checks in catalog order', () => {
    const t = resolveExplainTarget(registry, 'etcd');
    expect(t.kind === 'family' && t.checks.map((c) => c.def.id)).toEqual([
      'etcd-alarms-space',
      'etcd-members',
      'etcd-quorum',
      'etcd-version',
    ]);
  });

  it('a SARIF rule id check/rule', () => {
    const t = resolveExplainTarget(registry, 'certs-system-masters/kubeadm-kubelet-client-default');
    expect(t.kind === 'check' && [t.check.def.id, t.rule]).toEqual(['certs-system-masters', 'kubeadm-kubelet-client-default']);
  });

  it('a typo of a check, a family or a rule names the nearest id', () => {
    expect(failure('versions-kubelet-skw')).toBe(
      'unknown check "versions-kubelet-skw"; did you mean versions-kubelet-skew? (see `kube-preflight checks`)',
    );
    expect(failure('verisons')).toBe('unknown check "verisons"; did you mean versions? (see `kube-preflight checks`)');
    expect(failure('versions-kubelet-skew/kubelet-to-old')).toBe(
      'unknown rule "kubelet-to-old" of check versions-kubelet-skew; did you mean versions-kubelet-skew/kubelet-too-old? (see `kube-preflight checks`)',
    );
  });

  it('nothing near: no suggestion', () => {
    expect(failure('certs-nope')).toBe('unknown check "certs-nope" (see `kube-preflight checks`)');
    expect(failure('no-such-thing-at-all')).not.toContain('did you mean');
  });

  it('ids cover checks, families and rules', () => {
    const ids = explainIds(registry);
    expect(ids).toContain('pdb-blocking');
    expect(ids).toContain('pdb');
    expect(ids).toContain('pdb-blocking/max-unavailable-zero');
  });
});

describe('suggestIds', () => {
  it('keeps the nearest (ties sorted, at most 3) within a third of the length, at least 2 edits', () => {
    expect(suggestIds('etcd-versoin', ['etcd-version', 'etcd-members'])).toEqual(['etcd-version']);
    expect(suggestIds('abcd', ['abce', 'abdd', 'abcf', 'abcg'])).toEqual(['abce', 'abcf', 'abcg']);
    expect(suggestIds('rbac-xyzzy-thing', ['etcd-version'])).toEqual([]);
  });
});
