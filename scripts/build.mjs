// Bundles the CLI and the library with esbuild, embeds the parsed default rule set
// (so the CI path never parses YAML for it), and emits type declarations.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const rulesText = readFileSync(join(root, 'rules/default.yaml'), 'utf8');
// Parsed here to embed (validated below); at run time the CLI uses the embedded copy only
// while rules/default.yaml is unchanged (src/rules/default-rules.ts).
const rulesData = YAML.parse(rulesText, { uniqueKeys: true, maxAliasCount: 100 });

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });

// The CLI and the library are bundled separately: sharing chunks between them would
// split the CLI's hot path into more files, and each ES module costs start-up time.
const common = {
  absWorkingDir: root,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: false,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: {
    __FT_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  },
  // CommonJS dependencies (cli-table3 and friends) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __ftCreateRequire } from 'node:module'; const require = __ftCreateRequire(import.meta.url);" },
};
// The CLI is two builds. dist/cli.cjs holds `run` and the CI fast path in one CommonJS
// file, run by bin/ through V8's code cache (bin/ft-advisor.cjs); its rarely used parts
// (YAML, the text renderer) are inlined but only initialised when first needed.
// dist/program.js is the full commander program with its chunks, loaded only when the
// fast path declines. One build would split every module both halves use into shared
// chunks, and each ES module on the start-up path costs time.
const programThroughBin = {
  name: 'program-through-bin',
  setup(b) {
    // The vm script cannot import(); bin/ft-advisor.cjs hands it a function that can. The
    // full program, the full answers validation (zod) that batches load for their first
    // invalid document, and the evidence readers that batches load for their first use
    // case with evidence files, are ES modules of the program build.
    b.onResolve({ filter: /(^|\/)load-(program|validation|evidence)$/ }, (args) => ({ path: args.path.split('/').pop(), namespace: 'ft-advisor' }));
    b.onLoad({ filter: /^load-program$/, namespace: 'ft-advisor' }, () => ({
      contents: "export const loadProgram = () => __ftImport('./program.js');",
      loader: 'js',
    }));
    b.onLoad({ filter: /^load-validation$/, namespace: 'ft-advisor' }, () => ({
      contents: "export const loadValidation = () => __ftImport('./validation.js');",
      loader: 'js',
    }));
    b.onLoad({ filter: /^load-evidence$/, namespace: 'ft-advisor' }, () => ({
      contents: "export const loadEvidence = () => __ftImport('./evidence.js');",
      loader: 'js',
    }));
    // The YAML parser (a third of the bundle) is only needed for YAML that the plain-YAML
    // reader declines, never for JSON: it lives in dist/yaml.cjs, required when first used,
    // so start-up neither reads nor deserialises it.
    // The same for the display-width libraries of the text renderers (string-width, which
    // cli-table3 uses too, and wrap-ansi): dist/width.cjs, so the JSON path's code cache
    // does not carry them.
    const split = { yaml: "require('./yaml.cjs')", 'wrap-ansi': "require('./width.cjs').wrapAnsi", 'string-width': "require('./width.cjs').stringWidth" };
    b.onResolve({ filter: /^(yaml|wrap-ansi|string-width)$/ }, (args) => ({ path: args.path, namespace: 'ft-advisor-split' }));
    b.onLoad({ filter: /.*/, namespace: 'ft-advisor-split' }, (args) => ({ contents: `module.exports = ${split[args.path]};`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/(yaml|width)\.cjs$/ }, (args) => ({ path: args.path, external: true }));
  },
};
const startup = await build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts' },
  splitting: false,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  write: false,
  metafile: true,
  plugins: [programThroughBin],
  // CommonJS has no import.meta; the bundle is run with __filename set (bin/ft-advisor.cjs).
  define: { ...common.define, 'import.meta.url': '__ftModuleUrl' },
  banner: { js: "const __ftModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
checkStartupBundle(startup.metafile);
await build({ ...common, entryPoints: { yaml: 'node_modules/yaml/dist/index.js' }, splitting: false, format: 'cjs', outExtension: { '.js': '.cjs' }, banner: {} });
await build({
  ...common,
  stdin: { contents: "module.exports = { wrapAnsi: require('wrap-ansi'), stringWidth: require('string-width') };", resolveDir: root, sourcefile: 'width.cjs' },
  outfile: 'dist/width.cjs',
  outdir: undefined,
  splitting: false,
  format: 'cjs',
  banner: {},
});
const bundle = startup.outputFiles[0].text;
// The build id names the code cache made for exactly this bundle (scripts/code-cache.mjs).
const buildId = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
writeFileSync(join(root, 'dist/cli.cjs'), `// ft-advisor build ${buildId}\n${bundle}`);
await build({ ...common, entryPoints: { program: 'src/cli/program.ts', validation: 'src/answers/validate.ts', evidence: 'src/batch/evidence.ts' } });
await build({ ...common, entryPoints: { index: 'src/index.ts' }, chunkNames: 'lib/[name]-[hash]' });

/** Fails the build if the start-up bundle pulls in what only the full program needs. */
function checkStartupBundle(metafile) {
  const output = metafile.outputs['dist/cli.cjs'];
  // bin/ft-advisor.cjs runs the bundle as a vm script, where import() throws.
  const dynamic = output.imports.filter((i) => i.kind === 'dynamic-import' && i.external);
  if (dynamic.length) {
    console.error(`dist/cli.cjs would import() ${dynamic.map((i) => i.path).join(', ')} at run time, which a vm script cannot; use a static import (or loadProgram).`);
    process.exit(1);
  }
  const inputs = Object.keys(output.inputs);
  const heavy = inputs.filter((f) => /node_modules\/(zod|commander|@inquirer)\/|src\/(questionnaire|rules\/schema|answers\/schema)/.test(f));
  if (heavy.length) {
    // Say how each got in: the shortest chain of imports from the entry.
    const chain = (target) => {
      const from = new Map([['src/cli/main.ts', null]]);
      for (const queue = ['src/cli/main.ts']; queue.length;) {
        const file = queue.shift();
        if (file === target) break;
        for (const i of metafile.inputs[file]?.imports ?? []) if (!from.has(i.path)) (from.set(i.path, file), queue.push(i.path));
      }
      const path = [];
      for (let f = target; f; f = from.get(f)) path.unshift(f);
      return path.join(' -> ');
    };
    console.error(`dist/cli.cjs, the start-up bundle, now includes ${heavy.slice(0, 5).join(', ')}: the fast path must not reach zod, commander or the questionnaire.`);
    for (const f of heavy.slice(0, 3)) console.error(`  ${chain(f)}`);
    process.exit(1);
  }
}

// The CLI trusts the built copy of the default rule set, so it must be valid before it ships.
const lib = await import(`${pathToFileURL(join(root, 'dist/index.js')).href}?t=${Date.now()}`);
let defaultRules;
try {
  defaultRules = lib.parseRuleSet(rulesData, 'rules/default.yaml');
} catch (error) {
  if (!(error instanceof lib.InputError)) throw error;
  console.error(`rules/default.yaml is invalid, so the build stops:\n${error.message}`);
  process.exit(1);
}

// The parsed default rule set, with a fingerprint of the YAML it came from: the CLI reads
// this instead of parsing and validating the YAML on every run, while the YAML on disk is
// unchanged (see currentBuiltDefault in src/rules/default-rules.ts for how it checks).
const { size, mtimeMs } = statSync(join(root, 'rules/default.yaml'));
writeFileSync(join(root, 'dist/default-rules.json'), JSON.stringify({ yaml: { size, mtimeMs }, rules: rulesData }));
// The YAML the rules came from, compared with rules/default.yaml when its modification
// time changed (as it does in every installed copy).
writeFileSync(join(root, 'dist/default-rules.yaml'), rulesText);

// JSON Schemas for editors (`# yaml-language-server: $schema=...` in `ft-advisor init`),
// generated from the same zod schemas that validate the files (and, for the report, from
// src/report/schema.ts, which the tests hold real reports to). Committed: the schemas' $ids
// are their URLs in the repository.
mkdirSync(join(root, 'schemas'), { recursive: true });
writeFileSync(join(root, 'schemas/answers.schema.json'), `${JSON.stringify(lib.answersJsonSchema(defaultRules), null, 2)}\n`);
writeFileSync(join(root, 'schemas/rules.schema.json'), `${JSON.stringify(lib.rulesJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'schemas/evidence.schema.json'), `${JSON.stringify(lib.evidenceJsonSchema(), null, 2)}\n`);
writeFileSync(join(root, 'schemas/report.schema.json'), `${JSON.stringify(lib.reportJsonSchema(), null, 2)}\n`);

// V8's code cache for the start-up bundle, made by running it on the examples.
execFileSync(process.execPath, [join(root, 'scripts/code-cache.mjs')], { cwd: root, stdio: 'inherit' });

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], {
    cwd: root,
    stdio: 'inherit',
  });
  const { fixDeclarations } = await import('./types.mjs');
  fixDeclarations(root);
}

if (!quiet) console.error(`ft-advisor built in ${Date.now() - started} ms`);
