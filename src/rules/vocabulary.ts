// The words rules are written in: operators and approaches. Kept apart from the zod
// schema so the engine and the CI fast path can use them without loading zod.
export type Scalar = string | number | boolean;

/** Operators applied to one value. A band's `when` uses these without a `fact`. */
export interface ValueTest {
  is?: Scalar;
  eq?: Scalar;
  ne?: Scalar;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  in?: Scalar[];
  notIn?: Scalar[];
  contains?: Scalar;
  containsAny?: Scalar[];
  containsOnly?: Scalar[];
  exists?: boolean;
}
export const OPERATORS = ['is', 'eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'contains', 'containsAny', 'containsOnly', 'exists'] as const;
export type Operator = (typeof OPERATORS)[number];

export interface FactTest extends ValueTest {
  fact: string;
}
export type Condition = FactTest | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export type Approach = 'prompt' | 'rag' | 'fine-tune' | 'hybrid';
export const APPROACHES: readonly Approach[] = ['prompt', 'rag', 'fine-tune', 'hybrid'];
