/**
 * The output formats and their file names. Every renderer is a pure function of the report.
 */
import type { Report } from '../report/model.js';
import { renderJson } from './json.js';
import { renderText, type TextOptions } from './text.js';

export const FORMATS = ['text', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const FILE_NAMES: Record<Format, string> = { text: 'report.txt', json: 'report.json' };

export interface RenderOptions {
  text: TextOptions;
}

/** Renders one format; text formats as a string, binary ones (PDF) as bytes. */
export async function render(format: Format, report: Report, opts: RenderOptions): Promise<string | Uint8Array> {
  switch (format) {
    case 'text':
      return renderText(report, opts.text);
    case 'json':
      return renderJson(report);
  }
}
