/**
 * `conduit/eval`: reference-exact text metrics (BLEU and chrF as sacreBLEU, ROUGE as rouge-score,
 * SQuAD v2.0), classification metrics, and significance statistics (paired bootstrap, McNemar).
 */
export * from './metrics/index.js';
export * from './stats/index.js';
