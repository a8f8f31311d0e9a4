/**
 * Keeps byte-fallback tokens (`<0xXX>`, as in every SentencePiece vocabulary) from spelling invalid
 * UTF-8. A model that samples raw bytes can emit a continuation byte with no lead byte, stop in the
 * middle of a character, or — even under a grammar, since llama.cpp's grammar engine decodes UTF-8
 * without checking for overlong forms, surrogates or code points past U+10FFFF — produce bytes that
 * decode to U+FFFD: gibberish in free text, and in structured output a string whose length no longer
 * matches what the grammar counted.
 *
 * Per step, from the bytes at the end of the sequence, the guard bans what cannot come next
 * (RFC 3629; Unicode table 3-7): between characters, continuation bytes and C0, C1, F5–FF; inside a
 * character, every other byte and end-of-generation (and, in small vocabularies, every non-byte
 * token), with the narrower second-byte ranges after E0, ED, F0 and F4. Large vocabularies keep
 * their normal tokens allowed inside a character: banning ~100k tokens per step costs more than the
 * rare broken character it would prevent in a trained model.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';

export interface Utf8Guard {
  /**
   * Tokens to ban before sampling the token that follows `recent` (the sequence's last few tokens),
   * with a key naming the state, so callers can cache per state.
   */
  banned(recent: readonly Token[]): { key: string; tokens: readonly Token[] };
}

const SMALL_VOCABULARY = 1024;

/** A guard for models whose vocabulary has all 256 byte tokens; undefined for the rest. */
export function findByteTokens(model: LlamaModel): Utf8Guard | undefined {
  const ggml = (
    model.fileInfo.metadata as {
      tokenizer?: { ggml?: { tokens?: readonly string[]; token_type?: readonly number[] } };
    }
  ).tokenizer?.ggml;
  const vocabulary = ggml?.tokens;
  if (!vocabulary) return undefined;
  const byteToToken = new Map<number, Token>();
  const tokenToByte = new Map<Token, number>();
  for (let id = 0; id < vocabulary.length; id++) {
    const match = /^<0x([0-9A-Fa-f]{2})>$/.exec(vocabulary[id]!);
    if (!match || (ggml?.token_type && ggml.token_type[id] !== 6)) continue;
    const byte = Number.parseInt(match[1]!, 16);
    byteToToken.set(byte, id as Token);
    tokenToByte.set(id as Token, byte);
  }
  if (byteToToken.size < 256) return undefined;

  const bytesExcept = (from: number, to: number): Token[] => {
    const out: Token[] = [];
    for (let b = 0; b < 256; b++) if (b < from || b > to) out.push(byteToToken.get(b)!);
    return out;
  };
  const between = bytesExcept(0x00, 0x7f).filter((t) => !isLead(tokenToByte.get(t)!));
  const ends = [model.tokens.eos, model.tokens.eot].filter((t): t is Token => t !== null);
  const nonBytes: Token[] = [];
  if (vocabulary.length <= SMALL_VOCABULARY)
    for (let id = 0; id < vocabulary.length; id++)
      if (!tokenToByte.has(id as Token)) nonBytes.push(id as Token);
  const inside = (from: number, to: number) => [...bytesExcept(from, to), ...ends, ...nonBytes];
  const states: Record<string, readonly Token[]> = {
    between,
    continuation: inside(0x80, 0xbf),
    afterE0: inside(0xa0, 0xbf),
    afterED: inside(0x80, 0x9f),
    afterF0: inside(0x90, 0xbf),
    afterF4: inside(0x80, 0x8f),
  };

  return {
    banned(recent) {
      // Count trailing continuation bytes, then look at the byte that started the character.
      let continuations = 0;
      let i = recent.length - 1;
      while (i >= 0 && continuations < 3) {
        const byte = tokenToByte.get(recent[i]!);
        if (byte === undefined || byte < 0x80 || byte > 0xbf) break;
        continuations++;
        i--;
      }
      const lead = i >= 0 ? tokenToByte.get(recent[i]!) : undefined;
      const length = lead === undefined ? 0 : sequenceLength(lead);
      if (length === 0 || continuations >= length - 1) return { key: 'between', tokens: states.between! };
      if (continuations === 0) {
        const key =
          lead === 0xe0
            ? 'afterE0'
            : lead === 0xed
              ? 'afterED'
              : lead === 0xf0
                ? 'afterF0'
                : lead === 0xf4
                  ? 'afterF4'
                  : 'continuation';
        return { key, tokens: states[key]! };
      }
      return { key: 'continuation', tokens: states.continuation! };
    },
  };
}

/** Bytes of the character a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function isLead(byte: number): boolean {
  return sequenceLength(byte) > 0;
}

/**
 * The last tokens of a sequence *including the one being decoded right now*. At sampling time the
 * library has not yet appended the previous sample to `contextTokens` (it does so after the decode
 * that produces the next logits), so the guard would lag one token behind. We therefore watch what
 * `sequence.evaluate` yields — the only path LlamaChat generates through — and add the newest sample
 * while the context has not caught up with it.
 */
export function recentTokensOf(sequence: LlamaContextSequence): () => readonly Token[] {
  let state = watched.get(sequence);
  if (!state) {
    const record: SampleRecord = { token: undefined, contextLength: -1 };
    const evaluate = sequence.evaluate.bind(sequence);
    sequence.evaluate = (tokens, options) => {
      record.token = undefined;
      const inner = evaluate(tokens, options);
      const outer: EvaluateGenerator = {
        async next(...args) {
          const result = await inner.next(...args);
          if (!result.done) {
            record.token = result.value;
            record.contextLength = sequence.contextTokens.length;
          }
          return result;
        },
        return: (value) => inner.return(value),
        throw: (error) => inner.throw(error),
        [Symbol.asyncIterator]() {
          return outer;
        },
      } as EvaluateGenerator;
      return outer;
    };
    state = record;
    watched.set(sequence, state);
  }
  const record = state;
  return () => {
    const context = sequence.contextTokens;
    const recent = context.slice(-4);
    if (record.token !== undefined && record.contextLength === context.length) recent.push(record.token);
    return recent;
  };
}

type EvaluateGenerator = ReturnType<LlamaContextSequence['evaluate']>;

interface SampleRecord {
  token: Token | undefined;
  contextLength: number;
}

const watched = new WeakMap<LlamaContextSequence, SampleRecord>();
