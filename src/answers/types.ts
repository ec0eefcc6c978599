// The answers' types and the schema options, apart from the zod schema that builds on
// them, so the quick conformance walk (conforms.ts) and the schema (schema.ts) each
// depend on this file and never on each other's.
export type AnswerValue = boolean | number | string;
export type SectionAnswers = Record<string, AnswerValue>;
export interface Answers {
  version: 1;
  useCase: { name: string; description?: string };
  needs: string[];
  [section: string]: unknown;
}

export interface SchemaOptions {
  /** Accept answers files with questions left out (interactive `--ask-missing`, drafts). */
  partial?: boolean;
  /**
   * Include `data.file` and `data.holdout`, the training files `assess` reads (and takes
   * out of the answers before validating them): for the published JSON Schema.
   */
  filePaths?: boolean;
}
