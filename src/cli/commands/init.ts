// PLACEHOLDER: being written in this session; must be replaced before commit.
export {};

export async function initCommand(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
