/**
 * SQuAD exact match and F1 with the official v2.0 evaluation script's normalization
 * (`evaluate-v2.0.py`): lowercase, drop ASCII punctuation, drop the articles a/an/the, collapse
 * whitespace; the max over gold answers; an unanswerable question (no gold answer that survives
 * normalization) is answered correctly only by an empty prediction.
 */
import { pySplit } from '../python-string.js';

// Python's string.punctuation: ASCII only, so curly quotes and the like survive normalization.
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// `\b(a|an|the)\b` under Python's Unicode rules: a word character is any letter, digit or `_`.
// JavaScript's `\b` is ASCII-only, so "éthe" would lose its "the"; lookarounds keep Python's reading.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * The official script's `normalize_answer`.
 *
 * @example
 * normalizeAnswer('The  Eiffel Tower!')   // 'eiffel tower'
 */
export function normalizeAnswer(text: string): string {
  let noPunct = '';
  for (const char of text.toLowerCase()) if (!PUNCTUATION.has(char)) noPunct += char;
  return pySplit(noPunct.replace(ARTICLES, ' ')).join(' ');
}

function tokens(text: string): string[] {
  return text ? pySplit(normalizeAnswer(text)) : [];
}

/** `compute_exact`: 1 when the normalized strings are equal. */
export function squadExact(gold: string, prediction: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(prediction) ? 1 : 0;
}

/** `compute_f1`: token-bag F1; when either side is empty, 1 if both are, else 0. */
export function squadF1(gold: string, prediction: string): number {
  const goldTokens = tokens(gold);
  const predictionTokens = tokens(prediction);
  if (goldTokens.length === 0 || predictionTokens.length === 0) {
    return goldTokens.length === predictionTokens.length ? 1 : 0;
  }
  const goldCounts = new Map<string, number>();
  for (const t of goldTokens) goldCounts.set(t, (goldCounts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of predictionTokens) {
    const left = goldCounts.get(t) ?? 0;
    if (left > 0) {
      same++;
      goldCounts.set(t, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predictionTokens.length;
  const recall = same / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

export interface SquadScore {
  /** 0 or 1. */
  exact: number;
  /** 0–1. */
  f1: number;
  /** Whether any gold answer was given (the script's `qid_to_has_ans`); false means unanswerable. */
  hasAnswer: boolean;
}

/**
 * One prediction against its gold answers, as `get_raw_scores` does it: gold answers that normalize
 * to nothing are dropped and, if none is left, the only correct answer is the empty string.
 *
 * @example
 * squadScore('1976', ['1976', 'in 1976'])   // { exact: 1, f1: 1, hasAnswer: true }
 * squadScore('', [])                        // { exact: 1, f1: 1, hasAnswer: false }
 */
export function squadScore(prediction: string, goldAnswers: readonly string[]): SquadScore {
  const usable = goldAnswers.filter((answer) => normalizeAnswer(answer) !== '');
  const golds = usable.length > 0 ? usable : [''];
  return {
    exact: Math.max(...golds.map((gold) => squadExact(gold, prediction))),
    f1: Math.max(...golds.map((gold) => squadF1(gold, prediction))),
    hasAnswer: goldAnswers.length > 0,
  };
}

export interface SquadSummary {
  /** 0–100, as the official script reports. */
  exact: number;
  f1: number;
  total: number;
  HasAns_exact?: number;
  HasAns_f1?: number;
  HasAns_total?: number;
  NoAns_exact?: number;
  NoAns_f1?: number;
  NoAns_total?: number;
}

/**
 * The official script's summary (`make_eval_dict` plus the HasAns/NoAns splits) over scored
 * questions, in order. `hasAnswer` here is the script's `qid_to_has_ans`: whether the question
 * lists any answer at all.
 */
export function summarizeSquad(scores: ReadonlyArray<{ exact: number; f1: number; hasAnswer: boolean }>) {
  const block = (items: typeof scores) => {
    let exact = 0;
    let f1 = 0;
    for (const item of items) {
      exact += item.exact;
      f1 += item.f1;
    }
    return { exact: (100 * exact) / items.length, f1: (100 * f1) / items.length, total: items.length };
  };
  const summary: SquadSummary = block(scores);
  const hasAns = scores.filter((s) => s.hasAnswer);
  const noAns = scores.filter((s) => !s.hasAnswer);
  if (hasAns.length > 0) {
    const b = block(hasAns);
    Object.assign(summary, { HasAns_exact: b.exact, HasAns_f1: b.f1, HasAns_total: b.total });
  }
  if (noAns.length > 0) {
    const b = block(noAns);
    Object.assign(summary, { NoAns_exact: b.exact, NoAns_f1: b.f1, NoAns_total: b.total });
  }
  return summary;
}
