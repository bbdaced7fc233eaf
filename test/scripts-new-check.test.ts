/**
 * scripts/new-check.ts: scaffolds a check of every family into a temporary copy of the layout
 * (its `src` a link to the repository's), type-checks the generated files with the repository's
 * compiler options, and runs the fixture tester on each generated check: the pass and error
 * cases hold, the fail case fails until the check reports its finding. The CLI's refusals need
 * the built script (`npm test` builds).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILY_TEMPLATES, ScaffoldError, scaffoldCheck } from '../scripts/new-check.js';
import { FAMILIES, isCheck, type CheckDefinition } from '../src/contract/check.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { inputDef } from '../src/sources/inputs.js';
import { listFixtureCases, runFixtureCase } from '../src/testing/fixtures.js';

const tmp = mkdtempSync(join(tmpdir(), 'kube-preflight-new-check-'));
symlinkSync(join(PACKAGE_ROOT, 'src'), join(tmp, 'src'), 'dir');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const written = new Map(FAMILIES.map((f) => [f, scaffoldCheck(tmp, f, `${f}-scaffold-probe`)]));

describe('npm run new-check', () => {
  it('writes the check file and pass, fail and error cases holding only the declared input', () => {
    for (const [family, files] of written) {
      const t = FAMILY_TEMPLATES[family];
      const id = `${family}-scaffold-probe`;
      expect(files).toEqual([
        `checks/${family}/${id}.ts`,
        `fixtures/checks/${id}/pass-example/${t.file}`,
        `fixtures/checks/${id}/pass-example/expected.json`,
        `fixtures/checks/${id}/fail-example/${t.file}`,
        `fixtures/checks/${id}/fail-example/expected.json`,
        `fixtures/checks/${id}/error-no-${t.input}/expected.json`,
      ]);
      expect(inputDef(t.input)?.type).toBe('resources');
      const source = readFileSync(join(tmp, files[0]!), 'utf8');
      expect(source).toContain(`requires: ['${t.input}'],`);
      expect(source).not.toMatch(/TODO|FIXME/);
      expect(JSON.parse(readFileSync(join(tmp, files[5]!), 'utf8'))).toEqual({
        findings: [],
        reason: `input ${t.input} is missing`,
        missing: [t.input],
      });
    }
  });

  it('generates checks that type-check with the repository compiler options', () => {
    const config = ts.readConfigFile(join(PACKAGE_ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
    const options: ts.CompilerOptions = {
      ...ts.parseJsonConfigFileContent(config.config, ts.sys, PACKAGE_ROOT).options,
      noEmit: true,
      rootDir: undefined,
      outDir: undefined,
      declaration: false,
    };
    const host = ts.createCompilerHost(options);
    // Imports through the `src` link resolve to the repository's files (one InputTypes interface).
    host.resolveModuleNameLiterals = (literals, containing) =>
      literals.map((literal) => {
        const resolved = ts.resolveModuleName(literal.text, containing, options, host);
        const r = resolved.resolvedModule;
        return r ? { ...resolved, resolvedModule: { ...r, resolvedFileName: realpathSync(r.resolvedFileName) } } : resolved;
      });
    // As in the build, the input catalog's modules declare the InputTypes the checks are typed by.
    const roots = [join(PACKAGE_ROOT, 'src', 'sources', 'inputs.ts'), ...[...written.values()].map((files) => join(tmp, files[0]!))];
    const program = ts.createProgram(roots, options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
  });

  it.each(FAMILIES.map((f) => [f] as const))(
    '%s: the fixture tester passes pass and error, and fails fail until run reports it',
    async (family) => {
      const id = `${family}-scaffold-probe`;
      const mod = (await import(join(tmp, 'checks', family, `${id}.ts`))) as { default: CheckDefinition };
      expect(isCheck(mod.default)).toBe(true);
      const cases = listFixtureCases(join(tmp, 'fixtures', 'checks', id));
      expect(cases.map((c) => c.name)).toEqual([`error-no-${FAMILY_TEMPLATES[family].input}`, 'fail-example', 'pass-example']);
      const [error, fail, pass] = await Promise.all(cases.map((c) => runFixtureCase(mod.default, c)));
      expect(error!.problems).toEqual([]);
      expect(pass!.problems).toEqual([]);
      expect(pass!.result).toMatchObject({ status: 'pass', evaluated: 1 });
      const expected = JSON.parse(readFileSync(join(cases[1]!.dir, 'expected.json'), 'utf8')) as {
        findings: Array<{ resource: Record<string, string> }>;
      };
      const r = expected.findings[0]!.resource;
      const subject = `${r.apiVersion!.includes('/') ? r.apiVersion!.split('/')[0] : ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
      expect(fail!.problems).toEqual([
        'status is pass (no reason), expected fail',
        `expected finding not reported: medium scaffold-probe ${subject}`,
      ]);
      expect(fail!.result).toMatchObject({ evaluated: 2 });
    },
  );

  it('refuses a bad family, a bad id and an existing id, in one line, writing nothing', () => {
    expect(scaffoldError(tmp, 'network', 'network-policies')).toBe(
      'family "network" is not one of certs, etcd, versions, apis, pdb, backup, rbac',
    );
    expect(scaffoldError(tmp, 'pdb', 'versions-skew')).toBe(
      'id "versions-skew" is not kebab-case starting with "pdb-" (e.g. pdb-budget-floor)',
    );
    expect(scaffoldError(tmp, 'rbac', 'rbac-Admins')).toBe(
      'id "rbac-Admins" is not kebab-case starting with "rbac-" (e.g. rbac-example-rule)',
    );
    expect(scaffoldError(tmp, 'rbac', 'rbac-scaffold-probe')).toBe('check rbac-scaffold-probe exists: checks/rbac/rbac-scaffold-probe.ts');
    expect(scaffoldError(tmp, 'etcd', 'rbac-scaffold-probe')).toBe(
      'id "rbac-scaffold-probe" is not kebab-case starting with "etcd-" (e.g. etcd-example-rule)',
    );
    expect(scaffoldError(PACKAGE_ROOT, 'versions', 'versions-node-readiness')).toBe(
      'check versions-node-readiness exists: checks/versions/versions-node-readiness.ts',
    );
    expect(scaffoldError(PACKAGE_ROOT, 'pdb', 'pdb-blocking')).toBe('check pdb-blocking exists: checks/pdb/pdb-blocking.ts');
    expect(existsSync(join(tmp, 'checks', 'network'))).toBe(false);
    expect(existsSync(join(tmp, 'fixtures', 'checks', 'versions-skew'))).toBe(false);
  });

  it.runIf(existsSync(join(PACKAGE_ROOT, 'dist', 'scripts', 'new-check.js')))(
    'the CLI prints a refusal as one line and exits 1',
    async () => {
      const run = promisify(execFile);
      const err = (await run(process.execPath, [
        join(PACKAGE_ROOT, 'dist', 'scripts', 'new-check.js'),
        'network',
        'network-policies',
      ]).catch((e: unknown) => e)) as { code: number; stderr: string; stdout: string };
      expect(err.code).toBe(1);
      expect(err.stderr).toBe('new-check: family "network" is not one of certs, etcd, versions, apis, pdb, backup, rbac\n');
      expect(err.stdout).toBe('');
    },
  );
});

/** The message `scaffoldCheck` refuses with (it writes nothing then). */
function scaffoldError(root: string, family: string, id: string): string | undefined {
  try {
    scaffoldCheck(root, family, id);
  } catch (e) {
    return e instanceof ScaffoldError ? e.message : String(e);
  }
  return undefined;
}
