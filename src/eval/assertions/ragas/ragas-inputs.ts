/**
 * Where the RAG metrics find their inputs, in order: the assertion's own `contexts` / `value`, what
 * the target returned (a RAG target returns its retrieved chunks), then the case's variables
 * (`contexts` or `context`, `reference`). Missing inputs are a suite error, not a low score.
 */
import type { AssertionInput, AssertionSpec } from '../assertion-types.js';
import { AssertionConfigError } from '../assertion-values.js';

function asList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

export function contextsFor(spec: AssertionSpec, input: AssertionInput): string[] {
  const contexts =
    asList(spec.contexts) ?? input.contexts ?? asList(input.vars.contexts) ?? asList(input.vars.context);
  if (!contexts || contexts.length === 0)
    throw new AssertionConfigError(
      `${spec.type} needs retrieved contexts: use a rag target, or give contexts on the assertion or as vars.contexts`,
    );
  return contexts;
}

export function referenceFor(spec: AssertionSpec, input: AssertionInput): string {
  const value = spec.value ?? input.vars.reference;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new AssertionConfigError(
    `${spec.type} needs a reference answer: give it as value or as vars.reference`,
  );
}

export function numbered(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\n');
}
