/**
 * The small, typed filter language that document searches accept. Every adapter must give the same
 * answers, so the semantics are spelled out here and checked by the document-store contract:
 *
 * - `field` names a metadata key; dots walk into nested objects (`author.name`).
 * - A condition on an array field holds when it holds for any element (`tags eq 'x'` = contains).
 * - Values compare only with values of the same JSON type; `gt 3` never matches `"4"`. Strings
 *   compare by UTF-8 bytes.
 * - A missing field matches nothing except `ne`, which is the exact negation of `eq`.
 *
 * @example
 * const filter: MetadataFilter = {
 *   and: [{ field: 'lang', op: 'eq', value: 'en' }, { field: 'year', op: 'gte', value: 2020 }],
 * };
 */
import { z } from 'zod';

export type FilterScalar = string | number | boolean | null;

export type MetadataFilter =
  | { and: MetadataFilter[] }
  | { or: MetadataFilter[] }
  | { field: string; op: 'eq' | 'ne'; value: FilterScalar }
  | { field: string; op: 'in'; value: FilterScalar[] }
  | { field: string; op: 'gt' | 'gte' | 'lt' | 'lte'; value: number | string };

const fieldSchema = z
  .string()
  .regex(/^[^."]+(\.[^."]+)*$/, 'field must be dot-separated key names without double quotes');
const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Validates filters that arrive from users (CLI flags, HTTP bodies, config). */
export const metadataFilterSchema: z.ZodType<MetadataFilter> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(metadataFilterSchema) }),
    z.strictObject({ or: z.array(metadataFilterSchema) }),
    z.strictObject({ field: fieldSchema, op: z.enum(['eq', 'ne']), value: scalarSchema }),
    z.strictObject({ field: fieldSchema, op: z.literal('in'), value: z.array(scalarSchema) }),
    z.strictObject({
      field: fieldSchema,
      op: z.enum(['gt', 'gte', 'lt', 'lte']),
      value: z.union([z.number(), z.string()]),
    }),
  ]),
);
