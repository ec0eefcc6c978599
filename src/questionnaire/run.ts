// PLACEHOLDER: being written in this session; must be replaced before commit.
export {};

export async function interactiveAssess(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
