// Makes the emitted declarations (dist/types) work in every TypeScript project:
// - relative imports get their `.js` (or `/index.js`), which `node16`/`nodenext`
//   resolution requires and `bundler` accepts;
// - the rule-set types, inferred from zod schemas in the source, are written out as
//   plain object types, and declarations that only internal code uses and that name zod
//   are dropped: dist/ bundles zod, so a user's install has no zod to resolve them against.
// Run by scripts/build.mjs after tsc; test/package/types.test.ts checks the result.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Every .d.ts file under dir. */
function declarationFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? declarationFiles(path) : name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `./x` as `./x.js` or `./x/index.js`, whichever exists beside `file`. */
function withExtension(file, specifier) {
  if (!specifier.startsWith('.') || /\.(c|m)?js$/.test(specifier)) return specifier;
  const target = resolve(dirname(file), specifier);
  if (existsSync(`${target}.d.ts`)) return `${specifier}.js`;
  if (existsSync(join(target, 'index.d.ts'))) return `${specifier}/index.js`;
  throw new Error(`${relative(process.cwd(), file)}: cannot resolve ${specifier}`);
}

/** The RuleSet type of src/rules/schema.ts, spelled out without zod. */
function expandedRuleSet(root) {
  const file = join(root, 'src/rules/schema.ts');
  const program = ts.createProgram([file], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = checker.getSymbolAtLocation(source).exports.get('RuleSet');
  const type = checker.getTypeAtLocation(symbol.declarations[0].name);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.MultilineObjectLiterals;
  const text = checker.typeToString(type, undefined, flags);
  if (/\bz\.|\$Zod|\bcore\./.test(text)) throw new Error('RuleSet still names zod types after expansion');
  return text;
}

/** Removes statements that name zod (and any that name what was removed), rewrites RuleSet. */
function withoutZod(text, fileName, ruleSet) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const removed = new Set();
  const names = (node) => {
    const found = new Set();
    const visit = (n) => {
      if (ts.isIdentifier(n)) found.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(node);
    return found;
  };
  const declared = (statement) => (statement.name && ts.isIdentifier(statement.name) ? statement.name.text : undefined);
  const edits = [];
  let changed = true;
  const kept = new Set(sf.statements);
  while (changed) {
    changed = false;
    for (const statement of kept) {
      if (ts.isImportDeclaration(statement) && /^zod(\/|$)/.test(statement.moduleSpecifier.text)) {
        (kept.delete(statement), (changed = true));
        continue;
      }
      if (declared(statement) === 'RuleSet') continue;
      const used = names(statement);
      if (used.has('z') || [...removed].some((n) => used.has(n) && n !== declared(statement))) {
        (kept.delete(statement), (changed = true));
        if (declared(statement)) removed.add(declared(statement));
      }
    }
  }
  for (const statement of sf.statements) {
    if (!kept.has(statement)) edits.push([statement.getFullStart(), statement.getEnd(), '']);
    else if (declared(statement) === 'RuleSet' && ts.isTypeAliasDeclaration(statement)) {
      edits.push([statement.type.getStart(), statement.type.getEnd(), ruleSet]);
    }
  }
  let out = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + replacement + out.slice(end);
  return out;
}

export function fixDeclarations(root) {
  const dir = join(root, 'dist/types');
  let ruleSet;
  for (const file of declarationFiles(dir)) {
    let text = readFileSync(file, 'utf8');
    if (/from '(zod)(\/[^']*)?'/.test(text)) text = withoutZod(text, file, (ruleSet ??= expandedRuleSet(root)));
    text = text.replace(/((?:from|import)\s*\(?\s*')(\.{1,2}\/[^']*)(')/g, (_, before, specifier, after) => before + withExtension(file, specifier) + after);
    if (/from '(zod|@inquirer|commander|yaml|chalk|cli-table3)/.test(text) && relative(dir, file) === 'index.d.ts') {
      throw new Error('dist/types/index.d.ts imports a bundled library');
    }
    writeFileSync(file, text);
  }
}
