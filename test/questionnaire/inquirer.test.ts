// The real prompts, driven with @inquirer/testing: createInquirerAsk is given the real
// @inquirer/prompts functions wrapped in `render`, so every keypress goes through them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { render } from '@inquirer/testing';
import * as prompts from '@inquirer/prompts';
import { beforeAll, describe, expect, it } from 'vitest';
import { Interrupted } from '../../src/cli/io';
import type { AskContext } from '../../src/questionnaire/flow';
import { createInquirerAsk, parseNumber, validateNumberText } from '../../src/questionnaire/inquirer-ask';
import { planQuestions, type Question } from '../../src/questionnaire/questions';
import { loadDefaultRules } from '../../src/rules/load';
import type { RuleSet } from '../../src/rules/schema';
import { ensureBuilt } from '../support/run-cli';

type Rendered = Awaited<ReturnType<typeof render>>;
type AnyPrompt = (config: never, context?: object) => Promise<unknown>;

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadDefaultRules();
});

const CTX: AskContext = { answers: {}, editing: false };

/** A question as the questionnaire asks it, with every section open. */
function question(path: string): Question {
  const open: Record<string, unknown> = { needs: ['knowledge'] };
  for (const s of rules.sections) if (s.optional) open[s.id] = {};
  const item = planQuestions(rules, { answers: open, skipped: new Set() }).find((i) => i.question.path === path);
  if (!item) throw new Error(`no question ${path}`);
  return item.question;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function harness(options: { signal?: AbortSignal } = {}) {
  const renders: Rendered[] = [];
  const wrap = (prompt: AnyPrompt) =>
    ((config: never, context: { signal?: AbortSignal } = {}) =>
      render(prompt as never, config, context.signal ? { signal: context.signal } : {}).then((r) => {
        renders.push(r);
        return r.answer;
      })) as never;
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d) => (printed += d));
  const ask = createInquirerAsk({
    input: new PassThrough(),
    output,
    color: false,
    ...(options.signal ? { signal: options.signal } : {}),
    prompts: { input: wrap(prompts.input), select: wrap(prompts.select), checkbox: wrap(prompts.checkbox) },
  });
  return {
    ask,
    /** The n-th prompt shown (1-based), once it is on screen. */
    async prompt(n: number): Promise<Rendered> {
      await until(() => renders.length >= n, `prompt ${n}`);
      return renders[n - 1]!;
    },
    printed: () => printed,
  };
}

/** Lets the prompt process a keypress (validation is async) before the screen is read. */
const settle = () => new Promise((r) => setTimeout(r, 20));
const oneLine = (s: string) => s.replace(/\s+/g, ' ');

