/**
 * The HTML report: one self-contained file (`report.html`). Handlebars templates from
 * `templates/` (`report.hbs`, `partials/*.hbs`) with `report.css` and `report.js` inlined; no
 * remote font, script or image, so it works offline and as an e-mail attachment. A Content
 * Security Policy in the page allows only that inline style and script (by hash): nothing
 * is fetched, whatever the cluster data says. Every value is escaped (`{{ }}`): messages and
 * evidence come from the cluster and are not trusted.
 *
 * Without JavaScript the page reads fully: evidence is in `<details>`, filters are CSS
 * (`:has()`). The script opens collapsed blocks while printing from a browser, and sets the
 * column widths of a family table too wide for its window or paper (without it such a table
 * scrolls sideways in its box).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR, TOOL_VERSION } from '../paths.js';
import type { Report } from '../contract/report.js';
import { evidenceOf } from '../evidence/stamp.js';
import { htmlView, type HtmlViewOptions } from './html-view.js';
import { inlineCsp } from './page.js';

export type HtmlOptions = HtmlViewOptions;

interface Compiled {
  template: Handlebars.TemplateDelegate;
  css: string;
  js: string;
  csp: string;
}

let compiled: Compiled | undefined;

function compile(): Compiled {
  if (compiled) return compiled;
  const hb = Handlebars.create();
  const partials = join(TEMPLATES_DIR, 'partials');
  for (const f of readdirSync(partials).filter((n) => n.endsWith('.hbs'))) {
    hb.registerPartial(basename(f, '.hbs'), readFileSync(join(partials, f), 'utf8'));
  }
  const template = hb.compile(readFileSync(join(TEMPLATES_DIR, 'report.hbs'), 'utf8'), { strict: true, preventIndent: true });
  const css = readFileSync(join(TEMPLATES_DIR, 'report.css'), 'utf8');
  const js = readFileSync(join(TEMPLATES_DIR, 'report.js'), 'utf8');
  const csp = inlineCsp(css, js);
  compiled = { template, css, js, csp };
  return compiled;
}

/**
 * Renders the report as one HTML page. `print` opens every collapsed block (for the PDF);
 * `evidence` (default: the digest of `renderJson(report)`) goes into the head's `<meta>` tags.
 */
export function renderHtml(report: Report, opts: HtmlOptions = { print: false }): string {
  const c = compile();
  const evidence = opts.evidence ?? evidenceOf(report);
  return c.template({ view: htmlView(report, { ...opts, evidence }), css: c.css, js: c.js, csp: c.csp, tool: TOOL_VERSION, evidence });
}
