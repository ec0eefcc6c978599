// Facts a training-data reader sets (`data inspect`, `assess --data`).
// A rule set's evidence mappings may read these; `rules show --facts` lists them.
import type { FactType } from '../../rules/fact-types';

export const TRAINING_DATA_FACTS: Record<string, { type: FactType; description: string }> = {};
