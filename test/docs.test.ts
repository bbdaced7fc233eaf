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
import { checkPage, generateCheckDocs, headerComment, readmeWithCheckTables, stalePages, writeCheckDocs } from '../scripts/docs.js';
import type { RegisteredCheck } from '../src/contract/check.js';
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
  it("are the checks' summaries, every built-in check under its family (UPDATE_DOCS=1 writes them)", async () => {
    const file = join(PACKAGE_ROOT, 'README.md');
    const readme = readFileSync(file, 'utf8');
    const checks = await loadBuiltinChecks();
    const current = readmeWithCheckTables(readme, checks);
    if (process.env.UPDATE_DOCS) writeFileSync(file, current);
    expect(current).toBe(readFileSync(file, 'utf8'));
    const section = readme.slice(readme.indexOf('\n## The checks\n'), readme.indexOf('\n## The offline dump'));
    for (const c of checks) expect(section, c.def.id).toContain(`\`${c.def.id}\``);
  });

  it('share a row between checks with the same summary, and refuse a check without one', () => {
    const check = (id: string, summary?: string) => ({ def: { id, family: 'etcd', summary } }) as unknown as RegisteredCheck;
    const readme =
      '# x\n\n## The checks\n\n### etcd (`etcd`)\n\nBefore.\n\n| check | reports |\n|---|---|\n| `old` | gone |\n\nAfter.\n\n## Next\n';
    expect(readmeWithCheckTables(readme, [check('etcd-b', 'one'), check('etcd-a', 'one'), check('etcd-c', 'two')])).toBe(
      '# x\n\n## The checks\n\n### etcd (`etcd`)\n\nBefore.\n\n| check | reports |\n|---|---|\n| `etcd-a`, `etcd-b` | one |\n| `etcd-c` | two |\n\nAfter.\n\n## Next\n',
    );
    expect(() => readmeWithCheckTables(readme, [check('etcd-a')])).toThrow("etcd-a: no summary for the README's table");
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
