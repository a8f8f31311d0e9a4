/**
 * How many tokens a model accepts, so callers can budget a prompt (fitToContext) and reject oversize
 * requests before paying for a round trip. Same model-id matching as pricing (model-match.ts).
 *
 * Figures from the providers' model pages (checked 2026-11-23, same sources as builtin-prices.ts).
 * `contextTokens` is the whole window shared by prompt and reply, as providers publish it.
 */
import { createModelTable } from '../cost/model-match.js';

export interface ContextWindow {
  /** Prompt + completion tokens the model can attend to. */
  contextTokens: number;
  /** Largest completion the API allows. */
  maxOutputTokens?: number;
  /** Set where the API caps the prompt below `contextTokens - maxOutputTokens` (GPT-5: 272k of 400k). */
  maxInputTokens?: number;
}

const k128 = 128_000;
const k131 = 131_072;
const m1 = 1_048_576;
const gpt41 = { contextTokens: 1_047_576, maxOutputTokens: 32_768 };
const gpt5 = { contextTokens: 400_000, maxOutputTokens: 128_000, maxInputTokens: 272_000 };
const oSeries = { contextTokens: 200_000, maxOutputTokens: 100_000 };
const claude = (maxOutputTokens: number) => ({ contextTokens: 200_000, maxOutputTokens });

export const BUILTIN_CONTEXT_WINDOWS = {
  // OpenAI
  'gpt-4o': { contextTokens: k128, maxOutputTokens: 16_384 },
  'gpt-4o-2024-05-13': { contextTokens: k128, maxOutputTokens: 4_096 },
  'chatgpt-4o-latest': { contextTokens: k128, maxOutputTokens: 16_384 },
  'gpt-4o-mini': { contextTokens: k128, maxOutputTokens: 16_384 },
  'gpt-4.1': gpt41,
  'gpt-4.1-mini': gpt41,
  'gpt-4.1-nano': gpt41,
  'gpt-5': gpt5,
  'gpt-5.1': gpt5,
  'gpt-5-mini': gpt5,
  'gpt-5-nano': gpt5,
  'gpt-5-pro': { contextTokens: 400_000 },
  o1: oSeries,
  'o1-mini': { contextTokens: k128, maxOutputTokens: 65_536 },
  'o1-pro': oSeries,
  o3: oSeries,
  'o3-pro': oSeries,
  'o3-mini': oSeries,
  'o3-deep-research': oSeries,
  'o4-mini': oSeries,
  'o4-mini-deep-research': oSeries,
  'gpt-4-turbo': { contextTokens: k128, maxOutputTokens: 4_096 },
  'gpt-4': { contextTokens: 8_192, maxOutputTokens: 8_192 },
  'gpt-4-32k': { contextTokens: 32_768, maxOutputTokens: 32_768 },
  'gpt-3.5-turbo': { contextTokens: 16_385, maxOutputTokens: 4_096 },
  'text-embedding-3-small': { contextTokens: 8_191 },
  'text-embedding-3-large': { contextTokens: 8_191 },
  'text-embedding-ada-002': { contextTokens: 8_191 },

  // Anthropic (Sonnet 4/4.5 offer 1M tokens behind a beta header; the default is what a plain call gets)
  'claude-3-haiku': claude(4_096),
  'claude-3-opus': claude(4_096),
  'claude-3-5-haiku': claude(8_192),
  'claude-3-5-sonnet': claude(8_192),
  'claude-3-7-sonnet': claude(64_000),
  'claude-sonnet-4': claude(64_000),
  'claude-sonnet-4-5': claude(64_000),
  'claude-opus-4': claude(32_000),
  'claude-opus-4-1': claude(32_000),
  'claude-opus-4-5': claude(64_000),
  'claude-haiku-4-5': claude(64_000),

  // Google
  'gemini-1.5-flash': { contextTokens: m1, maxOutputTokens: 8_192 },
  'gemini-1.5-flash-8b': { contextTokens: m1, maxOutputTokens: 8_192 },
  'gemini-1.5-pro': { contextTokens: 2_097_152, maxOutputTokens: 8_192 },
  'gemini-2.0-flash': { contextTokens: m1, maxOutputTokens: 8_192 },
  'gemini-2.0-flash-lite': { contextTokens: m1, maxOutputTokens: 8_192 },
  'gemini-2.5-flash': { contextTokens: m1, maxOutputTokens: 65_536 },
  'gemini-2.5-flash-lite': { contextTokens: m1, maxOutputTokens: 65_536 },
  'gemini-2.5-pro': { contextTokens: m1, maxOutputTokens: 65_536 },
  'text-embedding-004': { contextTokens: 2_048 },
  'gemini-embedding-001': { contextTokens: 2_048 },

  // DeepSeek
  'deepseek-chat': { contextTokens: k128, maxOutputTokens: 8_192 },
  'deepseek-reasoner': { contextTokens: k128, maxOutputTokens: 65_536 },

  // Mistral
  'mistral-large': { contextTokens: 262_144 },
  'mistral-large-2411': { contextTokens: k131 },
  'mistral-large-2407': { contextTokens: k131 },
  'mistral-medium': { contextTokens: k131 },
  'mistral-small': { contextTokens: k131 },
  'magistral-medium': { contextTokens: 40_960 },
  'magistral-small': { contextTokens: 40_960 },
  codestral: { contextTokens: 262_144 },
  'devstral-small': { contextTokens: k131 },
  'devstral-medium': { contextTokens: k131 },
  'pixtral-large': { contextTokens: k131 },
  'ministral-8b': { contextTokens: k131 },
  'ministral-3b': { contextTokens: k131 },
  'open-mistral-nemo': { contextTokens: k131 },
  'mistral-embed': { contextTokens: 8_192 },

  // Groq
  'llama-3.1-8b-instant': { contextTokens: k131, maxOutputTokens: k131 },
  'llama-3.3-70b-versatile': { contextTokens: k131, maxOutputTokens: 32_768 },
  'llama-4-scout-17b-16e-instruct': { contextTokens: k131, maxOutputTokens: 8_192 },
  'llama-4-maverick-17b-128e-instruct': { contextTokens: k131, maxOutputTokens: 8_192 },
  'groq/gpt-oss-120b': { contextTokens: k131, maxOutputTokens: 65_536 },
} satisfies Record<string, ContextWindow>;

const table = createModelTable<ContextWindow>(BUILTIN_CONTEXT_WINDOWS);

/** The context window of a model, matched like `lookupPrice` (snapshots, `provider/model`). */
export function contextWindowFor(modelId: string, provider?: string): ContextWindow | undefined {
  return table.lookup(modelId, provider);
}

/** Adds or replaces windows, e.g. the `n_ctx` a local engine loaded a GGUF model with. */
export function registerContextWindows(windows: Record<string, ContextWindow>): void {
  table.register(windows);
}

export function resetContextWindows(): void {
  table.reset();
}
