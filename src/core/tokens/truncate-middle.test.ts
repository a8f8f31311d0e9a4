import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countTokens } from './count-tokens.js';
import { truncateMiddle } from './truncate-middle.js';

const lines = Array.from({ length: 400 }, (_, i) => `line ${i}: the quick brown fox`).join('\n');

describe('truncateMiddle', () => {
  test('keeps the start and end within the budget and says how much it cut', () => {
    const { text, removedTokens } = truncateMiddle(lines, 200, { model: 'gpt-4o' });
    assert.ok(countTokens(text, { model: 'gpt-4o' }).tokens <= 200);
    assert.ok(text.startsWith('line 0: the quick brown fox'));
    assert.ok(text.endsWith('line 399: the quick brown fox'));
    assert.match(text, /\n…\[truncated \d+ tokens\]…\n/);
    const total = countTokens(lines, { model: 'gpt-4o' }).tokens;
    assert.ok(removedTokens > total - 200 && removedTokens < total, `removed ${removedTokens} of ${total}`);
  });

  test('returns text that already fits unchanged', () => {
    assert.deepEqual(truncateMiddle('short text', 100), { text: 'short text', removedTokens: 0 });
  });

  test('stays within budget for estimated models and multi-byte text', () => {
    const text = '誕生日おめでとう 👋 '.repeat(300);
    const out = truncateMiddle(text, 120, { model: 'claude-haiku-4-5' });
    assert.ok(countTokens(out.text, { model: 'claude-haiku-4-5' }).tokens <= 120);
    assert.ok(!out.text.includes('\uFFFD'));
  });
});
