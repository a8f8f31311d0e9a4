/**
 * `--junit junit.xml`: one `<testsuite>` per prompt × target, one `<testcase>` per case, in the
 * shape Jenkins, GitLab, GitHub Actions reporters and CircleCI read. A failed assertion is a
 * `<failure>`, a target or judge that could not answer an `<error>`; the output goes into
 * `<system-out>` so a reviewer sees what the model said without opening another file.
 *
 * @example
 * await writeFile('junit.xml', junitReport(run));
 */
import type { EvalCaseResult, EvalRunResult } from '../runner/eval-result.js';
import { escapeMarkup as x } from './escape-markup.js';

const seconds = (ms: number | null) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(r: EvalCaseResult, suiteName: string): string {
  const name = r.description ? `${r.caseId}: ${r.description}` : r.caseId;
  const open = `    <testcase name="${x(name)}" classname="${x(`${suiteName}.${r.promptId}.${r.targetId}`)}" time="${seconds(r.latencyMs)}">`;
  const body: string[] = [];
  if (r.error !== undefined) {
    body.push(`      <error message="${x(r.error)}" type="error">${x(r.error)}</error>`);
  } else if (!r.pass) {
    const failed = r.assertions.filter((a) => !a.pass && a.weight > 0);
    const message =
      failed.length > 0 ? `${failed[0]!.type}: ${failed[0]!.reason}` : `score ${r.score.toFixed(3)}`;
    const detail = r.assertions.map(
      (a) => `${a.pass ? 'PASS' : 'FAIL'} ${a.type} (${a.score.toFixed(3)}): ${a.reason}`,
    );
    body.push(`      <failure message="${x(message)}" type="assertion">${x(detail.join('\n'))}</failure>`);
  }
  if (r.output !== null) body.push(`      <system-out>${x(r.output)}</system-out>`);
  return body.length === 0 ? `${open.slice(0, -1)} />` : [open, ...body, '    </testcase>'].join('\n');
}

export function junitReport(run: EvalRunResult): string {
  const { totals } = run.summary;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(run.suite)}" tests="${totals.results}" failures="${totals.failed}" errors="${totals.errors}" time="${seconds(run.durationMs)}">`,
  ];
  for (const cell of run.summary.cells) {
    const rows = run.results.filter((r) => r.promptId === cell.promptId && r.targetId === cell.targetId);
    const time = rows.reduce((s, r) => s + (r.latencyMs ?? 0), 0);
    lines.push(
      `  <testsuite name="${x(`${run.suite}: ${cell.promptId} × ${cell.targetId}`)}" tests="${cell.cases}" failures="${cell.failed}" errors="${cell.errors}" skipped="0" time="${seconds(time)}" timestamp="${new Date(run.startedAt).toISOString().slice(0, 19)}">`,
      ...rows.map((r) => testcase(r, run.suite)),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
