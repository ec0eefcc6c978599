// The default rule set against the five source documents: it loads, every item names
// a known source, every count, weight and threshold matches the documents, and each
// contradiction in the seeds README has a resolution.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RuleSet } from '../../src/rules/schema';
import { defaultRules } from '../helpers/engine';

let rules: RuleSet;
beforeAll(async () => {
  rules = await defaultRules();
});

const section = (id: string) => rules.sections.find((s) => s.id === id)!;
const fieldIds = (id: string) => (section(id).fields ?? []).map((f) => f.id);
const weights = (id: string) => (section(id).fields ?? []).map((f) => f.weight);

/** Every string under a key named `source` or ending in `Source`, with its path. */
function sourcesIn(value: unknown, path = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => sourcesIn(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    if ((k === 'source' || k.endsWith('Source')) && typeof v === 'string') return [[p, v] as [string, string]];
    return sourcesIn(v, p);
  });
}

describe('the default rule set', () => {
  it('loads', async () => {
    expect(rules.name).toBe('default');
    expect(rules.sections.length).toBeGreaterThan(0);
  });

  it('lists the five source documents of the seeds README, once each, plus its own choices', () => {
    const files = rules.sources
      .filter((s) => s.file)
      .map((s) => s.file)
      .sort();
    expect(files).toEqual(['000_03d0ae6137bd9e22.txt', '001_539b8fd6d429b610.txt', '002_6ded8658dfeac9d4.txt', '003_d4afc8446adb2bcb.txt', '004_da878189c006aba0.txt']);
    expect(rules.sources.map((s) => s.id)).toContain('ft-advisor');
    expect(new Set(rules.sources.map((s) => s.id)).size).toBe(rules.sources.length);
  });

  // A source is "id: where; id: where". A ";"-part with no colon and a space in it continues
  // the previous part's prose (e.g. framework.weights.source: "ft-advisor: ... without
  // numbers; 2 and 1 are our reading"), the same reading as src/rules/check.ts. Every other
  // part must start with a known id. Keys the checker may not visit (framework.weights.source,
  // economics.daysPerMonthSource, data.qualityNoteSource...) are walked here too.
  const unknownSourceIds = (all: [string, string][]) => {
    const ids = new Set(rules.sources.map((s) => s.id));
    return all.flatMap(([path, text]) =>
      text
        .split(';')
        .filter((part) => part.includes(':') || !/\s/.test(part.trim()))
        .map((part) => part.split(':')[0]!.trim())
        .filter((id) => !ids.has(id))
        .map((id) => `${path}: ${id}`),
    );
  };

  it('every source names a known source id (each ";"-separated part, before its ":")', () => {
    const all = sourcesIn(rules);
    expect(all.length).toBeGreaterThan(50);
    expect(all.map(([path]) => path)).toEqual(expect.arrayContaining(['framework.weights.source', 'economics.daysPerMonthSource', 'data.qualityNoteSource']));
    expect(unknownSourceIds(all)).toEqual([]);
  });

  it('the source parser is not vacuous: an unknown id or a typo is caught', () => {
    expect(
      unknownSourceIds([
        ['x', 'framwork: step 1'],
        ['y', 'framework: step 1; strategy'],
        ['z', 'tutor; threetools'],
      ]),
    ).toEqual(['x: framwork', 'z: threetools']);
  });

  it('the first part of every source is a known id', () => {
    const ids = new Set(rules.sources.map((s) => s.id));
    const bad = sourcesIn(rules).filter(([, text]) => !ids.has(text.split(';')[0]!.split(':')[0]!.trim()));
    expect(bad).toEqual([]);
  });

  it('every question, choice, rule and resolution has a source', () => {
    const items: [string, { source?: string }][] = [
      ...rules.sections.flatMap((s) => (s.fields ?? []).map((f): [string, { source?: string }] => [`${s.id}.${f.id}`, f])),
      ...rules.sections.flatMap((s) => (s.choices ?? []).map((c): [string, { source?: string }] => [`${s.id}:${c.id}`, c])),
      ...rules.decision.tree.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.decision.adjustments.map((a): [string, { source?: string }] => [a.id, a]),
      ...rules.nextSteps.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.risks.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.warnings.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.resolutions.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.method.objectives.map((n): [string, { source?: string }] => [n.id, n]),
      ...rules.method.techniques.map((n): [string, { source?: string }] => [n.id, n]),
    ];
    const missing = items.filter(([, i]) => !i.source || !i.source.trim()).map(([id]) => id);
    expect(missing).toEqual([]);
  });
});

