/**
 * ChatRequest sampling fields → node-llama-cpp generation options, with llama.cpp-style defaults for
 * what the request leaves out. Fields that a local model cannot honour are refused here, before any
 * work starts, naming the field.
 */
import type { LLamaChatGenerateResponseOptions, LlamaModel, Token, TokenBias } from 'node-llama-cpp';
import type { ChatRequest } from '../../core/chat-request.js';
import { stopSequences } from '../../core/chat-request.js';
import { ConduitError } from '../../core/errors.js';
import type { NodeLlamaCpp } from '../loaded-model.js';
import type { Utf8Guard } from './utf8-guard.js';

/** Defaults for requests that do not set them (llama.cpp server's defaults). */
export interface SamplingDefaults {
  temperature: number;
  top_p: number;
  top_k: number;
  min_p: number;
}

export const DEFAULT_SAMPLING: SamplingDefaults = { temperature: 0.8, top_p: 0.95, top_k: 40, min_p: 0.05 };

type GenerateOptions = LLamaChatGenerateResponseOptions<undefined>;
export type SamplingOptions = Pick<
  GenerateOptions,
  'temperature' | 'topP' | 'topK' | 'minP' | 'seed' | 'repeatPenalty' | 'customStopTriggers'
> & { tokenBias?: () => TokenBias };

/** Throws `unsupported` for request fields the local engine cannot honour. */
export function refuseUnsupported(request: ChatRequest): void {
  const refuse = (param: string, why: string) => {
    throw new ConduitError('unsupported', `${param}: ${why}`, { provider: 'local', param });
  };
  if (request.n !== undefined && request.n !== 1)
    refuse('n', 'the local engine returns one choice per request');
  if (request.logprobs) refuse('logprobs', 'the local engine does not return log probabilities');
  const stops = stopSequences(request);
  if (stops.some((s) => s === '')) refuse('stop', 'stop sequences must not be empty');
}

export function samplingOptions(
  request: ChatRequest,
  defaults: SamplingDefaults,
  context: {
    lib: NodeLlamaCpp;
    model: LlamaModel;
    recentTokens: () => readonly Token[];
    utf8Guard?: Utf8Guard;
  },
): SamplingOptions {
  const extra = (request.extra_body ?? {}) as Record<string, unknown>;
  const number = (key: string): number | undefined =>
    typeof extra[key] === 'number' ? (extra[key] as number) : undefined;
  const out: SamplingOptions = {
    temperature: request.temperature ?? defaults.temperature,
    topP: request.top_p ?? defaults.top_p,
    topK: request.top_k ?? number('top_k') ?? defaults.top_k,
    minP: number('min_p') ?? defaults.min_p,
  };
  if (request.seed !== undefined) out.seed = request.seed;
  const repeat = number('repeat_penalty');
  if (request.frequency_penalty || request.presence_penalty || (repeat !== undefined && repeat !== 1)) {
    out.repeatPenalty = {
      penalty: repeat ?? 1,
      frequencyPenalty: request.frequency_penalty ?? 0,
      presencePenalty: request.presence_penalty ?? 0,
      lastTokens: number('repeat_last_n') ?? 64,
    };
  } else {
    // OpenAI semantics: no repetition penalty unless asked for (the library would apply 1.1).
    out.repeatPenalty = false;
  }
  const stops = stopSequences(request);
  if (stops.length > 0) out.customStopTriggers = stops;

  const biases = logitBiases(request, context.model);
  const guard = context.utf8Guard;
  if (biases.length > 0 || guard) {
    const { lib, model, recentTokens } = context;
    // Called before every sampled token; the guard has a handful of states, so build each bias once.
    const cache = new Map<string, TokenBias>();
    out.tokenBias = () => {
      const state = guard?.banned(recentTokens()) ?? { key: '', tokens: [] };
      let bias = cache.get(state.key);
      if (!bias) {
        bias = new lib.TokenBias(model.tokenizer);
        const raw = rawBiases(bias);
        for (const [token, value] of biases) raw.set(token, value <= -100 ? Number.NEGATIVE_INFINITY : value);
        for (const token of state.tokens) raw.set(token, Number.NEGATIVE_INFINITY);
        cache.set(state.key, bias);
      }
      return bias;
    };
  }
  return out;
}

function logitBiases(request: ChatRequest, model: LlamaModel): [Token, number][] {
  const out: [Token, number][] = [];
  const tokens = (model.fileInfo.metadata as { tokenizer?: { ggml?: { tokens?: readonly string[] } } })
    .tokenizer?.ggml?.tokens;
  const vocabulary = tokens?.length ?? Number.POSITIVE_INFINITY;
  for (const [key, value] of Object.entries(request.logit_bias ?? {})) {
    const token = Number(key);
    if (!Number.isInteger(token) || token < 0 || token >= vocabulary)
      throw new ConduitError('bad_request', `logit_bias: "${key}" is not a token id of this model`, {
        provider: 'local',
        param: 'logit_bias',
      });
    out.push([token as Token, value]);
  }
  return out;
}

/**
 * The logit map inside a TokenBias. `TokenBias.set()` silently skips end-of-generation tokens and
 * re-tokenizes every input; OpenAI's logit_bias (and the UTF-8 guard) must reach any token id,
 * EOG included, so we write the map the library hands to llama.cpp directly.
 */
function rawBiases(bias: TokenBias): Map<Token, number> {
  const map = (bias as unknown as { _biases?: Map<Token, number> })._biases;
  if (!(map instanceof Map)) throw new Error('node-llama-cpp TokenBias changed shape: _biases is missing');
  return map;
}
