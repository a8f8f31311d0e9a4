/**
 * A suite after loading: prompts with their files read, cases gathered from inline lists, JSONL and
 * CSV files with defaults merged, and every `{{variable}}` checked against every case. This is what
 * the runner takes; a suite can also be built in code without any YAML.
 */
import type { ResponseFormat } from '../../core/chat-request.js';
import type { AssertionSpec } from '../assertions/assertion-types.js';
import type { TargetSpec, Thresholds } from './suite-schema.js';

export interface PromptMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  /** A `{{variable}}` template. */
  content: string;
}

export interface EvalPrompt {
  id: string;
  label?: string;
  messages: PromptMessage[];
  /** Few-shot turns, inserted after the leading system/developer messages. */
  examples: { input: string; output: string }[];
  responseFormat?: ResponseFormat;
}

export interface EvalCase {
  id: string;
  description?: string;
  vars: Record<string, unknown>;
  assert: AssertionSpec[];
  threshold?: number;
  /** Run only with these prompt ids. */
  prompts?: string[];
  /** Where the case was defined, `file:line`, for error messages. */
  source: string;
}

export interface EvalSuite {
  name: string;
  description?: string;
  /** The suite file, when it came from one. */
  file?: string;
  prompts: EvalPrompt[];
  /** Target specs as written; the caller turns them into targets (see createSuiteTargets). */
  targets: TargetSpec[];
  cases: EvalCase[];
  judge?: { model: string; mode?: 'auto' | 'json_schema' | 'json' | 'tool' };
  embedding?: { model: string };
  thresholds: Thresholds;
  concurrency?: number;
}
