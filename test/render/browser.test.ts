/**
 * Browser discovery for the PDF: `--chrome`, `PUPPETEER_EXECUTABLE_PATH`, the system, then
 * puppeteer's cache; a one-line error saying how to install one when there is none.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/contract/errors.js';
import { findBrowser, NO_BROWSER } from '../../src/render/browser.js';

let dir: string;
let fake: string;
const empty = (): NodeJS.ProcessEnv => ({ PATH: '', PUPPETEER_CACHE_DIR: join(dir, 'no-cache') });

async function exe(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kp-browser-'));
  fake = await exe(join(dir, 'bin', 'my-chrome'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('findBrowser', () => {
  it('takes --chrome first, and refuses one that does not exist', async () => {
    expect(await findBrowser(fake, { ...empty(), PUPPETEER_EXECUTABLE_PATH: '/nope' }, [])).toEqual({ path: fake, from: '--chrome' });
    await expect(findBrowser(join(dir, 'missing'), empty(), [])).rejects.toThrow(
      new FatalError(`--chrome ${join(dir, 'missing')}: not an executable file`),
    );
  });

  it('then PUPPETEER_EXECUTABLE_PATH, and refuses one that does not exist', async () => {
    expect(await findBrowser(undefined, { ...empty(), PUPPETEER_EXECUTABLE_PATH: fake }, [])).toEqual({
      path: fake,
      from: 'PUPPETEER_EXECUTABLE_PATH',
    });
    await expect(findBrowser(undefined, { ...empty(), PUPPETEER_EXECUTABLE_PATH: '/nope' }, [])).rejects.toThrow(
      /PUPPETEER_EXECUTABLE_PATH=\/nope: not an executable file/,
    );
  });

  it('then chromium or chrome on PATH, then the usual locations', async () => {
    const onPath = await exe(join(dir, 'path', 'chromium'));
    expect(await findBrowser(undefined, { ...empty(), PATH: join(dir, 'path') }, [fake])).toEqual({ path: onPath, from: 'system' });
    expect(await findBrowser(undefined, empty(), [join(dir, 'nothing'), fake])).toEqual({ path: fake, from: 'system' });
  });

  it.skipIf(process.platform !== 'linux')("then puppeteer's cache, newest build first", async () => {
    const cache = join(dir, 'cache');
    await exe(join(cache, 'chrome-headless-shell', 'linux-131.0.6778.85', 'chrome-headless-shell-linux64', 'chrome-headless-shell'));
    const newest = await exe(
      join(cache, 'chrome-headless-shell', 'linux-148.0.7778.97', 'chrome-headless-shell-linux64', 'chrome-headless-shell'),
    );
    expect(await findBrowser(undefined, { PATH: '', PUPPETEER_CACHE_DIR: cache }, [])).toEqual({ path: newest, from: 'puppeteer cache' });
  });

  it('says how to install one when there is none', async () => {
    await expect(findBrowser(undefined, empty(), [])).rejects.toThrow(NO_BROWSER);
    expect(NO_BROWSER).not.toContain('\n');
    expect(NO_BROWSER).toContain('apt-get install chromium');
  });
});
