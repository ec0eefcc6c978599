// The library's assess() with evidence files: eval results and a training file, given as
// options or named in the answers, as `assess --evidence --data` reads them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, InputError } from '../../src/index';
import { decisionRecord, decisionRecordLine } from '../../src/report/record';
import { ROOT } from '../support/run-cli';

/** The support bot's answers without what the files settle. */
const answers = () => ({
  version: 1,
  useCase: { name: 'Library evidence' },
  needs: ['style', 'behavior'],
  ceiling: { retrievalOptimized: true, fewShot: true, structuredPrompt: true },
  indicators: { consistentBehavior: true, domainKnowledge: false, brandVoice: true, costOptimization: false, latency: false, dataSovereignty: false },
  antiIndicators: { rapidlyChangingRequirements: false, lowVolume: false, explorationPhase: false },
});
const paths = (report: Awaited<ReturnType<typeof assess>>) => report.evidence!.filled.map((f) => f.path);

describe('a decision record with evidence', () => {
  it('is written field by field as JSON.stringify writes the record, evidence included', async () => {
    const report = await assess(answers(), undefined, { cwd: ROOT, evidenceFiles: ['examples/evidence/promptfoo-results.json'], dataFile: 'examples/data/chat.jsonl' });
    const line = decisionRecordLine(report, 'cases.jsonl', 3);
    expect(line).toBe(JSON.stringify({ file: 'cases.jsonl', line: 3, ...decisionRecord(report) }));
    expect(JSON.parse(line).evidence.files).toEqual([
      { file: 'examples/evidence/promptfoo-results.json', kind: 'promptfoo results (version 3)' },
      { file: 'examples/data/chat.jsonl', kind: 'training data (chat JSONL)' },
    ]);
  });
});

describe('assess() with evidence files', () => {
  it('dataFile and evidenceFiles fill the answers the object leaves out, relative to cwd', async () => {
    const report = await assess(answers(), undefined, { cwd: ROOT, evidenceFiles: ['examples/evidence/promptfoo-results.json'], dataFile: 'examples/data/chat.jsonl', whatIf: false });
    expect(paths(report)).toEqual(expect.arrayContaining(['ceiling.promptVariations', 'ceiling.multipleModels', 'antiIndicators.promptsWorking', 'data.examples']));
    expect(report.evidence!.files.map((f) => f.file)).toEqual(['examples/evidence/promptfoo-results.json', 'examples/data/chat.jsonl']);
    expect(report.answers).not.toHaveProperty('evidence');
  });

  it('`data: { file }` and `evidence:` in the answers are relative to `file`', async () => {
    const doc = { ...answers(), evidence: ['evidence/evals.yaml'], data: { file: 'data/chat.jsonl' } };
    const report = await assess(doc, undefined, { file: join(ROOT, 'examples/answers.yaml'), whatIf: false });
    expect(paths(report)).toEqual(expect.arrayContaining(['ceiling.multipleModels', 'data.examples']));
  });

  it('a holdout without its training file, or a missing file, throws with the file named', async () => {
    await expect(assess(answers(), undefined, { cwd: ROOT, holdoutFile: 'examples/data/chat-holdout.jsonl' })).rejects.toThrow(/a holdout file needs the training file/);
    const missing = assess(answers(), undefined, { cwd: ROOT, dataFile: 'examples/data/nope.jsonl' });
    await expect(missing).rejects.toBeInstanceOf(InputError);
    await expect(missing).rejects.toThrow(/nope\.jsonl/);
  });
});
