import { loadDefaultRules } from '../src/rules/load';
import { assessAnswers } from '../src/engine/assess';
import YAML from 'yaml';
import { readFileSync } from 'node:fs';
const rules = await loadDefaultRules();
const data = YAML.parse(readFileSync('/work/main/examples/task-api.yaml','utf8'));
for (let i = 0; i < 3000; i++) assessAnswers(rules, data, { whatIf: true });
