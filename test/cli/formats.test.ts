import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/cli/formats.js';
import { FORMATS } from '../../src/render/index.js';

describe('the format names in the help', () => {
  it('are the formats the renderers write, in the same order', () => {
    expect(FORMAT_NAMES).toEqual(FORMATS);
  });
});
