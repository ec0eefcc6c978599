// Bundles the CLI and the library with esbuild, embeds the parsed default rule set
// (so the CI path never parses YAML for it), and emits type declarations.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const rulesText = readFileSync(join(root, 'rules/default.yaml'), 'utf8');
// Parsed here only to embed; the loader still validates and compares the text at run time.
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
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' } });
await build({ ...common, entryPoints: { index: 'src/index.ts' }, chunkNames: 'lib/[name]-[hash]' });

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

// The parsed default rule set, with the YAML it came from: the CLI reads this instead of
// parsing and validating the YAML on every run, while the YAML on disk is unchanged.
writeFileSync(join(root, 'dist/default-rules.json'), JSON.stringify({ source: rulesText, rules: rulesData }));

// JSON Schemas for editors (`# yaml-language-server: $schema=...` in `ft-advisor init`),
// generated from the same zod schemas that validate the files.
mkdirSync(join(root, 'schemas'), { recursive: true });
writeFileSync(join(root, 'schemas/answers.schema.json'), `${JSON.stringify(lib.answersJsonSchema(defaultRules), null, 2)}\n`);
writeFileSync(join(root, 'schemas/rules.schema.json'), `${JSON.stringify(lib.rulesJsonSchema(), null, 2)}\n`);

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], {
    cwd: root,
    stdio: 'inherit',
  });
}

if (!quiet) console.error(`ft-advisor built in ${Date.now() - started} ms`);
