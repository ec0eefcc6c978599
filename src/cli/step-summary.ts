// PLACEHOLDER: being written in this session; must be replaced before commit.
export {};

export async function appendStepSummary(..._a: unknown[]): Promise<void> { throw new Error('PLACEHOLDER'); }
