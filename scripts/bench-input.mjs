// The JSON Lines the batch benchmarks use.
// - benchJsonl: examples/task-api.yaml with three fields varied per line (latency,
//   exploration phase, the example count): the lines stay close to one another.
// - benchVariedJsonl: every section varies (needs, the ceiling test, each indicator and
//   anti-indicator, knowledge, data, training, usage, ROI, the rubric), so all four
//   approaches occur and the what-if search meets many shapes of answers; closer to a
//   portfolio of real use cases, and slower.
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

const NEEDS = ['format', 'style', 'behavior', 'knowledge', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency', 'general'];
const CEILING = ['promptVariations', 'multipleModels', 'retrievalOptimized', 'fewShot', 'structuredPrompt'];
const INDICATORS = ['consistentBehavior', 'domainKnowledge', 'brandVoice', 'costOptimization', 'latency', 'dataSovereignty'];
const ANTI = ['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase', 'promptsWorking'];
const RUBRIC = ['decision', 'dataQuality', 'evaluation', 'method', 'cost', 'versioning', 'monitoring'];

/** A small deterministic generator (mulberry32), so every run assesses the same lines. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` use cases as JSON Lines in which every section varies. */
export function benchVariedJsonl(count, seed = 7) {
  const r = random(seed);
  const yes = (p) => r() < p;
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const lines = [];
  for (let i = 0; i < count; i++) {
    // Most use cases pass the ceiling test, so the tree goes on to indicators and
    // anti-indicators and every approach comes up.
    const ceilingOpen = yes(0.3) ? pick(CEILING) : undefined;
    const a = {
      version: 1,
      useCase: { name: `use case ${i}`, ...(yes(0.5) ? { description: `varied use case ${i}` } : {}) },
      needs: NEEDS.filter(() => yes(0.3)),
      ceiling: Object.fromEntries(CEILING.map((k) => [k, k !== ceilingOpen])),
      indicators: Object.fromEntries(INDICATORS.map((k) => [k, yes(0.65)])),
      antiIndicators: Object.fromEntries(ANTI.map((k) => [k, yes(0.15)])),
      knowledge: { changesOften: yes(0.5), mustCite: yes(0.3) },
      data: { examples: pick([0, 40, 100, 300, 800, 2000, 10000, 50000]), preferencePairs: pick([0, 0, 500, 5000]), documents: pick([0, 0, 1000, 100000]) },
    };
    if (a.needs.length === 0) a.needs.push(pick(NEEDS));
    if (yes(0.5)) a.training = { criticalUseCase: yes(0.3), limitedGpuMemory: yes(0.3), quickExperiment: yes(0.3) };
    if (yes(0.5))
      a.usage = {
        requestsPerDay: pick([100, 5000, 100000]),
        promptTokens: pick([200, 800, 3000]),
        inputTokens: pick([50, 200]),
        tunedPromptTokens: pick([0, 20]),
        pricePerMillionTokens: pick([0.15, 0.5, 3]),
      };
    if (yes(0.5)) a.roi = { upfrontHours: pick([20, 60, 300]), hourlyRate: pick([50, 100, 150]), monthlyQualityValue: pick([0, 500, 3000]), monthlyOngoingCosts: pick([100, 500, 2000]) };
    if (yes(0.3)) a.rubric = Object.fromEntries(RUBRIC.map((k) => [k, pick([1, 3, 5])]));
    lines.push(JSON.stringify(a));
  }
  return `${lines.join('\n')}\n`;
}
