/**
 * Whether a test can make and read PDFs here: a browser `findBrowser` accepts and the poppler
 * tools it names. Missing ones skip the test with a message, or fail it when
 * KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1 (CI installs them).
 */
import { execFileSync } from 'node:child_process';
import { findBrowser, type FoundBrowser } from '../../src/render/browser.js';

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The browser and why PDFs cannot be tested (`missing`), if they cannot. Throws when they
 * cannot and real components are required; otherwise warns with `what` (the part skipped).
 */
export async function pdfTools(tools: string[], what: string): Promise<{ browser?: FoundBrowser; missing?: string }> {
  const browser = await findBrowser().then(
    (b) => b,
    (e: unknown) => e as Error,
  );
  const absent = tools.filter((t) => !has(t));
  const missing =
    browser instanceof Error ? browser.message : absent.length > 0 ? `poppler-utils (${tools.join(', ')}) is not installed` : undefined;
  if (missing && process.env.KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS === '1')
    throw new Error(`KUBE_PREFLIGHT_REQUIRE_REAL_COMPONENTS=1 but ${missing}`);
  if (missing) console.warn(`${what}: ${missing}`);
  return browser instanceof Error ? { missing } : { browser, ...(missing ? { missing } : {}) };
}
