// Builds promptfoo results documents (version 3) for tests: one completed prompt per
// prompt x provider, with per-test results, in the layout promptfoo writes.
export interface Cell {
  prompt: string;
  provider: string;
  pass: number;
  fail?: number;
  error?: number;
  latencyMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  cost?: number;
}

export function promptfooDoc(cells: Cell[], options: { version?: number; metrics?: boolean; results?: boolean; webExport?: boolean } = {}): Record<string, unknown> {
  const prompts: unknown[] = [];
  const results: unknown[] = [];
  cells.forEach((c, idx) => {
    const fail = c.fail ?? 0;
    const error = c.error ?? 0;
    const tests = c.pass + fail + error;
    for (let t = 0; t < tests; t++) {
      const success = t < c.pass;
      const isError = !success && t >= c.pass + fail;
      results.push({
        promptIdx: idx,
        testIdx: t,
        promptId: c.prompt,
        prompt: { raw: `${c.prompt} {{q}}`, label: c.prompt },
        provider: { id: c.provider, label: '' },
        vars: { q: `question ${t}` },
        response: isError
          ? undefined
          : {
              output: 'an answer',
              tokenUsage: c.promptTokens === undefined ? undefined : { prompt: c.promptTokens, completion: c.completionTokens ?? 0, total: c.promptTokens + (c.completionTokens ?? 0), numRequests: 1 },
            },
        error: isError ? 'API error' : null,
        success,
        score: success ? 1 : 0,
        failureReason: success ? 0 : isError ? 2 : 1,
        latencyMs: c.latencyMs,
        cost: c.cost,
        namedScores: {},
      });
    }
    const metrics = {
      score: c.pass,
      testPassCount: c.pass,
      testFailCount: fail,
      testErrorCount: error,
      assertPassCount: c.pass,
      assertFailCount: fail,
      totalLatencyMs: (c.latencyMs ?? 0) * tests,
      tokenUsage:
        c.promptTokens === undefined
          ? { total: 0, prompt: 0, completion: 0, cached: 0, numRequests: 0 }
          : { prompt: c.promptTokens * tests, completion: (c.completionTokens ?? 0) * tests, total: (c.promptTokens + (c.completionTokens ?? 0)) * tests, numRequests: tests },
      namedScores: {},
      cost: c.cost === undefined ? 0 : c.cost * tests,
    };
    prompts.push({ raw: `${c.prompt} {{q}}`, label: c.prompt, id: `id-${c.prompt}`, provider: c.provider, ...(options.metrics === false ? {} : { metrics }) });
  });
  const body = {
    version: options.version ?? 3,
    timestamp: '2026-12-01T10:00:00.000Z',
    prompts,
    results: options.results === false ? [] : results,
    stats: { successes: 0, failures: 0, errors: 0, tokenUsage: {} },
  };
  if (options.webExport) {
    return {
      evalId: 'eval-abc-2026-12-01T10:00:00',
      metadata: { promptfooVersion: '0.118.3', exportedAt: '2026-12-01T10:05:00.000Z' },
      config: { description: 'exported' },
      results: body,
      shareableUrl: null,
    };
  }
  return { evalId: 'eval-abc', results: body, config: { description: 'cli run', tests: [{ vars: { q: 'x' } }] }, shareableUrl: null, metadata: { promptfooVersion: '0.118.3' } };
}

/** n prompts on each of the providers, with the given pass counts out of 10 (one list per provider). */
export function grid(prompts: number, providers: string[], pass: (p: number, v: number) => number): Cell[] {
  const cells: Cell[] = [];
  for (let p = 0; p < prompts; p++) providers.forEach((provider, v) => cells.push({ prompt: `p${p + 1}`, provider, pass: pass(p, v), fail: 10 - pass(p, v) }));
  return cells;
}
