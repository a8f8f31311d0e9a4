/**
 * What a call cost: a price table (built-ins plus `pricing:` overrides from conduit.yaml) and the
 * arithmetic that turns normalized Usage into USD.
 *
 * @example
 * const cost = costFor('gpt-4o-mini-2024-07-18', { promptTokens: 1200, completionTokens: 300, totalTokens: 1500 });
 * // { input: 0.00018, cachedInput: 0, output: 0.00018, total: 0.00036 }
 */
import type { Cost, Usage } from '../chat-event.js';
import { ConduitError } from '../errors.js';
import { BUILTIN_PRICES } from './builtin-prices.js';
import { createModelTable } from './model-match.js';

/** USD per 1M tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Prompt tokens read from the provider's cache; falls back to `input`. */
  cachedInput?: number;
  /** Prompt tokens written to the cache (Anthropic cache creation); falls back to `input`. */
  cacheWrite?: number;
}

const table = createModelTable<ModelPrice>(BUILTIN_PRICES);

/**
 * The price of a model: exact id, then its dated snapshot's family, then `provider/model` forms.
 * Pass `provider` when the same id is priced differently by host (Groq's `openai/gpt-oss-120b`).
 */
export function lookupPrice(modelId: string, provider?: string): ModelPrice | undefined {
  // OpenRouter's `:free` variants cost nothing, whatever the paid variant costs.
  if (/\/[^/]+:free$/i.test(modelId)) return { input: 0, output: 0 };
  return table.lookup(modelId, provider);
}

/**
 * Adds or replaces prices (keys are model ids, or `provider/model` for one host only). Later calls
 * win per key; registered prices win over built-ins with the same key.
 */
export function registerPrices(prices: Record<string, ModelPrice>): void {
  for (const [model, price] of Object.entries(prices)) {
    for (const field of ['input', 'output', 'cachedInput', 'cacheWrite'] as const) {
      const value = price[field];
      if (value === undefined && (field === 'cachedInput' || field === 'cacheWrite')) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new ConduitError(
          'bad_request',
          `Price of ${model}: ${field} must be a non-negative number (USD per 1M tokens)`,
          {
            param: `pricing.${model}.${field}`,
          },
        );
      }
    }
  }
  table.register(prices);
}

/** Forgets registered prices (tests, config reload). */
export function resetPrices(): void {
  table.reset();
}

// Rounded to a picodollar so sums print as the decimals a user would write (0.00045, not 0.00045000000000000004).
function usd(tokens: number, perMillion: number): number {
  return Math.round(tokens * perMillion * 1e6) / 1e12;
}

/**
 * USD for one call. Usage follows OpenAI's semantics: cachedTokens and cacheWriteTokens are part of
 * promptTokens, reasoningTokens part of completionTokens (so reasoning is billed at the output rate).
 */
export function computeCost(usage: Usage, price: ModelPrice): Cost {
  const cached = Math.max(0, usage.cachedTokens ?? 0);
  const written = Math.max(0, usage.cacheWriteTokens ?? 0);
  // A provider that reports cache counts larger than the prompt must not produce a negative charge.
  const uncached = Math.max(0, usage.promptTokens - cached - written);
  const input = usd(uncached, price.input);
  const cachedInput =
    Math.round(
      (cached * (price.cachedInput ?? price.input) + written * (price.cacheWrite ?? price.input)) * 1e6,
    ) / 1e12;
  const output = usd(Math.max(0, usage.completionTokens), price.output);
  return { input, cachedInput, output, total: Math.round((input + cachedInput + output) * 1e12) / 1e12 };
}

/** USD for one call to `modelId`, or undefined when its price is unknown. */
export function costFor(modelId: string, usage: Usage, provider?: string): Cost | undefined {
  const price = lookupPrice(modelId, provider);
  return price ? computeCost(usage, price) : undefined;
}
