/**
 * `pullModel` against a local HTTP server that behaves like the Hugging Face Hub: `resolve` URLs
 * redirect to a CDN path and publish the file's SHA-256 in X-Linked-Etag; the CDN honours Range and
 * If-Range. The server can cut a download short, lie about the checksum, or serve HTML.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { listStoredModels } from '../model-store.js';
import { testDir, testModelPath } from '../test-support/test-model.js';
import { type PullProgress, pullModel } from './pull-model.js';

let server: Server;
let endpoint: string;
let model: Buffer;
let sha: string;
let requests: { url: string; range?: string; ifRange?: string }[] = [];
/** Per-test behaviour of the CDN. */
let behaviour: { cutAfter?: number; sha?: string; body?: Buffer } = {};

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests.push({
    url: req.url ?? '',
    range: req.headers.range,
    ifRange: req.headers['if-range'] as string | undefined,
  });
  const hub = /^\/acme\/tiny-GGUF\/resolve\/main\/(.+)$/.exec(req.url ?? '');
  if (hub) {
    if (hub[1] !== 'tiny.gguf' && hub[1] !== 'page.gguf') {
      res.writeHead(404).end('Entry not found');
      return;
    }
    const body = behaviour.body ?? model;
    res.writeHead(302, {
      location: `/cdn/${hub[1]}`,
      'x-linked-etag': `"${behaviour.sha ?? sha}"`,
      'x-linked-size': String(body.length),
    });
    res.end();
    return;
  }
  if (req.url?.startsWith('/cdn/')) {
    const body = behaviour.body ?? model;
    const etag = '"v1"';
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start =
      range && (!req.headers['if-range'] || req.headers['if-range'] === etag) ? Number(range[1]) : 0;
    if (start >= body.length && start > 0) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const headers: Record<string, string> = { etag, 'content-length': String(body.length - start) };
    if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    const slice = body.subarray(start);
    if (behaviour.cutAfter !== undefined && start === 0) {
      // Send part of the file, then drop the connection mid-body.
      res.write(slice.subarray(0, behaviour.cutAfter), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(slice);
    return;
  }
  res.writeHead(404).end();
}

before(async () => {
  model = await readFile(await testModelPath());
  sha = createHash('sha256').update(model).digest('hex');
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

let store: string;
let counter = 0;
beforeEach(() => {
  requests = [];
  behaviour = {};
  store = join(testDir(), `store-${++counter}`);
});
const env = () => ({ CONDUIT_HF_ENDPOINT: endpoint });

describe('pullModel', () => {
  test('downloads owner/repo/file.gguf from the Hub endpoint with progress, verified by the published SHA-256', async () => {
    const progress: PullProgress[] = [];
    const result = await pullModel('acme/tiny-GGUF/tiny.gguf', {
      dir: store,
      env: env(),
      onProgress: (p) => progress.push(p),
    });
    assert.equal(result.name, 'tiny');
    assert.equal(result.sha256, sha);
    assert.equal(result.verified, true);
    assert.equal(result.bytes, model.length);
    assert.deepEqual(await readFile(result.path), model);
    assert.equal(requests[0]?.url, '/acme/tiny-GGUF/resolve/main/tiny.gguf');
    // Progress grows to the full size, which the server announced up front.
    assert.ok(progress.length >= 2);
    assert.ok(progress.every((p, i) => i === 0 || p.downloaded >= progress[i - 1]!.downloaded));
    assert.deepEqual(progress.at(-1), { downloaded: model.length, total: model.length, resumedFrom: 0 });
    const stored = await listStoredModels({ dir: store });
    assert.deepEqual(
      stored.map((m) => [m.name, m.manifest?.sha256, m.manifest?.source]),
      [['tiny', sha, 'hf:acme/tiny-GGUF:tiny.gguf']],
    );
    // A second pull finds it in the store and downloads nothing.
    requests = [];
    const again = await pullModel('hf:acme/tiny-GGUF:tiny.gguf', { dir: store, env: env() });
    assert.equal(again.alreadyPresent, true);
    assert.deepEqual(requests, []);
  });

  test('an interrupted download leaves only a .partial file, and the next pull resumes with Range', async () => {
    behaviour.cutAfter = 100_000;
    await assert.rejects(
      pullModel('acme/tiny-GGUF/tiny.gguf', { dir: store, env: env() }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'upstream_error');
        assert.match(error.message, /run the same command again to resume/);
        return true;
      },
    );
    assert.equal(existsSync(join(store, 'tiny.gguf')), false, 'no model file after a failed download');
    assert.deepEqual(await listStoredModels({ dir: store }), []);
    const partial = (await stat(join(store, 'tiny.gguf.partial'))).size;
    assert.ok(partial >= 100_000 && partial < model.length, String(partial));

    behaviour = {};
    requests = [];
    const result = await pullModel('acme/tiny-GGUF/tiny.gguf', { dir: store, env: env() });
    assert.equal(result.resumedFrom, partial);
    assert.equal(requests.at(-1)?.range, `bytes=${partial}-`);
    assert.equal(requests.at(-1)?.ifRange, '"v1"');
    assert.equal(result.sha256, sha, 'the checksum covers the resumed bytes too');
    assert.deepEqual(await readFile(result.path), model);
    assert.equal(existsSync(join(store, 'tiny.gguf.partial')), false);
  });

  test('a checksum mismatch deletes the download and never stores a model', async () => {
    behaviour.sha = 'f'.repeat(64);
    await assert.rejects(
      pullModel('acme/tiny-GGUF/tiny.gguf', { dir: store, env: env() }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'invalid_response');
        assert.match(
          error.message,
          /Checksum mismatch for tiny\.gguf: expected SHA-256 f{64}, got [0-9a-f]{64}/,
        );
        return true;
      },
    );
    assert.equal(existsSync(join(store, 'tiny.gguf')), false);
    assert.equal(existsSync(join(store, 'tiny.gguf.partial')), false);
    // A checksum given by the user is checked as well.
    await assert.rejects(
      pullModel('acme/tiny-GGUF/tiny.gguf', { dir: store, env: env(), sha256: '0'.repeat(64) }),
      {
        code: 'invalid_response',
      },
    );
  });

  test('something that is not a GGUF file (an HTML page) is refused', async () => {
    behaviour.body = Buffer.from('<!doctype html><title>Login</title>');
    behaviour.sha = createHash('sha256').update(behaviour.body).digest('hex');
    await assert.rejects(
      pullModel('acme/tiny-GGUF/page.gguf', { dir: store, env: env() }),
      /is not a GGUF file/,
    );
    assert.deepEqual(await listStoredModels({ dir: store }), []);
  });

  test('a missing file is not_found', async () => {
    await assert.rejects(pullModel('acme/tiny-GGUF/nope.gguf', { dir: store, env: env() }), {
      code: 'not_found',
    });
  });

  test('offline it fails fast and says how to use a local file instead', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    await assert.rejects(
      pullModel('acme/tiny-GGUF/tiny.gguf', {
        dir: store,
        env: { CONDUIT_HF_ENDPOINT: `http://127.0.0.1:${port}` },
      }),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'upstream_error');
        assert.match(error.message, /Cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
        assert.match(error.message, /conduit chat -m local:\.\/path\/to\/model\.gguf/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 2000);
  });

  test('a server that never answers counts as unreachable after the connect timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/models/x.gguf`;
      await assert.rejects(
        pullModel(url, { dir: store, connectTimeoutMs: 200 }),
        /no answer within the connect timeout/,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('a source that is neither a repo file nor a URL is a usage error (param model)', async () => {
    await assert.rejects(pullModel('just-a-name', { dir: store }), { code: 'bad_request', param: 'model' });
    await assert.rejects(pullModel('acme/repo/README.md', { dir: store }), /not a \.gguf file/);
  });
});
