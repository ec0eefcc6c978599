// Answers files written by the questionnaire: the saved answers (replayed in CI with
// --answers) and the draft an interrupted run leaves behind (continued with --resume).
// Both are ordinary answers documents; a draft also lists, in a comment, the optional
// questions left empty so a resumed run does not ask them again.
import { resolve } from 'node:path';
import { DATA_FILES } from '../answers/data-files';
import { validateAnswers } from '../answers/validate';
import type { RuleSet } from '../rules/schema';
import { writeFileAtomic } from '../util/atomic-write';
import { ANSWERS_MAX_BYTES, readInputFile } from '../util/read-input';
import { parseStructured } from '../util/safe-yaml';
import type { Draft } from './flow';
import type { PartialAnswers } from './questions';

/** Where an interrupted run leaves its answers, relative to the working directory. */
export const DRAFT_FILE = '.ft-advisor-draft.yaml';

const SKIPPED_MARK = '# ft-advisor-skipped:';

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The answers in rule-set order, `version` first, only what was answered: no empty
 * sections except optional ones the user opened (their presence means "included").
 */
export function cleanAnswers(rules: RuleSet, answers: PartialAnswers): PartialAnswers {
  const out: PartialAnswers = { version: 1 };
  for (const section of rules.sections) {
    const value = answers[section.id];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      out[section.id] = [...(value as unknown[])];
      continue;
    }
    if (!isMapping(value)) continue;
    const fields: Record<string, unknown> = {};
    for (const field of section.fields ?? []) {
      if (value[field.id] !== undefined) fields[field.id] = value[field.id];
    }
    if (Object.keys(fields).length > 0 || section.optional) out[section.id] = fields;
  }
  return out;
}

type YamlModule = typeof import('yaml');

// `yaml` ships CommonJS for Node: bundled and imported lazily, its namespace arrives as
// `default`; under vitest (src) it does not. Accept both.
async function importYaml(): Promise<YamlModule> {
  const mod = (await import('yaml')) as YamlModule & { default?: YamlModule };
  return mod.default && typeof mod.default.Document === 'function' ? mod.default : mod;
}

async function toYaml(data: PartialAnswers, comment: string): Promise<string> {
  const { Document, isSeq } = await importYaml();
  const doc = new Document(data);
  doc.commentBefore = comment;
  // Lists of ids read best on one line: needs: [format, style].
  const contents = doc.contents as { items?: { value?: unknown }[] } | null;
  for (const pair of contents?.items ?? []) {
    if (isSeq(pair.value)) pair.value.flow = true;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * A complete answers file that replays the run: `ft-advisor assess --answers <file>`. With
 * `files`, it names the evidence the run read (relative to the saved file) in place of the
 * answers that evidence filled.
 */
export async function answersYaml(rules: RuleSet, answers: PartialAnswers, replay: string, files?: { evidence?: string[]; data?: { file: string; holdout?: string } }): Promise<string> {
  const comment = [
    ` ft-advisor answers (rule set ${rules.name} ${rules.version}), saved by the questionnaire.`,
    ` Replay: ${replay}`,
    ' Derived answers are left out: they are derived again from the counts they depend on.',
    ...(files?.evidence || files?.data ? [' Answers the evidence files settle are left out too: the replay reads the files again.'] : []),
  ].join('\n');
  const { version, ...sections } = cleanAnswers(rules, answers);
  const data: PartialAnswers = { version, ...(files?.evidence ? { evidence: files.evidence } : {}), ...sections };
  const given = sections[DATA_FILES.section];
  if (files?.data) data[DATA_FILES.section] = { ...files.data, ...(isMapping(given) ? given : {}) };
  return toYaml(data, comment);
}

export async function draftYaml(rules: RuleSet, draft: Draft, resume: string): Promise<string> {
  const comment = [' ft-advisor questionnaire draft: the answers given before the run was interrupted.', ` Continue: ${resume}`].join('\n');
  const text = await toYaml(cleanAnswers(rules, draft.answers), comment);
  return draft.skipped.length ? `${text}${SKIPPED_MARK} ${draft.skipped.join(' ')}\n` : text;
}

/** The questions a draft records as left empty or declined. */
export function draftSkipped(text: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(SKIPPED_MARK));
  return line ? line.slice(SKIPPED_MARK.length).trim().split(/\s+/).filter(Boolean) : [];
}

export async function writeAnswersFile(cwd: string, file: string, text: string): Promise<void> {
  await writeFileAtomic(resolve(cwd, file), text);
}

/** Reads and checks a draft (or any partial answers file): throws InputError naming the file. */
export async function loadDraft(file: string, rules: RuleSet, cwd: string): Promise<Draft> {
  const text = await readInputFile(file, { cwd, maxBytes: ANSWERS_MAX_BYTES, what: 'draft' });
  const data = await parseStructured(text, { file, kind: 'answers', maxBytes: ANSWERS_MAX_BYTES });
  const answers = validateAnswers(data, rules, { file, partial: true }) as unknown as PartialAnswers;
  const known = new Set<string>();
  for (const section of rules.sections) {
    known.add(section.id);
    for (const field of section.fields ?? []) known.add(`${section.id}.${field.id}`);
  }
  return { answers, skipped: draftSkipped(text).filter((p) => known.has(p)) };
}
