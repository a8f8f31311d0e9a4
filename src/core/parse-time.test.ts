import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDurationMs, parseTimeBound } from './parse-time.js';

const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('parseDurationMs', () => {
  test('reads each unit', () => {
    assert.equal(parseDurationMs('250ms'), 250);
    assert.equal(parseDurationMs('30s'), 30_000);
    assert.equal(parseDurationMs('10m'), 600_000);
    assert.equal(parseDurationMs('1.5h'), 5_400_000);
    assert.equal(parseDurationMs('2d'), 172_800_000);
    assert.equal(parseDurationMs('1w'), 604_800_000);
  });

  test('refuses what is not a duration', () => {
    for (const text of ['', '10', 'm', '10 minutes', '-5m', '1y', '10M']) {
      assert.equal(parseDurationMs(text), undefined, text);
    }
  });
});

describe('parseTimeBound', () => {
  test('a duration counts back from now', () => {
    assert.equal(parseTimeBound('10m', NOW), NOW - 600_000);
    assert.equal(parseTimeBound('2d', NOW), NOW - 2 * 86_400_000);
  });

  test('ISO dates and date-times; date-only forms are UTC', () => {
    assert.equal(parseTimeBound('2026-12-01', NOW), Date.UTC(2026, 11, 1));
    assert.equal(parseTimeBound('2026-12-01T08:30:00Z', NOW), Date.UTC(2026, 11, 1, 8, 30));
    assert.equal(parseTimeBound('2026-12-01T08:30:00+02:00', NOW), Date.UTC(2026, 11, 1, 6, 30));
  });

  test('epoch milliseconds pass through', () => {
    assert.equal(parseTimeBound('1700000000000', NOW), 1_700_000_000_000);
  });

  test('anything else is refused rather than guessed', () => {
    for (const text of ['yesterday', '5', 'May 5', '2026-13-45', '2026-12-01garbage', '']) {
      assert.equal(parseTimeBound(text, NOW), undefined, text);
    }
  });
});

describe('parseTimeBound: out-of-range input', () => {
  test('numbers and durations beyond what a Date can hold are not times', () => {
    const now = Date.UTC(2026, 11, 3);
    assert.equal(parseTimeBound('99999999999999999999999', now), undefined);
    assert.equal(parseTimeBound('99999999999999999999d', now), undefined);
    assert.equal(parseTimeBound('100000w', now), undefined, 'before the epoch');
    assert.equal(parseTimeBound('8640000000000000', now), 8.64e15);
  });
});
