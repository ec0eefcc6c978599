// GITHUB_STEP_SUMMARY: assess appends the Markdown report (one use case) or the
// portfolio table (several), never truncates, and treats a bad path as a warning.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runBuilt, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeAll(async () => {
  await ensureBuilt();
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('job summary', () => {
  it('one use case: appends the Markdown report after what is already there', async () => {
    const summary = join(tmp.dir, 'single.md');
    writeFileSync(summary, '# Earlier step\n');
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).recommendation.approach).toBe('hybrid');
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# Earlier step\n\n# ft-advisor: Task API assistant\n')).toBe(true);
    expect(text).toContain('**Verdict: Hybrid (fine-tuning + RAG)** (`hybrid`)');
    expect(text).toContain('```mermaid');

    // A second run appends again: nothing is truncated.
    await runBuilt(['assess', '--answers', 'examples/support-bot.yaml', '--format', 'json'], { env: { GITHUB_STEP_SUMMARY: summary } });
    const twice = readFileSync(summary, 'utf8');
    expect(twice.startsWith(text)).toBe(true);
    expect(twice.slice(text.length)).toMatch(/^\n# ft-advisor: Acme support chatbot\n/);
  });

  it('several use cases: appends the portfolio table, invalid inputs included', async () => {
    const summary = join(tmp.dir, 'batch.md');
    const bad = join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'version: 2\n');
    const r = await runBuilt(['assess', 'examples/task-api.yaml', 'examples/support-bot.yaml', bad, '--format', 'jsonl', '--expect', 'hybrid'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(2);
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^\n# ft-advisor portfolio\n\n2 use cases assessed: 1 hybrid, 1 rag; 1 input invalid; 1 failed a gate\. Expected approach: `hybrid`\.\n/);
    expect(text).toContain('| `examples/task-api.yaml` | Task API assistant | **hybrid** | sft · lora | moderate-strong | 0.364 moderate | 4 strong | ok |');
    expect(text).toContain('| `examples/support-bot.yaml` | Acme support chatbot | **rag** |  | — | 0 weak | 0 weak | **expected hybrid, got rag** |');
    expect(text).toMatch(/bad\.yaml` \|.*\*\*invalid: \d+ problems?\*\* \|/);
    // The full reports are in the output, not in the summary.
    expect(text).not.toContain('```mermaid');
  });

  it('JSON Lines on standard input: the portfolio too', async () => {
    const summary = join(tmp.dir, 'jsonl.md');
    const doc = JSON.stringify({
      version: 1,
      useCase: { name: 'Tiny' },
      needs: ['general'],
      ceiling: { promptVariations: false, multipleModels: false, retrievalOptimized: false, fewShot: false, structuredPrompt: false },
      indicators: { consistentBehavior: false, domainKnowledge: false, brandVoice: false, costOptimization: false, latency: false, dataSovereignty: false },
      antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false, insufficientData: false, promptsWorking: true },
    });
    const r = await runBuilt(['assess', '--answers', '-', '--format', 'jsonl'], { input: `${doc}\n${doc}\n`, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    expect(readFileSync(summary, 'utf8')).toContain('| `<stdin>:2` | Tiny | **prompt** |');
  });

  it('an unwritable summary path is a warning on stderr, not a failure', async () => {
    const blocker = join(tmp.dir, 'a-file');
    writeFileSync(blocker, '');
    const summary = join(blocker, 'summary.md'); // a path "inside" a file
    const r = await runBuilt(['assess', '--answers', 'examples/task-api.yaml', '--format', 'json', '--expect', 'hybrid'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).recommendation.approach).toBe('hybrid');
    expect(r.stderr).toMatch(/^ft-advisor: warning: could not append the job summary to .*summary\.md \(ENOTDIR\); the assessment itself is unaffected\n$/);
  });

  it('a relative path is resolved against the working directory', async () => {
    const cwd = join(tmp.dir, 'work');
    mkdirSync(cwd);
    const r = await runBuilt(['assess', '--answers', join(process.cwd(), 'examples/task-api.yaml'), '--format', 'json'], { cwd, env: { GITHUB_STEP_SUMMARY: 'summary.md' } });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'summary.md'))).toBe(true);
  });

  it('without GITHUB_STEP_SUMMARY nothing is written', async () => {
    const cwd = join(tmp.dir, 'quiet');
    mkdirSync(cwd);
    const r = await runBuilt(['assess', '--answers', join(process.cwd(), 'examples/task-api.yaml'), '--format', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });
});
