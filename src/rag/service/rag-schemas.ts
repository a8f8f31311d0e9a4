/**
 * Validation of request bodies that reach RAG from outside (HTTP, config, scripts). Field names are
 * snake_case as on the wire; a bad body fails with `bad_request` naming the field.
 */
import { z } from 'zod';
import { ConduitError } from '../../core/errors.js';
import { metadataFilterSchema } from '../../storage/ports/metadata-filter.js';

export const collectionNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'use letters, digits, ".", "_" and "-" (starting with a letter or digit), at most 128 characters',
  );

export const createCollectionBodySchema = z.strictObject({
  name: collectionNameSchema,
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** Model spec (alias or provider:model) whose vectors the collection holds; null for BM25 only. */
  embedding_model: z.string().min(1).nullable().optional(),
});

const retrievalShape = {
  k: z.number().int().min(1).max(100).optional(),
  mode: z.enum(['bm25', 'dense', 'hybrid']).optional(),
  filter: metadataFilterSchema.optional(),
  mmr: z.union([z.boolean(), z.strictObject({ lambda: z.number().min(0).max(1) })]).optional(),
  rerank: z.boolean().optional(),
};

export const searchBodySchema = z.strictObject({
  query: z.string().min(1),
  by_document: z.boolean().optional(),
  ...retrievalShape,
});

export const askBodySchema = z.strictObject({
  question: z.string().min(1),
  /** Generative model spec; default the service's `defaultModel`; none → extractive answer. */
  model: z.string().min(1).optional(),
  verify: z.boolean().optional(),
  ...retrievalShape,
});

export type CreateCollectionBody = z.infer<typeof createCollectionBodySchema>;
export type SearchBody = z.infer<typeof searchBodySchema>;
export type AskBody = z.infer<typeof askBodySchema>;

/** Throws a 400 naming what a collection name may contain when `name` is not one. */
export function checkCollectionName(name: string): string {
  if (collectionNameSchema.safeParse(name).success) return name;
  throw new ConduitError(
    'bad_request',
    `Invalid collection name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-" (starting with a letter or digit), at most 128 characters`,
    { param: 'name' },
  );
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.');
  throw new ConduitError('bad_request', `${path ? `${path}: ` : ''}${issue.message}`, {
    param: path || undefined,
    details: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
  });
}