describe('yes/no questions', () => {
  it('shows the progress, the hint, the default, and the help on request before asking again', async () => {
    const h = harness();
    const q = question('ceiling.fewShot');
    const answer = h.ask(q, CTX);
    const first = await h.prompt(1);
    const screen = first.getScreen();
    expect(screen).toContain('Ceiling test · 4 of 5');
    expect(screen).toMatch(/question \d+ of \d+/);
    expect(screen).toContain(q.message);
    expect(oneLine(screen)).toContain(q.hint!);
    // Default false: the cursor starts on No.
    expect(screen).toMatch(/❯ No/);
    expect(screen).toContain('? What does this mean?');
    first.events.type('?');
    first.events.keypress('enter');
    const second = await h.prompt(2);
    expect(oneLine(h.printed())).toContain(oneLine(q.help!));
    expect(second.getScreen()).toContain(q.message);
    second.events.keypress('up');
    second.events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('takes the default with Enter alone', async () => {
    const h = harness();
    const answer = h.ask(question('indicators.brandVoice'), CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain('Indicators · 3 of 6');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(false);
  });

  it('has no help entry when the rule set gives no help', async () => {
    const h = harness();
    const answer = h.ask(question('knowledge.mustCite'), CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).not.toContain('What does this mean?');
    p.events.type('y');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('says "Change your answer" when editing from the review, starting on the current answer', async () => {
    const h = harness();
    const answer = h.ask({ ...question('indicators.latency'), default: true }, { answers: {}, editing: true });
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain('Change your answer');
    expect(p.getScreen()).toMatch(/❯ Yes/);
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(true);
  });

  it('offers an optional section with default no', async () => {
    const h = harness();
    const q = question('roi');
    const answer = h.ask(q, CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain(q.message);
    expect(p.getScreen()).toContain('Return on investment · optional');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(false);
  });
});

describe('number questions', () => {
  it('rejects text that is not a number and numbers out of range, then accepts a valid one', async () => {
    const h = harness();
    const answer = h.ask(question('data.examples'), CTX);
    const p = await h.prompt(1);
    p.events.type('abc');
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('"abc" is not a number');
    for (let i = 0; i < 3; i++) p.events.keypress('backspace');
    p.events.type('-5');
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('Type a number from 0 to 1,000,000,000.');
    for (let i = 0; i < 2; i++) p.events.keypress('backspace');
    p.events.type('1.5');
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('Type a whole number.');
    for (let i = 0; i < 3; i++) p.events.keypress('backspace');
    p.events.type('10,000');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(10000);
  });

  it('accepts an empty answer to an optional count', async () => {
    const h = harness();
    const answer = h.ask(question('data.documents'), CTX);
    const p = await h.prompt(1);
    p.events.keypress('enter');
    await expect(answer).resolves.toBeUndefined();
  });

  it('requires an answer to a required number', async () => {
    const h = harness();
    const answer = h.ask({ ...question('data.examples'), required: true }, CTX);
    const p = await h.prompt(1);
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('An answer is needed here');
    p.events.type('7');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(7);
  });

  it('shows the help when "?" is typed', async () => {
    const h = harness();
    const answer = h.ask({ ...question('data.examples'), help: 'Count only examples a reviewer would accept.' }, CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain('Type ? for help.');
    p.events.type('?');
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('Count only examples a reviewer would accept.');
    p.events.keypress('backspace');
    p.events.type('12');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(12);
  });

  it('parses what people type', () => {
    expect(parseNumber('10000')).toBe(10000);
    expect(parseNumber(' 10,000 ')).toBe(10000);
    expect(parseNumber('1_000_000')).toBe(1000000);
    expect(parseNumber('10 000')).toBe(10000);
    expect(parseNumber('2.5')).toBe(2.5);
    expect(parseNumber('abc')).toBeUndefined();
    expect(parseNumber('1,5')).toBeUndefined();
    expect(parseNumber('12abc')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
    expect(validateNumberText(question('usage.requestsPerDay'), '')).toMatch(/answer is needed/);
  });
});

describe('text questions', () => {
  it('requires a use case name', async () => {
    const h = harness();
    const answer = h.ask(question('useCase.name'), CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain('Use case · 1 of 2');
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('An answer is needed here.');
    p.events.type('  Support bot ');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe('Support bot');
  });

  it('leaves an optional description out when empty', async () => {
    const h = harness();
    const answer = h.ask(question('useCase.description'), CTX);
    (await h.prompt(1)).events.keypress('enter');
    await expect(answer).resolves.toBeUndefined();
  });
});

describe('choices', () => {
  it('needs at least one need picked', async () => {
    const h = harness();
    const q = question('needs');
    const answer = h.ask(q, CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain(q.choices![0]!.label);
    p.events.keypress('enter');
    await settle();
    expect(p.getScreen()).toContain('Pick at least one');
    p.events.keypress('space');
    p.events.keypress('down');
    p.events.keypress('space');
    p.events.keypress('enter');
    await expect(answer).resolves.toEqual([q.choices![0]!.value, q.choices![1]!.value]);
  });

  it('scores a rubric line with its levels', async () => {
    const h = harness();
    const answer = h.ask(question('rubric.evaluation'), CTX);
    const p = await h.prompt(1);
    expect(p.getScreen()).toContain('5 · Held-out set, human review and production metrics');
    p.events.keypress('down');
    p.events.keypress('enter');
    await expect(answer).resolves.toBe(3);
  });
});

describe('leaving', () => {
  it('turns Ctrl-C into Interrupted', async () => {
    const h = harness();
    const answer = h.ask(question('indicators.latency'), CTX);
    const p = await h.prompt(1);
    p.events.keypress({ name: 'c', ctrl: true });
    await expect(answer).rejects.toBeInstanceOf(Interrupted);
  });

  it('turns an abort (signal, closed terminal) into Interrupted, also for later questions', async () => {
    const controller = new AbortController();
    const h = harness({ signal: controller.signal });
    const answer = h.ask(question('needs'), CTX);
    await h.prompt(1);
    controller.abort();
    await expect(answer).rejects.toBeInstanceOf(Interrupted);
    await expect(h.ask(question('useCase.name'), CTX)).rejects.toBeInstanceOf(Interrupted);
  });
});

describe('loading', () => {
  it('only inquirer-ask.ts refers to the prompt packages, each through a dynamic import, never @inquirer/prompts', () => {
    const root = fileURLToPath(new URL('../../src', import.meta.url));
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const users = files.filter((f) => /['"]@inquirer\//.test(readFileSync(join(root, f), 'utf8').replace(/typeof import\(/g, '')));
    expect(users).toEqual([join('questionnaire', 'inquirer-ask.ts')]);
    const text = readFileSync(join(root, 'questionnaire/inquirer-ask.ts'), 'utf8');
    expect(text).not.toMatch(/^import[^;]*['"]@inquirer\//m);
    for (const name of ['input', 'select', 'checkbox']) expect(text).toMatch(new RegExp(`=> import\\('@inquirer/${name}'\\)`));
    expect(text).not.toMatch(/import\('@inquirer\/prompts'\)/);
  });

  it('the built program carries no editor prompt or encoding detection (the unused parts of @inquirer/prompts)', async () => {
    await ensureBuilt();
    const dist = fileURLToPath(new URL('../../dist', import.meta.url));
    const built = (readdirSync(dist, { recursive: true }) as string[]).filter((f) => /\.(c?js)$/.test(f));
    const heavy = built.filter((f) => /iconv-lite|chardet|external-editor|@inquirer\/editor/.test(readFileSync(join(dist, f), 'utf8')));
    expect(heavy).toEqual([]);
  });
});
