/** Contract every `DocumentStore` adapter must pass for search: BM25, cosine and metadata filters. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DocumentStore } from '../ports/document-store.js';
import type { MetadataFilter } from '../ports/metadata-filter.js';
import { assertClose, type PortFactory, rejectsWithCode, withPort } from './port-fixture.js';

const ENERGY = [
  {
    id: 'solar-guide',
    text: 'Solar panel efficiency: how the efficiency of a solar panel is measured, and why solar panel efficiency drops with heat.',
  },
  { id: 'roof', text: 'The roof of the barn carries one solar panel next to the chimney.' },
  { id: 'wind', text: 'Wind turbines convert the kinetic energy of moving air into electricity.' },
];

/** One chunk per document, all containing "common", with metadata chosen to probe each rule. */
const FILTERED: {
  id: string;
  doc: Record<string, unknown>;
  chunk?: Record<string, unknown>;
  vector: number[];
}[] = [
  {
    id: 'd1',
    doc: { lang: 'en', year: 2021, tags: ['ai', 'ml'], author: { name: 'Ada' }, draft: false },
    vector: [1, 0],
  },
  {
    id: 'd2',
    doc: { lang: 'de', year: 2019, tags: ['ml'], author: { name: 'Bob' }, draft: true },
    vector: [0.9, 0.1],
  },
  { id: 'd3', doc: { lang: 'en', year: '2020', tags: [], score: null }, vector: [0.8, 0.2] },
  { id: 'd4', doc: { lang: 'en' }, chunk: { lang: 'fr' }, vector: [0.7, 0.3] },
  { id: 'd5', doc: {}, vector: [0.6, 0.4] },
];

const FILTER_CASES: [string, MetadataFilter, string[]][] = [
  ['eq', { field: 'lang', op: 'eq', value: 'en' }, ['d1', 'd3']],
  ['chunk metadata overrides document metadata', { field: 'lang', op: 'eq', value: 'fr' }, ['d4']],
  ['ne matches missing fields', { field: 'lang', op: 'ne', value: 'en' }, ['d2', 'd4', 'd5']],
  ['in', { field: 'lang', op: 'in', value: ['de', 'fr'] }, ['d2', 'd4']],
  ['in with an empty list', { field: 'lang', op: 'in', value: [] }, []],
  ['gt compares numbers only', { field: 'year', op: 'gt', value: 2020 }, ['d1']],
  ['gte', { field: 'year', op: 'gte', value: 2019 }, ['d1', 'd2']],
  ['lte', { field: 'year', op: 'lte', value: 2019 }, ['d2']],
  ['lt compares strings with strings', { field: 'year', op: 'lt', value: '2021' }, ['d3']],
  ['eq on an array means contains', { field: 'tags', op: 'eq', value: 'ml' }, ['d1', 'd2']],
  [
    'ne on an array means does not contain',
    { field: 'tags', op: 'ne', value: 'ai' },
    ['d2', 'd3', 'd4', 'd5'],
  ],
  ['dotted paths reach nested keys', { field: 'author.name', op: 'eq', value: 'Ada' }, ['d1']],
  ['objects are never equal to a scalar', { field: 'author', op: 'eq', value: 'Ada' }, []],
  ['booleans', { field: 'draft', op: 'eq', value: false }, ['d1']],
  ['booleans are not numbers', { field: 'draft', op: 'eq', value: 0 }, []],
  ['null', { field: 'score', op: 'eq', value: null }, ['d3']],
  [
    'and',
    {
      and: [
        { field: 'lang', op: 'eq', value: 'en' },
        { field: 'tags', op: 'eq', value: 'ai' },
      ],
    },
    ['d1'],
  ],
  [
    'or',
    {
      or: [
        { field: 'lang', op: 'eq', value: 'de' },
        { field: 'year', op: 'gt', value: 2020 },
      ],
    },
    ['d1', 'd2'],
  ],
  ['empty and matches all', { and: [] }, ['d1', 'd2', 'd3', 'd4', 'd5']],
  ['empty or matches none', { or: [] }, []],
];

