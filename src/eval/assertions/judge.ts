/**
 * How model-graded assertions ask their judge: `generateObject` with a zod schema, so the verdict
 * arrives as a validated object (native json_schema output where the model has it, one repair round
 * otherwise) instead of text to scrape. Temperature 0 unless a metric needs samples.
 */
import type { z } from 'zod';
import { generateObject } from '../../core/generate/generate-object.js';
import type { ChatMessage } from '../../core/messages.js';
import type { AssertionInput, Judge } from './assertion-types.js';
import { AssertionConfigError } from './assertion-values.js';

export function requireJudge(input: AssertionInput, type: string): Judge {
  if (!input.judge)
    throw new AssertionConfigError(
      `${type} needs a judge model: set judge.model in the suite or pass --judge`,
    );
  return input.judge;
}

export async function askJudge<T>(
  judge: Judge,
  options: {
    schema: z.ZodType<T>;
    schemaName: string;
    system: string;
    user: string;
    temperature?: number;
    seed?: number;
    signal?: AbortSignal;
  },
): Promise<T> {
  const messages: ChatMessage[] = [
    { role: 'system', content: options.system },
    { role: 'user', content: options.user },
  ];
  const { object } = await generateObject({
    model: judge.model,
    schema: options.schema,
    schemaName: options.schemaName,
    messages,
    temperature: options.temperature ?? 0,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(judge.mode ? { mode: judge.mode } : {}),
    ...(options.signal ? { callOptions: { signal: options.signal } } : {}),
  });
  return object;
}

/** Wraps text for a judge prompt so an output cannot close the block it sits in. */
export function block(tag: string, text: string): string {
  const safe = text.replaceAll(`</${tag}>`, `<\\/${tag}>`);
  return `<${tag}>\n${safe}\n</${tag}>`;
}
