/**
 * bench:sse — SSE parse-and-translate throughput (events/s) of Conduit against the
 * `eventsource-parser` package, in the same process, on the same bytes.
 *
 * Input: a realistic OpenAI chat-completion stream (one token per event, UTF-8 text, a usage chunk,
 * [DONE]) cut into network-sized chunks at arbitrary byte offsets (mid-line, mid-UTF-8).
 * Measured:
 *   parse      — bytes → SSE events (ours vs eventsource-parser with a streaming TextDecoder)
 *   translate  — bytes → SSE events → JSON.parse → ChatEvents (ours vs eventsource-parser + the same
 *                translator, so the difference is the parser)
 * Both decode bytes with a streaming TextDecoder, as eventsource-parser's README shows.
 * Prints the median of several runs and the ratio ours / baseline (> 1 means we are faster).
 */
import { createParser } from 'eventsource-parser';
import type { ChatEvent } from '../src/core/chat-event.js';
import { createSseParser } from '../src/core/sse/parse-sse.js';
import { createOpenAIStreamTranslator } from '../src/providers/openai/openai-stream-translator.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function buildStream(): { chunks: Uint8Array[]; events: number; bytes: number } {
  const words = [
    'The',
    ' quick',
    ' brown',
    ' fox',
    ' jumps',
    ' över',
    ' the',
    ' lazy',
    ' dög',
    ' 🦊',
    ' 世界',
    '\n',
  ];
  const base =
    '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":';
  let text = '';
  for (let i = 0; i < EVENTS; i++) {
    text += `data: ${base}${JSON.stringify(words[i % words.length])}},"logprobs":null,"finish_reason":null}]}\n\n`;
  }
  text += `data: ${base}""},"logprobs":null,"finish_reason":"stop"}]}\n\n`;
  text +=
    'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":200000,"total_tokens":200010}}\n\n';
  text += 'data: [DONE]\n\n';
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Uint8Array[] = [];
  // Deterministic pseudo-random chunk sizes between 512 B and 16 KiB, as TCP reads arrive.
  let seed = 42;
  for (let offset = 0; offset < bytes.length; ) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const size = 512 + (seed % 16_000);
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return { chunks, events: EVENTS + 3, bytes: bytes.length };
}

function oursParse(chunks: Uint8Array[]): number {
  let n = 0;
  const parser = createSseParser(() => {
    n++;
  });
  for (const c of chunks) parser.feed(c);
  parser.end();
  return n;
}

function baselineParse(chunks: Uint8Array[]): number {
  let n = 0;
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: () => {
      n++;
    },
  });
  for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
  parser.feed(decoder.decode());
  return n;
}

function oursTranslate(chunks: Uint8Array[]): number {
  let n = 0;
  const emit = (_e: ChatEvent) => {
    n++;
  };
  const translator = createOpenAIStreamTranslator({ provider: 'openai', requestedModel: 'gpt-4o-mini' });
  const parser = createSseParser((e) => translator.push(e, emit));
  for (const c of chunks) parser.feed(c);
  parser.end();
  translator.end(emit);
  return n;
}

function baselineTranslate(chunks: Uint8Array[]): number {
  let n = 0;
  const emit = (_e: ChatEvent) => {
    n++;
  };
  const translator = createOpenAIStreamTranslator({ provider: 'openai', requestedModel: 'gpt-4o-mini' });
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent: (e) => translator.push({ data: e.data, event: e.event, id: e.id, retry: undefined }, emit),
  });
  for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
  parser.feed(decoder.decode());
  translator.end(emit);
  return n;
}

function measure(fn: (chunks: Uint8Array[]) => number, chunks: Uint8Array[], events: number): number {
  const rates: number[] = [];
  fn(chunks); // warm-up
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint();
    const n = fn(chunks);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (n < events - 3) throw new Error(`lost events: ${n} < ${events}`);
    rates.push(events / seconds);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

const { chunks, events, bytes } = buildStream();
console.log(
  `bench:sse — ${events.toLocaleString()} events, ${(bytes / 1e6).toFixed(1)} MB in ${chunks.length} chunks, median of ${RUNS} runs`,
);
const rows: [string, number, number][] = [];
for (const [name, ours, baseline] of [
  ['parse', oursParse, baselineParse],
  ['parse + translate', oursTranslate, baselineTranslate],
] as const) {
  rows.push([name, measure(ours, chunks, events), measure(baseline, chunks, events)]);
}
const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M/s`;
console.log(
  `${'stage'.padEnd(24)}${'conduit'.padStart(14)}${'eventsource-parser'.padStart(22)}${'ratio'.padStart(10)}`,
);
for (const [name, ours, base] of rows) {
  console.log(
    `${name.padEnd(24)}${fmt(ours).padStart(14)}${fmt(base).padStart(22)}${(ours / base).toFixed(2).padStart(9)}x`,
  );
}
