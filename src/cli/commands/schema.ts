// `ft-advisor schema answers|rules|report`: JSON Schema (draft-07) generated from the zod
// schemas, never written by hand, for editor completion and external validators.
import * as z from 'zod/mini';
import { answersJsonSchema } from '../../answers/schema';
import { SCHEMA_BASE_URL } from '../../report/schema-url';
import { loadRules } from '../../rules/load';
import { getRuleSetSchema } from '../../rules/schema';
import { UsageError } from '../../util/errors';
import { didYouMean } from '../../util/suggest';
import { EXIT, reportFailure, type CliIO } from '../io';

export interface SchemaOptions {
  rules?: string;
}

const WHICH = ['answers', 'rules', 'evidence', 'report'];

export async function schemaCommand(which: string, opts: SchemaOptions, io: CliIO): Promise<number> {
  try {
    if (!WHICH.includes(which)) {
      throw new UsageError(`unknown schema "${which}": expected answers, rules, evidence or report`, didYouMean(which, WHICH) ?? 'ft-advisor schema answers > answers.schema.json');
    }
    if (which !== 'answers' && opts.rules) {
      throw new UsageError(`--rules applies to \`schema answers\` only: the ${which === 'rules' ? 'rule-set' : which} schema is the same for every rule set`);
    }
    const schema =
      which === 'answers'
        ? answersJsonSchema(await loadRules(opts.rules, { cwd: io.cwd }))
        : which === 'rules'
          ? rulesJsonSchema()
          : which === 'evidence'
            ? (await import('../../evidence/eval/neutral')).evidenceJsonSchema()
            : (await import('../../report/schema')).reportJsonSchema();
    io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(error, io, false);
  }
}

type Json = Record<string, unknown>;

/**
 * The rule-set schema. A file with `extends: default` only overrides parts, so it is
 * checked against a relaxed copy (nothing required, `remove: true` allowed on list
 * items); any other file against the full schema.
 */
export function rulesJsonSchema(): Json {
  const raw = z.toJSONSchema(getRuleSetSchema(), { target: 'draft-07', unrepresentable: 'any' }) as Json;
  // The recursive condition comes out as "__schema0": give it a name people can read.
  const text = JSON.stringify(raw).replace(/#\/definitions\/__schema0\b/g, '#/definitions/condition');
  const full = JSON.parse(text) as Json;
  const definitions = (full.definitions ?? {}) as Json;
  if ('__schema0' in definitions) {
    definitions.condition = { description: 'A condition: { fact, <operator>: value }, or all / any / not of conditions.', ...(definitions.__schema0 as Json) };
    delete definitions.__schema0;
  }
  const { $schema: _s, definitions: _d, ...body } = full;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${SCHEMA_BASE_URL}/rules.schema.json`,
    title: 'ft-advisor rule set, schemaVersion 1',
    description: 'A complete rule set, or one that starts with `extends: default` and overrides only what differs. See https://github.com/ft-advisor/ft-advisor/blob/main/docs/rules.md',
    definitions,
    if: { type: 'object', required: ['extends'] },
    then: {
      ...relaxed(body),
      properties: {
        ...((relaxed(body).properties ?? {}) as Json),
        extends: { const: 'default', description: 'Start from the default rule set; mappings merge key by key, lists of items with an id item by item.' },
      },
    },
    else: body,
  };
}

/** The schema of an override: nothing required, and list items may say `remove: true`. */
function relaxed(node: unknown): Json {
  if (Array.isArray(node)) return node.map(relaxed) as never;
  if (!node || typeof node !== 'object') return node as never;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'required' && Array.isArray(v)) continue;
    if (k === 'minItems') continue;
    out[k] = k === 'properties' || k === 'definitions' ? Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, pk === 'when' || pk === 'askWhen' ? pv : relaxed(pv)])) : relaxed(v);
  }
  const props = out.properties as Json | undefined;
  if (out.type === 'object' && props && 'id' in props) {
    out.properties = { ...props, remove: { type: 'boolean', description: 'true drops the item with this id from the default rule set' } };
  }
  return out;
}