describe('the framework (002) as data', () => {
  it('5 ceiling-test questions ("The Ceiling Test", 1-5)', () => {
    expect(section('ceiling').role).toBe('ceiling');
    expect(fieldIds('ceiling')).toEqual(['promptVariations', 'multipleModels', 'retrievalOptimized', 'fewShot', 'structuredPrompt']);
  });

  it('6 indicators weighted High, High, Medium, Medium, Medium, High (step 1 table)', () => {
    expect(section('indicators').role).toBe('indicator');
    expect(fieldIds('indicators')).toEqual(['consistentBehavior', 'domainKnowledge', 'brandVoice', 'costOptimization', 'latency', 'dataSovereignty']);
    expect(weights('indicators')).toEqual(['high', 'high', 'medium', 'medium', 'medium', 'high']);
  });

  it('5 anti-indicators weighted High, High, High, Medium, High (step 2 table)', () => {
    expect(section('antiIndicators').role).toBe('anti-indicator');
    expect(fieldIds('antiIndicators')).toEqual(['rapidlyChangingRequirements', 'lowVolume', 'explorationPhase', 'insufficientData', 'promptsWorking']);
    expect(weights('antiIndicators')).toEqual(['high', 'high', 'high', 'medium', 'high']);
  });

  it('high weighs more than medium', () => {
    const w = rules.framework.weights as Record<string, unknown>;
    expect(w.high as number).toBeGreaterThan(w.medium as number);
  });

  it('insufficient data is "less than 1,000 quality examples", counted in the primary objective\'s unit (pairs 10K+, documents 100K+)', () => {
    const field = section('antiIndicators').fields!.find((f) => f.id === 'insufficientData')!;
    const when = JSON.stringify(field.derive?.when);
    expect(when).toContain('{"fact":"data.unit","eq":"examples"}');
    expect(when).toContain('{"fact":"data.count","lt":1000}');
    expect(when).toContain('{"fact":"data.count","lt":10000}');
    expect(when).toContain('{"fact":"data.count","lt":100000}');
    expect(field.derive?.requires).toEqual(['data.examples', 'data.preferencePairs', 'data.documents']);
    expect(field.derive?.requiresAny).toBe(true);
  });

  it('the tree: ceiling passed, then indicators > 3, then anti-indicators < 2 (step 3)', () => {
    const [ceiling, indicators, anti] = rules.decision.tree;
    expect(ceiling!.when).toEqual({ fact: 'framework.ceilingPassed', is: true });
    expect(indicators!.when).toEqual({ fact: 'framework.indicators', gt: 3 });
    expect(anti!.when).toEqual({ fact: 'framework.antiIndicators', lt: 2 });
    expect(rules.decision.tree).toHaveLength(3);
    expect(rules.decision.candidate.approach).toBe('fine-tune');
    expect(rules.decision.tree.every((n) => n.no.approach === 'prompt')).toBe(true);
  });

  it('score bands > 0.5 strong, 0.2-0.5 moderate, < 0.2 weak over all 11 factors (step 4)', () => {
    expect(rules.framework.score.totalFactors).toBe('count');
    expect(rules.framework.score.bands).toEqual([{ band: 'strong', when: { gt: 0.5 } }, { band: 'moderate', when: { gte: 0.2 } }, { band: 'weak' }]);
  });

  it('difference bands > 2 strong, 1-2 moderate, < 1 weak (phase 4)', () => {
    expect(rules.framework.difference.bands).toEqual([{ band: 'strong', when: { gt: 2 } }, { band: 'moderate', when: { gte: 1 } }, { band: 'weak' }]);
  });

  it('the difference rule decides and the score qualifies it (resolution 2; the Task API verdict is moderate-strong)', () => {
    expect(rules.framework.confidence.reconcile).toBe('table');
    expect(rules.framework.confidence.table).toContainEqual({ score: 'moderate', difference: 'strong', confidence: 'moderate-strong' });
    expect(rules.framework.confidence.order).toEqual(['strong', 'moderate-strong', 'moderate', 'weak']);
  });

  it('break-even under 6 months is justified ("If break-even is <6 months")', () => {
    expect(rules.economics.breakEven.bands[0]).toEqual({ band: 'justified', when: { lt: 6 } });
  });
});

