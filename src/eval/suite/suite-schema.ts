/**
 * The schema of a suite file. Keys are snake_case like conduit.yaml; unknown keys are errors so a
 * typo never silently drops an assertion. Shorthands (a prompt or target as a plain string, `cases`
 * as a file name) are rewritten before validation so errors point at the key the user wrote.
 */
import { z } from 'zod';
import { ASSERTION_TYPES, parseAssertionType } from '../assertions/assertion-registry.js';

const positiveInt = z.number().int().positive();
const unit = z.number().min(0).max(1);

export const assertionSpecSchema = z.strictObject({
  type: z.string().refine((type) => parseAssertionType(type) !== undefined, {
    message: `unknown assertion type; known: ${ASSERTION_TYPES.join(', ')} (each also as not-<type>)`,
  }),
  value: z.unknown().optional(),
  threshold: z.number().optional(),
  weight: z.number().min(0).optional(),
  metric: z.string().min(1).optional(),
  case_insensitive: z.boolean().optional(),
  flags: z.string().optional(),
  n: positiveInt.max(9).optional(),
  measure: z.enum(['precision', 'recall', 'fmeasure']).optional(),
  use_stemmer: z.boolean().optional(),
  tokenize: z.string().optional(),
  lowercase: z.boolean().optional(),
  smooth_method: z.enum(['exp', 'floor', 'add-k', 'none']).optional(),
  word_order: z.number().int().min(0).optional(),
  scores: z.strictObject({ A: unit, B: unit, C: unit, D: unit, E: unit }).partial().optional(),
  timeout_ms: positiveInt.optional(),
  strictness: positiveInt.optional(),
  question: z.string().optional(),
  contexts: z.union([z.string(), z.array(z.string())]).optional(),
});

/** The sampling fields a target passes to the model, under their ChatRequest names. */
const samplingShape = {
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: positiveInt.optional(),
  max_tokens: positiveInt.optional(),
  seed: z.number().int().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).optional(),
  extra_body: z.record(z.string(), z.unknown()).optional(),
};

export const thresholdsSchema = z.strictObject({
  /** Share of cases that must pass in every prompt × target cell (default 1: all). */
  pass_rate: unit.optional(),
  /** Lowest acceptable mean case score per cell. */
  score: unit.optional(),
  /** Lowest acceptable mean score per named metric (assertion `metric`, or its type) per cell. */
  metrics: z.record(z.string(), unit).optional(),
});

const messageSchema = z.strictObject({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.string(),
});

export const promptSpecSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { template: v } : v),
  z
    .strictObject({
      id: z.string().min(1).optional(),
      label: z.string().optional(),
      template: z.string().optional(),
      system: z.string().optional(),
      messages: z.array(messageSchema).min(1).optional(),
      /** A text file (the template) or a .json file (a messages list), relative to the suite. */
      file: z.string().min(1).optional(),
      /** Few-shot examples, sent as user/assistant turns before the prompt. */
      examples: z.array(z.strictObject({ input: z.string(), output: z.string() })).optional(),
      response_format: z.record(z.string(), z.unknown()).optional(),
      /** Shorthand for a json_schema response_format: a JSON Schema object or a .json file. */
      schema: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    })
    .refine((p) => [p.template, p.messages, p.file].filter((x) => x !== undefined).length === 1, {
      message: 'a prompt needs exactly one of template, messages or file',
    }),
);

const ragSchema = z.strictObject({
  collection: z.string().min(1),
  /** Generative model for the answer; without one the answer is extractive. */
  model: z.string().min(1).optional(),
  k: positiveInt.optional(),
  mode: z.enum(['bm25', 'dense', 'hybrid']).optional(),
  verify: z.boolean().optional(),
});

export const targetSpecSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { model: v } : v),
  z
    .strictObject({
      id: z.string().min(1).optional(),
      label: z.string().optional(),
      /** An alias from conduit.yaml or provider:model; with `gateway`, the model name sent to it. */
      model: z.string().min(1).optional(),
      /** Base URL of an OpenAI-compatible endpoint, such as a Conduit gateway (`http://host:4141/v1`). */
      gateway: z.string().url().optional(),
      api_key: z.string().optional(),
      headers: z.record(z.string(), z.string()).optional(),
      rag: ragSchema.optional(),
      /** Reserved: pipelines arrive with src/pipelines; see docs/evaluation.md for the extension point. */
      pipeline: z.unknown().optional(),
      /** Run only these prompt ids on this target. */
      prompts: z.array(z.string()).optional(),
      concurrency: positiveInt.optional(),
      /** Requests per minute this target may send. */
      rpm: positiveInt.optional(),
      thresholds: thresholdsSchema.optional(),
      ...samplingShape,
    })
    .refine((t) => [t.rag, t.pipeline, t.model ?? t.gateway].filter((x) => x !== undefined).length === 1, {
      message: 'a target needs exactly one of model (optionally with gateway), rag or pipeline',
    })
    .refine((t) => !t.gateway || t.model, { message: 'a gateway target needs model: the name to send' }),
);

export const caseSpecSchema = z.strictObject({
  id: z.union([z.string().min(1), z.number()]).optional(),
  description: z.string().optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  assert: z.array(assertionSpecSchema).optional(),
  /** Pass when the weighted score reaches this, instead of requiring every assertion to pass. */
  threshold: unit.optional(),
  /** Run the case only with these prompt ids (its assertions may fit one prompt's output only). */
  prompts: z.array(z.string()).min(1).optional(),
  /** Cases from a .jsonl or .csv file; `vars`, `assert`, `threshold` and `prompts` here apply to each. */
  file: z.string().min(1).optional(),
});

const modelRef = z.preprocess(
  (v) => (typeof v === 'string' ? { model: v } : v),
  z.strictObject({
    model: z.string().min(1),
    mode: z.enum(['auto', 'json_schema', 'json', 'tool']).optional(),
  }),
);

export const suiteFileSchema = z.strictObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  prompts: z.array(promptSpecSchema).min(1),
  targets: z.array(targetSpecSchema).min(1),
  cases: z.preprocess((v) => (typeof v === 'string' ? [{ file: v }] : v), z.array(caseSpecSchema).min(1)),
  defaults: z
    .strictObject({
      vars: z.record(z.string(), z.unknown()).optional(),
      assert: z.array(assertionSpecSchema).optional(),
      threshold: unit.optional(),
    })
    .optional(),
  /** The model that grades llm-rubric, factuality and the RAG metrics. */
  judge: modelRef.optional(),
  /** The embedding model for `similar` and `answer-relevance`. */
  embedding: modelRef.optional(),
  thresholds: thresholdsSchema.optional(),
  /** Default concurrent calls per target (`--concurrency` overrides). */
  concurrency: positiveInt.optional(),
});

export type SuiteFile = z.infer<typeof suiteFileSchema>;
export type PromptSpec = z.infer<typeof promptSpecSchema>;
export type TargetSpec = z.infer<typeof targetSpecSchema>;
export type CaseSpec = z.infer<typeof caseSpecSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;
export type SamplingSpec = Pick<TargetSpec, keyof typeof samplingShape>;
export const SAMPLING_KEYS = Object.keys(samplingShape) as (keyof typeof samplingShape)[];
