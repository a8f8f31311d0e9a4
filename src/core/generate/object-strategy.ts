/**
 * How structured output is asked for, shared by generateObject and streamObject. Three modes:
 *
 * - `json_schema`: native `response_format: json_schema` with `strict: true` (provider-enforced);
 * - `json`: JSON mode (`json_object`) with the schema in a system instruction, validated afterwards;
 * - `tool`: one forced function call whose parameters are the schema (for models with tools but no
 *   JSON mode, such as Anthropic's).
 *
 * `auto` picks `json_schema` when the model declares `capabilities.jsonSchema`, `tool` when it
 * declares tools and explicitly no JSON mode, and `json` otherwise.
 */
import type { z } from 'zod';
import type { ChatEvent, ChatResult, FinishReason } from '../chat-event.js';
import type { ChatRequest, JsonSchema } from '../chat-request.js';
import { ConduitError } from '../errors.js';
import type { LanguageModel } from '../language-model.js';
import type { ChatMessage } from '../messages.js';
import { contentText } from '../messages.js';
import type { GenerateBaseOptions } from './prompt-input.js';
import { buildMessages, samplingFields } from './prompt-input.js';
import { toJsonSchema } from './schema.js';
import { toStrictJsonSchema } from './strict-json-schema.js';

export type ObjectMode = 'auto' | 'json_schema' | 'json' | 'tool';

export type ObjectOptions<T> = GenerateBaseOptions & {
  /**
   * A zod object schema (the result is its output type), or a plain JSON Schema object validated with
   * ajv (the result is `unknown`).
   */
  schema: z.ZodType<T> | JsonSchema;
  /** Sent as the json_schema / function name. Default `response`. */
  schemaName?: string;
  schemaDescription?: string;
  mode?: ObjectMode;
};

export interface ObjectStrategy {
  mode: Exclude<ObjectMode, 'auto'>;
  /** The JSON Schema the model is given (before strict-mode rewriting). */
  jsonSchema: JsonSchema;
  request: ChatRequest;
  /** The JSON text of a result: its text, or the forced call's arguments in tool mode. */
  textOf(result: ChatResult): string;
  /** The JSON fragment a stream event carries, if any. */
  deltaOf(event: ChatEvent): string | undefined;
  /** The conversation of a repair round: the bad output and what is wrong with it. */
  repairMessages(result: ChatResult, issues: string[]): ChatMessage[];
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const bullets = (issues: string[]) => issues.map((issue) => `- ${issue}`).join('\n');

function resolveMode(mode: ObjectMode, model: LanguageModel): Exclude<ObjectMode, 'auto'> {
  if (mode !== 'auto') return mode;
  const caps = model.capabilities;
  if (caps?.jsonSchema) return 'json_schema';
  if (caps?.tools && caps.jsonMode === false) return 'tool';
  return 'json';
}

/** Adds the schema instruction to the first system message (or a new one), where every provider reads it. */
function withInstruction(messages: ChatMessage[], instruction: string): ChatMessage[] {
  const [first, ...rest] = messages;
  if (first && (first.role === 'system' || first.role === 'developer')) {
    return [{ ...first, content: `${contentText(first.content)}\n\n${instruction}` }, ...rest];
  }
  return [{ role: 'system', content: instruction }, ...messages];
}

export function createObjectStrategy<T>(options: ObjectOptions<T>): ObjectStrategy {
  const { model, schemaName = 'response', schemaDescription } = options;
  if (!NAME.test(schemaName)) {
    throw new ConduitError('bad_request', `schemaName "${schemaName}" must match ${NAME.source}`);
  }
  const jsonSchema = toJsonSchema(options.schema);
  if (jsonSchema.type !== 'object') {
    // Providers' JSON modes produce objects only; wrapping keeps the API honest about that.
    throw new ConduitError(
      'bad_request',
      'The schema must describe an object; wrap arrays as z.object({ items: ... })',
    );
  }
  const mode = resolveMode(options.mode ?? 'auto', model);
  const messages = buildMessages(options);
  const base = samplingFields(options);

  if (mode === 'tool') {
    const description = schemaDescription ?? 'Give the answer by calling this function.';
    const callOf = (result: ChatResult) => result.toolCalls.find((c) => c.function.name === schemaName);
    return {
      mode,
      jsonSchema,
      request: {
        ...base,
        messages,
        tools: [{ type: 'function', function: { name: schemaName, description, parameters: jsonSchema } }],
        tool_choice: { type: 'function', function: { name: schemaName } },
      },
      textOf: (result) => callOf(result)?.function.arguments ?? '',
      deltaOf: (event) =>
        event.type === 'tool-call-delta' && event.index === 0 ? event.arguments : undefined,
      repairMessages(result, issues) {
        const call = callOf(result);
        if (!call) {
          const ask = `Call the function "${schemaName}" with the answer.`;
          return [...messages, { role: 'assistant', content: result.text }, { role: 'user', content: ask }];
        }
        const feedback = `Invalid arguments:\n${bullets(issues)}\nCall "${schemaName}" again with corrected arguments.`;
        return [
          ...messages,
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: feedback },
        ];
      },
    };
  }

  let request: ChatRequest;
  if (mode === 'json_schema') {
    const strict = toStrictJsonSchema(jsonSchema);
    const format = { name: schemaName, schema: strict.schema, strict: strict.strict };
    const json_schema = schemaDescription ? { ...format, description: schemaDescription } : format;
    request = { ...base, messages, response_format: { type: 'json_schema', json_schema } };
  } else {
    const instruction = [
      'Respond with one JSON object that matches the JSON Schema below. Output only the JSON, with no prose and no code fences.',
      schemaName === 'response' ? '' : `Name: ${schemaName}`,
      schemaDescription ? `Description: ${schemaDescription}` : '',
      `JSON Schema:\n${JSON.stringify(jsonSchema)}`,
    ].filter(Boolean);
    request = { ...base, messages: withInstruction(messages, instruction.join('\n')) };
    // A model that declares no JSON mode would reject json_object; the instruction alone must do.
    if (model.capabilities?.jsonMode !== false) request.response_format = { type: 'json_object' };
  }
  return {
    mode,
    jsonSchema,
    request,
    textOf: (result) => result.text,
    deltaOf: (event) => (event.type === 'text-delta' && !event.choice ? event.text : undefined),
    repairMessages(result, issues) {
      const ask = `That response is not valid:\n${bullets(issues)}\nReply with only the corrected JSON object.`;
      return [
        ...request.messages,
        { role: 'assistant', content: result.text },
        { role: 'user', content: ask },
      ];
    },
  };
}

/** The error for output that does not match the schema; `details` carries the issues and the text. */
export function invalidObjectError(
  issues: string[],
  text: string,
  finishReason: FinishReason,
  provider: string,
  repaired: boolean,
): ConduitError {
  const all =
    finishReason === 'length'
      ? ['the output was cut off at the token limit (finish_reason: length)', ...issues]
      : issues;
  const when = repaired ? ' after a repair round' : '';
  const message = `The model's output does not match the schema${when}: ${all.slice(0, 3).join('; ')}`;
  return new ConduitError('invalid_response', message, { provider, details: { issues: all, text } });
}
