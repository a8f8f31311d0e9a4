/**
 * The official SQuAD v2.0 evaluation over a dataset file and a predictions map — the JSON the
 * `evaluate-v2.0.py` script prints, including the no-answer-probability threshold and the best
 * thresholds when probabilities are given. (The precision-recall plots are left out.)
 */
import { type SquadSummary, squadScore, summarizeSquad } from './squad.js';

export interface SquadDataset {
  data: Array<{
    paragraphs: Array<{ qas: Array<{ id: string; answers: Array<{ text: string }> }> }>;
  }>;
}

export interface SquadV2Options {
  /** Question id → the model's probability that there is no answer (`--na-prob-file`). */
  naProbs?: Record<string, number>;
  /** Predict "" when the no-answer probability exceeds this; default 1.0 (`--na-prob-thresh`). */
  naProbThresh?: number;
}

export interface SquadV2Result extends SquadSummary {
  best_exact?: number;
  best_exact_thresh?: number;
  best_f1?: number;
  best_f1_thresh?: number;
}

/** `find_best_thresh`: the threshold on no-answer probability that maximizes the score. */
function bestThreshold(
  predictions: Record<string, string>,
  scores: Map<string, number>,
  naProbs: Record<string, number>,
  hasAnswer: Map<string, boolean>,
): [number, number] {
  let current = [...hasAnswer.values()].filter((has) => !has).length;
  let best = current;
  let bestThresh = 0;
  // Python's sort is stable, and so is Array.prototype.sort: ties keep the file's order.
  const ids = Object.keys(naProbs).sort((a, b) => naProbs[a]! - naProbs[b]!);
  for (const id of ids) {
    if (!scores.has(id)) continue;
    const diff = hasAnswer.get(id) ? scores.get(id)! : predictions[id] ? -1 : 0;
    current += diff;
    if (current > best) {
      best = current;
      bestThresh = naProbs[id]!;
    }
  }
  return [(100 * best) / scores.size, bestThresh];
}

/**
 * Evaluates predictions against a SQuAD v2.0 dataset (`dev-v2.0.json`).
 *
 * @example
 * const result = evaluateSquadV2(dataset, { '56ddde6b9a695914005b9628': 'France' });
 * result.exact; result.f1; result.HasAns_exact; result.NoAns_f1;
 */
export function evaluateSquadV2(
  dataset: SquadDataset,
  predictions: Record<string, string>,
  options: SquadV2Options = {},
): SquadV2Result {
  const naProbs = options.naProbs ?? Object.fromEntries(Object.keys(predictions).map((id) => [id, 0]));
  const thresh = options.naProbThresh ?? 1;
  const hasAnswer = new Map<string, boolean>();
  const exactRaw = new Map<string, number>();
  const f1Raw = new Map<string, number>();
  const missing: string[] = [];
  for (const article of dataset.data) {
    for (const paragraph of article.paragraphs) {
      for (const qa of paragraph.qas) {
        hasAnswer.set(qa.id, qa.answers.length > 0);
        const prediction = predictions[qa.id];
        if (prediction === undefined) {
          missing.push(qa.id);
          continue;
        }
        const score = squadScore(
          prediction,
          qa.answers.map((a) => a.text),
        );
        exactRaw.set(qa.id, score.exact);
        f1Raw.set(qa.id, score.f1);
      }
    }
  }
  // The official script prints "Missing prediction" and then fails on a KeyError; say it plainly.
  if (missing.length > 0) {
    throw new Error(
      `no prediction for ${missing.length} question(s), e.g. ${missing.slice(0, 3).join(', ')}`,
    );
  }
  const scored = [...exactRaw.keys()].map((id) => {
    const predictedNoAnswer = (naProbs[id] ?? 0) > thresh;
    const noAnswerScore = hasAnswer.get(id) ? 0 : 1;
    return {
      exact: predictedNoAnswer ? noAnswerScore : exactRaw.get(id)!,
      f1: predictedNoAnswer ? noAnswerScore : f1Raw.get(id)!,
      hasAnswer: hasAnswer.get(id)!,
    };
  });
  const result: SquadV2Result = summarizeSquad(scored);
  if (options.naProbs) {
    const [bestExact, exactThresh] = bestThreshold(predictions, exactRaw, naProbs, hasAnswer);
    const [bestF1, f1Thresh] = bestThreshold(predictions, f1Raw, naProbs, hasAnswer);
    Object.assign(result, {
      best_exact: bestExact,
      best_exact_thresh: exactThresh,
      best_f1: bestF1,
      best_f1_thresh: f1Thresh,
    });
  }
  return result;
}
