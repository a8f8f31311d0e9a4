/**
 * The shapes `ask` produces: stream events while it runs and the result at the end.
 */
import type { Cost, Usage } from '../../core/chat-event.js';
import type { ConduitError } from '../../core/errors.js';
import type { RetrievalMode } from '../retrieval/retrieved-chunk.js';
import type { Citation, NumberedSource } from './check-citations.js';
import type { Judgement } from './verify-answer.js';

export type AskStatus = 'answered' | 'not_found' | 'extractive';
export type AskStepName = 'retrieve' | 'draft' | 'judge' | 'refine' | 'answer';

export interface AskStep {
  name: AskStepName;
  ms: number;
  /** The step's raw output (model text, or the judge's JSON). */
  text?: string;
  usage?: Usage;
  cost?: Cost;
  judgement?: Judgement;
}

export interface AskResult {
  question: string;
  answer: string;
  status: AskStatus;
  citations: Citation[];
  /** The chunks the answer was grounded on, numbered as cited. */
  sources: NumberedSource[];
  retrieval: { mode: RetrievalMode; notices: string[] };
  /** The generative model's id; null for an extractive answer. */
  model: string | null;
  /** Summed over every model call (draft, judge, refine). */
  usage: Usage;
  embeddingTokens: number;
  /** USD; undefined when a call's price is unknown. */
  cost?: Cost;
  timings: { retrievalMs: number; generationMs: number; verificationMs: number; totalMs: number };
  /** Citations that could not be verified, and similar facts for the reader. */
  warnings: string[];
  /** The pipeline, step by step (retrieve → draft → judge → refine). */
  steps: AskStep[];
  /** The model's full final output, quotes block included. */
  rawText: string;
  /** When the answer was replaced by "Not found in the documents.": what the model wrote. */
  unsupportedAnswer?: string;
}

export type AskEvent =
  | { type: 'retrieval'; sources: NumberedSource[]; mode: RetrievalMode; notices: string[] }
  | { type: 'step'; name: AskStepName; status: 'start' | 'end' }
  /** Prose of the answer as it streams (the quotes block is held back). */
  | { type: 'text-delta'; text: string }
  | { type: 'result'; result: AskResult }
  | { type: 'error'; error: ConduitError };
