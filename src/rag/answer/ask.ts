/**
 * Question answering over a collection: retrieve, build a grounded prompt within the model's window,
 * stream an answer with inline citations, then check every citation against the chunk it cites. An
 * answer none of whose citations hold is replaced by "Not found in the documents."; with `verify` a
 * judge and a refine call run between draft and answer; with no model the answer is extractive.
 *
 * `askStream` runs eagerly and buffers its events, so awaiting only `.result` works (as streamText).
 * Errors before the first event reject the iteration; after it they arrive as one `error` event.
 *
 * Under a traced call (`callOptions.trace`) the whole answer is an `ask <collection>` span, with the
 * retrieval and every model call (draft, judge, refine, answer) as its children.
 *
 * @example
 * const run = askStream({ store: storage.documents, collection: 'handbook', question, model });
 * for await (const e of run) if (e.type === 'text-delta') process.stdout.write(e.text);
 * const { answer, citations, status } = await run.result;
 */
import { createStreamAccumulator } from '../../core/collect-stream.js';
import { toConduitError } from '../../core/errors.js';
import { createAsyncQueue } from '../../core/generate/async-queue.js';
import { createUsageTotals } from '../../core/generate/usage-totals.js';
import type { CallOptions, EmbeddingModel, LanguageModel } from '../../core/language-model.js';
import type { ChatMessage } from '../../core/messages.js';
import { type ActiveSpan, startSpan } from '../../core/trace-context.js';
import type { DocumentStore } from '../../storage/ports/document-store.js';
import { type RetrieveOptions, retrieve } from '../retrieval/retrieve.js';
import type { AskEvent, AskResult, AskStep } from './ask-result.js';
import { checkCitations, type NumberedSource } from './check-citations.js';
import { isRefusal, NOT_FOUND_ANSWER, parseCitedAnswer } from './cited-answer-format.js';
import { extractiveAnswer } from './extractive-answer.js';
import { groundedMessages, type PromptBudget, selectSources, sourceBudget } from './grounded-prompt.js';
import { createQuoteStreamFilter } from './quote-stream-filter.js';
import { judgeAnswer, refineMessages } from './verify-answer.js';

export interface AskOptions extends PromptBudget {
  store: DocumentStore;
  collection: string;
  question: string;
  /** Without one, the answer is extractive. */
  model?: LanguageModel;
  embedder?: EmbeddingModel;
  /** Retrieval settings; `k` defaults to 8 here. */
  retrieval?: Omit<RetrieveOptions, 'store' | 'collection' | 'query' | 'embedder'>;
  /** Draft → judge → refine. */
  verify?: boolean;
  /** Default 0: answers over documents should not be creative. */
  temperature?: number;
  callOptions?: CallOptions;
}

export interface AskStream extends AsyncIterable<AskEvent> {
  result: Promise<AskResult>;
}

/** The `ask` span and the options whose calls run under it; untraced calls stay untraced. */
function traced(options: AskOptions): { span?: ActiveSpan; options: AskOptions } {
  const parent = options.callOptions?.trace;
  if (!parent) return { options };
  const span = startSpan(parent, `ask ${options.collection}`, {
    kind: 'internal',
    attributes: {
      'gen_ai.data_source.id': options.collection,
      'conduit.model': options.model?.id,
      'conduit.rag.verify': options.verify === true,
    },
  });
  return { span, options: { ...options, callOptions: { ...options.callOptions, trace: span.context } } };
}

export function askStream(askOptions: AskOptions): AskStream {
  const { span, options } = traced(askOptions);
  const queue = createAsyncQueue<AskEvent>();
  let emitted = false;
  const emit = (event: AskEvent) => {
    emitted = true;
    queue.push(event);
  };
  const result = runAsk(options, emit).then(
    (value) => {
      span?.setAttributes({
        'conduit.rag.status': value.status,
        'conduit.rag.sources': value.sources.length,
      });
      span?.end();
      emit({ type: 'result', result: value });
      queue.close();
      return value;
    },
    (error: unknown) => {
      span?.recordError(error);
      span?.end();
      if (emitted) {
        queue.push({ type: 'error', error: toConduitError(error, options.model?.provider) });
        queue.close();
      } else queue.fail(error);
      throw error;
    },
  );
  // The caller may read only the events; the rejection is delivered there too.
  result.catch(() => {});
  return Object.assign(queue, { result });
}

/** `askStream` without the events. */
export function ask(options: AskOptions): Promise<AskResult> {
  return askStream(options).result;
}

