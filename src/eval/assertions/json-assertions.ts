/**
 * `is-json` (the whole output parses as JSON; with a `value`, it must also match that JSON Schema)
 * and `json-schema` (a schema is required). Validation is the same ajv setup structured output uses,
 * so a schema that works in `generateObject` works here.
 */
import type { JsonSchema } from '../../core/chat-request.js';
import { prepareSchema, validateValue } from '../../core/generate/schema.js';
import type { AssertionHandler, AssertionOutcome } from './assertion-types.js';
import { AssertionConfigError } from './assertion-values.js';

function parse(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(output.trim()) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function check(output: string, schema: JsonSchema | undefined): AssertionOutcome {
  const parsed = parse(output);
  if (!parsed.ok) return { pass: false, score: 0, reason: `output is not JSON: ${parsed.error}` };
  if (!schema) return { pass: true, score: 1, reason: 'output is JSON' };
  const result = validateValue(schema, parsed.value);
  if (result.ok) return { pass: true, score: 1, reason: 'output matches the JSON Schema' };
  return {
    pass: false,
    score: 0,
    reason: `output does not match the schema: ${result.issues.slice(0, 3).join('; ')}`,
    details: { issues: result.issues },
  };
}

function schemaOf(value: unknown, type: string): JsonSchema {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new AssertionConfigError(`${type} needs a JSON Schema object as its value`);
  try {
    prepareSchema(value as JsonSchema);
  } catch (error) {
    throw new AssertionConfigError(`${type}: the schema does not compile: ${(error as Error).message}`);
  }
  return value as JsonSchema;
}

export const isJson: AssertionHandler = (spec, { output }) =>
  check(
    output,
    spec.value === undefined || spec.value === null ? undefined : schemaOf(spec.value, spec.type),
  );

export const jsonSchema: AssertionHandler = (spec, { output }) =>
  check(output, schemaOf(spec.value, spec.type));
