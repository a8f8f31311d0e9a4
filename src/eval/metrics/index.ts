/**
 * Reference-exact text and classification metrics: BLEU and chrF as sacreBLEU computes them, ROUGE
 * as Google's rouge-score does, SQuAD v2.0 exact match and F1, and scikit-learn's classification
 * metrics. Each module says which reference it reproduces and which version.
 */
export {
  BLEU_SMOOTH_DEFAULTS,
  type BleuOptions,
  type BleuScore,
  type BleuSmoothMethod,
  computeBleu,
  corpusBleu,
  sentenceBleu,
} from './bleu/bleu.js';
export { BLEU_TOKENIZERS, type BleuTokenizerName, isBleuTokenizerName } from './bleu/tokenizers.js';
export { type ChrfOptions, type ChrfScore, corpusChrf, sentenceChrf } from './chrf/chrf.js';
export {
  accuracy,
  type ClassificationReport,
  type ClassScores,
  classificationReport,
  confusionMatrix,
  type Label,
  uniqueLabels,
} from './classification/classification.js';
export { bleuSignature, chrfSignature, formatBleuScore, formatChrfScore } from './format-score.js';
export { porterStem } from './rouge/porter-stemmer.js';
export {
  assertRougeType,
  DEFAULT_ROUGE_TYPES,
  type RougeOptions,
  type RougeScore,
  type RougeType,
  rougeScore,
  rougeScoreMulti,
} from './rouge/rouge.js';
export { tokenizeRouge } from './rouge/tokenize-rouge.js';
export {
  evaluateSquadV2,
  type SquadDataset,
  type SquadV2Options,
  type SquadV2Result,
} from './squad/evaluate-squad-v2.js';
export {
  normalizeAnswer,
  type SquadScore,
  type SquadSummary,
  squadExact,
  squadF1,
  squadScore,
  summarizeSquad,
} from './squad/squad.js';
