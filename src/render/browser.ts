/**
 * Finding a Chrome or Chromium to print PDFs with. kube-preflight downloads no browser
 * (`puppeteer-core`); it looks, in this order, at:
 * 1. `--chrome PATH`;
 * 2. `PUPPETEER_EXECUTABLE_PATH`;
 * 3. the system's Chromium or Chrome: `chromium`, `chromium-browser`, `google-chrome-stable`,
 *    `google-chrome`, `chrome` on `PATH`, then the usual install locations (Debian's
 *    `/usr/bin/chromium`, snap, macOS `/Applications`, Windows `Program Files`), then Google
 *    Chrome's stable channel where `@puppeteer/browsers` says it installs;
 * 4. puppeteer's cache (`PUPPETEER_CACHE_DIR`, else `~/.cache/puppeteer`): a browser installed
 *    with `npx @puppeteer/browsers install chrome-headless-shell@stable` (newest first).
 * A path given explicitly (1, 2) that does not exist is an error, not skipped.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Browser, ChromeReleaseChannel, computeSystemExecutablePath, getInstalledBrowsers } from '@puppeteer/browsers';
import { FatalError } from '../contract/errors.js';

export interface FoundBrowser {
  path: string;
  /** Where it was found: `--chrome`, `PUPPETEER_EXECUTABLE_PATH`, `system`, `puppeteer cache`. */
  from: string;
}

/** The one-line advice when no browser is found. */
export const NO_BROWSER =
  'no Chrome or Chromium found to print the PDF: install one (Debian/Ubuntu: apt-get install ' +
  'chromium; macOS: brew install --cask chromium), or give its path with --chrome PATH or ' +
  'PUPPETEER_EXECUTABLE_PATH';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function knownLocations(env: NodeJS.ProcessEnv): string[] {
  if (process.platform === 'darwin') {
    return ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
  }
  if (process.platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
    return roots.flatMap((r) => [
      join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(r, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
    '/opt/google/chrome/chrome',
  ];
}

function onPath(env: NodeJS.ProcessEnv): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? ['.exe'] : [''];
  for (const name of NAMES) for (const d of dirs) for (const e of exts) if (executable(join(d, name + e))) return join(d, name + e);
  return undefined;
}

function systemChrome(): string | undefined {
  try {
    return computeSystemExecutablePath({ browser: Browser.CHROME, channel: ChromeReleaseChannel.STABLE });
  } catch {
    return undefined;
  }
}

async function fromCache(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const cacheDir = env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  try {
    const installed = (await getInstalledBrowsers({ cacheDir })).filter((b) =>
      [Browser.CHROMEHEADLESSSHELL, Browser.CHROME, Browser.CHROMIUM].includes(b.browser),
    );
    installed.sort((a, b) => b.buildId.localeCompare(a.buildId, 'en', { numeric: true }));
    return installed.map((b) => b.executablePath).find(executable);
  } catch {
    return undefined;
  }
}

/**
 * Finds the browser, in the order above. Throws `FatalError` (one line) when there is none.
 * `systemPaths` replaces the usual install locations (and Google Chrome's), for tests.
 */
export async function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env, systemPaths?: string[]): Promise<FoundBrowser> {
  if (explicit) {
    if (!executable(explicit)) throw new FatalError(`--chrome ${explicit}: not an executable file`);
    return { path: explicit, from: '--chrome' };
  }
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!executable(fromEnv)) throw new FatalError(`PUPPETEER_EXECUTABLE_PATH=${fromEnv}: not an executable file`);
    return { path: fromEnv, from: 'PUPPETEER_EXECUTABLE_PATH' };
  }
  const system = onPath(env) ?? (systemPaths ? systemPaths.find(executable) : (knownLocations(env).find(executable) ?? systemChrome()));
  if (system) return { path: system, from: 'system' };
  const cached = await fromCache(env);
  if (cached) return { path: cached, from: 'puppeteer cache' };
  throw new FatalError(NO_BROWSER);
}
