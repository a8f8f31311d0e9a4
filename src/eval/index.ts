/**
 * `conduit-llm/eval`: suites of prompts × targets × test cases with assertions (deterministic,
 * model-graded and RAG metrics), runs with caching, limits and storage, reports (JSON, JUnit, HTML)
 * and run comparison; reference-exact text metrics (BLEU and chrF as sacreBLEU, ROUGE as
 * rouge-score, SQuAD v2.0), classification metrics, and significance statistics (paired bootstrap,
 * McNemar).
 *
 * @example
 * import { loadSuite, createSuiteTargets, runSuite } from 'conduit-llm/eval';
 * const suite = await loadSuite('suite.yaml');
 * const run = await runSuite({ suite, targets: await createSuiteTargets(suite, factories) });
 */
export {
  ASSERTION_TYPES,
  ASSERTIONS,
  type AssertionType,
  parseAssertionType,
} from './assertions/assertion-registry.js';
export type {
  AssertionHandler,
  AssertionInput,
  AssertionOutcome,
  AssertionResult,
  AssertionSpec,
  Judge,
} from './assertions/assertion-types.js';
export { AssertionConfigError } from './assertions/assertion-values.js';
export { DEFAULT_FACTUALITY_SCORES, FACTUALITY_CATEGORIES } from './assertions/factuality.js';
export { levenshteinDistance } from './assertions/levenshtein.js';
export { rubricVerdictSchema } from './assertions/llm-rubric.js';
export { averagePrecision } from './assertions/ragas/context-precision.js';
export { type CaseVerdict, runAssertion, runAssertions } from './assertions/run-assertions.js';
export { cosineSimilarity } from './assertions/similarity-assertion.js';
export * from './metrics/index.js';
export { htmlReport } from './report/html-report.js';
export { junitReport } from './report/junit-report.js';
export { RESULTS_FORMAT_VERSION, resultsJson } from './report/results-json.js';
export { compareReport, runReport } from './report/terminal-report.js';
export {
  type EvalLanguageModel,
  type TimedCall,
  withEmbeddingCache,
  withEvalCache,
} from './runner/cached-models.js';
export {
  type ComparableResult,
  type ComparedPair,
  type CompareOptions,
  compareRuns,
  type PairedBy,
  type RunComparison,
} from './runner/compare-runs.js';
export {
  createDiskCache,
  createMemoryResponseCache,
  type ResponseCache,
  requestKey,
  stableJson,
} from './runner/disk-cache.js';
export type { CellSummary, EvalCaseResult, EvalRunResult, RunSummary } from './runner/eval-result.js';
export {
  createModelTarget,
  type EvalTarget,
  type Sampling,
  type TargetInput,
  type TargetOutput,
} from './runner/eval-target.js';
export { createLimiter, type Limiter, type LimiterOptions } from './runner/limiter.js';
export { type AskFunction, createRagTarget, loadRagAsk, type RagTargetOptions } from './runner/rag-target.js';
export {
  newRunId,
  type RunProgress,
  type RunSuiteOptions,
  runSuite,
  toStoredResult,
} from './runner/run-suite.js';
export {
  createSuiteEmbedder,
  createSuiteJudge,
  createSuiteTargets,
  type ModelFactories,
  type SuiteTargetOptions,
} from './runner/suite-targets.js';
export { summarizeRun } from './runner/summarize-run.js';
export * from './stats/index.js';
export { buildMessages, questionOf } from './suite/build-messages.js';
export type { EvalCase, EvalPrompt, EvalSuite, PromptMessage } from './suite/eval-suite.js';
export { loadCases, parseExpected } from './suite/load-cases.js';
export { loadSuite, parseSuite, suiteNeeds, targetIdOf } from './suite/load-suite.js';
export { type CsvRecord, parseCsv } from './suite/parse-csv.js';
export { MissingVariableError, renderTemplate, templateVariables } from './suite/render-template.js';
export { SuiteError } from './suite/suite-error.js';
export { suiteFileSchema, type TargetSpec, type Thresholds } from './suite/suite-schema.js';
