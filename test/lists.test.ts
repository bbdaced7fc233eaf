import { describe, expect, it } from 'vitest';
import { firstOf } from '../src/lists.js';

describe('firstOf', () => {
  it('lists every item when there are no more than n', () => {
    expect(firstOf([], 3)).toBe('');
    expect(firstOf(['a'], 3)).toBe('a');
    expect(firstOf(['a', 'b', 'c'], 3)).toBe('a, b, c');
  });
  it('cuts after n and counts the rest, with thousands separators', () => {
    expect(firstOf(['a', 'b', 'c'], 2)).toBe('a, b, +1 more');
    expect(
      firstOf(
        Array.from({ length: 1202 }, (_, i) => `c${i}`),
        2,
      ),
    ).toBe('c0, c1, +1,200 more');
  });
  it('joins with the separator given', () => {
    expect(firstOf(['x', 'y', 'z'], 1, '; ')).toBe('x; +2 more');
  });
});