describe('the other documents as data', () => {
  it('the 11 needs of the contract', () => {
    expect((section('needs').choices ?? []).map((c) => c.id)).toEqual(['format', 'style', 'behavior', 'knowledge', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency', 'general']);
  });

  it('knowledge is routed to retrieval and general improvement to prompts (resolution 3; 001)', () => {
    const route = (id: string) => section('needs').choices!.find((c) => c.id === id)!.route;
    expect(route('knowledge')).toBe('retrieval');
    expect(route('general')).toBe('prompt');
    for (const id of ['format', 'style', 'behavior', 'vocabulary', 'tools', 'safety', 'classification', 'cost', 'latency']) expect(route(id)).toBe('weights');
  });

  it('the 7-dimension, 35-point rubric with 28+ / 21-27 / < 21 (001)', () => {
    expect(fieldIds('rubric')).toEqual(['decision', 'dataQuality', 'evaluation', 'method', 'cost', 'versioning', 'monitoring']);
    expect(
      section('rubric').fields!.every(
        (f) =>
          Object.keys(f.levels ?? {})
            .sort()
            .join() === '1,3,5',
      ),
    ).toBe(true);
    expect(rules.rubric.max).toBe(35);
    expect(rules.rubric.bands).toEqual([{ band: 'justified', when: { gte: 28 } }, { band: 'needs-evaluation', when: { gte: 21 } }, { band: 'premature' }]);
  });

  it('the 7-item data preparation checklist (001)', () => {
    expect(fieldIds('dataChecklist')).toHaveLength(7);
  });

  it.each([
    // [objective, requirement, source: 002 "The Fine-Tuning Spectrum"]
    ['sft', { examples: 1000 }], //                      Knowledge: SFT, 1K-10K examples
    ['persona', { examples: 500 }], //                   Persona/Voice: 500-2K examples
    ['instruction', { examples: 500 }], //               Format Consistency: 500-2K examples
    ['function-calling', { examples: 1000 }], //         Tool/API Calling: 1K-5K examples
    ['dpo', { preferencePairs: 10000 }], //              Safety/Alignment: 10K+ preference pairs
    ['continued-pretraining', { documents: 100000 }], // Deep Domain Expertise: 100K+ documents
  ])('objective %s needs %j', (id, requires) => {
    expect(rules.method.objectives.find((o) => o.id === id)?.requires).toEqual(requires);
  });

  it('the Task API plan order: SFT, persona, function calling, DPO', () => {
    const p = rules.method.priority;
    expect(p.indexOf('sft')).toBeLessThan(p.indexOf('persona'));
    expect(p.indexOf('persona')).toBeLessThan(p.indexOf('function-calling'));
    expect(p.indexOf('function-calling')).toBeLessThan(p.indexOf('dpo'));
  });

  it('full fine-tuning wants 1K-100K examples (001 methods table)', () => {
    expect(rules.method.techniques.find((t) => t.id === 'full')?.typical).toEqual({ examples: [1000, 100000] });
    expect(rules.method.techniques.map((t) => t.id).sort()).toEqual(['full', 'lora', 'prompt-tuning', 'qlora']);
  });

  it('the data gate is under 100 examples (004: "fewer than ~100")', () => {
    const gate = rules.decision.adjustments.find((a) => a.id === 'gate.too-few-examples')!;
    expect(JSON.stringify(gate.when)).toContain('{"fact":"data.count","lt":100}');
    expect(gate.approach).toBe('prompt');
  });
});

describe('the nine contradictions of the seeds README each have a resolution', () => {
  it.each([
    // [README item, resolution id, figures the resolution must name]
    [1, 'resolve.factor-count', [/10/, /11/]],
    [2, 'resolve.bands-disagree', [/difference/i, /score/i]],
    [3, 'resolve.knowledge', [/SFT/, /retriev|RAG/i]],
    [4, 'resolve.data-minimums', [/100/, /500/, /1,000/]],
    [5, 'resolve.rubric-vs-framework', [/rubric/i, /framework/i]],
    [6, 'resolve.problem-type', [/classification/i, /distillation/i, /3 indicators/, /500/]],
    [7, 'resolve.when-to-stop', [/80%/, /distil/i]],
    [8, 'resolve.dspy-first', [/DSPy/, /moderate/]],
    [9, 'resolve.primary-goal', [/primary goal/i, /Task API/]],
  ] as [number, string, RegExp[]][])('item %i: %s', (_item, id, figures) => {
    const r = rules.resolutions.find((x) => x.id === id);
    expect(r).toBeDefined();
    for (const key of ['title', 'conflict', 'decision', 'why', 'source'] as const) expect(r![key]).toMatch(/\S/);
    const text = `${r!.conflict} ${r!.decision}`;
    for (const f of figures) expect(text).toMatch(f);
  });

  it('there are exactly nine', () => {
    expect(rules.resolutions).toHaveLength(9);
  });
});
