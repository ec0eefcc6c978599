// PLACEHOLDER: being written in this session; must be replaced before commit.
export {};

export async function baselineGate(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
export async function diffCommand(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
