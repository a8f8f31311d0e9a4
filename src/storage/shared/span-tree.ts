/**
 * A trace's spans in tree order, for anything that draws the tree (the admin API, `conduit traces
 * show`, the console): each span follows its parent, siblings by start time, with its depth. Roots
 * are spans whose parent is not stored, as in `summarizeTrace`.
 */
import type { Span } from '../ports/trace-store.js';

export interface SpanTreeRow extends Span {
  /** 0 for a root, its parent's depth + 1 otherwise. */
  depth: number;
  /** `endTime - startTime`; null while the span is open. */
  durationMs: number | null;
}

const byStart = (a: Span, b: Span) =>
  a.startTime - b.startTime || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);

/** Depth-first, pre-order. Spans caught in a parent cycle (no root above them) come last, at depth 0. */
export function orderSpanTree(spans: readonly Span[]): SpanTreeRow[] {
  const ordered = [...spans].sort(byStart);
  const ids = new Set(ordered.map((s) => s.spanId));
  const children = new Map<string, Span[]>();
  const roots: Span[] = [];
  for (const span of ordered) {
    if (span.parentSpanId === null || !ids.has(span.parentSpanId)) roots.push(span);
    else {
      const list = children.get(span.parentSpanId);
      if (list) list.push(span);
      else children.set(span.parentSpanId, [span]);
    }
  }
  const rows: SpanTreeRow[] = [];
  const seen = new Set<string>();
  const visit = (top: Span) => {
    const stack: [Span, number][] = [[top, 0]];
    while (stack.length > 0) {
      const [span, depth] = stack.pop()!;
      if (seen.has(span.spanId)) continue;
      seen.add(span.spanId);
      const durationMs = span.endTime === null ? null : span.endTime - span.startTime;
      rows.push({ ...span, depth, durationMs });
      const kids = children.get(span.spanId) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, depth + 1]);
    }
  };
  for (const root of roots) visit(root);
  for (const span of ordered) if (!seen.has(span.spanId)) visit(span);
  return rows;
}
