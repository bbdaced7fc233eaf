/**
 * The live source (placeholder until the live-source work lands on this branch).
 */
import { FatalError } from '../errors.js';
import type { ScanOptions } from './scan-options.js';
import type { Source } from './source.js';

export class LiveSource {
  static async open(_options: ScanOptions): Promise<Source> {
    throw new FatalError('live scans are not built yet');
  }
}
