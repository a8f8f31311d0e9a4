import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCitedAnswer } from './cited-answer-format.js';
import { createQuoteStreamFilter } from './quote-stream-filter.js';

function stream(text: string, size: number): string {
  const filter = createQuoteStreamFilter();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += filter.push(text.slice(i, i + size));
  return out + filter.end();
}

const answer = 'Parents get 16 weeks of paid leave [1]. Eligibility starts after 6 months [1].';
const full = `${answer}\n\nQUOTES:\n[1] "16 weeks of fully paid parental leave"\n[1] "after 6 months of employment"`;

describe('quote stream filter', () => {
  test('streams the prose and withholds the quotes block, whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 5, 8, 64, 1000])
      assert.equal(stream(full, size), answer, `chunk size ${size}`);
  });

  test('recognises markdown-decorated headers and passes answers without one unchanged', () => {
    assert.equal(stream(`${answer}\n**Quotes:**\n[1] "x"`, 3), answer);
    assert.equal(stream(answer, 4), answer);
    assert.equal(stream('Quoted figures are in [1].', 2), 'Quoted figures are in [1].');
  });

  test('the parser splits prose and quotes by source number', () => {
    const parsed = parseCitedAnswer(full);
    assert.equal(parsed.answer, answer);
    assert.deepEqual(parsed.quotes.get(1), [
      '16 weeks of fully paid parental leave',
      'after 6 months of employment',
    ]);
  });
});
