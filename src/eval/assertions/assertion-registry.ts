/**
 * Every assertion type, in one typed table: adding a type is one entry here (and a doc line). The
 * `not-` form of each is derived by the runner, not listed. Which types call a judge or an embedding
 * model is recorded too, so a suite that needs one and lacks it fails before the first model call.
 */
import type { AssertionHandler } from './assertion-types.js';
import { cost, latency } from './cost-latency-assertions.js';
import { factuality } from './factuality.js';
import { javascript } from './javascript-assertion.js';
import { isJson, jsonSchema } from './json-assertions.js';
import { levenshtein } from './levenshtein.js';
import { llmRubric } from './llm-rubric.js';
import { bleu, chrf, rougeL, rougeLsum, rougeN, squadEm, squadF1 } from './metric-assertions.js';
import { answerRelevance } from './ragas/answer-relevance.js';
import { contextPrecision } from './ragas/context-precision.js';
import { contextRecall } from './ragas/context-recall.js';
import { faithfulness } from './ragas/faithfulness.js';
import { similar } from './similarity-assertion.js';
import {
  contains,
  containsAll,
  containsAny,
  equals,
  icontains,
  icontainsAll,
  icontainsAny,
  regex,
  startsWith,
} from './text-assertions.js';

export interface AssertionDefinition {
  handler: AssertionHandler;
  /** The type needs a `value` (text, list or schema). */
  needsValue: boolean;
  /** The value is code or a schema, used as written: `{{var}}` in it is not rendered. */
  rawValue?: boolean;
  judge?: boolean;
  embedder?: boolean;
}

const plain = (handler: AssertionHandler, needsValue = true): AssertionDefinition => ({
  handler,
  needsValue,
});

const DEFINITIONS = {
  equals: plain(equals),
  contains: plain(contains),
  'contains-any': plain(containsAny),
  'contains-all': plain(containsAll),
  icontains: plain(icontains),
  'icontains-any': plain(icontainsAny),
  'icontains-all': plain(icontainsAll),
  'starts-with': plain(startsWith),
  regex: plain(regex),
  'is-json': { handler: isJson, needsValue: false, rawValue: true },
  'json-schema': { handler: jsonSchema, needsValue: true, rawValue: true },
  javascript: { handler: javascript, needsValue: true, rawValue: true },
  levenshtein: plain(levenshtein),
  cost: plain(cost, false),
  latency: plain(latency, false),
  similar: { handler: similar, needsValue: true, embedder: true },
  'llm-rubric': { handler: llmRubric, needsValue: true, judge: true },
  factuality: { handler: factuality, needsValue: true, judge: true },
  faithfulness: { handler: faithfulness, needsValue: false, judge: true },
  'answer-relevance': { handler: answerRelevance, needsValue: false, judge: true, embedder: true },
  'context-precision': { handler: contextPrecision, needsValue: false, judge: true },
  'context-recall': { handler: contextRecall, needsValue: false, judge: true },
  bleu: plain(bleu),
  chrf: plain(chrf),
  'rouge-n': plain(rougeN),
  'rouge-l': plain(rougeL),
  'rouge-lsum': plain(rougeLsum),
  'squad-em': plain(squadEm),
  'squad-f1': plain(squadF1),
} satisfies Record<string, AssertionDefinition>;

export type AssertionType = keyof typeof DEFINITIONS;

export const ASSERTIONS: Record<AssertionType, AssertionDefinition> = DEFINITIONS;

export const ASSERTION_TYPES = Object.keys(ASSERTIONS) as AssertionType[];

/** Whether `{{var}}` in an assertion's value is rendered (not for code and schemas). */
export function rendersValue(type: string): boolean {
  const parsed = parseAssertionType(type);
  return parsed !== undefined && !ASSERTIONS[parsed.base].rawValue;
}

/** Splits `not-contains` into `{ base: 'contains', negated: true }`; undefined for an unknown type. */
export function parseAssertionType(type: string): { base: AssertionType; negated: boolean } | undefined {
  const negated = type.startsWith('not-');
  const base = negated ? type.slice(4) : type;
  return Object.hasOwn(ASSERTIONS, base) ? { base: base as AssertionType, negated } : undefined;
}
