/**
 * The shapes every assertion shares: what a suite writes (`AssertionSpec`), what a check sees about
 * one output (`AssertionInput`), what it returns (`AssertionOutcome`) and what the runner records
 * (`AssertionResult`). Scores are 0–1 everywhere so a case's weighted mean means something; a
 * metric's own number (BLEU 0–100, a Levenshtein distance) travels in `value`.
 */

import type { ObjectMode } from '../../core/generate/object-strategy.js';
import type { EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';

/** One assertion as written in a suite (after `${ENV}` interpolation, before `{{var}}` rendering). */
export interface AssertionSpec {
  /** A type from ASSERTION_TYPES, optionally prefixed with `not-`. */
  type: string;
  value?: unknown;
  /** Pass mark on the assertion's own scale (see docs/evaluation.md); each type has a default. */
  threshold?: number;
  /** Weight in the case score; 0 records the assertion without letting it decide the case. */
  weight?: number;
  /** Name under which the score is averaged in the summary (default: the type). */
  metric?: string;
  case_insensitive?: boolean;
  /** Regular expression flags for `regex`. */
  flags?: string;
  /** `rouge-n`: the n-gram order (default 1). */
  n?: number;
  /** `rouge-*`: which figure decides (default fmeasure). */
  measure?: 'precision' | 'recall' | 'fmeasure';
  use_stemmer?: boolean;
  tokenize?: string;
  lowercase?: boolean;
  smooth_method?: 'exp' | 'floor' | 'add-k' | 'none';
  word_order?: number;
  /** `factuality`: score per category, default A, B, C, E = 1 and D = 0. */
  scores?: Partial<Record<'A' | 'B' | 'C' | 'D' | 'E', number>>;
  /** `javascript`: milliseconds before the expression is stopped (default 1000). */
  timeout_ms?: number;
  /** `answer-relevance`: how many questions the judge generates (Ragas' strictness, default 3). */
  strictness?: number;
  /** RAG metrics: the question, when it is not `vars.question` or the prompt's last user message. */
  question?: string;
  /** RAG metrics: retrieved contexts, when the target does not return them (a RAG target does). */
  contexts?: string | string[];
}

/** Model-graded assertions call this model with output constrained to a schema. */
export interface Judge {
  model: LanguageModel;
  /** How structured output is requested (default `auto`, see generateObject). */
  mode?: ObjectMode;
}

/** Everything a check may look at for one output of one prompt × target × case. */
export interface AssertionInput {
  output: string;
  vars: Record<string, unknown>;
  /** The rendered conversation that was sent. */
  messages: ChatMessage[];
  /** The question for RAG metrics and judges. */
  question: string;
  /** Passages the target retrieved (a RAG target returns them); see ragas-inputs for fallbacks. */
  contexts?: string[];
  latencyMs: number;
  /** USD; null when the model's price is unknown. */
  costUsd: number | null;
  promptId: string;
  targetId: string;
  judge?: Judge;
  embedder?: EmbeddingModel;
  signal?: AbortSignal;
}

/** What a check decides, before negation and weighting. */
export interface AssertionOutcome {
  pass: boolean;
  /** 0–1. */
  score: number;
  reason: string;
  /** The metric's own figure (BLEU 0–100, edit distance, cosine, ms, USD). */
  value?: number;
  /** Judge verdicts, generated statements and similar detail for the report. */
  details?: unknown;
}

/** One assertion's result as stored with the case. */
export interface AssertionResult extends AssertionOutcome {
  type: string;
  metric: string;
  weight: number;
  /** Set when the check itself failed (a judge gave no verdict); the case then counts as an error. */
  error?: string;
}

export type AssertionHandler = (
  spec: AssertionSpec,
  input: AssertionInput,
) => AssertionOutcome | Promise<AssertionOutcome>;