async function runAsk(options: AskOptions, emit: (event: AskEvent) => void): Promise<AskResult> {
  const started = performance.now();
  const { model, question } = options;
  const retrieval = await retrieve({
    k: 8,
    ...options.retrieval,
    store: options.store,
    collection: options.collection,
    query: question,
    ...(options.embedder ? { embedder: options.embedder } : {}),
    ...(options.callOptions ? { callOptions: options.callOptions } : {}),
  });
  const sources: NumberedSource[] = model
    ? selectSources(model, retrieval.hits, sourceBudget(model, question, options))
    : retrieval.hits.map((hit, i) => ({ n: i + 1, hit }));
  emit({ type: 'retrieval', sources, mode: retrieval.mode, notices: retrieval.notices });
  const steps: AskStep[] = [{ name: 'retrieve', ms: retrieval.timings.totalMs }];
  const totals = createUsageTotals();
  const base = {
    question,
    sources,
    retrieval: { mode: retrieval.mode, notices: retrieval.notices },
    model: model?.id ?? null,
    embeddingTokens: retrieval.embeddingTokens,
    steps,
    warnings: [] as string[],
  };
  const finish = (
    fields: Pick<AskResult, 'answer' | 'status' | 'citations' | 'rawText'> & Partial<AskResult>,
  ) => {
    const cost = totals.cost;
    const timings = {
      retrievalMs: retrieval.timings.totalMs,
      generationMs: steps
        .filter((s) => s.name === 'draft' || s.name === 'answer')
        .reduce((t, s) => t + s.ms, 0),
      verificationMs: steps
        .filter((s) => s.name === 'judge' || s.name === 'refine')
        .reduce((t, s) => t + s.ms, 0),
      totalMs: performance.now() - started,
    };
    return { ...base, usage: totals.usage, ...(cost ? { cost } : {}), timings, ...fields } as AskResult;
  };

  if (sources.length === 0) {
    emit({ type: 'text-delta', text: NOT_FOUND_ANSWER });
    return finish({ answer: NOT_FOUND_ANSWER, status: 'not_found', citations: [], rawText: '' });
  }
  if (!model) {
    const extractive = extractiveAnswer(question, sources);
    emit({ type: 'text-delta', text: extractive.answer });
    return finish({ ...extractive, status: 'extractive', rawText: extractive.answer });
  }

  const call = { ...options.callOptions };
  const streamStep = async (name: AskStep['name'], messages: ChatMessage[]): Promise<string> => {
    emit({ type: 'step', name, status: 'start' });
    const t = performance.now();
    const filter = createQuoteStreamFilter();
    const accumulator = createStreamAccumulator();
    for await (const event of model.stream({ messages, temperature: options.temperature ?? 0 }, call)) {
      if (event.type === 'error') throw event.error;
      accumulator.add(event);
      if (event.type === 'text-delta') {
        const text = filter.push(event.text);
        if (text) emit({ type: 'text-delta', text });
      }
    }
    const rest = filter.end();
    if (rest) emit({ type: 'text-delta', text: rest });
    const collected = accumulator.result();
    totals.add(collected.usage, collected.cost);
    steps.push({
      name,
      ms: performance.now() - t,
      text: collected.text,
      usage: collected.usage,
      ...(collected.cost ? { cost: collected.cost } : {}),
    });
    emit({ type: 'step', name, status: 'end' });
    return collected.text;
  };

  const messages = groundedMessages(question, sources);
  let text: string;
  if (!options.verify) {
    text = await streamStep('answer', messages);
  } else {
    emit({ type: 'step', name: 'draft', status: 'start' });
    let t = performance.now();
    const draft = await model.generate({ messages, temperature: options.temperature ?? 0 }, call);
    totals.add(draft.usage, draft.cost);
    steps.push({
      name: 'draft',
      ms: performance.now() - t,
      text: draft.text,
      usage: draft.usage,
      ...(draft.cost ? { cost: draft.cost } : {}),
    });
    emit({ type: 'step', name: 'draft', status: 'end' });

    emit({ type: 'step', name: 'judge', status: 'start' });
    t = performance.now();
    const judged = await judgeAnswer(model, question, sources, draft.text, options.callOptions);
    totals.add(judged.usage, judged.cost);
    steps.push({
      name: 'judge',
      ms: performance.now() - t,
      text: judged.text,
      usage: judged.usage,
      judgement: judged.object,
      ...(judged.cost ? { cost: judged.cost } : {}),
    });
    emit({ type: 'step', name: 'judge', status: 'end' });

    if (judged.object.verdict === 'supported' && judged.object.issues.length === 0) {
      text = draft.text;
      const filter = createQuoteStreamFilter();
      const shown = filter.push(text) + filter.end();
      if (shown) emit({ type: 'text-delta', text: shown });
    } else {
      text = await streamStep('refine', refineMessages(question, sources, draft.text, judged.object));
    }
  }
  return settle(text, sources, finish);
}

function settle(
  text: string,
  sources: NumberedSource[],
  finish: (
    fields: Pick<AskResult, 'answer' | 'status' | 'citations' | 'rawText'> & Partial<AskResult>,
  ) => AskResult,
): AskResult {
  const parsed = parseCitedAnswer(text);
  if (!parsed.answer || isRefusal(parsed.answer))
    return finish({ answer: NOT_FOUND_ANSWER, status: 'not_found', citations: [], rawText: text });
  const check = checkCitations(parsed, sources);
  if (!check.supported) {
    const why =
      check.citations.length === 0
        ? 'The answer cites no source'
        : "None of the answer's citations could be verified against its sources";
    return finish({
      answer: NOT_FOUND_ANSWER,
      status: 'not_found',
      citations: check.citations,
      rawText: text,
      unsupportedAnswer: parsed.answer,
      warnings: [`${why}, so it is reported as not found in the documents.`, ...check.warnings],
    });
  }
  return finish({
    answer: parsed.answer,
    status: 'answered',
    citations: check.citations,
    rawText: text,
    warnings: check.warnings,
  });
}
