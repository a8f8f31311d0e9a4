/**
 * `conduit chat`: one prompt (argument or stdin) streamed to stdout, structured output with
 * `--schema`, the whole result with `--json`, or an interactive multi-turn session with no prompt
 * (or with `--interactive`, which reads one message per line even from a pipe).
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { ChatResult } from '../../core/chat-event.js';
import type { JsonSchema } from '../../core/chat-request.js';
import { generateObject } from '../../core/generate/index.js';
import type { CallReport, LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';
import { openConduit } from '../../runtime/open-conduit.js';
import { UsageError } from '../cli-error.js';
import { requireModel } from '../model-choice.js';
import { runChatSession, type Sampling, streamTo } from './chat-session.js';

interface ChatOptions {
  model?: string;
  system?: string;
  schema?: string;
  json?: boolean;
  temperature?: string;
  maxTokens?: string;
  interactive?: boolean;
}

export function registerChatCommand(program: Command): void {
  program
    .command('chat')
    .description('Chat with a model: streams the answer; with no prompt, starts an interactive session')
    .argument('[prompt...]', 'the prompt (read from stdin when piped)')
    .option(
      '-m, --model <model>',
      'provider:model (openai:gpt-4o-mini) or an alias; default $CONDUIT_MODEL, then default_model in conduit.yaml',
    )
    .option('-s, --system <text>', 'system prompt')
    .option('--schema <file>', 'JSON Schema file: answer with JSON that matches it')
    .option('--json', 'print the whole result (text, tool calls, usage, cost, latency) as JSON')
    .option('-t, --temperature <n>', 'sampling temperature')
    .option('--max-tokens <n>', 'maximum output tokens')
    .option('-i, --interactive', 'start a session even when stdin is piped (one message per line)')
    .addHelpText(
      'after',
      `
Examples:
  $ conduit chat -m openai:gpt-4o-mini "Explain SSE in one sentence"
  $ echo "Summarise this" | conduit chat -m fast --json
  $ conduit chat -m anthropic:claude-3-5-haiku-latest --schema person.json "Invent a person"
  $ conduit chat -m ollama:llama3.2          # interactive session (/help lists its commands)
  $ printf 'hi\n/clear\nagain\n' | conduit chat -i   # a session from a pipe, model from default_model`,
    )
    .action(async (promptParts: string[], options: ChatOptions, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      const request = samplingOptions(options);
      if (options.interactive && (options.json || options.schema))
        throw new UsageError('--interactive cannot be combined with --json or --schema');
      // The same runtime as the gateway: the alias falls back, and the call is logged and traced.
      const conduit = await openConduit({ config: globals.config, surface: 'cli' });
      try {
        const spec = requireModel(options.model, process.env, conduit.config);
        const model = conduit.models.get(spec);
        const history: ChatMessage[] = options.system ? [{ role: 'system', content: options.system }] : [];

        let prompt = promptParts.join(' ').trim();
        if (!prompt && !options.interactive && !process.stdin.isTTY) prompt = (await readStdin()).trim();
        if (!prompt || options.interactive) {
          if (options.json || options.schema)
            throw new UsageError('--json and --schema need a prompt (argument or stdin)');
          await interactive({
            model,
            resolveModel: (name) => conduit.models.get(name),
            system: options.system,
            request,
            first: prompt,
          });
          return;
        }
        const messages: ChatMessage[] = [...history, { role: 'user', content: prompt }];
        if (options.schema) {
          const schema = await readSchema(options.schema);
          const started = Date.now();
          const result = await generateObject({
            model,
            messages,
            schema: schema.schema,
            schemaName: schema.name,
            ...request,
          });
          if (options.json) {
            printJson({
              object: result.object,
              usage: result.usage,
              cost: result.cost,
              latency_ms: Date.now() - started,
            });
          } else {
            process.stdout.write(`${JSON.stringify(result.object, null, 2)}\n`);
          }
          return;
        }
        if (options.json) {
          const started = Date.now();
          const report: CallReport = { attempts: [] };
          const result = await model.generate({ ...request, messages }, { report });
          printJson(resultJson(model, result, Date.now() - started, report));
          return;
        }
        await streamTo(model, { ...request, messages }, process.stdout);
      } finally {
        await conduit.close();
      }
    });
}

function samplingOptions(options: ChatOptions): Sampling {
  const request: Sampling = {};
  if (options.temperature !== undefined) {
    const t = Number(options.temperature);
    if (!Number.isFinite(t) || t < 0 || t > 2)
      throw new UsageError(`--temperature must be a number from 0 to 2, got "${options.temperature}"`);
    request.temperature = t;
  }
  if (options.maxTokens !== undefined) {
    const n = Number(options.maxTokens);
    if (!Number.isInteger(n) || n <= 0)
      throw new UsageError(`--max-tokens must be a positive integer, got "${options.maxTokens}"`);
    request.max_tokens = n;
  }
  return request;
}

/**
 * The session on stdin: in a terminal with a `you>` prompt and line editing; from a pipe, one
 * message per line and nothing echoed. `first` (a prompt given as arguments) is the first message.
 */
async function interactive(options: {
  model: LanguageModel;
  resolveModel: (name: string) => LanguageModel;
  system: string | undefined;
  request: Sampling;
  first: string;
}): Promise<void> {
  const tty = !!process.stdin.isTTY;
  const rl = createInterface({
    input: process.stdin,
    output: tty ? process.stdout : undefined,
    terminal: tty,
  });
  rl.setPrompt('you> ');
  async function* lines() {
    if (options.first) yield options.first;
    yield* rl;
  }
  try {
    await runChatSession({
      ...options,
      lines: lines(),
      out: process.stdout,
      err: process.stderr,
      ...(tty ? { prompt: () => rl.prompt() } : {}),
    });
  } finally {
    rl.close();
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Accepts a bare JSON Schema or OpenAI's `{ name, schema }` wrapper. */
async function readSchema(path: string): Promise<{ name: string; schema: JsonSchema }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    throw new UsageError(`--schema ${path}: ${(cause as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null)
    throw new UsageError(`--schema ${path}: expected a JSON Schema object`);
  const record = parsed as Record<string, unknown>;
  if (typeof record.schema === 'object' && record.schema !== null && typeof record.name === 'string') {
    return { name: record.name, schema: record.schema as JsonSchema };
  }
  return { name: 'response', schema: record };
}

/** `report` says which deployment answered: its provider, not the alias's router, is shown. */
function resultJson(model: LanguageModel, result: ChatResult, latencyMs: number, report?: CallReport) {
  const answered = report?.attempts.findLast((a) => !a.error);
  return {
    id: result.id,
    model: result.model,
    provider: answered?.provider ?? model.provider,
    ...(answered ? { deployment: answered.deployment } : {}),
    text: result.text,
    tool_calls: result.toolCalls,
    finish_reason: result.finishReason,
    usage: {
      prompt_tokens: result.usage.promptTokens,
      completion_tokens: result.usage.completionTokens,
      total_tokens: result.usage.totalTokens,
      cached_tokens: result.usage.cachedTokens ?? 0,
      reasoning_tokens: result.usage.reasoningTokens ?? 0,
    },
    cost_usd: result.cost?.total ?? null,
    latency_ms: latencyMs,
  };
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
