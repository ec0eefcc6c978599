import { assess, loadRules, validateAnswers } from '/work/main/dist/index.js';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
const rules = await loadRules();
const data = YAML.parse(readFileSync('/work/main/examples/task-api.yaml','utf8'));
const N = 5000;
for (const wi of [true, false]) {
  let t = performance.now();
  for (let i = 0; i < N; i++) await assess(structuredClone(data), rules, { whatIf: wi });
  console.log('whatIf', wi, ((performance.now()-t)/N*1000).toFixed(1), 'us/item');
}
let t = performance.now();
for (let i = 0; i < N; i++) await validateAnswers(data, rules);
console.log('validate', ((performance.now()-t)/N*1000).toFixed(1), 'us/item');
