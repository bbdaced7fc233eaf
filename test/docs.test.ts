/**
 * docs/checks/ is the output of scripts/docs.ts on the current registry. After changing a
 * check's metadata or header comment: `UPDATE_DOCS=1 npx vitest run test/docs.test.ts` (or
 * `npm run docs`). Also: no text of the repository cites a file that is not in it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPage, generateCheckDocs, headerComment, stalePages, writeCheckDocs } from '../scripts/docs.js';
import { loadBuiltinChecks } from '../src/engine/registry.js';
import { PACKAGE_ROOT } from '../src/paths.js';

describe('generated check pages', () => {
  it('are current', async () => {
    const pages = await generateCheckDocs();
    if (process.env.UPDATE_DOCS) writeCheckDocs(pages);
    expect(stalePages(pages)).toEqual({ changed: [], removed: [] });
    const checks = await loadBuiltinChecks();
    expect([...pages.keys()].sort()).toEqual(['README.md', ...checks.map((c) => `${c.def.id}.md`)].sort());
  });

  it('give rules, inputs, options with defaults and references of a check', async () => {
    const check = (await loadBuiltinChecks()).find((c) => c.def.id === 'certs-pki-expiry')!;
    const page = checkPage(check, readFileSync(join(PACKAGE_ROOT, 'checks', 'certs', 'certs-pki-expiry.ts'), 'utf8'));
    for (const [id, r] of Object.entries(check.def.rules))
      expect(page).toContain(`| \`${id}\` | ${r.severity ?? check.def.defaultSeverity} | `);
    for (const k of check.def.requires) expect(page).toContain(`| \`${k}\` | required: the check is \`error\` without it | `);
    for (const [k, v] of Object.entries(check.def.defaultOptions)) expect(page).toContain(`| \`${k}\` | \`${JSON.stringify(v)}\` | `);
    for (const r of check.def.references) expect(page).toContain(`- <${r}>`);
  });

  it('reads the header comment without its margins', () => {
    expect(headerComment('/**\n * What it judges.\n *\n *   indented `x`\n */\nimport a from "b";\n/** not this */')).toBe(
      'What it judges.\n\n  indented `x`',
    );
    expect(headerComment('import a from "b";')).toBe('');
  });

  it('reports stale and removed pages, and writes them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kp-docs-'));
    try {
      writeFileSync(join(dir, 'a.md'), 'old\n');
      writeFileSync(join(dir, 'gone.md'), 'x\n');
      const pages = new Map([
        ['a.md', 'new\n'],
        ['b.md', 'b\n'],
      ]);
      expect(stalePages(pages, dir)).toEqual({ changed: ['a.md', 'b.md'], removed: ['gone.md'] });
      writeCheckDocs(pages, dir);
      expect(stalePages(pages, dir)).toEqual({ changed: [], removed: [] });
      expect(existsSync(join(dir, 'gone.md'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("README's check tables", () => {
  it('list every built-in check under its family, and nothing else', async () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## The checks\n'), readme.indexOf('\n## ', readme.indexOf('\n## The checks\n') + 1));
    const listed: Record<string, string[]> = {};
    for (const part of section.split('\n### ').slice(1)) {
      const family = /^[^\n]*\(`(\w+)`\)\n/.exec(part)?.[1];
      // A row's first cell names one check or several (`a`, `b`).
      const ids = [...part.matchAll(/^\| (`[\w-]+`(?:, `[\w-]+`)*) \|/gm)].flatMap((m) => m[1]!.split(', ').map((id) => id.slice(1, -1)));
      if (family) listed[family] = ids.sort();
      else expect(ids, part.split('\n')[0]).toEqual([]);
    }
    const registered: Record<string, string[]> = {};
    for (const c of await loadBuiltinChecks()) (registered[c.def.family] ??= []).push(c.def.id);
    for (const ids of Object.values(registered)) ids.sort();
    expect(listed).toEqual(registered);
  });
});

describe('documentation', () => {
  const tracked = execFileSync('git', ['ls-files'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

  it('links only to files of the repository', () => {
    const bad: string[] = [];
    for (const file of tracked.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(PACKAGE_ROOT, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(resolve(PACKAGE_ROOT, dirname(file), target))) bad.push(`${file}: ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
