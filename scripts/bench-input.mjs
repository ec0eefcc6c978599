// The JSON Lines the batch benchmarks use: examples/task-api.yaml, varied per line so the
// lines take different paths (latency, exploration phase, and a spread of example counts).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const exampleFile = join(root, 'examples/task-api.yaml');

/** `count` use cases as JSON Lines (one trailing newline). */
export function benchJsonl(count) {
  const answers = YAML.parse(readFileSync(exampleFile, 'utf8'));
  const lines = [];
  for (let i = 0; i < count; i++) {
    const a = structuredClone(answers);
    a.useCase.name = `use case ${i}`;
    a.indicators.latency = i % 2 === 0;
    a.antiIndicators.explorationPhase = i % 3 === 0;
    a.data.examples = (i * 37) % 20000;
    lines.push(JSON.stringify(a));
  }
  return `${lines.join('\n')}\n`;
}
