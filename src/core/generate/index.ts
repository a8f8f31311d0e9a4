/**
 * High-level generation over any LanguageModel: text with a tool loop, structured objects, and their
 * streaming forms. Every function takes the model as a value and never imports a provider.
 *
 * @example
 * import { generateObject, generateText, tool } from './generate/index.js';
 */
export type { ExecutedToolCalls, ToolResult } from './execute-tool-calls.js';
export { executeToolCalls, toolResultContent } from './execute-tool-calls.js';
export type { GenerateObjectOptions, GenerateObjectResult } from './generate-object.js';
export { generateObject } from './generate-object.js';
export type { GenerateTextOptions, GenerateTextResult, StepResult } from './generate-text.js';
export { generateText } from './generate-text.js';
export type { ObjectMode } from './object-strategy.js';
export { stripCodeFences } from './parse-object-text.js';
export type { PartialJson } from './partial-json.js';
export { parsePartialJson } from './partial-json.js';
export type { GenerateBaseOptions, PromptInput, SamplingSettings } from './prompt-input.js';
export type { SchemaLike, ValidationResult } from './schema.js';
export { toJsonSchema } from './schema.js';
export type { DeepPartial, StreamObjectOptions, StreamObjectResult } from './stream-object.js';
export { streamObject } from './stream-object.js';
export type { StreamTextResult } from './stream-text.js';
export { streamText } from './stream-text.js';
export type { StrictJsonSchema } from './strict-json-schema.js';
export { toStrictJsonSchema } from './strict-json-schema.js';
export type { Tool, ToolExecutionContext, ToolSet } from './tool-definition.js';
export { toFunctionTools, tool, validateToolArguments } from './tool-definition.js';
