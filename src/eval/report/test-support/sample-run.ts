/**
 * A small run with hostile text in every field a report prints — markup, quotes, an XML
 * terminator, control characters, a lone surrogate — plus a pass, a failure and an error.
 */
import type { EvalCaseResult, EvalRunResult } from '../../runner/eval-result.js';
import { summarizeRun } from '../../runner/summarize-run.js';

export const HOSTILE = `<script>alert("x")</script> & 'quotes' ]]> \u0001\u0008 \uD800 done`;

export function sampleRun(): EvalRunResult {
  const base = {
    promptId: 'p<1>',
    targetId: 'model "a"',
    vars: { q: HOSTILE },
    cached: false,
    costUsd: 0.002,
    latencyMs: 150,
  };
  const results: EvalCaseResult[] = [
    {
      ...base,
      index: 0,
      caseId: 'ok',
      output: 'Paris',
      pass: true,
      score: 1,
      assertions: [
        {
          type: 'contains',
          metric: 'contains',
          weight: 1,
          pass: true,
          score: 1,
          reason: 'output contains "Paris"',
        },
      ],
    },
    {
      ...base,
      index: 1,
      caseId: 'x<y>&"z"',
      description: HOSTILE,
      output: HOSTILE,
      pass: false,
      score: 0,
      assertions: [
        {
          type: 'contains',
          metric: 'contains',
          weight: 1,
          pass: false,
          score: 0,
          reason: `expected ${HOSTILE}`,
        },
      ],
    },
    {
      ...base,
      index: 2,
      caseId: 'err',
      output: null,
      pass: false,
      score: 0,
      error: `upstream ${HOSTILE}`,
      latencyMs: null,
      costUsd: null,
      assertions: [],
    },
  ];
  const summary = summarizeRun(results);
  return {
    runId: 'run-1',
    suite: 'hostile <suite>',
    startedAt: 0,
    finishedAt: 1500,
    durationMs: 1500,
    results,
    summary,
  };
}
