// `ft-advisor assess` on a terminal: the questionnaire (src/questionnaire/run.ts) returns
// the answers, and the assessment finishes here as every other route does.
import type { RuleSet } from '../../rules/schema';
import type { InteractiveDeps } from '../../questionnaire/run';
import { EXIT, printProblems, type CliIO } from '../io';
import { InputError } from '../../util/errors';
import { finishAssessment, type AssessOptions } from './assess-finish';

/**
 * Runs the questionnaire, prints the verdict like the text report and returns the exit
 * code: that of the assessment, or 130 when interrupted (the answers so far are then in
 * a draft file).
 */
export async function interactiveAssess(rules: RuleSet, opts: AssessOptions, io: CliIO, deps: InteractiveDeps = {}): Promise<number> {
  const { openQuestionnaire } = await import('../../questionnaire/run');
  const session = await openQuestionnaire(rules, opts, io, deps);
  try {
    const answers = await session.ask();
    if (typeof answers === 'number') return answers;
    let code: number;
    try {
      code = await finishAssessment(rules, answers, opts, io, session.evidence());
    } catch (error) {
      // Bad input found only now (--output onto an eval file read in the questionnaire):
      // said as usual, and the answers can still be saved.
      if (!(error instanceof InputError)) throw error;
      printProblems(error, io);
      code = EXIT.usage;
    }
    return (await session.afterVerdict(answers)) ?? code;
  } finally {
    session.close();
  }
}
