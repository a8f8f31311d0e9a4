/**
 * The typed table of provider factories: "openai", "anthropic", "google" and every
 * OpenAI-compatible preset. `satisfies` makes a missing or misnamed entry fail to compile.
 */
import { createAnthropic } from './anthropic/index.js';
import { createGoogle } from './google/index.js';
import {
  createOpenAICompatible,
  type OpenAICompatibleSettings,
} from './openai-compatible/create-openai-compatible.js';
import { OPENAI_COMPATIBLE_PRESETS, type OpenAICompatiblePresetId } from './openai-compatible/presets.js';
import type { Provider } from './types.js';

export type ProviderFactory = (settings?: OpenAICompatibleSettings) => Provider;

const presetFactories = Object.fromEntries(
  Object.keys(OPENAI_COMPATIBLE_PRESETS).map((id) => [
    id,
    (settings?: OpenAICompatibleSettings) => createOpenAICompatible(id as OpenAICompatiblePresetId, settings),
  ]),
) as Record<OpenAICompatiblePresetId, ProviderFactory>;

export const PROVIDER_FACTORIES = {
  ...presetFactories,
  anthropic: createAnthropic,
  google: createGoogle,
} satisfies Record<OpenAICompatiblePresetId | 'anthropic' | 'google', ProviderFactory>;

export type ProviderId = keyof typeof PROVIDER_FACTORIES;

/** Aliases users type for the same provider. */
const PROVIDER_ALIASES: Record<string, ProviderId> = {
  gemini: 'google',
  'azure-openai': 'azure',
  'llama.cpp': 'llamacpp',
  'llama-cpp': 'llamacpp',
  'lm-studio': 'lmstudio',
  togetherai: 'together',
};

export function resolveProviderId(name: string): ProviderId | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(PROVIDER_FACTORIES, lower)) return lower as ProviderId;
  return PROVIDER_ALIASES[lower];
}

export function providerIds(): ProviderId[] {
  return Object.keys(PROVIDER_FACTORIES) as ProviderId[];
}

/** Environment variables that hold each provider's key (used for zero-config discovery). */
export const PROVIDER_KEY_ENV: Partial<Record<ProviderId, readonly string[]>> = {
  ...Object.fromEntries(
    Object.entries(OPENAI_COMPATIBLE_PRESETS)
      .filter(([, preset]) => preset.apiKeyRequired)
      .map(([id, preset]) => [id, preset.apiKeyEnv]),
  ),
  anthropic: ['ANTHROPIC_API_KEY'],
  google: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
};
