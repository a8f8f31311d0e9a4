/** In-memory `TraceStore`. */
import type { Span, TraceStore } from '../ports/trace-store.js';
import { pageLimit } from '../shared/checks.js';
import { jsonClone } from '../shared/json.js';
import { rootFilters, rootMatches, summarizeTrace, toSpan } from '../shared/span-records.js';

export function createMemoryTraceStore(): TraceStore {
  const traces = new Map<string, Map<string, Span>>();

  const ordered = (traceId: string): Span[] =>
    [...(traces.get(traceId)?.values() ?? [])].sort(
      (a, b) => a.startTime - b.startTime || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0),
    );

  return {
    async appendSpans(spans) {
      const checked = spans.map(toSpan);
      for (const span of checked) {
        const trace = traces.get(span.traceId) ?? new Map<string, Span>();
        trace.set(span.spanId, span);
        traces.set(span.traceId, trace);
      }
    },
    async getTrace(traceId) {
      return jsonClone(ordered(traceId));
    },
    async listTraces(query = {}) {
      const since = query.since ?? Number.NEGATIVE_INFINITY;
      const until = query.until ?? Number.POSITIVE_INFINITY;
      const limit = pageLimit(query.limit, 50, 1000);
      const filters = rootFilters(query);
      return [...traces.keys()]
        .map((id) => summarizeTrace(ordered(id)))
        .filter((t) => t.startTime >= since && t.startTime < until)
        .filter((t) => !filters || rootMatches(t.root, filters))
        .sort((a, b) => b.startTime - a.startTime || (a.traceId < b.traceId ? -1 : 1))
        .slice(0, limit);
    },
  };
}
