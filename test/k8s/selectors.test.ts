/** Label selectors at the edges, as the API server evaluates them. */
import { describe, expect, it } from 'vitest';
import {
  fromLabelSelector,
  matches,
  matchesFieldSelector,
  parseLabelSelector,
  SelectorError,
  selectorString,
} from '../../src/k8s/selectors.js';

describe('fromLabelSelector / matches', () => {
  it('an empty selector matches everything, a null one nothing', () => {
    expect(matches(fromLabelSelector({}), {})).toBe(true);
    expect(matches(fromLabelSelector({ matchLabels: {}, matchExpressions: [] }), { app: 'x' })).toBe(true);
    expect(matches(fromLabelSelector(null), { app: 'x' })).toBe(false);
    expect(matches(fromLabelSelector(undefined), {})).toBe(false);
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const s = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }],
    });
    expect(matches(s, { app: 'web' })).toBe(true);
    expect(matches(s, { app: 'web', track: 'stable' })).toBe(true);
    expect(matches(s, { app: 'web', track: 'canary' })).toBe(false);
    expect(matches(s, { app: 'api' })).toBe(false);
  });

  it('NotIn and DoesNotExist match objects without the label; In and Exists do not', () => {
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }), {})).toBe(true);
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }), {})).toBe(true);
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }), { tier: '' })).toBe(false);
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }), {})).toBe(false);
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] }), { tier: 'b' })).toBe(
      true,
    );
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }), { tier: '' })).toBe(true);
  });

  it('evaluates the policy/v1beta1 conversion markers as plain requirements', () => {
    const marker = 'pdb.kubernetes.io/deprecated-v1beta1-empty-selector-match';
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: marker, operator: 'Exists' }] }), { app: 'web' })).toBe(false);
    expect(matches(fromLabelSelector({ matchExpressions: [{ key: marker, operator: 'DoesNotExist' }] }), { app: 'web' })).toBe(true);
  });

  it('rejects invalid requirements', () => {
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(SelectorError);
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(SelectorError);
    expect(() => fromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Matches', values: ['x'] }] })).toThrow(SelectorError);
  });
});

describe('selectorString', () => {
  it('prints as kubectl does and parses back to the same requirements', () => {
    const s = fromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
        { key: 'env', operator: 'NotIn', values: ['x', 'y'] },
        { key: 'owner', operator: 'Exists' },
        { key: 'debug', operator: 'DoesNotExist' },
      ],
    });
    const text = selectorString(s);
    expect(text).toBe('app=web,tier in (a,b),track!=canary,env notin (x,y),owner,!debug');
    expect(parseLabelSelector(text)).toEqual(s);
  });

  it('prints empty and null selectors distinctly', () => {
    expect(selectorString([])).toBe('');
    expect(selectorString(null)).toBe('<none>');
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
