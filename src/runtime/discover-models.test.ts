import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { discoverModels } from './discover-models.js';

describe('discoverModels', () => {
  test('a llama.cpp server named by its file path is listed by the file name, never the path', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          req.url === '/v1/models' ? { data: [{ id: '/srv/private/models/qwen2.5-0.5b.gguf' }] } : {},
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const found = await discoverModels({
        LLAMACPP_BASE_URL: `http://127.0.0.1:${port}`,
        OLLAMA_HOST: 'http://127.0.0.1:9',
      });
      assert.deepEqual(
        found.models.filter((m) => m.provider === 'llamacpp'),
        [{ name: 'llamacpp/qwen2.5-0.5b.gguf', provider: 'llamacpp', model: 'qwen2.5-0.5b.gguf' }],
      );
      assert.ok(!JSON.stringify(found.models).includes('/srv/private'));
    } finally {
      server.close();
    }
  });
});
