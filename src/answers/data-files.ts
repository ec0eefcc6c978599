// Keys of an answers file that name files rather than answer questions, and the check
// whether a document names any: light on purpose, so a batch of plain answers can ask
// it for every use case without loading the evidence readers.

/** The `data` section's file keys: a training file and its holdout. */
export const DATA_FILES = {
  section: 'data',
  keys: { file: 'a JSONL training file to read the data answers from (relative to this file)', holdout: 'its held-out test set (JSONL), for the holdout share and leakage' },
} as const;

/** Whether an answers document names evidence files: eval results under `evidence:`, or a training file under `data:`. */
export function namesEvidenceFiles(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  if ('evidence' in data) return true;
  const section = (data as Record<string, unknown>)[DATA_FILES.section];
  return Boolean(section) && typeof section === 'object' && !Array.isArray(section) && Object.keys(DATA_FILES.keys).some((k) => k in (section as object));
}
