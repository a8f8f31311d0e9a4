/**
 * Each loader on the committed fixtures (real files: a markdown handbook, an HTML article with
 * boilerplate, a four-page PDF, plain text, JSONL), plus the failures a user must see per file:
 * encrypted and image-only PDFs, bad JSONL lines, unsupported types.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadSource } from '../../src/rag/loaders/load-source.js';
import { fixture } from './support/fixtures.js';
import { writePdf } from './support/pdf-writer.js';

const load = (name: string, options = {}) => loadSource({ kind: 'file', path: fixture(name) }, options);

describe('loaders', () => {
  test('markdown: headings with offsets, front matter as metadata, a "#" inside a code fence is no heading', async () => {
    const { documents } = await load('handbook.md');
    const doc = documents[0]!;
    assert.equal(doc.id, fixture('handbook.md'));
    assert.equal(doc.title, 'Acme Employee Handbook');
    assert.equal(doc.metadata.department, 'hr');
    assert.equal(doc.metadata.year, 2024);
    assert.ok(!doc.text.includes('department: hr'), 'front matter is not part of the text');
    assert.deepEqual(
      doc.headings.map((h) => `${h.level} ${h.title}`),
      [
        '1 Acme Employee Handbook',
        '2 Time off',
        '3 Vacation',
        '3 Parental leave',
        '3 Sick leave',
        '2 Pay',
        '3 Expenses',
        '2 Equipment',
      ],
    );
    for (const h of doc.headings)
      assert.ok(doc.text.startsWith(`${'#'.repeat(h.level)} ${h.title}`, h.start));
  });

  test('HTML: Readability keeps the article and its headings, and drops navigation, cookie banner, sidebar and footer', async () => {
    const { documents } = await load('solar-panels.html');
    const doc = documents[0]!;
    assert.equal(doc.title, 'How to keep solar panels efficient');
    assert.equal(doc.metadata.lang, 'en');
    assert.match(
      doc.text,
      /Dust, pollen and bird droppings can reduce the output of a panel by 5 to 15 percent/,
    );
    assert.match(doc.text, /- Abrasive sponges, which scratch the anti-reflective coating\./);
    assert.match(doc.text, /Inverter \| 10 to 15 years/);
    for (const boilerplate of [
      'cookie',
      'Subscribe',
      'Related articles',
      'All rights reserved',
      'Renovation',
    ])
      assert.ok(!doc.text.includes(boilerplate), `"${boilerplate}" leaked into the text`);
    assert.deepEqual(
      doc.headings.map((h) => [h.level, h.title, doc.text.slice(h.start, h.start + h.title.length)]),
      [
        [2, 'Cleaning', 'Cleaning'],
        [3, 'What not to use', 'What not to use'],
        [2, 'Monitoring', 'Monitoring'],
        [2, 'Lifetime', 'Lifetime'],
      ],
    );
  });

  test('PDF: text per page with page numbers and exact page spans', async () => {
    const { documents } = await load('orbital-mechanics.pdf');
    const doc = documents[0]!;
    assert.equal(doc.title, 'Orbital Mechanics Primer');
    assert.equal(doc.metadata.page_count, 4);
    assert.deepEqual(
      doc.pages.map((p) => p.page),
      [1, 2, 3, 4],
    );
    const pageOf = (phrase: string) =>
      doc.pages.find((p) => doc.text.slice(p.start, p.end).includes(phrase))?.page;
    assert.equal(pageOf('Hohmann transfer moves a spacecraft'), 2);
    assert.equal(pageOf('about 11.2 kilometres per second'), 3);
    assert.equal(pageOf('second Lagrange'), 4);
    // A blank line in the PDF (a wider vertical gap) becomes a paragraph break.
    assert.match(doc.text, /one focus\.\n\nThe time a satellite/);
  });

  test('PDF: an encrypted file and a file without a text layer fail with reasons a user can act on', async () => {
    const encrypted = writePdf({
      title: 'Payroll',
      pages: [{ lines: ['Salaries'] }],
      userPassword: 'secret',
    });
    await assert.rejects(loadSource({ kind: 'data', name: 'payroll.pdf', data: encrypted }), /encrypted PDF/);
    const scanned = writePdf({ pages: [{}, {}, {}] });
    await assert.rejects(
      loadSource({ kind: 'data', name: 'scan.pdf', data: scanned }),
      /no extractable text in 3 page\(s\): image-only or scanned PDF/,
    );
  });

  test('plain text keeps the text as-is, titled after the file', async () => {
    const { documents } = await load('release-notes.txt');
    assert.equal(documents[0]!.title, 'release-notes');
    assert.match(documents[0]!.text, /^Release notes for version 4\.2\n\nThe export dialog/);
  });

  test('JSONL: --id-field/--text-field/--title-field pick the fields, the rest is metadata', async () => {
    const { documents, failures } = await load('faq.jsonl', {
      idField: 'faq_id',
      textField: 'answer',
      titleField: 'question',
    });
    assert.deepEqual(failures, []);
    assert.deepEqual(
      documents.map((d) => d.id),
      ['billing-1', 'billing-2', 'account-1', 'account-2'],
    );
    const refund = documents[1]!;
    assert.equal(refund.title, 'Can I get a refund?');
    assert.match(refund.text, /^Refunds are available within 14 days/);
    assert.equal(refund.metadata.category, 'billing');
    assert.equal(refund.metadata.year, 2024);
    assert.equal(refund.metadata.answer, undefined);
  });

  test('JSONL: a bad line fails alone, with its line number', async () => {
    const data = [
      '{"id": "a", "text": "alpha"}',
      '{not json',
      '{"id": "b"}',
      '{"id": "a", "text": "again"}',
      '[1]',
    ].join('\n');
    const { documents, failures } = await loadSource({ kind: 'data', name: 'mixed.jsonl', data });
    assert.deepEqual(
      documents.map((d) => d.id),
      ['a'],
    );
    assert.deepEqual(
      failures.map((f) => f.source),
      ['mixed.jsonl:2', 'mixed.jsonl:3', 'mixed.jsonl:4', 'mixed.jsonl:5'],
    );
    assert.match(failures[0]!.reason, /invalid JSON/);
    assert.match(failures[1]!.reason, /no string field "text" or "content" or "body"/);
    assert.match(failures[2]!.reason, /duplicate id "a"/);
  });

  test('an unsupported file type is refused with the list of supported ones', async () => {
    await assert.rejects(
      loadSource({ kind: 'data', name: 'slides.pptx', data: 'x' }),
      /unsupported file type; Conduit loads \.txt/,
    );
  });
});
