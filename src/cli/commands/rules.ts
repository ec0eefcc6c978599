// PLACEHOLDER: being written in this session; must be replaced before commit.
export {};

export async function rulesValidateCommand(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
export async function rulesShowCommand(..._a: unknown[]): Promise<number> { throw new Error('PLACEHOLDER'); }
