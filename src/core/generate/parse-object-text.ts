/**
 * Turns a model's structured-output text into a validated value: strips markdown code fences and
 * surrounding prose, parses JSON, removes `null`s standing for absent optional fields, validates.
 */
import type { JsonSchema } from '../chat-request.js';
import type { SchemaLike, ValidationResult } from './schema.js';
import { validateValue } from './schema.js';
import { dropNullOptionals } from './strict-json-schema.js';

const FENCED = /```[\w-]*[^\S\n]*\n([\s\S]*?)\n[^\S\n]*```/;

/**
 * The JSON inside a response: models add markdown fences even when told not to, and JSON mode does
 * not always stop them. Text that starts with `{` or `[` is taken as-is, so a fence *inside* a JSON
 * string (an object holding a code sample) is left alone.
 *
 * @example
 * stripCodeFences('```json\n{"a":1}\n```'); // '{"a":1}'
 */
export function stripCodeFences(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('```')) {
    // Up to the *last* fence: the JSON may itself contain fences inside strings.
    const newline = trimmed.indexOf('\n');
    const end = trimmed.lastIndexOf('```');
    if (newline === -1) return '';
    return trimmed.slice(newline + 1, end > newline ? end : undefined).trim();
  }
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return trimmed;
  const match = FENCED.exec(trimmed);
  return match ? match[1]!.trim() : trimmed;
}

/** The same for a streamed prefix: drops an opening fence line once it is complete. */
export function stripOpeningFence(prefix: string): string {
  return prefix.replace(/^\s*```[\w-]*[^\S\n]*\n/, '');
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // "Here is the object: {...}": take the outermost braces before giving up.
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start > 0 || (start === 0 && end < text.length - 1)) {
      try {
        return { ok: true, value: JSON.parse(text.slice(start, end + 1)) };
      } catch {}
    }
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Parses and validates a response text against a schema; `jsonSchema` is the JSON Schema the model
 * was given, used to tell an optional field's `null` from a real one.
 */
export function parseObjectText<T>(
  schema: SchemaLike,
  jsonSchema: JsonSchema,
  text: string,
): ValidationResult<T> {
  const body = stripCodeFences(text);
  if (body === '') return { ok: false, issues: ['the response is empty; expected a JSON object'] };
  const parsed = parseJson(body);
  if (!parsed.ok) return { ok: false, issues: [`the response is not valid JSON: ${parsed.message}`] };
  return validateValue<T>(schema, dropNullOptionals(jsonSchema, parsed.value));
}
