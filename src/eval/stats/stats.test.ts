// Reference values: PCG32 from the pcg-c reference demo (pcg32-demo / check-pcg32.out, seed 42,
// sequence 54); McNemar from statsmodels' own tests (statsmodels/stats/tests/test_nonparametric.py,
// test_mcnemar_exact and test_mcnemar_chisquare, with their tolerances); chi-square tails from
// CPython's math.erfc (df = 1) and statsmodels' test_symmetry_bowker (df = 10); percentiles from
// numpy's documented `linear` method.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binomialHalfCdf, chiSquareSurvival } from './distributions.js';
import { mcnemarFromOutcomes, mcnemarTest } from './mcnemar.js';
import { pairedBootstrap } from './paired-bootstrap.js';
import { createPcg32 } from './pcg32.js';
import { percentile } from './percentile.js';

const relClose = (actual: number, expected: number, rtol: number) =>
  assert.ok(Math.abs(actual - expected) <= rtol * Math.abs(expected), `expected ${expected}, got ${actual}`);

describe('PCG32', () => {
  it('reproduces the reference demo: outputs, coin flips and dice rolls', () => {
    const rng = createPcg32(42, 54);
    const hex = Array.from({ length: 6 }, () => rng.nextUint32().toString(16).padStart(8, '0'));
    assert.deepEqual(hex, ['a15c02b7', '7b47f409', 'ba1d3330', '83d2f293', 'bfa4784b', 'cbed606e']);
    const coins = Array.from({ length: 65 }, () => (rng.nextBelow(2) ? 'H' : 'T')).join('');
    assert.equal(coins, 'HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT');
    const rolls = Array.from({ length: 33 }, () => rng.nextBelow(6) + 1).join(' ');
    assert.equal(rolls, '3 4 1 1 2 2 3 2 4 3 2 4 3 3 5 2 3 1 3 1 5 1 4 1 5 6 4 6 6 2 6 3 3');
  });

  it('accepts bigint seeds over 2^53', () => {
    const a = createPcg32(0xffffffffffffffffn).nextUint32();
    const b = createPcg32(0xfffffffffffffffen).nextUint32();
    assert.notEqual(a, b);
  });
});

describe('McNemar (statsmodels test_nonparametric.py)', () => {
  // statsmodels tables are [[a, b], [c, d]]; only b and c matter.
  it('test_mcnemar_exact, to 6 decimals', () => {
    const cases: Array<[number, number, number, number]> = [
      [121, 59, 59, 0.000004],
      [70, 59, 59, 0.378688],
      [80, 59, 59, 0.089452],
      [30, 60, 30, 0.00206],
      [10, 30, 10, 0.002221],
      [10, 10, 10, 1.0],
    ];
    for (const [b, c, statistic, p] of cases) {
      const result = mcnemarTest(b, c, { method: 'exact' });
      assert.equal(result.statistic, statistic);
      assert.ok(Math.abs(result.pValue - p) < 1.5e-6, `p ${result.pValue} vs ${p}`);
    }
  });

  it('test_mcnemar_chisquare (continuity-corrected, as R mcnemar.test), rtol 1e-6', () => {
    const cases: Array<[number, number, number, number]> = [
      [121, 59, 20.67222, 5.450095e-6],
      [70, 59, 0.7751938, 0.3786151],
      [80, 59, 2.87769784, 0.08981434],
    ];
    for (const [b, c, statistic, p] of cases) {
      const result = mcnemarTest(b, c, { method: 'chi-square' });
      relClose(result.statistic, statistic, 1e-6);
      relClose(result.pValue, p, 1e-6);
    }
  });

  it('chooses exact below 25 discordant pairs and chi-square from 25 on', () => {
    assert.equal(mcnemarTest(2, 20).method, 'exact');
    assert.equal(mcnemarTest(5, 20).method, 'chi-square');
    assert.equal(mcnemarTest(0, 0).pValue, 1);
  });

  it('counts discordant outcomes', () => {
    const result = mcnemarFromOutcomes([true, true, false, false], [true, false, true, true]);
    assert.deepEqual([result.b, result.c], [1, 2]);
  });
});

describe('distributions', () => {
  it('chi-square survival matches erfc(sqrt(x/2)) for df = 1 and statsmodels for df = 10', () => {
    const erfc: Array<[number, number]> = [
      [0.5, 0.4795001221869535],
      [3.841458820694124, 0.05000000000000008],
      [20.67222, 5.450101150830154e-6],
      [50, 1.5374597944280351e-12],
    ];
    for (const [x, p] of erfc) relClose(chiSquareSurvival(x, 1), p, 1e-12);
    relClose(chiSquareSurvival(7, 2), Math.exp(-3.5), 1e-13);
    relClose(chiSquareSurvival(7.001587, 10), 0.7252951, 1e-7);
  });

  it('binomial(n, 1/2) tail: exact sums, and the log-space path beyond n = 1000', () => {
    assert.equal(binomialHalfCdf(1, 10), 11 / 1024);
    assert.equal(binomialHalfCdf(2, 12), 79 / 4096);
    assert.equal(binomialHalfCdf(10, 10), 1);
    relClose(binomialHalfCdf(1000, 2001), 0.5, 1e-12);
  });
});

describe('percentile (numpy linear method)', () => {
  it('interpolates between order statistics', () => {
    assert.equal(percentile([10, 7, 4, 3, 2, 1], 50), 3.5);
    assert.equal(percentile([1, 2, 3, 4], 25), 1.75);
    assert.equal(percentile([5], 97.5), 5);
  });
});

describe('pairedBootstrap', () => {
  const a = Array.from({ length: 200 }, (_, i) => ((i * 37) % 11) / 10);
  it('is reproducible from its seed and varies with it', () => {
    assert.deepEqual(
      pairedBootstrap(
        a,
        a.map((x) => x + 0.05),
        { seed: 7 },
      ),
      pairedBootstrap(
        a,
        a.map((x) => x + 0.05),
        { seed: 7 },
      ),
    );
    const noisy = a.map((x, i) => x + (i % 3) - 1);
    assert.notDeepEqual(
      pairedBootstrap(a, noisy, { seed: 1 }).low,
      pairedBootstrap(a, noisy, { seed: 2 }).low,
    );
  });

  it('gives a zero-width interval for a constant difference and for identical systems', () => {
    const shifted = pairedBootstrap(
      a,
      a.map((x) => x + 0.25),
      { resamples: 200 },
    );
    assert.ok(Math.abs(shifted.low - 0.25) < 1e-12 && Math.abs(shifted.high - 0.25) < 1e-12);
    assert.equal(shifted.significant, true);
    const same = pairedBootstrap(a, a);
    assert.deepEqual([same.low, same.high, same.significant, same.winRate], [0, 0, false, 0.5]);
  });

  it('brackets the observed mean difference and widens with confidence', () => {
    const b = a.map((x, i) => x + (i % 7 === 0 ? 0.5 : -0.02));
    const r95 = pairedBootstrap(a, b, { resamples: 2000 });
    const r99 = pairedBootstrap(a, b, { resamples: 2000, confidence: 0.99 });
    assert.ok(r95.low < r95.meanDifference && r95.meanDifference < r95.high);
    assert.ok(r99.low <= r95.low && r99.high >= r95.high);
  });

  it('rejects unpaired input', () => {
    assert.throws(() => pairedBootstrap([1, 2], [1]), /differ in length/);
  });
});
