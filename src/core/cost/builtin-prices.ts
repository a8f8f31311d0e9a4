/**
 * Published list prices, USD per 1M tokens, standard (non-batch) tier, shortest-context tier where a
 * provider charges more for long prompts (Gemini 2.5 Pro > 200k, Claude Sonnet 4/4.5 with the 1M beta).
 * Keys are family ids; dated snapshots, `models/` prefixes and `provider/model` forms resolve to them
 * through model-match.ts. A key holds its own entry only where a snapshot is priced differently from its
 * family (gpt-4o-2024-05-13, mistral-large-2411).
 *
 * Checked 2026-11-23 against the providers' pages (as quoted by the `search` corpus):
 * - OpenAI: platform.openai.com/docs/pricing
 * - Anthropic: platform.claude.com/docs/en/about-claude/pricing (cacheWrite = 5-minute cache write)
 * - Google: ai.google.dev/gemini-api/docs/pricing (cachedInput = context-cache read, text)
 * - DeepSeek: api-docs.deepseek.com/quick_start/pricing (V3.2 behind both ids since 2025-12;
 *   cachedInput = cache hit, input = cache miss)
 * - Mistral: mistral.ai/pricing (mistral-large-latest is Mistral Large 3 since 2025-12)
 * - Groq: groq.com/pricing
 * Prices change; users override any entry under `pricing:` in conduit.yaml (docs/tokens-and-cost.md).
 */
import type { ModelPrice } from './pricing.js';

export const BUILTIN_PRICES = {
  // OpenAI
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  'chatgpt-4o-latest': { input: 5, output: 15 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-5-pro': { input: 15, output: 120 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  'o1-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o1-pro': { input: 150, output: 600 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-pro': { input: 20, output: 80 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o3-deep-research': { input: 10, cachedInput: 2.5, output: 40 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'o4-mini-deep-research': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-4-32k': { input: 60, output: 120 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },

  // Anthropic
  'claude-3-haiku': { input: 0.25, cachedInput: 0.03, cacheWrite: 0.3, output: 1.25 },
  'claude-3-opus': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, cacheWrite: 1, output: 4 },
  'claude-3-5-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-3-7-sonnet': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-sonnet-4': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-opus-4': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-opus-4-1': { input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },

  // Google (Gemini API)
  'gemini-1.5-flash': { input: 0.075, cachedInput: 0.01875, output: 0.3 },
  'gemini-1.5-flash-8b': { input: 0.0375, cachedInput: 0.01, output: 0.15 },
  'gemini-1.5-pro': { input: 1.25, cachedInput: 0.3125, output: 5 },
  'gemini-2.0-flash': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
  'gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
  // Free of charge on the Gemini API (Vertex AI bills it per character, which this table cannot express).
  'text-embedding-004': { input: 0, output: 0 },
  'gemini-embedding-001': { input: 0.15, output: 0 },

  // DeepSeek
  'deepseek-chat': { input: 0.28, cachedInput: 0.028, output: 0.42 },
  'deepseek-reasoner': { input: 0.28, cachedInput: 0.028, output: 0.42 },

  // Mistral
  'mistral-large': { input: 0.5, output: 1.5 },
  'mistral-large-2411': { input: 2, output: 6 },
  'mistral-large-2407': { input: 2, output: 6 },
  'mistral-medium': { input: 0.4, output: 2 },
  'mistral-small': { input: 0.1, output: 0.3 },
  'magistral-medium': { input: 2, output: 5 },
  'magistral-small': { input: 0.5, output: 1.5 },
  codestral: { input: 0.3, output: 0.9 },
  'devstral-small': { input: 0.1, output: 0.3 },
  'devstral-medium': { input: 0.4, output: 2 },
  'pixtral-large': { input: 2, output: 6 },
  'ministral-8b': { input: 0.1, output: 0.1 },
  'ministral-3b': { input: 0.04, output: 0.04 },
  'open-mistral-nemo': { input: 0.15, output: 0.15 },
  'mistral-embed': { input: 0.1, output: 0 },

  // Groq (its own model names, so no provider prefix is needed)
  'llama-3.1-8b-instant': { input: 0.05, output: 0.08 },
  'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 },
  'llama-4-scout-17b-16e-instruct': { input: 0.11, output: 0.34 },
  'llama-4-maverick-17b-128e-instruct': { input: 0.2, output: 0.6 },
  // Groq's ids are `openai/gpt-oss-*`; other hosts price these open-weight models differently.
  'groq/gpt-oss-120b': { input: 0.15, output: 0.6 },
} satisfies Record<string, ModelPrice>;
