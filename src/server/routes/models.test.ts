// /v1/models in-process: a route context over a fake registry, no server. The end-to-end version
// (real config, real keys) is test/gateway/key-scopes.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import type { Principal } from '../../gateway/key-auth.js';
import type { ModelListing } from '../../runtime/model-registry.js';
import type { RouteContext } from '../route-context.js';
import { getModelRoute, listModelsRoute } from './models.js';

const LISTING: ModelListing[] = [
  { id: 'fast', kind: 'alias', deployments: ['openai-compatible:Qwen/Qwen2.5-7B-Instruct'] },
  { id: 'tiny', kind: 'alias', deployments: ['local:/home/me/models/tiny-q4.gguf'] },
];
/** What the registry resolves besides its listing: `openai/<model>` names. */
const resolves = (id: string) => LISTING.some((m) => m.id === id) || id.startsWith('openai/');

function keyWith(models: string[]): Principal {
  return {
    kind: 'virtual',
    key: {
      id: 'k1',
      name: 'k',
      hash: '0'.repeat(64),
      prefix: 'sk-cdt-abcd',
      models,
      collections: null,
      rpm: null,
      tpm: null,
      budgetUsd: null,
      budgetPeriod: 'total',
      metadata: {},
      createdAt: 0,
      updatedAt: 0,
      revokedAt: null,
      expiresAt: null,
    },
  };
}

async function call(
  route: (ctx: RouteContext) => Promise<void>,
  principal: Principal,
  id?: string,
): Promise<{ status: number; text: string }> {
  const reply = { status: 0, text: '' };
  const ctx = {
    res: {
      writeHead(status: number) {
        reply.status = status;
      },
      end(text: string) {
        reply.text = text;
      },
    },
    conduit: {
      models: {
        list: () => LISTING,
        entry: (name: string) => {
          if (!resolves(name))
            throw new ConduitError('not_found', `Unknown model. Available: ${LISTING.map((m) => m.id)}`);
          return {};
        },
      },
    },
    params: id === undefined ? {} : { id },
    principal: async () => principal,
  } as unknown as RouteContext;
  try {
    await route(ctx);
  } catch (error) {
    if (!ConduitError.isInstance(error)) throw error;
    return { status: error.status, text: JSON.stringify(error.toJSON()) };
  }
  return reply;
}

const ids = (text: string) => (JSON.parse(text).data as { id: string }[]).map((m) => m.id);

describe('GET /v1/models', () => {
  test('the master sees every model; each is id, object, created, owned_by and nothing else', async () => {
    const reply = await call(listModelsRoute, { kind: 'master' });
    assert.deepEqual(ids(reply.text), ['fast', 'tiny']);
    assert.ok(!reply.text.includes('.gguf') && !reply.text.includes('Qwen'), reply.text);
    for (const model of JSON.parse(reply.text).data) {
      assert.deepEqual(Object.keys(model).sort(), ['created', 'id', 'object', 'owned_by']);
    }
  });

  test('a key with a model list sees its models, including direct names the gateway serves', async () => {
    const reply = await call(listModelsRoute, keyWith(['tiny', 'openai/gpt-4o-mini', 'gone']));
    assert.deepEqual(ids(reply.text), ['tiny', 'openai/gpt-4o-mini']);
  });
});

describe('GET /v1/models/{id}', () => {
  test('a forbidden model and an unknown one get the same 404, which lists nothing', async () => {
    const key = keyWith(['fast', 'gone']);
    assert.equal((await call(getModelRoute, key, 'fast')).status, 200);
    const forbidden = await call(getModelRoute, key, 'tiny');
    const unknown = await call(getModelRoute, key, 'gone');
    assert.equal(forbidden.status, 404);
    assert.equal(unknown.status, 404);
    assert.equal(forbidden.text.replaceAll('tiny', 'X'), unknown.text.replaceAll('gone', 'X'));
    assert.ok(!forbidden.text.includes('fast'), forbidden.text);
  });

  test('an unrestricted caller gets direct names it may call, and a 404 for unknown ones', async () => {
    const reply = await call(getModelRoute, { kind: 'anonymous' }, 'openai/gpt-4o');
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.text).id, 'openai/gpt-4o');
    assert.equal((await call(getModelRoute, { kind: 'master' }, 'nope')).status, 404);
  });
});
