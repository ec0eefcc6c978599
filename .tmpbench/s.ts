import * as z from 'zod/mini';
import { RuleSetSchema } from '../src/rules/schema';
const s = z.toJSONSchema(RuleSetSchema, { target: 'draft-07', unrepresentable: 'any' });
console.log(JSON.stringify(s, null, 1).slice(0, 3000));
console.log(Object.keys(s), JSON.stringify(s).length);
console.log(JSON.stringify((s as any).definitions, null, 1).slice(0, 2500));
console.log(JSON.stringify((s as any).properties.framework.properties.weights));
console.log(JSON.stringify((s as any).properties.method.properties.objectives.items.properties.requires));
console.log(JSON.stringify((s as any).properties.decision.properties.candidate));
