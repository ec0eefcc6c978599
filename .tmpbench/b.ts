import { loadDefaultRules } from '../src/rules/load';
import { buildAnswersSchema } from '../src/answers/schema';
import { answerProblems } from '../src/answers/validate';
import { assessAnswers } from '../src/engine/assess';
import { decide } from '../src/engine/decide';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
const rules = await loadDefaultRules();
const data = YAML.parse(readFileSync('examples/task-api.yaml','utf8'));
const N = 3000;
function time(label: string, f: () => void, n = N) {
  for (let i = 0; i < 200; i++) f();
  const t = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(label, ((performance.now() - t) / n * 1000).toFixed(1), 'us');
}
time('buildSchema', () => buildAnswersSchema(rules));
const schema = buildAnswersSchema(rules);
time('safeParse', () => schema.safeParse(data));
time('answerProblems', () => answerProblems(data, rules));
time('decide', () => decide(rules, data));
time('assess noWhatIf', () => assessAnswers(rules, data, { whatIf: false }));
time('assess whatIf', () => assessAnswers(rules, data, { whatIf: true }), 500);
const r = assessAnswers(rules, data, { whatIf: false });
time('stringify', () => JSON.stringify(r));
console.log(JSON.stringify(r).length);
