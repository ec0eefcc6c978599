// Every fact an evidence reader can set, by namespace.
import type { FactType } from '../rules/fact-types';
import { TRAINING_DATA_FACTS } from './data/facts';
import { EVAL_FACTS } from './eval/facts';

export const EVIDENCE_FACTS: Record<string, { type: FactType; description: string }> = { ...EVAL_FACTS, ...TRAINING_DATA_FACTS };
