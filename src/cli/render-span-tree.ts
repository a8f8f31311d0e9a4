/**
 * A trace as `conduit traces show` prints it: a summary line, then one row per span in tree order,
 * indented under its parent, with kind, duration, tokens, cost and status; failed spans are marked
 * with ✗ and their message.
 */
import type { Span } from '../storage/ports/trace-store.js';
import { summarizeTrace } from '../storage/shared/span-records.js';
import { orderSpanTree, type SpanTreeRow } from '../storage/shared/span-tree.js';
import { formatTable } from './format-table.js';
import { formatNumber, formatTime, formatUsd } from './format-usage.js';

const HEADERS = ['SPAN', 'KIND', 'DURATION MS', 'IN', 'OUT', 'COST', 'STATUS'];

/** Whether a later row sits at `depth` before the tree climbs above it (a sibling still to come). */
function continues(rows: readonly SpanTreeRow[], index: number, depth: number): boolean {
  for (let j = index + 1; j < rows.length; j++) {
    const d = rows[j]!.depth;
    if (d < depth) return false;
    if (d === depth) return true;
  }
  return false;
}

function label(rows: readonly SpanTreeRow[], index: number): string {
  const { depth, name } = rows[index]!;
  let prefix = '';
  for (let level = 1; level < depth; level++) prefix += continues(rows, index, level) ? '│  ' : '   ';
  if (depth > 0) prefix += continues(rows, index, depth) ? '├─ ' : '└─ ';
  return prefix + name;
}

function status(span: Span): string {
  const code = span.attributes['http.response.status_code'];
  const suffix = code === undefined ? '' : ` ${String(code)}`;
  if (span.status === 'error')
    return `✗ error${suffix}${span.statusMessage ? `: ${span.statusMessage}` : ''}`;
  if (span.status === 'ok') return `ok${suffix}`;
  return suffix.trim() || '-';
}

function cost(span: Span): string {
  const usd = span.attributes['conduit.cost_usd'];
  return typeof usd === 'number' ? formatUsd(usd) : '-';
}

export function renderSpanTree(spans: readonly Span[]): string {
  if (spans.length === 0) return '';
  const summary = summarizeTrace(spans);
  const rows = orderSpanTree(spans);
  const duration = summary.durationMs === null ? 'still open' : `${summary.durationMs.toFixed(1)} ms`;
  const head =
    `trace ${summary.traceId} · ${formatTime(summary.startTime)} · ${duration} · ` +
    `${summary.spanCount} span${summary.spanCount === 1 ? '' : 's'}` +
    (summary.errorCount > 0 ? ` · ✗ ${summary.errorCount} failed` : '');
  const table = formatTable(
    HEADERS,
    rows.map((row, i) => [
      label(rows, i),
      row.kind,
      formatNumber(row.durationMs, 1),
      formatNumber(row.attributes['gen_ai.usage.input_tokens']),
      formatNumber(row.attributes['gen_ai.usage.output_tokens']),
      cost(row),
      status(row),
    ]),
  );
  return `${head}\n\n${table}`;
}
