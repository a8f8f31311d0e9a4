/**
 * Structured output: a typed, validated object from any model, by the best means the model offers
 * (see object-strategy.ts for the modes), with one repair round when the output does not validate.
 */
import type { Cost, FinishReason, Usage } from '../chat-event.js';
import type { ObjectOptions } from './object-strategy.js';
import { createObjectStrategy, invalidObjectError } from './object-strategy.js';
import { parseObjectText } from './parse-object-text.js';
import { createUsageTotals } from './usage-totals.js';

export type GenerateObjectOptions<T> = ObjectOptions<T> & {
  /** Send one repair round when the output does not validate. Default true. */
  repair?: boolean;
};

export interface GenerateObjectResult<T> {
  object: T;
  /** The raw JSON text the object was parsed from (of the repair round, if there was one). */
  text: string;
  /** Summed over the first call and the repair round. */
  usage: Usage;
  /** Undefined if a call had no price. */
  cost?: Cost;
  finishReason: FinishReason;
  /** True when the first output was invalid and the repair round fixed it. */
  repaired: boolean;
}

/**
 * Generates an object that matches a zod schema. If the output is not JSON or does not validate, the
 * model gets its output back with the list of issues and one chance to correct it; if that fails too
 * (or the first output was cut off by the token limit) it throws `ConduitError('invalid_response')`
 * whose `details` are `{ issues: string[], text: string }`.
 *
 * With native `json_schema` output the schema is rewritten for OpenAI strict mode: optional fields
 * become required-and-nullable and a `null` there comes back as absent. An `.optional().nullable()`
 * field therefore never comes back absent, only `null`; records and `z.any()` turn strict off.
 *
 * @example
 * const { object } = await generateObject({
 *   model,
 *   schema: z.object({ name: z.string(), age: z.number().int() }),
 *   prompt: 'Extract: "Ada Lovelace, 36"',
 * });
 * object.age; // 36, typed as number
 */
export async function generateObject<T>(options: GenerateObjectOptions<T>): Promise<GenerateObjectResult<T>> {
  const { model, schema, callOptions } = options;
  const strategy = createObjectStrategy(options);
  const totals = createUsageTotals();

  let result = await model.generate(strategy.request, callOptions);
  totals.add(result.usage, result.cost);
  let text = strategy.textOf(result);
  let parsed = parseObjectText<T>(schema, strategy.jsonSchema, text);
  let repaired = false;

  // Repairing a truncated output would most likely be truncated again: report it instead.
  if (!parsed.ok && options.repair !== false && result.finishReason !== 'length') {
    const request = { ...strategy.request, messages: strategy.repairMessages(result, parsed.issues) };
    result = await model.generate(request, callOptions);
    totals.add(result.usage, result.cost);
    text = strategy.textOf(result);
    parsed = parseObjectText<T>(schema, strategy.jsonSchema, text);
    repaired = true;
  }
  if (!parsed.ok)
    throw invalidObjectError(parsed.issues, text, result.finishReason, model.provider, repaired);

  const out: GenerateObjectResult<T> = {
    object: parsed.value,
    text,
    usage: totals.usage,
    finishReason: result.finishReason,
    repaired,
  };
  if (totals.cost) out.cost = totals.cost;
  return out;
}
