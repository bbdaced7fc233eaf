/**
 * Label selectors at the edges of the Kubernetes semantics (apimachinery labels/selector.go).
 */
import { describe, expect, it } from 'vitest';
import { fromLabelSelector, matches, matchesFieldSelector, parseLabelSelector, SelectorError } from '../../src/k8s/selectors.js';

describe('fromLabelSelector', () => {
  it('null matches nothing, empty matches everything', () => {
    expect(matches(fromLabelSelector(null), { a: 'b' })).toBe(false);
    expect(matches(fromLabelSelector(undefined), {})).toBe(false);
    expect(matches(fromLabelSelector({}), {})).toBe(true);
    expect(matches(fromLabelSelector({ matchLabels: {} }), { x: 'y' })).toBe(true);
  });

  it('evaluates matchLabels and every operator of matchExpressions', () => {
    const s = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'env', operator: 'NotIn', values: ['dev'] },
        { key: 'team', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(matches(s, { app: 'web', tier: 'front', team: 'a' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'front', team: 'a', env: 'prod' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'front', team: 'a', env: 'dev' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'back', team: 'a' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'front' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'front', team: 'a', canary: '' })).toBe(false);
    expect(matches(s, { tier: 'front', team: 'a' })).toBe(false);
  });

  it('rejects invalid selectors', () => {
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(SelectorError);
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(SelectorError);
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow('unknown operator "Gt"');
  });
});

describe('parseLabelSelector', () => {
  it('parses the string forms', () => {
    const s = parseLabelSelector('owner=helm, status in (deployed,superseded),!legacy,name!=x, tier, env==prod');
    expect(s).toEqual([
      { key: 'owner', operator: 'In', values: ['helm'] },
      { key: 'status', operator: 'In', values: ['deployed', 'superseded'] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
      { key: 'name', operator: 'NotIn', values: ['x'] },
      { key: 'tier', operator: 'Exists', values: [] },
      { key: 'env', operator: 'In', values: ['prod'] },
    ]);
    expect(matches(parseLabelSelector('status notin (failed)'), {})).toBe(true);
    expect(() => parseLabelSelector('a in ()')).toThrow(SelectorError);
    expect(() => parseLabelSelector('a = = b')).toThrow(SelectorError);
  });
});

describe('matchesFieldSelector', () => {
  it('compares dotted paths with = and !=', () => {
    const o = { type: 'kubernetes.io/tls', metadata: { namespace: 'prod', name: 'x' } };
    expect(matchesFieldSelector('type=kubernetes.io/tls', o)).toBe(true);
    expect(matchesFieldSelector('type==kubernetes.io/tls,metadata.namespace!=kube-system', o)).toBe(true);
    expect(matchesFieldSelector('metadata.namespace=kube-system', o)).toBe(false);
    expect(matchesFieldSelector('spec.nodeName=', o)).toBe(true);
  });
});
