// Micro benchmark and golden check for the rules engine (src/engine). Not a test: it
// bundles the engine from src/ into node_modules/.cache (never dist/), then
//
//   node scripts/engine-bench.mjs                       µs per use case: assess with and without
//                                                       what-if (warm, cold), with JSON.stringify,
//                                                       and the CLI benchmark's batch of 20,000
//   node scripts/engine-bench.mjs --write-golden [file]  stores rule set, answers and report JSON,
//                                                       one case a line (default /tmp/engine-work/golden.jsonl)
//   node scripts/engine-bench.mjs --check [file]         re-assesses every stored case, twice (caches
//                                                       cold, then warm), and compares byte for byte
//
// Write the golden file before changing the engine (or later, from a bundle of the old
// engine: --keep-bundle saves one, --engine uses it), then --check after every change.
//
// Options: --cases N (random answers for the default rule set, default 2000, a quarter as
// many for examples/rules/strict.yaml and platform.yaml; plus the examples), --rounds N
// (timed rounds, default 15), --seed N, --engine <bundle.mjs> (take assessAnswers from
// another bundle, for A/B timing or a golden file written by an older engine),
// --keep-bundle <file> (copy the fresh bundle there).
//
// The random answers are built from each rule set's own sections (so custom questions are
// covered), validated like the CLI does, and biased towards the interesting parts of the
// decision: thresholds and their neighbours, ceilings passed, many indicators.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
};
const DEFAULT_GOLDEN = '/tmp/engine-work/golden.jsonl';
const mode = args.includes('--write-golden') ? 'write' : args.includes('--check') ? 'check' : 'bench';
const goldenFile = opt('--write-golden', undefined) ?? opt('--check', undefined) ?? DEFAULT_GOLDEN;
const casesPerRuleSet = Number(opt('--cases', 2000));
const rounds = Number(opt('--rounds', 15));
const seed = Number(opt('--seed', 20260101));

// --- the engine, bundled from src/ ------------------------------------------------------

