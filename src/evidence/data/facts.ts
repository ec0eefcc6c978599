// Facts a training-data reader sets (`data inspect`, `assess --data`).
// A rule set's evidence mappings may read these; `rules show --facts` lists them.
// A count by format is set only when the file has lines in that format.
import type { FactType } from '../../rules/fact-types';

export const TRAINING_DATA_FACTS: Record<string, { type: FactType; description: string }> = {
  'trainingData.file': { type: 'text', description: 'the training file, as named' },
  'trainingData.format': { type: 'text', description: 'the format of most lines: chat, preference, completion or text' },
  'trainingData.lines': { type: 'number', description: 'lines in the training file' },
  'trainingData.examples': { type: 'number', description: 'usable chat or prompt/completion examples (no problems, each duplicate once)' },
  'trainingData.preferencePairs': { type: 'number', description: 'usable preference pairs (no problems, each duplicate once)' },
  'trainingData.documents': { type: 'number', description: 'usable text documents (no problems, each duplicate once)' },
  'trainingData.problemLines': { type: 'number', description: 'lines with a problem (not JSON, no assistant message, ...)' },
  'trainingData.problemPercent': { type: 'number', description: 'lines with a problem, as a percentage of the non-blank lines' },
  'trainingData.duplicates': { type: 'number', description: 'examples that repeat an earlier one (whitespace normalised)' },
  'trainingData.duplicatePercent': { type: 'number', description: 'duplicates, as a percentage of the examples' },
  'trainingData.qualityWarning': { type: 'boolean', description: "duplicates or problem lines pass the rule set's quality threshold" },
  'trainingData.maxDuplicatePercent': { type: 'number', description: "the rule set's duplicate threshold, in percent" },
  'trainingData.maxProblemPercent': { type: 'number', description: "the rule set's problem-line threshold, in percent" },
  'trainingData.piiLines': { type: 'number', description: 'lines with PII of a checked kind' },
  'trainingData.piiSummary': { type: 'text', description: 'PII found, by kind, with counts of lines' },
  'trainingData.holdoutExamples': { type: 'number', description: 'examples in the holdout file' },
  'trainingData.holdoutPercent': { type: 'number', description: "the holdout's share of all examples, in percent" },
  'trainingData.holdoutTargetPercent': { type: 'number', description: 'the share the rule set asks the holdout to be, in percent' },
  'trainingData.leakedExamples': { type: 'number', description: 'training examples also in the holdout' },
  'trainingData.holdoutMeetsTarget': { type: 'boolean', description: 'the holdout reaches the target share and shares no example with training' },
  'trainingData.tokensP95': { type: 'number', description: '95th percentile of example length in tokens' },
  'trainingData.overContextLimit': { type: 'number', description: 'examples longer than the context limit' },
};
