/**
 * `--html report.html`: one self-contained page — inline CSS, no script, no external request — that
 * opens from a CI artifact or an email attachment offline. Every piece of model output and suite
 * text is escaped, and a Content-Security-Policy that allows no script at all backs that up: an
 * output containing `<script>` is shown, never run. "Failures only" is a CSS checkbox, not code.
 *
 * @example
 * await writeFile('report.html', htmlReport(run));
 */
import type { CellSummary, EvalCaseResult, EvalRunResult } from '../runner/eval-result.js';
import { escapeMarkup as h } from './escape-markup.js';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const ms = (n: number | null | undefined) => (n === null || n === undefined ? '–' : `${Math.round(n)} ms`);
const usd = (n: number, unknown = 0) => (unknown > 0 && n === 0 ? '–' : `$${n.toFixed(n < 0.01 ? 5 : 3)}`);

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem}
.meta{color:#57606a;margin-bottom:1rem}.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;font-weight:600}
.ok{background:#dafbe1;color:#116329}.bad{background:#ffebe9;color:#a40e26}.err{background:#fff8c5;color:#7d4e00}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{white-space:pre-wrap;word-break:break-word;margin:.25rem 0;background:#f6f8fa;padding:.4rem;border-radius:4px;max-height:24rem;overflow:auto}
details summary{cursor:pointer}ul.asserts{margin:.25rem 0;padding-left:1.1rem}
#failures-only:checked ~ table.cases tr.pass{display:none}
`;

function cellRow(cell: CellSummary): string {
  const metrics = Object.entries(cell.metrics)
    .map(([name, value]) => `${h(name)} ${value.toFixed(3)}`)
    .join('<br>');
  const verdict = cell.thresholdFailures.length
    ? `<span class="verdict bad">${cell.thresholdFailures.map(h).join('<br>')}</span>`
    : '<span class="verdict ok">holds</span>';
  return `<tr><td>${h(cell.promptId)}</td><td>${h(cell.targetId)}</td><td class="num">${cell.passed}/${cell.cases}${cell.errors ? ` (${cell.errors} errors)` : ''}</td><td class="num">${pct(cell.passRate)}</td><td class="num">${cell.meanScore.toFixed(3)}</td><td>${metrics}</td><td class="num">${usd(cell.costUsd, cell.costUnknown)}</td><td class="num">${ms(cell.latencyMs?.p50)} / ${ms(cell.latencyMs?.p95)}</td><td class="num">${cell.cached}</td><td>${verdict}</td></tr>`;
}

function resultCell(r: EvalCaseResult | undefined): string {
  if (!r) return '<td>–</td>';
  const state = r.error !== undefined ? ['err', 'error'] : r.pass ? ['ok', 'pass'] : ['bad', 'fail'];
  const asserts = r.assertions
    .map((a) => `<li>${a.pass ? '✓' : '✗'} <b>${h(a.type)}</b> ${a.score.toFixed(3)} — ${h(a.reason)}</li>`)
    .join('');
  return `<td><details><summary><span class="verdict ${state[0]}">${state[1]}</span> ${r.score.toFixed(3)}${r.cached ? ' · cached' : ''}</summary>${
    r.error !== undefined ? `<pre>${h(r.error)}</pre>` : ''
  }${r.output !== null ? `<pre>${h(r.output)}</pre>` : ''}<ul class="asserts">${asserts}</ul><div class="meta">${ms(r.latencyMs)} · ${r.costUsd === null ? 'cost unknown' : usd(r.costUsd)}</div></details></td>`;
}

export function htmlReport(run: EvalRunResult): string {
  const { summary } = run;
  const cells = summary.cells.map((c) => [c.promptId, c.targetId] as const);
  const byCase = new Map<string, EvalCaseResult[]>();
  for (const r of run.results) {
    const rows = byCase.get(r.caseId);
    if (rows) rows.push(r);
    else byCase.set(r.caseId, [r]);
  }
  const caseRows = [...byCase].map(([caseId, rows]) => {
    const allPass = rows.every((r) => r.pass);
    const vars = JSON.stringify(rows[0]!.vars, null, 1);
    const columns = cells.map(([p, t]) => resultCell(rows.find((r) => r.promptId === p && r.targetId === t)));
    return `<tr class="${allPass ? 'pass' : 'fail'}"><td><b>${h(caseId)}</b>${rows[0]!.description ? `<br>${h(rows[0]!.description)}` : ''}<details><summary>vars</summary><pre>${h(vars)}</pre></details></td>${columns.join('')}</tr>`;
  });
  const verdict = summary.thresholdsPassed
    ? '<span class="verdict ok">thresholds hold</span>'
    : '<span class="verdict bad">thresholds fail</span>';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${run.suite} — conduit eval`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${h(run.suite)}</h1>
<div class="meta">run ${h(run.runId)} · ${h(new Date(run.startedAt).toISOString())} · ${(run.durationMs / 1000).toFixed(1)} s · ${summary.totals.results} results, ${summary.totals.passed} passed, ${summary.totals.failed} failed, ${summary.totals.errors} errors, ${summary.totals.cached} cached · ${verdict}</div>
<h2>Prompt × target</h2>
<table><thead><tr><th>prompt</th><th>target</th><th>passed</th><th>pass rate</th><th>score</th><th>metrics</th><th>cost</th><th>latency p50 / p95</th><th>cached</th><th>thresholds</th></tr></thead>
<tbody>${summary.cells.map(cellRow).join('\n')}</tbody></table>
<h2>Cases</h2>
<input type="checkbox" id="failures-only"> <label for="failures-only">failures only</label>
<table class="cases"><thead><tr><th>case</th>${cells.map(([p, t]) => `<th>${h(p)} × ${h(t)}</th>`).join('')}</tr></thead>
<tbody>
${caseRows.join('\n')}
</tbody></table>
</body>
</html>
`;
}
