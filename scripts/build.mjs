// Bundles the CLI and the library with esbuild, embeds the parsed default rule set
// (so the CI path never parses YAML for it), and emits type declarations.
import { build } from 'esbuild';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const started = Date.now();

const rulesText = readFileSync(join(root, 'rules/default.yaml'), 'utf8');
// Parsed here only to embed; the loader still validates and compares the text at run time.
const rulesData = YAML.parse(rulesText, { uniqueKeys: true, maxAliasCount: 100 });

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist'), { recursive: true });

await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/main.ts', index: 'src/index.ts' },
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
    __EMBEDDED_DEFAULT_RULES__: JSON.stringify({ text: rulesText, data: rulesData }),
    __PACKAGE_ROOT_FROM_MODULE__: JSON.stringify('..'),
    __FT_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  },
  // CommonJS dependencies (cli-table3 and friends) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __ftCreateRequire } from 'node:module'; const require = __ftCreateRequire(import.meta.url);" },
});

if (!process.argv.includes('--no-types')) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--emitDeclarationOnly'], {
    cwd: root,
    stdio: 'inherit',
  });
}

if (!quiet) console.error(`ft-advisor built in ${Date.now() - started} ms`);
