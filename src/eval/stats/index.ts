/**
 * Significance statistics for comparing two runs on the same cases: a paired bootstrap confidence
 * interval for score differences and McNemar's test for pass/fail, on a seeded PCG32 generator.
 */
export { binomialHalfCdf, chiSquareSurvival, gammaQ, logGamma } from './distributions.js';
export { type McNemarOptions, type McNemarResult, mcnemarFromOutcomes, mcnemarTest } from './mcnemar.js';
export {
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
  pairedBootstrap,
} from './paired-bootstrap.js';
export { createPcg32, type Random } from './pcg32.js';
export { percentile, percentileOfSorted } from './percentile.js';
