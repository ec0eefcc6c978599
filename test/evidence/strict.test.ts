import { describe, expect, it } from 'vitest';
import { strictEvidenceFailure } from '../../src/evidence/strict';

const contradiction = { rule: 'evidence.data.examples', path: 'data.examples', value: 13, because: '13 usable examples', file: 'train.jsonl', source: 's', answered: 10000 };

describe('strictEvidenceFailure', () => {
  it.each([
    ['no evidence', {}, undefined],
    ['evidence without contradictions', { evidence: { files: [], filled: [], confirmed: [], contradictions: [] } }, undefined],
  ])('%s: passes', (_name, report, expected) => expect(strictEvidenceFailure(report)).toBe(expected));

  it('names each contradicted answer, both values and the file', () => {
    const message = strictEvidenceFailure({
      evidence: { files: [], filled: [], confirmed: [], contradictions: [contradiction, { ...contradiction, path: 'dataChecklist.noPii', value: false, answered: true, because: '2 lines hold PII' }] },
    });
    expect(message).toBe(
      'ft-advisor: --strict-evidence: 2 explicit answers are contradicted by evidence:\n' +
        '  data.examples: answered 10000, but train.jsonl says 13 (13 usable examples)\n' +
        '  dataChecklist.noPii: answered true, but train.jsonl says false (2 lines hold PII)\n' +
        '  hint: correct the answers, or leave them out so the evidence fills them in\n',
    );
  });
});
