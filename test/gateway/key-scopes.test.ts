/**
 * Issue 10, defect 5: RAG had no access control, and /v1/models showed more than a key may use.
 * A key limited to another model searched and deleted a collection made with the master key; here
 * such a key finds nothing, a key scoped to `team-a-*` works on team A's collections only, a
 * `:read` scope cannot write, and /v1/models lists a restricted key's models with no URL or path.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aliasYaml, type Harness, startHarness } from '../support/gateway-harness.js';

const MASTER = 'sk-master-key-scopes';
const GGUF_PATH = '/srv/private/models/secret-weights-q4.gguf';
let h: Harness;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in the assertions
type Json = Record<string, any>;

async function call(key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Json };
}

async function newKey(settings: { models?: string[]; collections?: string[] | null }): Promise<string> {
  return (await h.running.conduit().keys.create({ name: 'scoped', ...settings })).secret;
}

const upload = (name: string) => ({
  filename: `${name}.md`,
  text: `# ${name}\n\nThe launch window opens in May.`,
});

before(async () => {
  h = await startHarness({
    config: ([a]) =>
      [
        `master_key: ${MASTER}`,
        'models:',
        aliasYaml('model-a', [a!]),
        aliasYaml('model-b', [a!]),
        '  on-disk:',
        '    provider: local',
        `    model: ${GGUF_PATH}`,
      ].join('\n'),
  });
  for (const name of ['secret', 'team-a-docs', 'team-b-docs']) {
    assert.equal((await call(MASTER, 'POST', '/v1/collections', { name })).status, 201);
    const added = await call(MASTER, 'POST', `/v1/collections/${name}/documents`, upload(name));
    assert.equal(added.status, 200, added.text);
  }
});
after(() => h.close());

describe('collection scopes', () => {
  test('a key limited to a model cannot list, read, search, ask, upload to or delete a master collection', async () => {
    const key = await newKey({ models: ['model-b'] });
    const missing = await call(MASTER, 'GET', '/v1/collections/never-made');
    assert.equal(missing.status, 404);

    assert.deepEqual((await call(key, 'GET', '/v1/collections')).body, { collections: [] });
    const attempts = [
      ['GET', '/v1/collections/secret'],
      ['GET', '/v1/collections/secret/documents'],
      ['POST', '/v1/collections/secret/search', { query: 'launch window' }],
      ['POST', '/v1/collections/secret/ask', { question: 'When does the launch window open?' }],
      ['POST', '/v1/collections/secret/documents', upload('planted')],
      ['DELETE', '/v1/collections/secret/documents/secret.md'],
      ['DELETE', '/v1/collections/secret'],
    ] as const;
    for (const [method, path, body] of attempts) {
      const refused = await call(key, method, path, body);
      assert.equal(refused.status, 404, `${method} ${path}: ${refused.text}`);
      // Word for word what a collection that does not exist gets: nothing says this one does.
      assert.deepEqual(refused.body, JSON.parse(missing.text.replaceAll('never-made', 'secret')));
    }
    const create = await call(key, 'POST', '/v1/collections', { name: 'mine' });
    assert.equal(create.status, 403);
    assert.equal(create.body.error.code, 'permission');
    assert.equal(create.body.error.param, 'name');

    const intact = await call(MASTER, 'GET', '/v1/collections/secret');
    assert.equal(intact.status, 200);
    assert.equal(intact.body.document_count, 1, 'nothing was uploaded or deleted');
  });

  test('a key scoped to team-a-* uses team A collections and cannot see team B', async () => {
    const key = await newKey({ models: ['model-a'], collections: ['team-a-*'] });
    const listed = await call(key, 'GET', '/v1/collections');
    assert.deepEqual(
      listed.body.collections.map((c: Json) => c.name),
      ['team-a-docs'],
    );
    const found = await call(key, 'POST', '/v1/collections/team-a-docs/search', { query: 'launch window' });
    assert.equal(found.status, 200, found.text);
    assert.ok(found.body.results.length > 0);
    const asked = await call(key, 'POST', '/v1/collections/team-a-docs/ask', {
      question: 'When does the launch window open?',
      model: 'model-a',
    });
    assert.equal(asked.status, 200, asked.text);
    const added = await call(key, 'POST', '/v1/collections/team-a-docs/documents', upload('notes'));
    assert.equal(added.status, 200, added.text);

    assert.equal((await call(key, 'POST', '/v1/collections/team-b-docs/search', { query: 'x' })).status, 404);
    assert.equal((await call(key, 'DELETE', '/v1/collections/team-b-docs')).status, 404);
    assert.equal((await call(key, 'POST', '/v1/collections', { name: 'team-b-new' })).status, 403);

    assert.equal((await call(key, 'POST', '/v1/collections', { name: 'team-a-new' })).status, 201);
    assert.equal((await call(key, 'DELETE', '/v1/collections/team-a-new')).status, 200);
    assert.equal((await call(MASTER, 'GET', '/v1/collections/team-b-docs')).body.document_count, 1);
  });

  test('a :read scope searches and asks but cannot upload, delete or create', async () => {
    const key = await newKey({ models: ['model-a'], collections: ['team-a-*:read'] });
    assert.equal(
      (await call(key, 'POST', '/v1/collections/team-a-docs/search', { query: 'May' })).status,
      200,
    );
    const attempts = [
      ['POST', '/v1/collections/team-a-docs/documents', upload('x')],
      ['DELETE', '/v1/collections/team-a-docs/documents/team-a-docs.md'],
      ['DELETE', '/v1/collections/team-a-docs'],
      ['POST', '/v1/collections', { name: 'team-a-other' }],
    ] as const;
    for (const [method, path, body] of attempts) {
      const refused = await call(key, method, path, body);
      assert.equal(refused.status, 403, `${method} ${path}: ${refused.text}`);
      assert.equal(refused.body.error.code, 'permission');
    }
  });

  test('an unrestricted key keeps access to every collection; scopes change through the admin API', async () => {
    const open = await newKey({});
    assert.equal((await call(open, 'GET', '/v1/collections')).body.collections.length, 3);

    const created = await call(MASTER, 'POST', '/admin/keys', { name: 'later', models: ['model-a'] });
    assert.equal(created.status, 201);
    assert.equal(created.body.collections, null);
    assert.equal((await call(created.body.key, 'GET', '/v1/collections/secret')).status, 404);
    const patched = await call(MASTER, 'PATCH', `/admin/keys/${created.body.id}`, {
      collections: ['secret'],
    });
    assert.deepEqual(patched.body.collections, ['secret']);
    assert.equal((await call(created.body.key, 'GET', '/v1/collections/secret')).status, 200);

    const bad = await call(MASTER, 'PATCH', `/admin/keys/${created.body.id}`, { collections: ['a/b'] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.param, 'collections');
  });
});

describe('/v1/models', () => {
  test('a restricted key lists only its models; nothing anywhere shows a URL or a file path', async () => {
    const key = await newKey({ models: ['model-b'] });
    const listed = await call(key, 'GET', '/v1/models');
    assert.deepEqual(
      listed.body.data.map((m: Json) => m.id),
      ['model-b'],
    );
    const all = await call(MASTER, 'GET', '/v1/models');
    assert.deepEqual(
      all.body.data.map((m: Json) => m.id),
      ['model-a', 'model-b', 'on-disk'],
    );
    const one = await call(MASTER, 'GET', '/v1/models/on-disk');
    for (const { text } of [listed, all, one]) {
      assert.ok(!text.includes(h.upstreams[0]!.baseURL), text);
      assert.ok(!/https?:\/\//.test(text), text);
      assert.ok(!text.includes('secret-weights') && !text.includes('.gguf'), text);
    }
    assert.deepEqual(Object.keys(one.body).sort(), ['created', 'id', 'object', 'owned_by']);
  });

  test('GET /v1/models/{id} of a forbidden model is the same 404 as an unknown one', async () => {
    const key = await newKey({ models: ['model-b'] });
    assert.equal((await call(key, 'GET', '/v1/models/model-b')).status, 200);
    const forbidden = await call(key, 'GET', '/v1/models/model-a');
    const unknown = await call(key, 'GET', '/v1/models/nope');
    assert.equal(forbidden.status, 404);
    assert.equal(unknown.status, 404);
    assert.deepEqual(forbidden.body, JSON.parse(unknown.text.replaceAll('nope', 'model-a')));
    for (const { text } of [forbidden, unknown])
      assert.ok(!text.includes('on-disk'), `lists no model: ${text}`);
  });
});
