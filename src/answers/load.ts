// Answers in: a file or standard input, YAML or JSON, validated against the rule set.
import type { RuleSet } from '../rules/schema';
import { readAnswersData, type AnswerSource } from './read';
import type { Answers } from './schema';
import { validateAnswers } from './validate';

export { readAnswersData, STDIN_NAME, type AnswerSource } from './read';

export async function loadAnswers(source: AnswerSource, rules: RuleSet, options: { partial?: boolean } = {}): Promise<{ answers: Answers; file: string }> {
  const { data, file } = await readAnswersData(source);
  return { answers: validateAnswers(data, rules, { file, partial: options.partial }), file };
}
