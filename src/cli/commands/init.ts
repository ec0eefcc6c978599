// `ft-advisor init [file]`: a commented answers template for the active rule set.
// Every section and question appears with its prompt; the template validates and
// assesses as written, so a team can start from it and change only what applies.
import { wrapToWidth } from '../../util/wrap';
import { access, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { FieldRule, RuleSet, SectionRule } from '../../rules/schema';
import { isRequiredField } from '../../answers/schema';
import { answerProblems } from '../../answers/validate';
import { loadRules } from '../../rules/load';
import { conditionText } from './rules';
import { checkWritable, isStream, writeFileAtomic } from '../../util/atomic-write';
import { formatProblem, InputError } from '../../util/errors';
import { parseStructured } from '../../util/safe-yaml';
import { asRun, EXIT, reportFailure, type CliIO } from '../io';

export interface InitOptions {
  rules?: string;
  force?: boolean;
}

export const SCHEMA_FILE = 'answers.schema.json';
export const PACKAGE_SCHEMA_PATH = './node_modules/ft-advisor/schemas/answers.schema.json';

export async function initCommand(file: string | undefined, opts: InitOptions, io: CliIO): Promise<number> {
  try {
    const rules = await loadRules(opts.rules, { cwd: io.cwd });
    const target = file && file !== '-' ? resolve(io.cwd, file) : undefined;
    const dir = target ? dirname(target) : io.cwd;
    const schemaRef = (await exists(join(dir, SCHEMA_FILE))) ? SCHEMA_FILE : PACKAGE_SCHEMA_PATH;
    const template = asRun(answersTemplate(rules, { schemaRef, file: file && file !== '-' ? file : 'answers.yaml', rulesFile: opts.rules }), io);

    // The template must work as written; a custom rule set may ask for values it cannot guess.
    const data = await parseStructured(template, { file: 'template', kind: 'answers' });
    const problems = answerProblems(data, rules, { file: file ?? 'template' });

    if (!target) {
      io.stdout.write(template);
    } else {
      if (
        await stat(target).then(
          (i) => i.isDirectory(),
          () => false,
        )
      ) {
        throw new InputError({ file: file!, message: 'is a folder; expected a file name for the template', hint: `e.g. ft-advisor init ${join(file!, 'answers.yaml')}` });
      }
      if ((await exists(target)) && !opts.force && !(await isStream(target))) {
        throw new InputError({ file: file!, message: 'already exists; not overwritten', hint: 'pass --force to replace it, or choose another file name' });
      }
      // Worded with the path as the user typed it, not the absolute one.
      const reason = (await checkWritable(target))?.split(dirname(target)).join(dirname(file!));
      if (reason) throw new InputError({ file: file!, message: `cannot write the template: ${reason}`, hint: 'nothing was written' });
      try {
        await writeFileAtomic(target, template);
      } catch (error) {
        throw new InputError({ file: file!, message: `cannot write the template: ${(error as Error).message}`, hint: 'nothing was written' });
      }
      io.stderr.write(asRun(`ft-advisor: wrote ${file}. Answer the questions in it, then run: ft-advisor assess --answers ${file}${opts.rules ? ` --rules ${opts.rules}` : ''}\n`, io));
    }
    if (problems.length) {
      io.stderr.write(`ft-advisor: the template needs these answers before it assesses:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export interface TemplateOptions {
  /** What the yaml-language-server line points at. */
  schemaRef: string;
  /** The file name shown in the instructions. */
  file?: string;
  rulesFile?: string;
}

const WIDTH = 88;

function wrapComment(text: string, indent: string): string[] {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? wrapToWidth(flat, WIDTH - indent.length - 2).map((l) => `${indent}# ${l}`) : [];
}

/** A YAML scalar for a default or placeholder value. */
function scalar(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function placeholder(field: FieldRule): unknown {
  if (field.default !== undefined) return field.default;
  switch (field.type) {
    case 'boolean':
      return false;
    case 'text':
      return field.required ? 'My use case' : '';
    case 'score':
      return Math.min(...Object.keys(field.levels ?? { 1: '' }).map(Number));
    default:
      return field.min ?? 0;
  }
}

function fieldLines(section: SectionRule, field: FieldRule, indent: string, commented: boolean): string[] {
  const lines: string[] = [];
  // Our own line says how derivation works in a file, so a hint saying the same is left out.
  const hint = field.hint && !(field.derive && /derived/i.test(field.hint)) ? ` ${field.hint}` : '';
  lines.push(...wrapComment(`${field.prompt}${hint}`, indent));
  if (field.type === 'score' && field.levels) {
    lines.push(
      ...wrapComment(
        Object.entries(field.levels)
          .sort((a, b) => Number(b[0]) - Number(a[0]))
          .map(([k, v]) => `${k} = ${v}`)
          .join('; '),
        indent,
      ),
    );
  }
  if ((field.type === 'integer' || field.type === 'number') && (field.min !== undefined || field.max !== undefined)) {
    lines.push(`${indent}# ${field.type === 'integer' ? 'A whole number' : 'A number'}${field.min !== undefined ? ` from ${field.min}` : ''}${field.max !== undefined ? ` to ${field.max}` : ''}.`);
  }
  if (field.derive) {
    lines.push(...wrapComment(`Derived when you leave it out and give ${field.derive.requires.join(' and ')}: then delete this line.`, indent));
  }
  const required = isRequiredField(section, field) || (field.derive !== undefined && section.role !== undefined);
  const optionalLine = !commented && !required && field.default === undefined;
  lines.push(`${optionalLine ? `${indent}# ` : indent}${field.id}: ${scalar(placeholder(field))}`);
  return lines;
}

/** The template text: YAML with every question of `rules`, prompts as comments. */
export function answersTemplate(rules: RuleSet, options: TemplateOptions): string {
  const file = options.file ?? 'answers.yaml';
  const out: string[] = [
    `# yaml-language-server: $schema=${options.schemaRef}`,
    '#',
    `# ft-advisor answers, rule set ${rules.name} ${rules.version}. Written by \`ft-advisor init\`.`,
    `# Answer the questions, then run: ft-advisor assess --answers ${file}${options.rulesFile ? ` --rules ${options.rulesFile}` : ''}`,
    '# Yes/no questions start at their default (false): change those that apply.',
    '# Optional sections are commented out: uncomment one to answer it.',
    `# Editor completion: run \`ft-advisor schema answers${options.rulesFile ? ` --rules ${options.rulesFile}` : ''} > ${SCHEMA_FILE}\` next to this`,
    `# file and point the first line at it: # yaml-language-server: $schema=${SCHEMA_FILE}`,
    '',
    'version: 1',
  ];
  for (const section of rules.sections) {
    const active = section.required === true;
    const c = active ? '' : '# ';
    const rule = '-'.repeat(Math.max(4, WIDTH - section.title.length - section.id.length - 9));
    out.push('', `# --- ${section.title} (${section.id}) ${rule}`);
    if (section.intro) out.push(...wrapComment(section.intro, ''));
    if (section.askWhen) out.push(...wrapComment(`Applies when ${conditionText(section.askWhen)}.`, ''));
    if (!active) out.push(...wrapComment(`Optional: uncomment the section to answer it.${section.offer ? ` ${section.offer}` : ''}`, ''));

    if (section.kind === 'choices') {
      if (section.prompt) out.push(...wrapComment(section.prompt, ''));
      const choices = section.choices ?? [];
      // Something must be chosen for the file to validate. The prompt-route choice is the
      // safe placeholder: on its own it never leads to fine-tuning.
      const keep = active ? (choices.find((ch) => ch.route === 'prompt') ?? choices[0]) : undefined;
      out.push(`${c}${section.id}:${keep ? `   # ${keep.id} is a placeholder: uncomment what applies, delete what does not` : ''}`);
      for (const ch of choices) {
        const text = `${ch.label}${ch.hint ? ` (${ch.hint})` : ''}`;
        out.push(`${ch === keep ? '' : '# '}${c}  - ${ch.id.padEnd(16)} # ${text}`);
      }
      continue;
    }
    out.push(`${c}${section.id}:`);
    for (const field of section.fields ?? []) {
      for (const line of fieldLines(section, field, '  ', !active)) out.push(`${c}${line}`);
    }
  }
  return `${out.join('\n')}\n`;
}
