// Rendered output is checked by snapshot (and only rendered output); the structure that
// matters is asserted explicitly.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { validateAnswers } from '../../src/answers/validate';
import { assessAnswers, type Report } from '../../src/engine/assess';
import { mermaidDecisionPath, renderMarkdown } from '../../src/report/markdown';
import { renderText } from '../../src/report/text';
import { loadDefaultRules } from '../../src/rules/load';
import { ROOT } from '../support/run-cli';

const EXAMPLES = ['task-api', 'socratic-tutor', 'support-bot'] as const;
const reports = new Map<string, Report>();
const stripAnsi = stripVTControlCharacters;

beforeAll(async () => {
  const rules = await loadDefaultRules();
  for (const name of EXAMPLES) {
    const data = YAML.parse(readFileSync(join(ROOT, `examples/${name}.yaml`), 'utf8'));
    reports.set(name, assessAnswers(rules, validateAnswers(data, rules)));
  }
});

describe.each(EXAMPLES)('%s', (name) => {
  it('text report (plain) matches its snapshot', () => {
    expect(renderText(reports.get(name)!, { color: false, width: 100 })).toMatchSnapshot();
  });

  it('coloured text differs from plain only by escape codes', () => {
    const plain = renderText(reports.get(name)!, { color: false, width: 100 });
    const coloured = renderText(reports.get(name)!, { color: true, width: 100 });
    expect(coloured).not.toBe(plain);
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('markdown report matches its snapshot', () => {
    expect(renderMarkdown(reports.get(name)!)).toMatchSnapshot();
  });
});

describe('markdown structure', () => {
  it('has the sections a design review needs', () => {
    const md = renderMarkdown(reports.get('task-api')!);
    for (const heading of [
      '## Decision path',
      '## Factors',
      '## Scores and how they were reconciled',
      '## Method',
      '## Data readiness',
      '## Economics',
      '## Alternatives and next steps',
      '## Risks and evaluation plan',
      '## What would change the verdict',
      '## Where the source documents disagree',
      '## Trace',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
  });

  it('highlights exactly the path taken in the flowchart', () => {
    const chart = mermaidDecisionPath(reports.get('support-bot')!);
    // support bot: ceiling not passed -> keep optimising prompts -> retrieval adjustment -> RAG
    expect(chart).toMatch(/class start,q0,o0,a0,verdict taken/);
    expect(chart).toMatch(/class q1,o1,q2,o2,cand other/);
    const hybrid = mermaidDecisionPath(reports.get('task-api')!);
    expect(hybrid).toMatch(/class start,q0,q1,q2,cand,a0,verdict taken/);
    expect(hybrid).toContain('knowledge.facts-to-retrieval: fine-tune → hybrid');
  });
});
