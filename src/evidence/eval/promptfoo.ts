// promptfoo's results file, version 3: what `promptfoo eval -o results.json` writes and
// the web viewer exports. Shape (only what is read):
//   { evalId?, metadata?: { promptfooVersion }, config?: { description },
//     results: { version: 3, prompts: [{ id?, label, raw, provider,
//                  metrics?: { testPassCount, testFailCount, testErrorCount, totalLatencyMs,
//                              tokenUsage: { prompt, completion, total, numRequests }, cost } }],
//                results: [{ promptIdx, provider: { id } | string, success, error?,
//                            latencyMs, cost, response?: { tokenUsage } }],
//                stats } }
// `results.prompts` has one entry per prompt x provider, which `promptIdx` indexes. The
// per-test `results.results` is most of the file: each is reduced to a few numbers as it
// streams past (json-stream.ts) and never kept.
import type { Action, PathPart } from './json-stream';
import { p95, passRate, type EvalRow } from './summary';

/** Which parts of a promptfoo export (or a neutral JSON file) the reader looks at. */
export function selectPromptfoo(path: readonly PathPart[]): Action {
  switch (path.length) {
    case 0:
      return 'descend';
    case 1:
      if (path[0] === 'results' || path[0] === 'config') return 'descend';
      return TOP_CAPTURED.has(path[0] as string) ? 'capture' : 'skip';
    case 2:
      if (path[0] === 'results') {
        if (path[1] === 'results') return 'descend';
        return path[1] === 'version' || path[1] === 'prompts' || path[1] === 'timestamp' ? 'capture' : 'skip';
      }
      if (path[0] === 'config') return path[1] === 'description' ? 'capture' : 'skip';
      return 'skip';
    case 3:
      // Each per-test result is walked, not parsed whole: its model output (often most of
      // its bytes, sometimes megabytes of base64) is skipped unread.
      return path[0] === 'results' && path[1] === 'results' ? 'descend' : 'skip';
    case 4:
      if (path[0] !== 'results' || path[1] !== 'results') return 'skip';
      if (path[3] === 'response' || path[3] === 'prompt') return 'descend';
      return RESULT_CAPTURED.has(path[3] as string) ? 'capture' : 'skip';
    case 5:
      if (path[0] !== 'results' || path[1] !== 'results') return 'skip';
      return (path[3] === 'response' && path[4] === 'tokenUsage') || (path[3] === 'prompt' && path[4] === 'label') ? 'capture' : 'skip';
    default:
      return 'skip';
  }
}

/** The fields of a per-test result that are read. */
const RESULT_CAPTURED = new Set(['promptIdx', 'provider', 'success', 'error', 'failureReason', 'latencyMs', 'cost', 'tokenUsage']);

/** Top-level keys kept: promptfoo's own, and the tool-neutral file's (neutral.ts). */
const TOP_CAPTURED = new Set(['version', 'evalId', 'metadata', 'format', 'runs', 'tool', 'description']);

interface Aggregate {
  provider: string | undefined;
  label: string | undefined;
  tests: number;
  passed: number;
  errors: number;
  latencies: number[];
  promptTokens: number;
  completionTokens: number;
  requests: number;
  tokenResults: number;
  cost: number;
  costResults: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

/** Collects what one promptfoo export says, value by value as the stream reader finds them. */
export class PromptfooCollector {
  top = new Map<string, unknown>();
  resultsVersion: unknown;
  resultsSeen = false;
  prompts: unknown;
  description: string | undefined;
  resultCount = 0;
  private byPrompt = new Map<number, Aggregate>();

  onValue = (path: readonly PathPart[], value: unknown): void => {
    if (path.length === 1) this.top.set(path[0] as string, value);
    else if (path[0] === 'results' && path[1] === 'version') this.resultsVersion = value;
    else if (path[0] === 'results' && path[1] === 'prompts') this.prompts = value;
    else if (path[0] === 'config' && path[1] === 'description' && typeof value === 'string') this.description = value;
    else if (path[0] === 'results' && path[1] === 'results' && path.length >= 4) this.addField(path as PathPart[], value);
  };

  /** A per-test result arrives field by field; it is counted once the next one starts, or at the end. */
  private current: number | undefined;
  private partial: Record<string, unknown> = {};

  private addField(path: PathPart[], value: unknown): void {
    const n = path[2] as number;
    if (n !== this.current) {
      this.flush();
      this.current = n;
    }
    if (path.length === 4) this.partial[path[3] as string] = value;
    else {
      const parent = (this.partial[path[3] as string] ??= {}) as Record<string, unknown>;
      parent[path[4] as string] = value;
    }
  }

  private flush(): void {
    if (this.current === undefined) return;
    this.addResult(this.partial);
    this.current = undefined;
    this.partial = {};
  }

