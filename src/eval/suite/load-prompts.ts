/**
 * Turns the `prompts:` of a suite into EvalPrompts: a template becomes one user message (after an
 * optional system message), `messages` are kept as written, and `file` reads a text template or a
 * .json messages list relative to the suite. `schema` is shorthand for a json_schema response format.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { JsonSchema, ResponseFormat } from '../../core/chat-request.js';
import type { EvalPrompt, PromptMessage } from './eval-suite.js';
import { SuiteError } from './suite-error.js';
import type { PromptSpec } from './suite-schema.js';

const ROLES = new Set(['system', 'developer', 'user', 'assistant']);

export async function readSuiteFile(dir: string, path: string, where: string): Promise<string> {
  try {
    return await readFile(resolve(dir, path), 'utf8');
  } catch (cause) {
    throw new SuiteError(`${where}: cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
}

async function readJson(dir: string, path: string, where: string): Promise<unknown> {
  const text = await readSuiteFile(dir, path, where);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SuiteError(`${where}: ${path} is not JSON: ${(error as Error).message}`);
  }
}

function messagesFrom(value: unknown, where: string): PromptMessage[] {
  const ok =
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((m) => m && typeof m === 'object' && ROLES.has(m.role) && typeof m.content === 'string');
  if (!ok) throw new SuiteError(`${where}: expected a list of { role, content } messages`);
  return value as PromptMessage[];
}

async function responseFormatOf(
  spec: PromptSpec,
  dir: string,
  where: string,
): Promise<ResponseFormat | undefined> {
  if (spec.response_format) {
    const type = spec.response_format.type;
    if (type !== 'text' && type !== 'json_object' && type !== 'json_schema')
      throw new SuiteError(`${where}: response_format.type must be text, json_object or json_schema`);
    return spec.response_format as unknown as ResponseFormat;
  }
  if (spec.schema === undefined) return undefined;
  const schema = (
    typeof spec.schema === 'string' ? await readJson(dir, spec.schema, where) : spec.schema
  ) as JsonSchema;
  return { type: 'json_schema', json_schema: { name: 'response', schema } };
}

export async function loadPrompts(
  specs: readonly PromptSpec[],
  dir: string,
  lineOf: (index: number) => string,
): Promise<EvalPrompt[]> {
  const prompts: EvalPrompt[] = [];
  const seen = new Set<string>();
  for (const [index, spec] of specs.entries()) {
    const where = lineOf(index);
    let messages: PromptMessage[];
    if (spec.messages) messages = spec.messages;
    else if (spec.file && extname(spec.file).toLowerCase() === '.json')
      messages = messagesFrom(await readJson(dir, spec.file, where), `${where}: ${spec.file}`);
    else {
      const template = spec.template ?? (await readSuiteFile(dir, spec.file!, where)).replace(/\r?\n$/, '');
      messages = [{ role: 'user', content: template }];
    }
    if (spec.system) messages = [{ role: 'system', content: spec.system }, ...messages];
    const id = spec.id ?? (spec.file ? basename(spec.file, extname(spec.file)) : `prompt-${index + 1}`);
    if (seen.has(id))
      throw new SuiteError(`${where}: prompt id "${id}" is used twice; give each prompt an id`);
    seen.add(id);
    const responseFormat = await responseFormatOf(spec, dir, where);
    prompts.push({
      id,
      ...(spec.label ? { label: spec.label } : {}),
      messages,
      examples: spec.examples ?? [],
      ...(responseFormat ? { responseFormat } : {}),
    });
  }
  return prompts;
}