// Under the package root, so the bundle finds rules/default.yaml for `extends: default`.
const outDir = join(root, 'node_modules', '.cache', 'ft-advisor-engine-bench');
mkdirSync(outDir, { recursive: true });
const bundle = join(outDir, `engine-${process.pid}.mjs`);
await build({
  stdin: {
    contents: [
      "export { assessAnswers } from './src/engine/assess.ts';",
      "export { parseRuleSet, resolveRuleSet } from './src/rules/load.ts';",
      "export { validateAnswers } from './src/answers/validate.ts';",
      "export { isRequiredField } from './src/answers/conforms.ts';",
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  define: { __FT_VERSION__: '"engine-bench"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
if (opt('--keep-bundle', undefined)) copyFileSync(bundle, opt('--keep-bundle', undefined));
const lib = await import(pathToFileURL(bundle).href);
rmSync(bundle); // loaded: the file is no longer needed
const engineFile = opt('--engine', undefined);
const { assessAnswers } = engineFile ? await import(pathToFileURL(engineFile).href) : lib;
const { resolveRuleSet, validateAnswers, isRequiredField } = lib;

// --- rule sets and answers ----------------------------------------------------------------

const readYaml = (file) => YAML.parse(readFileSync(join(root, file), 'utf8'));
const ruleSets = {
  default: await resolveRuleSet(readYaml('rules/default.yaml'), 'rules/default.yaml'),
  strict: await resolveRuleSet(readYaml('examples/rules/strict.yaml'), 'examples/rules/strict.yaml'),
  platform: await resolveRuleSet(readYaml('examples/rules/platform.yaml'), 'examples/rules/platform.yaml'),
};
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => readYaml(`examples/${f}`));

/** mulberry32: small, fast, deterministic. */
function prng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every number a condition or band of the rule set compares with, per fact and overall. */
function thresholds(rules) {
  const out = new Set([0, 1, 10, 99, 100, 101, 499, 500, 999, 1000, 1001, 10_000, 100_000]);
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (['gt', 'gte', 'lt', 'lte', 'eq', 'below'].includes(k) && typeof x === 'number') for (const d of [-1, 0, 1]) out.add(x + d);
        else walk(x);
      }
    }
  };
  walk(rules);
  return [...out].filter((n) => n >= 0);
}

function randomAnswers(rules, rnd, nums) {
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chance = (p) => rnd() < p;
  // One profile per case, so some cases pass the ceiling with many indicators and
  // some fail everything: uniform coin flips would almost never reach the tree's end.
  const pTrue = { ceiling: chance(0.6) ? 1 : rnd(), indicator: rnd(), 'anti-indicator': rnd() * 0.6 };
  const sectionChance = rnd();
  const a = { version: 1 };
  for (const s of rules.sections) {
    if (s.kind === 'choices') {
      const ids = (s.choices ?? []).map((c) => c.id);
      const p = chance(0.3) ? 0.15 : rnd();
      let chosen = ids.filter(() => chance(p));
      while (chosen.length < (s.minItems ?? 1)) chosen.push(pick(ids.filter((id) => !chosen.includes(id))));
      if (chance(0.3))
        chosen = chosen
          .map((c) => [rnd(), c])
          .sort((x, y) => x[0] - y[0])
          .map((x) => x[1]);
      a[s.id] = chosen;
      continue;
    }
    if (!s.required && !chance(sectionChance)) continue;
    const obj = {};
    for (const f of s.fields ?? []) {
      if (!isRequiredField(s, f) && chance(f.derive ? 0.5 : 0.25)) continue;
      switch (f.type) {
        case 'boolean':
          obj[f.id] = chance(s.role ? pTrue[s.role] : 0.5);
          break;
        case 'text': {
          const len = Math.max(f.minLength ?? 0, Math.floor(rnd() * 30));
          obj[f.id] = Array.from({ length: len }, () => pick('abc xyzÄé{}."\\\n\t0123')).join('');
          break;
        }
        case 'integer':
        case 'number': {
          const min = f.min ?? 0;
          const max = f.max ?? 1e9;
          let v = chance(0.5) ? pick(nums) : Math.floor(Math.exp(rnd() * Math.log(Math.min(max, 1e7) + 1)));
          if (f.type === 'number' && chance(0.2)) v = Math.round(v * rnd() * 1000) / 1000;
          obj[f.id] = Math.min(max, Math.max(min, v));
          break;
        }
        case 'score':
          obj[f.id] = Number(pick(Object.keys(f.levels ?? { 1: '', 3: '', 5: '' })));
          break;
      }
    }
    a[s.id] = obj;
  }
  return a;
}

/** Valid answers: retries a case whose derivable answer cannot be derived, by answering it. */
async function validRandomAnswers(rules, rnd, nums) {
  for (;;) {
    const a = randomAnswers(rules, rnd, nums);
    try {
      return await validateAnswers(a, rules);
    } catch (e) {
      for (const p of e.problems ?? []) {
        const [section, field] = String(p.path ?? '').split('.');
        if (a[section] && field) a[section][field] = rnd() < 0.5;
      }
      try {
        return await validateAnswers(a, rules);
      } catch {
        // Rare: draw another case.
      }
    }
  }
}

async function corpus(count) {
  const out = [];
  for (const [name, rules] of Object.entries(ruleSets)) {
    const rnd = prng(seed + name.length * 7919);
    const nums = thresholds(rules);
    for (const e of examples) out.push({ name, rules, answers: await validateAnswers(structuredClone(e), rules) });
    // Fewer for the variants: most of their rules are the default's.
    const n = name === 'default' ? count : Math.ceil(count / 4);
    for (let i = 0; i < n; i++) out.push({ name, rules, answers: await validRandomAnswers(rules, rnd, nums) });
  }
  return out;
}

// --- modes --------------------------------------------------------------------------------

if (mode === 'write') {
  const cases = await corpus(casesPerRuleSet);
  mkdirSync(dirname(goldenFile), { recursive: true });
  // Tab-separated: JSON.stringify never writes a raw tab or newline.
  const lines = cases.map((c) => `${c.name}\t${JSON.stringify(c.answers)}\t${JSON.stringify(assessAnswers(c.rules, c.answers, { whatIf: true }))}`);
  writeFileSync(goldenFile, `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} cases to ${goldenFile}`);
} else if (mode === 'check') {
  const lines = readFileSync(goldenFile, 'utf8').split('\n').filter(Boolean);
  let same = 0;
  const differ = [];
  // Twice: once cold, once with every per-rule-set cache warm, so a cache that leaks
  // one case's result into another shows up.
  for (const pass of ['cold', 'warm']) {
    for (const [i, line] of lines.entries()) {
      const [name, answersJson, expected] = line.split('\t');
      const actual = JSON.stringify(assessAnswers(ruleSets[name], JSON.parse(answersJson), { whatIf: true }));
      if (actual === expected) same++;
      else differ.push({ pass, i, name, answersJson, expected, actual });
    }
  }
  console.log(`${same} of ${lines.length * 2} assessments identical (${lines.length} cases, cold and warm)`);
  for (const d of differ.slice(0, 5)) {
    let at = 0;
    while (at < d.expected.length && d.expected[at] === d.actual[at]) at++;
    console.log(
      `\n${d.pass} case ${d.i} (${d.name}) differs at ${at}:\n  answers  ${d.answersJson}\n  expected ...${d.expected.slice(Math.max(0, at - 120), at + 200)}\n  actual   ...${d.actual.slice(Math.max(0, at - 120), at + 200)}`,
    );
  }
  process.exitCode = differ.length ? 1 : 0;
} else {
  const rules = ruleSets.default;
  const cases = (await corpus(casesPerRuleSet)).filter((c) => c.rules === rules).map((c) => c.answers);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const time = ({ options, serialise, fresh }) => {
    // A fresh copy of the rule set starts with every per-rule-set cache empty (compiled
    // conditions, plans, remembered what-if approaches): each case is then new to the engine.
    const r = fresh ? structuredClone(rules) : rules;
    const start = process.hrtime.bigint();
    let bytes = 0;
    for (const a of cases) {
      const report = assessAnswers(r, a, options);
      if (serialise) bytes += JSON.stringify(report).length;
    }
    return { us: Number(process.hrtime.bigint() - start) / 1e3 / cases.length, bytes };
  };
  const variants = [
    ['assess, no what-if', { options: { whatIf: false } }],
    ['assess + what-if (warm)', { options: { whatIf: true } }],
    ['assess + what-if (cold rule set)', { options: { whatIf: true }, fresh: true }],
    ['assess + what-if + JSON.stringify', { options: { whatIf: true }, serialise: true }],
  ];
  for (let i = 0; i < 3; i++) for (const [, v] of variants) time(v); // warm up
  const samples = variants.map(() => []);
  for (let i = 0; i < rounds; i++) variants.forEach(([, v], k) => samples[k].push(time(v).us));

  // The CLI benchmark's batch (scripts/bench.mjs): 20,000 variants of the Task API example,
  // each assessed once, in order, with a fresh copy of the rule set per run.
  const task = await validateAnswers(readYaml('examples/task-api.yaml'), rules);
  const batch = Array.from({ length: 20_000 }, (_, i) => {
    const a = structuredClone(task);
    a.useCase.name = `use case ${i}`;
    a.indicators.latency = i % 2 === 0;
    a.antiIndicators.explorationPhase = i % 3 === 0;
    a.data.examples = (i * 37) % 20000;
    return a;
  });
  const batchRuns = [];
  for (let i = 0; i < Math.max(3, Math.ceil(rounds / 3)); i++) {
    const r = structuredClone(rules);
    const start = process.hrtime.bigint();
    for (const a of batch) assessAnswers(r, a, { whatIf: true });
    batchRuns.push(Number(process.hrtime.bigint() - start) / 1e3 / batch.length);
  }

  console.log(`engine bench: Node ${process.version}, ${cases.length} varied use cases (default rules), ${rounds} rounds, median µs per use case${engineFile ? `, engine ${engineFile}` : ''}`);
  console.log('  warm: one rule-set object, the same cases every round; cold: a fresh copy of the rule set every round');
  const row = (name, xs) => console.log(`  ${name.padEnd(44)} ${median(xs).toFixed(1).padStart(8)} µs   (min ${Math.min(...xs).toFixed(1)})`);
  variants.forEach(([name], k) => row(name, samples[k]));
  row('batch: 20,000 Task API variants + what-if', batchRuns);
}
