/**
 * Self-contained HTML pages (the report, the fleet summary, the trend): a Handlebars template
 * from `templates/` with its stylesheet (and script) inlined, and a Content Security Policy
 * that allows only those inline blocks, by SHA-256 hash: nothing is fetched, whatever the
 * cluster data says.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../paths.js';

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** The page's Content-Security-Policy: only the inline `css` (and `js`), data: images, no base or form targets. */
export function inlineCsp(css: string, js?: string): string {
  const script = js === undefined ? '' : ` script-src ${sha256(js)};`;
  return `default-src 'none'; style-src ${sha256(css)};${script} img-src data:; base-uri 'none'; form-action 'none'`;
}

/** A page template with no script: the compiled template, its stylesheet and their CSP. */
export interface StandalonePage {
  template: Handlebars.TemplateDelegate;
  css: string;
  csp: string;
}

const pages = new Map<string, StandalonePage>();

/**
 * `templates/<template>` (strict: a missing field throws) with `templates/<stylesheet>`,
 * compiled once per process. Throws the file system's error when a file is missing.
 */
export function standalonePage(template: string, stylesheet: string): StandalonePage {
  const key = `${template}\u0000${stylesheet}`;
  let page = pages.get(key);
  if (!page) {
    const css = readFileSync(join(TEMPLATES_DIR, stylesheet), 'utf8');
    const compiled = Handlebars.create().compile(readFileSync(join(TEMPLATES_DIR, template), 'utf8'), {
      strict: true,
      preventIndent: true,
    });
    page = { template: compiled, css, csp: inlineCsp(css) };
    pages.set(key, page);
  }
  return page;
}