  private addResult(value: unknown): void {
    const r = obj(value);
    if (!r) return;
    this.resultCount++;
    const idx = num(r.promptIdx) ?? -1;
    let a = this.byPrompt.get(idx);
    if (!a) {
      const provider = typeof r.provider === 'string' ? r.provider : ((obj(r.provider)?.label as string | undefined) ?? (obj(r.provider)?.id as string | undefined));
      const prompt = obj(r.prompt);
      a = {
        provider,
        label: prompt?.label as string | undefined,
        tests: 0,
        passed: 0,
        errors: 0,
        latencies: [],
        promptTokens: 0,
        completionTokens: 0,
        requests: 0,
        tokenResults: 0,
        cost: 0,
        costResults: 0,
      };
      this.byPrompt.set(idx, a);
    }
    a.tests++;
    if (r.success === true) a.passed++;
    else if ((r.error !== undefined && r.error !== null && r.error !== '') || r.failureReason === 2) a.errors++;
    const latency = num(r.latencyMs);
    if (latency !== undefined) a.latencies.push(latency);
    const usage = obj(obj(r.response)?.tokenUsage) ?? obj(r.tokenUsage);
    if (usage && (num(usage.prompt) !== undefined || num(usage.completion) !== undefined)) {
      a.promptTokens += num(usage.prompt) ?? 0;
      a.completionTokens += num(usage.completion) ?? 0;
      a.requests += num(usage.numRequests) ?? 1;
      a.tokenResults++;
    }
    const cost = num(r.cost);
    if (cost !== undefined) {
      a.cost += cost;
      a.costResults++;
    }
  }

  /** One row per prompt x provider: promptfoo's own metrics where given, else the per-test results. */
  rows(): EvalRow[] {
    this.flush();
    const prompts = Array.isArray(this.prompts) ? this.prompts : [];
    const rows: EvalRow[] = [];
    const indexes = new Set<number>([...prompts.keys(), ...[...this.byPrompt.keys()].filter((i) => i >= 0 && i >= prompts.length)]);
    for (const i of [...indexes].sort((a, b) => a - b)) rows.push(this.row(obj(prompts[i]), this.byPrompt.get(i), i));
    const orphans = this.byPrompt.get(-1);
    if (orphans) rows.push(this.row(undefined, orphans, -1));
    return rows;
  }

  private row(p: Record<string, unknown> | undefined, a: Aggregate | undefined, index: number): EvalRow {
    const m = obj(p?.metrics);
    const label = stringOr(p?.label) ?? stringOr(p?.raw) ?? a?.label ?? `prompt ${index + 1}`;
    const promptKey = stringOr(p?.id) ?? stringOr(p?.raw) ?? label;
    const provider = stringOr(p?.provider) ?? stringOr(obj(p?.provider)?.id) ?? a?.provider ?? 'unknown provider';
    const pass = num(m?.testPassCount);
    const fail = num(m?.testFailCount);
    const err = num(m?.testErrorCount) ?? 0;
    const fromMetrics = pass !== undefined && fail !== undefined;
    const passed = fromMetrics ? pass : (a?.passed ?? 0);
    const errors = fromMetrics ? err : (a?.errors ?? 0);
    const tests = fromMetrics ? pass + fail + err : (a?.tests ?? 0);
    const usage = obj(m?.tokenUsage);
    const requests = num(usage?.numRequests) || tests;
    const metricTokens = (key: 'prompt' | 'completion') => {
      const v = num(usage?.[key]);
      return v !== undefined && requests > 0 ? v / requests : undefined;
    };
    const aggTokens = (key: 'promptTokens' | 'completionTokens') => (a && a.tokenResults > 0 && a.requests > 0 ? a[key] / a.requests : undefined);
    const totalLatency = num(m?.totalLatencyMs);
    const cost = num(m?.cost);
    return {
      prompt: oneLine(label),
      promptKey,
      provider,
      tests,
      passed,
      failed: tests - passed - errors,
      errors,
      passRate: passRate(passed, tests),
      meanLatencyMs: a && a.latencies.length ? a.latencies.reduce((s, x) => s + x, 0) / a.latencies.length : totalLatency !== undefined && tests > 0 ? totalLatency / tests : null,
      p95LatencyMs: a ? p95(a.latencies) : null,
      promptTokens: metricTokens('prompt') ?? aggTokens('promptTokens') ?? null,
      completionTokens: metricTokens('completion') ?? aggTokens('completionTokens') ?? null,
      costPerRequest: cost !== undefined && tests > 0 ? cost / tests : a && a.costResults > 0 ? a.cost / a.costResults : null,
    };
  }

  /** Whether any per-test result was seen (before rows() counts the last one). */
  hasResults(): boolean {
    return this.resultCount > 0 || this.current !== undefined;
  }

  promptfooVersion(): string | undefined {
    const v = obj(this.top.get('metadata'))?.promptfooVersion;
    return typeof v === 'string' ? v : undefined;
  }
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A prompt's text can be pages long: the table shows its first line, cut at 60 characters. */
function oneLine(text: string): string {
  const first = text.trim().split('\n', 1)[0]!.trim();
  return first.length > 60 ? `${first.slice(0, 59)}…` : first || text.slice(0, 60);
}
