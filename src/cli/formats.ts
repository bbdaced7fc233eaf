/**
 * The output formats' names, for the help of `scan` and `render` without loading the renderers
 * (which load a browser driver): the same list as `FORMATS` in src/render/index.ts, which
 * `resolveFormats` checks the given formats against (a test keeps both equal).
 */
import type { Format } from '../render/index.js';

export const FORMAT_NAMES: readonly Format[] = ['text', 'json', 'html', 'pdf', 'markdown', 'sarif', 'junit'];
