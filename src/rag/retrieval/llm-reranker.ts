/**
 * A listwise reranker on any LanguageModel (the RankGPT approach): the model sees the query and the
 * numbered passages at once and returns their order. One call per query, and it works with every
 * chat model, including the local engine and the gateway's router.
 *
 * @example
 * const reranker = createLlmReranker({ model });
 * const hits = await retrieve({ store, collection: 'docs', query, reranker });
 */
import { z } from 'zod';
import { generateObject } from '../../core/generate/generate-object.js';
import type { LanguageModel } from '../../core/language-model.js';
import { encodingTokenizer } from '../../core/tokens/encodings.js';
import type { Reranker } from './reranker.js';

export interface LlmRerankerOptions {
  model: LanguageModel;
  /** Each passage is cut to this many tokens in the prompt; default 256. */
  passageTokens?: number;
}

const RANKING = z.object({
  ranking: z.array(z.number().int()).describe('passage numbers, most relevant first'),
});

const SYSTEM = `You rank passages by how well they answer a search query.
Return JSON {"ranking": [...]} listing passage numbers from most to least relevant.
List every passage that is at least partly relevant; leave out passages that are irrelevant.`;

export function createLlmReranker(options: LlmRerankerOptions): Reranker {
  const passageTokens = options.passageTokens ?? 256;
  const tokenizer = encodingTokenizer('o200k_base');
  const cut = (text: string) => {
    const ids = tokenizer.encode(text);
    return ids.length <= passageTokens ? text : `${tokenizer.decode(ids.slice(0, passageTokens))} …`;
  };
  return {
    id: `llm:${options.model.id}`,
    async rerank(query, passages, callOptions) {
      if (passages.length === 0) return [];
      const listing = passages.map((p, i) => `[${i + 1}] ${cut(p).replace(/\s+/g, ' ')}`).join('\n\n');
      const { object } = await generateObject({
        model: options.model,
        schema: RANKING,
        schemaName: 'ranking',
        system: SYSTEM,
        prompt: `Query: ${query}\n\nPassages:\n${listing}`,
        temperature: 0,
        ...(callOptions ? { callOptions } : {}),
      });
      const order: number[] = [];
      for (const n of object.ranking) {
        const index = n - 1;
        if (index >= 0 && index < passages.length && !order.includes(index)) order.push(index);
      }
      // Position → score in (0, 1]: the first listed passage scores 1.
      return order.map((index, position) => ({ index, score: 1 - position / passages.length }));
    },
  };
}
