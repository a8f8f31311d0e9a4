/**
 * A span per call, in the OpenTelemetry GenAI conventions: request parameters on start; response
 * model, finish reasons, tokens, cost and cache hit on end; the error when it fails. Inner layers
 * (router attempts, tools, retrievals) record their spans under it. The parent is the caller's
 * `options.trace` (a client's `traceparent` at the gateway); without one, the call starts a trace.
 */
import type { ChatRequest } from '../../core/chat-request.js';
import type { Attributes, SpanKind, SpanRecorder, TraceContext } from '../../core/trace-context.js';
import {
  chatRequestAttributes,
  contentAttributes,
  usageAttributes,
} from '../../observability/tracing/genai-attributes.js';
import { interceptCalls, type ModelPolicy, withReport } from './model-policy.js';

export interface TraceOptions {
  recorder: SpanRecorder;
  /** 'server' for the gateway's requests; default 'internal'. */
  kind?: SpanKind;
}

export function trace(options: TraceOptions): ModelPolicy {
  const { recorder } = options;
  return (model) =>
    interceptCalls(model, (request: ChatRequest, options_) => {
      const call = withReport(options_);
      const parent: TraceContext | undefined = call.trace;
      if (parent?.sampled === false) return undefined;
      // A server span only for the request itself: under a span of this process (a RAG route's,
      // an agent's) the call is an internal step. A client's traceparent carries no recorder.
      const kind: SpanKind =
        options.kind === 'server' && parent?.recorder ? 'internal' : (options.kind ?? 'internal');
      // One attributes object, filled in place: this runs on every request.
      const attributes: Attributes = chatRequestAttributes(request);
      attributes['gen_ai.request.model'] ??= model.modelId;
      attributes['conduit.model'] = model.modelId;
      attributes['conduit.request_id'] = call.requestId;
      if (call.principal?.kind === 'virtual') attributes['conduit.key_id'] = call.principal.key.id;
      if (recorder.captureContent) Object.assign(attributes, contentAttributes(request));
      const span = recorder.startSpan(`chat ${model.modelId}`, parent, { kind, attributes });
      call.report.traceId = span.context.traceId;
      let output = '';
      return {
        options: { ...call, trace: span.context.recorder ? span.context : { ...span.context, recorder } },
        onEvent: (event) => {
          if (recorder.captureContent && event.type === 'text-delta' && (event.choice ?? 0) === 0)
            output += event.text;
          else if (event.type === 'start') span.setAttribute('gen_ai.response.model', event.model);
          else if (event.type === 'finish')
            span.setAttribute('gen_ai.response.finish_reasons', [event.reason]);
        },
        settle: ({ usage, cost, error, result }) => {
          span.setAttribute('conduit.deployment', call.report.attempts.at(-1)?.deployment);
          span.setAttribute('conduit.cache_hit', call.report.cacheHit);
          span.setAttribute('conduit.cost_usd', cost?.total);
          if (usage) span.setAttributes(usageAttributes(usage));
          if (result) {
            span.setAttributes({
              'gen_ai.response.model': result.model,
              'gen_ai.response.id': result.id,
              'gen_ai.response.finish_reasons': result.choices.map((c) => c.finishReason),
            });
            if (recorder.captureContent) output = result.text;
          }
          if (recorder.captureContent && output)
            span.setAttribute(
              'gen_ai.output.messages',
              JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: output }] }]),
            );
          // A server span is the HTTP request: its status is what the client saw.
          if (kind === 'server') span.setAttribute('http.response.status_code', error ? error.status : 200);
          if (error) span.recordError(error);
          span.end();
        },
      };
    });
}
