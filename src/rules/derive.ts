// When an omitted answer can be derived: its `requires` paths all given, or with
// `requiresAny`, one of them (a data count in whichever unit the team has).
import type { FieldRule } from './schema';

type Derive = NonNullable<FieldRule['derive']>;

export function canDerive(derive: Derive, given: (path: string) => boolean): boolean {
  return derive.requiresAny ? derive.requires.some(given) : derive.requires.every(given);
}
