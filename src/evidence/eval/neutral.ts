// The tool-neutral evidence file: what any eval tool's results can be converted to with a
// few lines of jq (docs/evidence.md). One run per prompt x model. `ft-advisor schema
// evidence` publishes the JSON Schema generated from this zod schema.
import * as z from 'zod/mini';
import type { Problem } from '../../util/errors';
import { joinPath } from '../../util/errors';
import type { EvalRow } from './summary';

export const NEUTRAL_FORMAT = 'ft-advisor-evidence';

let schema: ReturnType<typeof createSchema> | undefined;

function createSchema() {
  const describe = <T extends z.ZodMiniType>(s: T, description: string): T => {
    z.globalRegistry.add(s, { description });
    return s;
  };
  const count = z.int().check(z.gte(0));
  const nonNegative = z.number().check(z.gte(0));
  const Run = z.strictObject({
    prompt: describe(z.string().check(z.minLength(1)), 'The prompt variant: a name or id, the same for every model it ran on.'),
    model: describe(z.string().check(z.minLength(1)), 'The model or provider, e.g. openai:gpt-4o-mini.'),
    passRate: describe(z.number().check(z.gte(0), z.lte(1)), 'Share of tests passed, from 0 to 1 (0.82 for 82%).'),
    tests: z.optional(describe(count, 'How many tests ran (pass rates are weighted by it when prompts are compared).')),
    errors: z.optional(describe(count, 'Tests that errored rather than failed (counted as not passed).')),
    latencyMs: z.optional(describe(nonNegative, 'Mean latency per request, in milliseconds.')),
    p95LatencyMs: z.optional(describe(nonNegative, '95th-percentile latency, in milliseconds.')),
    promptTokens: z.optional(describe(nonNegative, 'Mean prompt (input) tokens per request.')),
    completionTokens: z.optional(describe(nonNegative, 'Mean completion (output) tokens per request.')),
    costPerRequest: z.optional(describe(nonNegative, 'Mean cost per request, in your currency.')),
  });
  return z.strictObject({
    format: describe(z.literal(NEUTRAL_FORMAT), `Always "${NEUTRAL_FORMAT}": how the file is recognised.`),
    version: describe(z.literal(1), 'The format version: 1.'),
    tool: z.optional(describe(z.string(), 'The tool the results came from, e.g. "lm-eval-harness 0.4".')),
    description: z.optional(describe(z.string(), 'What was evaluated.')),
    runs: describe(z.array(Run).check(z.minLength(1)), 'One entry per prompt x model.'),
  });
}

function neutralSchema() {
  return (schema ??= createSchema());
}

export type NeutralEvidence = z.infer<ReturnType<typeof createSchema>>;

export function evidenceJsonSchema(): Record<string, unknown> {
  const json = z.toJSONSchema(neutralSchema(), { target: 'draft-07', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...json,
    $id: 'https://ft-advisor.dev/schemas/evidence-v1.json',
    title: 'ft-advisor evidence file, version 1',
    description: 'Eval results from any tool: one run per prompt x model. See docs/evidence.md.',
  };
}

/** The problems with a neutral evidence document, each at its dot path. */
export function neutralProblems(data: unknown, file: string): Problem[] {
  const result = neutralSchema().safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = joinPath(issue.path.map((p) => (typeof p === 'number' ? p : String(p))));
    const hint = path.endsWith('passRate') && issue.code === 'too_big' ? 'a share from 0 to 1: 0.82 for 82%' : undefined;
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${(issue as { keys?: string[] }).keys?.join(', ')}; expected prompt, model, passRate, tests, errors, latencyMs, p95LatencyMs, promptTokens, completionTokens, costPerRequest`
        : issue.message;
    return { file, path, message, hint };
  });
}

export function neutralRows(data: NeutralEvidence): EvalRow[] {
  return data.runs.map((r) => {
    const tests = r.tests ?? 0;
    const errors = r.errors ?? 0;
    const passed = tests ? Math.round(r.passRate * tests) : 0;
    return {
      prompt: r.prompt,
      promptKey: r.prompt,
      provider: r.model,
      tests,
      passed,
      failed: Math.max(0, tests - passed - errors),
      errors,
      passRate: Math.round(r.passRate * 1000) / 10,
      meanLatencyMs: r.latencyMs ?? null,
      p95LatencyMs: r.p95LatencyMs ?? null,
      promptTokens: r.promptTokens ?? null,
      completionTokens: r.completionTokens ?? null,
      costPerRequest: r.costPerRequest ?? null,
    };
  });
}
