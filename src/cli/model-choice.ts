/**
 * Which generative model a CLI command uses when the user names none on the command line: `-m`,
 * then `$CONDUIT_MODEL`, then `default_model` in conduit.yaml, the order `llm` and Ollama users
 * expect. One place, so `chat`, `ask` and `search --rerank` agree and their errors say the same.
 */
import type { ConduitConfig } from '../config/config-schema.js';
import { UsageError } from './cli-error.js';

/** How to choose a model, for error messages. */
export const HOW_TO_CHOOSE_A_MODEL =
  'pass -m <model> (e.g. -m openai:gpt-4o-mini), set CONDUIT_MODEL, or add default_model to conduit.yaml';

/** The model spec in effect, or undefined when none of the three names one. */
export function chosenModel(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  config: Pick<ConduitConfig, 'default_model'>,
): string | undefined {
  // An empty value (`CONDUIT_MODEL= conduit chat`) means unset, as in a shell.
  return flag || env.CONDUIT_MODEL || config.default_model || undefined;
}

/**
 * The model spec in effect; a usage error (exit 2) saying all three ways when there is none.
 *
 * @example
 * const spec = requireModel(options.model, process.env, conduit.config, 'conduit chat needs a model');
 */
export function requireModel(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  config: Pick<ConduitConfig, 'default_model'>,
  what = 'no model chosen',
): string {
  const spec = chosenModel(flag, env, config);
  if (!spec) throw new UsageError(`${what}: ${HOW_TO_CHOOSE_A_MODEL}`);
  return spec;
}
