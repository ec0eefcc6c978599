// The package as a user meets it: `npm pack`, installed into a fresh project from the
// tarball (offline: it has no runtime dependencies), its binary run through npx, and its
// types compiled by a TypeScript consumer under each module resolution.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, tempDir } from '../cli/helpers';

const exec = promisify(execFile);
let tmp: ReturnType<typeof tempDir>;
let tarball: string;
let files: string[];
let project: string;
let installLog: string;
/** "Are the types wrong?" on the tarball: started once the tarball is there, beside the other steps. */
let attw: Promise<{ stdout: string }>;

/** npm with a clean environment: no colour, no update check, no audit. */
function npm(args: string[], cwd: string) {
  const env = { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  return exec('npm', args, { cwd, env, maxBuffer: 1 << 26 });
}

beforeAll(async () => {
  await ensureBuilt();
  // ensureBuilt skips declarations to save time; `npm test` builds them in pretest.
  if (!existsSync(join(ROOT, 'dist/types/index.d.ts'))) {
    await exec(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], { cwd: ROOT });
    const { fixDeclarations } = (await import(join(ROOT, 'scripts/types.mjs'))) as { fixDeclarations: (root: string) => void };
    fixDeclarations(ROOT);
  }
  tmp = tempDir('ft-advisor-pack-');
  const { stdout } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp.dir], ROOT);
  const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp.dir, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
  const attwCli = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
  attw = exec(process.execPath, [attwCli, tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'], { cwd: tmp.dir, maxBuffer: 1 << 26 }).catch((e: { stdout: string }) => e);
  project = join(tmp.dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = await npm(['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  installLog = install.stdout + install.stderr;
}, 240_000);
afterAll(() => tmp?.cleanup());

describe('the packed tarball', () => {
  it('ships the licence, changelog, docs, the action and the JSON Schemas, and no sources', () => {
    for (const f of [
      'LICENSE',
      'CHANGELOG.md',
      'README.md',
      'docs/ci.md',
      'docs/rules.md',
      'action.yml',
      'schemas/answers.schema.json',
      'schemas/rules.schema.json',
      'schemas/report.schema.json',
      'bin/ft-advisor.cjs',
      'dist/types/index.d.ts',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs offline with nothing else: every library is bundled in dist/', () => {
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual(['ft-advisor']);
    // npm 11 lists the `prepare` script of a package installed from a file (never from
    // the registry) for review; nothing else may warn.
    const warnings = installLog.split('\n').filter((l) => /warn|err/i.test(l) && !l.startsWith('npm warn install-scripts'));
    expect(warnings).toEqual([]);
  });

  it('has a `prepare` that does nothing, quietly, where the build script is not shipped', async () => {
    const r = await npm(['run', '--silent', 'prepare'], join(project, 'node_modules/ft-advisor'));
    expect(r.stdout + r.stderr).toBe('');
    expect(existsSync(join(project, 'node_modules/ft-advisor/scripts'))).toBe(false);
  });

  it('runs through npx: --version and an assessment', { timeout: 120_000 }, async () => {
    const answers = join(project, 'node_modules/ft-advisor/examples/task-api.yaml');
    const [version, full, fast] = await Promise.all([
      exec('npx', ['--offline', 'ft-advisor', '--version'], { cwd: project }),
      exec('npx', ['--offline', 'ft-advisor', 'assess', '--answers', answers, '--format', 'json', '--color'], { cwd: project }),
      // The fast path too (the flags above send it through the full program).
      exec('npx', ['--offline', 'ft-advisor', 'assess', '--answers', answers, '--format', 'json'], { cwd: project }),
    ]);
    expect(version.stdout.trim()).toBe('0.1.0');
    expect(JSON.parse(full.stdout).recommendation.approach).toBe('hybrid');
    expect(JSON.parse(fast.stdout).recommendation.approach).toBe('hybrid');
  });

  it('passes "Are the types wrong?" for ESM consumers (node16, nodenext, bundler)', async () => {
    const r = await attw;
    const result = JSON.parse(r.stdout) as { analysis: { problems: unknown[] } };
    expect(result.analysis.problems.filter((p) => (p as { kind: string }).kind !== 'CJSResolvesToESM')).toEqual([]);
  }, 120_000);
});

/**
 * The errors `tsc -p <dir>` reports for each consumer project, type-checked in this
 * process with TypeScript's API, the three programs sharing the files they have in common
 * (the standard library, @types/node, the package's declarations): each is parsed once and
 * checked by a warm compiler, instead of three cold `tsc` processes. Every program is
 * checked in full, declaration files included (skipLibCheck: false), as tsc checks it.
 */
let consumerErrors: Promise<Record<string, string[]>> | undefined;
const RESOLUTIONS = ['nodenext', 'node16', 'bundler'];

function checkConsumers(): Promise<Record<string, string[]>> {
  consumerErrors ??= (async () => {
    const ts = createRequire(import.meta.url)(join(ROOT, 'node_modules/typescript')) as typeof import('typescript');
    const parsed = new Map<string, import('typescript').SourceFile | undefined>();
    const errors: Record<string, string[]> = {};
    for (const resolution of RESOLUTIONS) {
      const dir = join(project, resolution);
      mkdirSync(dir, { recursive: true });
      const module = resolution === 'bundler' ? 'esnext' : resolution;
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: 'es2022',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(ROOT, 'node_modules/@types')],
          },
          files: ['consumer.ts'],
        }),
      );
      writeFileSync(
        join(dir, 'consumer.ts'),
        `import { assess, loadRules, type Report, type RuleSet } from 'ft-advisor';
const rules: RuleSet = await loadRules();
const report: Report = await assess({}, rules);
const name: string = report.useCase;
const sections: number = rules.sections.length;
const approach: number = report.recommendation.approach;
export { name, sections, approach };
`,
      );
      const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      expect(config, `${resolution}: tsconfig.json`).toBeDefined();
      const host = ts.createCompilerHost(config!.options);
      const read = host.getSourceFile.bind(host);
      // A file parses the same wherever its language version and module format are the same.
      host.getSourceFile = (fileName, version, ...rest) => {
        const key = `${fileName}\0${typeof version === 'object' ? `${version.languageVersion}:${version.impliedNodeFormat}` : version}`;
        if (!parsed.has(key)) parsed.set(key, read(fileName, version, ...rest));
        return parsed.get(key);
      };
      const program = ts.createProgram({ rootNames: config!.fileNames, options: config!.options, host, configFileParsingDiagnostics: config!.errors });
      const diagnostics = ts.getPreEmitDiagnostics(program);
      const format = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' };
      errors[resolution] = diagnostics.map((d) => ts.formatDiagnostic(d, format).trimEnd());
    }
    return errors;
  })();
  return consumerErrors;
}

describe('the published types in a TypeScript project', () => {
  it.each(RESOLUTIONS)(
    'under moduleResolution %s, Report is typed: approach is not a number',
    async (resolution) => {
      const errors = (await checkConsumers())[resolution]!.filter((l) => /error TS/.test(l));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^consumer\.ts\(6,7\): error TS2322: Type '[^']+' is not assignable to type 'number'\./);
    },
    120_000,
  );
});
