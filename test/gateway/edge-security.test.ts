/**
 * Issue 10, defects 2, 6 and 7 at the HTTP edge: no CORS unless configured, JSON routes need JSON's
 * media type, /admin refuses foreign browser origins, /metrics needs the master key and never carries
 * request text, and streams cut at the shutdown deadline end with an error frame and keep their row.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { defaultStorageUrl } from '../../src/core/conduit-home.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { aliasYaml, startHarness } from '../support/gateway-harness.js';

const MASTER = 'master-key-for-edge-tests';
const chat = JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] });

describe('the HTTP edge', () => {
  test('a web page cannot drive a dev-mode gateway: no CORS, 415 for text/plain, 403 for a foreign Origin', async () => {
    const h = await startHarness({ config: ([a]) => ['models:', aliasYaml('fast', [a!])].join('\n') });
    try {
      // The attack of the issue: text/plain JSON with a foreign Origin created a key (201 + secret).
      const attack = await fetch(`${h.url}/admin/keys`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'x' }),
      });
      assert.equal(attack.status, 403);
      assert.equal(((await attack.json()) as { error: { param: string } }).error.param, 'origin');
      assert.equal(attack.headers.get('access-control-allow-origin'), null);

      // Without an Origin (curl, SDKs) the media type alone decides.
      const plain = await fetch(`${h.url}/admin/keys`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'x' }),
      });
      assert.equal(plain.status, 415);
      assert.match(plain.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/, 'errors carry a request id');
      assert.equal(((await plain.json()) as { error: { param: string } }).error.param, 'content-type');
      const untyped = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', body: new Blob([chat]) });
      assert.equal(untyped.status, 415);
      await untyped.text();
      assert.deepEqual(await h.running.conduit().storage.keys.list(), [], 'no key was created');

      const preflight = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      await preflight.text();

      const normal = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chat,
      });
      assert.equal(normal.status, 200);
      assert.equal(normal.headers.get('access-control-allow-origin'), null, 'no CORS by default');
      await normal.text();
    } finally {
      await h.close();
    }
  });

  test('cors.origins lets a listed site call the model routes from a browser', async () => {
    const h = await startHarness({
      config: ([a]) =>
        ['models:', aliasYaml('fast', [a!]), 'cors:', '  origins: [https://app.example.com]'].join('\n'),
    });
    try {
      const preflight = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.example.com');
      const answer = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { origin: 'https://app.example.com', 'content-type': 'application/json' },
        body: chat,
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('access-control-allow-origin'), 'https://app.example.com');
      await answer.text();
    } finally {
      await h.close();
    }
  });

  test('/metrics needs the master key, and a client-chosen model name never becomes a label', async () => {
    const h = await startHarness({
      config: ([a]) => ['models:', aliasYaml('fast', [a!]), `master_key: ${MASTER}`].join('\n'),
    });
    try {
      const junk = `openai/${'q'.repeat(10_000)}`;
      for (let i = 0; i < 5; i++) {
        const refused = await fetch(`${h.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: `${junk}${i}`, messages: [{ role: 'user', content: 'hi' }] }),
        });
        assert.equal(refused.status, 401);
        await refused.text();
      }
      const anonymous = await fetch(`${h.url}/metrics`);
      assert.equal(anonymous.status, 401);
      await anonymous.text();
      const created = await fetch(`${h.url}/admin/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'app' }),
      });
      const { key } = (await created.json()) as { key: string };
      const withKey = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(withKey.status, 403, 'a virtual key may not scrape');
      await withKey.text();

      const scrape = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${MASTER}` } });
      assert.equal(scrape.status, 200);
      const text = await scrape.text();
      assert.ok(!text.includes('qqqqqqqqqq'), 'request text is not a label');
      assert.match(
        text,
        /conduit_requests_total\{route="chat\/completions",model="unknown",status="401"\} 5/,
      );
      assert.ok(text.length < 200_000, `scrape is ${text.length} bytes`);
    } finally {
      await h.close();
    }
  });

  test('streams cut at the shutdown deadline end with an error frame, and every answered request has its row', async () => {
    const h = await startHarness({
      config: ([a]) => ['models:', aliasYaml('fast', [a!]), 'server:', '  shutdown_grace_ms: 300'].join('\n'),
    });
    const home = { CONDUIT_HOME: `${h.dir}/home` };
    const streams = 4;
    for (let i = 0; i < streams; i++) h.upstreams[0]!.enqueue({ eventDelayMs: 2_000 });
    const bodies = await Promise.all(
      Array.from({ length: streams }, async () => {
        const response = await fetch(`${h.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        });
        assert.equal(response.status, 200);
        return response;
      }),
    );
    // Every stream has its headers; now shut down while each is waiting for its next chunk.
    const closing = h.running.close();
    const texts = await Promise.all(bodies.map((b) => b.text()));
    await closing;
    for (const text of texts) {
      const frames = text.split('\n\n').filter((f) => f.startsWith('data: '));
      const last = frames.at(-1) ?? '';
      assert.match(last, /"error"/, `the stream ends with an error frame: ${text.slice(-300)}`);
      assert.match(last, /shut down/);
    }
    const storage = await openStorage(defaultStorageUrl(home));
    try {
      const { rows } = await storage.usage.query({ limit: 100 });
      assert.equal(rows.length, streams, JSON.stringify(rows.map((r) => [r.status, r.errorCode])));
      assert.ok(
        rows.every((r) => r.errorCode === 'overloaded'),
        JSON.stringify(rows.map((r) => r.errorCode)),
      );
    } finally {
      await storage.close();
      await Promise.all(h.upstreams.map((u) => u.close()));
    }
  });

  test('slow clients are timed out and one address cannot hold many unauthenticated connections', async () => {
    const h = await startHarness({
      config: ([a]) =>
        [
          'models:',
          aliasYaml('fast', [a!]),
          `master_key: ${MASTER}`,
          'server:',
          '  headers_timeout_ms: 300',
          '  request_timeout_ms: 600',
          '  max_unauthenticated_connections_per_ip: 3',
        ].join('\n'),
    });
    const { port } = new URL(h.url);
    const open = async () => {
      const socket = connect(Number(port), '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.on('data', (d) => {
        received += d.toString();
      });
      const closed = once(socket, 'close').then(() => received);
      return { socket, closed };
    };
    let trickle: NodeJS.Timeout | undefined;
    try {
      // A body that trickles in forever: answered 408 and closed once request_timeout_ms has passed.
      const slowBody = await open();
      slowBody.socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${MASTER}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
      );
      trickle = setInterval(() => slowBody.socket.write(' '), 50);
      const slowHeaders = await open();
      slowHeaders.socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      assert.match(await slowBody.closed, /^HTTP\/1\.1 408/);
      clearInterval(trickle);
      assert.match(await slowHeaders.closed, /^HTTP\/1\.1 408/);

      // Three idle connections fill this address's allowance; the fourth is closed unanswered.
      const idle = [await open(), await open(), await open()];
      const fourth = await open();
      assert.equal(await fourth.closed, '');
      // A connection that authenticates stops counting, which makes room for a new one.
      idle[0]!.socket.write(`GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${MASTER}\r\n\r\n`);
      await once(idle[0]!.socket, 'data');
      const fifth = await open();
      fifth.socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      assert.match(await fifth.closed, /^HTTP\/1\.1 200/);
      for (const c of idle) c.socket.destroy();
    } finally {
      clearInterval(trickle);
      await h.close();
    }
  });

  test('an upstream error that echoes the upstream key reaches the client redacted', async () => {
    const upstreamKey = 'upstream-secret-token-0123456789';
    const h = await startHarness({
      config: ([a]) =>
        [
          'models:',
          '  fast:',
          '    provider: openai-compatible',
          '    model: gpt-4o-mini',
          `    base_url: ${a}`,
          `    api_key: ${upstreamKey}`,
        ].join('\n'),
    });
    try {
      const echo = `Incorrect API key provided. Request headers: {"authorization": "Bearer ${upstreamKey}"}`;
      h.upstreams[0]!.enqueue({
        status: 401,
        body: { error: { message: echo, type: 'invalid_request_error' } },
      });
      const response = await fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chat,
      });
      const text = await response.text();
      assert.ok(response.status >= 400, text);
      assert.match(text, /Incorrect API key/);
      assert.ok(!text.includes('0123456789'), text);
      assert.equal(h.upstreams[0]!.requests[0]?.headers.authorization, `Bearer ${upstreamKey}`);
    } finally {
      await h.close();
    }
  });
});
