import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodingTokenizer } from '../../core/tokens/encodings.js';
import { markdownHeadings } from '../loaders/markdown-headings.js';
import { chunkDocument } from './chunk-document.js';

const tokenizer = encodingTokenizer('o200k_base');
const sentence = (i: number) => `Sentence number ${i} talks about topic ${i % 7} in some detail.`;
const paragraphs = (count: number, per: number) =>
  Array.from({ length: count }, (_, p) =>
    Array.from({ length: per }, (_, s) => sentence(p * per + s)).join(' '),
  ).join('\n\n');

describe('chunkDocument', () => {
  test('every chunk is an exact slice of the text, within the token budget', () => {
    const text = paragraphs(12, 6);
    const chunks = chunkDocument(
      { text, headings: [], pages: [] },
      { maxTokens: 80, overlapTokens: 16, tokenizer },
    );
    assert.ok(chunks.length > 5);
    for (const c of chunks) {
      assert.equal(c.text, text.slice(c.start, c.end));
      assert.ok(tokenizer.count(c.text) <= 80 + 4, `chunk of ${tokenizer.count(c.text)} tokens`);
      assert.doesNotMatch(c.text, /^\s|\s$/);
    }
  });

  test('consecutive chunks overlap by whole sentences, and nothing is lost', () => {
    const text = paragraphs(1, 40);
    const chunks = chunkDocument(
      { text, headings: [], pages: [] },
      { maxTokens: 60, overlapTokens: 20, tokenizer },
    );
    for (let i = 1; i < chunks.length; i++) {
      assert.ok(chunks[i]!.start < chunks[i - 1]!.end, `chunk ${i} does not overlap the previous one`);
      assert.match(chunks[i]!.text, /^Sentence number \d+/);
    }
    for (let i = 0; i < 40; i++)
      assert.ok(
        chunks.some((c) => c.text.includes(sentence(i))),
        `sentence ${i} is missing`,
      );
  });

  test('a chunk prefers to end at a paragraph break once it is half full', () => {
    const text = paragraphs(6, 3);
    const chunks = chunkDocument(
      { text, headings: [], pages: [] },
      { maxTokens: 90, overlapTokens: 0, tokenizer },
    );
    for (const c of chunks.slice(0, -1))
      assert.ok(text.slice(c.end, c.end + 2) === '\n\n', 'cut inside a paragraph');
  });

  test('markdown sections keep their heading path; a heading-only section joins the next', () => {
    const text =
      '# Guide\n\nIntro text.\n\n## Install\n\n### Linux\n\nRun the installer.\n\n## Use\n\nOpen the app.';
    const chunks = chunkDocument({ text, headings: markdownHeadings(text), pages: [] }, { tokenizer });
    assert.deepEqual(
      chunks.map((c) => [c.headingPath.join(' > '), c.text]),
      [
        ['Guide', '# Guide\n\nIntro text.'],
        ['Guide > Install > Linux', '## Install\n\n### Linux\n\nRun the installer.'],
        ['Guide > Use', '## Use\n\nOpen the app.'],
      ],
    );
  });

  test('chunks never cross a page and carry its number', () => {
    const text = 'Page one text.\n\nPage two text.';
    const chunks = chunkDocument(
      {
        text,
        headings: [],
        pages: [
          { page: 1, start: 0, end: 14 },
          { page: 2, start: 16, end: 30 },
        ],
      },
      { tokenizer },
    );
    assert.deepEqual(
      chunks.map((c) => [c.page, c.text]),
      [
        [1, 'Page one text.'],
        [2, 'Page two text.'],
      ],
    );
  });

  test('a sentence longer than the budget is cut into word windows; a giant token-less blob by characters', () => {
    const long = Array.from({ length: 300 }, (_, i) => `w${i}`).join(' ');
    const blob = 'x'.repeat(5000);
    const text = `${long}\n\n${blob}`;
    const chunks = chunkDocument(
      { text, headings: [], pages: [] },
      { maxTokens: 50, overlapTokens: 0, tokenizer },
    );
    for (const c of chunks)
      assert.ok(tokenizer.count(c.text) <= 56, `chunk of ${tokenizer.count(c.text)} tokens`);
    assert.equal(
      chunks
        .filter((c) => c.text.startsWith('x'))
        .map((c) => c.text)
        .join(''),
      blob,
    );
  });

  test('abbreviations and decimals do not end sentences', () => {
    const text = 'The speed is approx. 11.2 km/s, e.g. for Earth. Dr. Smith measured it. Next sentence here.';
    const chunks = chunkDocument(
      { text: `${text}\n\n${text}`, headings: [], pages: [] },
      { maxTokens: 30, overlapTokens: 0, tokenizer },
    );
    assert.ok(
      chunks.every(
        (c) => !c.text.startsWith('11.2') && !c.text.startsWith('for Earth') && !c.text.startsWith('Smith'),
      ),
    );
  });
});