export function documentSearchContract(adapter: string, factory: PortFactory<DocumentStore>): void {
  const run = (body: (docs: DocumentStore) => Promise<void>) => () => withPort(factory, body);
  const energy = async (docs: DocumentStore) => {
    await docs.createCollection({ name: 'kb' });
    for (const d of ENERGY)
      await docs.upsertDocument('kb', { id: d.id, title: d.id, text: d.text }, [{ text: d.text }]);
  };

  describe(`DocumentStore search contract (${adapter})`, () => {
    test(
      'BM25 ranks the document that is more about the query first and skips unrelated ones',
      run(async (docs) => {
        await energy(docs);
        await docs.createCollection({ name: 'other' });
        await docs.upsertDocument('other', { id: 'x', text: 'solar' }, [{ text: 'solar panel efficiency' }]);
        const hits = await docs.searchText('kb', 'solar panel efficiency');
        assert.deepEqual(
          hits.map((h) => h.document.id),
          ['solar-guide', 'roof'],
        );
        assert.ok((hits[0]?.score ?? 0) > (hits[1]?.score ?? 0));
        assert.equal(hits[0]?.document.title, 'solar-guide');
        assert.equal(hits[0]?.chunk.text, ENERGY[0]?.text);
        assert.equal((await docs.searchText('kb', 'solar panel', { k: 1 })).length, 1);
      }),
    );

    test(
      'query text with FTS syntax is searched as words and never throws',
      run(async (docs) => {
        await energy(docs);
        const hostile = [
          '"unbalanced',
          'solar AND',
          'NEAR(solar',
          'solar*',
          '-solar',
          'title:solar',
          '^solar',
          '(solar OR)',
          "solar's",
          'a"b"c',
          'AND OR NOT',
          '*',
          '{}[];',
          '🙂 solar',
          'sólar',
        ];
        for (const query of hostile) {
          const hits = await docs.searchText('kb', query);
          assert.ok(Array.isArray(hits), query);
        }
        for (const query of ['"unbalanced solar', 'solar*', '-solar', 'title:solar', 'NEAR(solar', 'sólar']) {
          assert.equal((await docs.searchText('kb', query))[0]?.document.id, 'solar-guide', query);
        }
        assert.deepEqual(await docs.searchText('kb', ''), []);
        assert.deepEqual(await docs.searchText('kb', '  ?! '), []);
      }),
    );

    test(
      'vector search ranks by cosine similarity and skips chunks without embeddings',
      run(async (docs) => {
        await docs.createCollection({ name: 'kb' });
        await docs.upsertDocument('kb', { id: 'd', text: 't' }, [
          { id: 'east', text: 'east', embedding: [1, 0, 0] },
          { id: 'north', text: 'north', embedding: new Float32Array([0, 1, 0]) },
          { id: 'north-east', text: 'ne', embedding: [1, 1, 0] },
          { id: 'none', text: 'no vector' },
        ]);
        const hits = await docs.searchVector('kb', [2, 0.1, 0]);
        assert.deepEqual(
          hits.map((h) => h.chunk.id),
          ['east', 'north-east', 'north'],
        );
        assertClose(hits[0]?.score ?? 0, 2 / Math.sqrt(4.01), undefined, 1e-6);
        assertClose(hits[1]?.score ?? 0, 2.1 / (Math.sqrt(4.01) * Math.SQRT2), undefined, 1e-6);
        assert.equal('embedding' in (hits[0]?.chunk ?? {}), false);
        assert.equal((await docs.searchVector('kb', [0, 1, 0], { k: 1 }))[0]?.chunk.id, 'north');
      }),
    );

    describe('metadata filters give the same answer in text and vector search', () => {
      const filtered = async (docs: DocumentStore) => {
        await docs.createCollection({ name: 'kb' });
        for (const d of FILTERED) {
          await docs.upsertDocument('kb', { id: d.id, metadata: d.doc, text: 'common' }, [
            { text: `common words ${d.id}`, metadata: d.chunk ?? {}, embedding: d.vector },
          ]);
        }
      };
      for (const [name, filter, expected] of FILTER_CASES) {
        test(
          name,
          run(async (docs) => {
            await filtered(docs);
            const text = await docs.searchText('kb', 'common', { filter });
            const vector = await docs.searchVector('kb', [1, 0], { filter });
            assert.deepEqual(text.map((h) => h.document.id).sort(), expected, 'text search');
            assert.deepEqual(vector.map((h) => h.document.id).sort(), expected, 'vector search');
          }),
        );
      }

      test(
        'malformed filters are bad_request',
        run(async (docs) => {
          await filtered(docs);
          const bad = [
            { field: 'lang', op: 'like', value: 'e%' },
            { field: 'a"b', op: 'eq', value: 1 },
            { field: '', op: 'eq', value: 1 },
            { field: 'year', op: 'gt', value: true },
            { field: 'lang', op: 'in', value: 'en' },
          ] as unknown as MetadataFilter[];
          for (const filter of bad) {
            await rejectsWithCode(docs.searchText('kb', 'common', { filter }), 'bad_request');
            await rejectsWithCode(docs.searchVector('kb', [1, 0], { filter }), 'bad_request');
          }
        }),
      );
    });
  });
}
