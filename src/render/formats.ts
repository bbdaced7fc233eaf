/**
 * The output formats and their file names, with no renderer loaded: the CLI's help and its
 * checks of `--format` read them without loading a browser driver or a template engine.
 */
export const FORMATS = ['text', 'json', 'html', 'pdf', 'markdown', 'sarif', 'junit', 'prometheus', 'policyreport'] as const;
export type Format = (typeof FORMATS)[number];

export const FILE_NAMES: Record<Format, string> = {
  text: 'report.txt',
  json: 'report.json',
  html: 'report.html',
  pdf: 'report.pdf',
  markdown: 'report.md',
  sarif: 'report.sarif',
  junit: 'report.junit.xml',
  prometheus: 'report.prom',
  policyreport: 'report.policyreport.yaml',
};

/** Formats that are bytes, not text (never written to a terminal). */
export const BINARY_FORMATS: readonly Format[] = ['pdf'];
