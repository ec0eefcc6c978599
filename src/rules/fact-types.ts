/** What a fact holds, so rule checks can catch conditions that can never hold. */
export type FactType = 'number' | 'boolean' | 'text' | 'list' | 'any';
