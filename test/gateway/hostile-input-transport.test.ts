/**
 * Hostile-input battery, the HTTP edge itself (issue 10): bytes that are not valid HTTP (huge
 * headers, bad framing, conflicting lengths) sent on raw sockets; browsers posting cross-site
 * (Origin not allowed, no CORS by default, JSON routes require `application/json`); `/metrics`
 * behind the master key and free of request text; and the same rules in development mode (no
 * master key). None is a 5xx, and the gateway keeps serving and logging afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertHostile,
  assertStillServing,
  CHAT,
  type HostileCase,
  type HostileGateway,
  MASTER_KEY,
  sendHostile,
  startHostileGateway,
} from '../support/hostile-battery.js';
import { rawRequest, rawSocket } from '../support/raw-http.js';

const ALLOWED_ORIGIN = 'https://app.example.com';
const EVIL = 'https://evil.example';

let gw: HostileGateway;
let dev: HostileGateway;
before(async () => {
  [gw, dev] = await Promise.all([
    startHostileGateway({ extraConfig: ['cors:', `  origins: [${ALLOWED_ORIGIN}]`] }),
    startHostileGateway({ devMode: true, extraConfig: ['metrics:', '  public: true'] }),
  ]);
});
after(async () => {
  await Promise.all([gw?.close(), dev?.close()]);
});

const AUTH = `Authorization: Bearer ${MASTER_KEY}\r\n`;
const post = (path: string, headers: string, body = '') =>
  `POST ${path} HTTP/1.1\r\nHost: gw\r\n${AUTH}Content-Type: application/json\r\n${headers}\r\n${body}`;

interface SocketCase {
  name: string;
  bytes: string | Buffer;
  status: number;
  /** Matched against the response from its status line on (node's own refusals have no body). */
  message: RegExp;
}

const socketCases: SocketCase[] = [
  {
    name: 'a 100 KB header',
    bytes: `GET /health HTTP/1.1\r\nHost: gw\r\nX-Pad: ${'a'.repeat(100_000)}\r\n\r\n`,
    status: 431,
    message: /Header Fields Too Large/,
  },
  {
    name: 'a 100 KB URL',
    bytes: `GET /v1/models/${'a'.repeat(100_000)} HTTP/1.1\r\nHost: gw\r\n\r\n`,
    status: 431,
    message: /Header Fields Too Large/,
  },
  {
    name: '3,000 headers',
    bytes: `GET /health HTTP/1.1\r\nHost: gw\r\n${Array.from({ length: 3_000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`,
    status: 431,
    message: /Header Fields Too Large/,
  },
  {
    name: 'a huge Authorization header',
    bytes: `GET /admin/keys HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ${'k'.repeat(50_000)}\r\n\r\n`,
    status: 431,
    message: /Header Fields Too Large/,
  },
  {
    name: 'content-length that is not a number',
    bytes: post('/v1/chat/completions', 'Content-Length: abc\r\n', '{}'),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a negative content-length',
    bytes: post('/v1/chat/completions', 'Content-Length: -5\r\n', '{'),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a content-length past 2^64',
    bytes: post('/v1/chat/completions', 'Content-Length: 99999999999999999999999\r\n', '{'),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a declared content-length of 1 TB',
    bytes: post('/v1/chat/completions', 'Content-Length: 1000000000000\r\n', '{'),
    status: 413,
    message: /exceeds the limit/,
  },
  {
    name: 'Expect: 100-continue with 1 GB declared',
    bytes: post('/v1/chat/completions', 'Expect: 100-continue\r\nContent-Length: 1000000000\r\n'),
    status: 413,
    message: /exceeds the limit/,
  },
  {
    name: 'both content-length and chunked (request smuggling)',
    bytes: post(
      '/v1/chat/completions',
      'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n',
      '2\r\n{}\r\n0\r\n\r\n',
    ),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a chunk size that is not hex',
    bytes: post('/v1/chat/completions', 'Transfer-Encoding: chunked\r\n', 'zz\r\n{}\r\n0\r\n\r\n'),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a 100 KB chunk extension',
    bytes: post(
      '/v1/chat/completions',
      'Transfer-Encoding: chunked\r\n',
      `2;${'a'.repeat(100_000)}\r\n{}\r\n0\r\n\r\n`,
    ),
    status: 413,
    message: /Payload Too Large/,
  },
  {
    name: 'an unsupported transfer-encoding',
    bytes: post('/v1/chat/completions', 'Transfer-Encoding: gzip\r\n', '{}'),
    status: 400,
    message: /Bad Request/,
  },
  { name: 'a request line that is not HTTP', bytes: 'GARBAGE\r\n\r\n', status: 400, message: /Bad Request/ },
  {
    name: 'an HTTP/2 preface on the HTTP/1 port',
    bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'an unknown method',
    bytes: 'BREW /health HTTP/1.1\r\nHost: gw\r\n\r\n',
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a NUL in a header value',
    bytes: 'GET /health HTTP/1.1\r\nHost: gw\r\nX-A: b\u0000c\r\n\r\n',
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'a space in a header name',
    bytes: 'GET /health HTTP/1.1\r\nHost: gw\r\nBad Header: x\r\n\r\n',
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'an obsolete folded header',
    bytes: 'GET /health HTTP/1.1\r\nHost: gw\r\nX-A: b\r\n c\r\n\r\n',
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'raw non-UTF-8 bytes in the path',
    bytes: Buffer.concat([
      Buffer.from('GET /v1/models/'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(` HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`),
    ]),
    status: 400,
    message: /Bad Request/,
  },
  {
    name: 'an absolute-form URL (proxy request)',
    bytes: `GET http://evil.example/admin/keys HTTP/1.1\r\nHost: gw\r\n${AUTH}\r\n`,
    status: 404,
    message: /No route/,
  },
];

const CHAT_PATH = '/v1/chat/completions';
/** Browser-shaped requests: each is refused whatever else it carries. */
const crossSiteCases: HostileCase[] = [
  {
    name: 'Origin not allowed: GET /admin/keys',
    method: 'GET',
    path: '/admin/keys',
    headers: { origin: EVIL },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: GET /admin/usage',
    method: 'GET',
    path: '/admin/usage',
    headers: { origin: EVIL },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: POST /admin/keys',
    path: '/admin/keys',
    headers: { origin: EVIL },
    body: { name: 'x' },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: POST /admin/keys as text/plain (no preflight)',
    path: '/admin/keys',
    headers: { origin: EVIL, 'content-type': 'text/plain' },
    body: JSON.stringify({ name: 'x' }),
    expect: { status: [403, 415], message: /origin|content-type/i },
  },
  {
    name: 'Origin not allowed: DELETE /admin/keys/x',
    method: 'DELETE',
    path: '/admin/keys/x',
    headers: { origin: EVIL },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: POST a chat completion',
    path: CHAT_PATH,
    headers: { origin: EVIL },
    body: CHAT,
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: POST a collection',
    path: '/v1/collections',
    headers: { origin: EVIL },
    body: { name: 'x' },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin not allowed: DELETE a collection',
    method: 'DELETE',
    path: '/v1/collections/x',
    headers: { origin: EVIL },
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'Origin "null" (sandboxed frame, file:)',
    path: CHAT_PATH,
    headers: { origin: 'null' },
    body: CHAT,
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'an allowed origin on another scheme',
    path: CHAT_PATH,
    headers: { origin: 'http://app.example.com' },
    body: CHAT,
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'an allowed origin as a suffix',
    path: CHAT_PATH,
    headers: { origin: 'https://app.example.com.evil.example' },
    body: CHAT,
    expect: { status: 403, message: /origin/i },
  },
  {
    name: 'a form post (urlencoded)',
    path: CHAT_PATH,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'model=fast',
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'a multipart post',
    path: '/admin/keys',
    headers: { 'content-type': 'multipart/form-data; boundary=x' },
    body: '--x--',
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'a JSON look-alike type',
    path: CHAT_PATH,
    headers: { 'content-type': 'application/jsonp' },
    body: CHAT,
    expect: { status: 415, message: /content-type/i },
  },
  {
    name: 'text/plain on search',
    path: '/v1/collections/x/search',
    headers: { 'content-type': 'text/plain' },
    body: { query: 'q' },
    expect: { status: 415, message: /content-type/i },
  },
];

describe('hostile input: the HTTP edge', () => {
  describe('bytes that are not valid HTTP', () => {
    for (const c of socketCases) {
      test(c.name, async () => {
        const r = await rawSocket(gw.url, c.bytes);
        assert.ok(r.status < 500, r.text.slice(0, 300));
        assert.equal(r.status, c.status, r.text.slice(0, 300));
        assert.match(r.text.slice(0, 2_000), c.message);
      });
    }
  });

  describe('cross-site requests and content types', () => {
    for (const c of crossSiteCases) test(c.name, async () => assertHostile(c, await sendHostile(gw.url, c)));

    test('no CORS headers by default, nor for an origin that is not allowed', async () => {
      const plain = await rawRequest(gw.url, {
        method: 'GET',
        path: '/v1/models',
        headers: { authorization: `Bearer ${MASTER_KEY}` },
      });
      assert.equal(plain.status, 200);
      assert.equal(plain.headers['access-control-allow-origin'], undefined);
      const evil = await rawRequest(gw.url, {
        method: 'GET',
        path: '/v1/models',
        headers: { authorization: `Bearer ${MASTER_KEY}`, origin: EVIL },
      });
      assert.ok(evil.status < 500);
      assert.equal(evil.headers['access-control-allow-origin'], undefined);
      const preflight = await rawRequest(gw.url, {
        method: 'OPTIONS',
        path: '/admin/keys',
        headers: {
          origin: EVIL,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.ok(preflight.status < 500);
      assert.equal(
        preflight.headers['access-control-allow-origin'],
        undefined,
        'a preflight from evil is not granted',
      );
    });

    test('an origin in cors.origins is allowed and told so', async () => {
      const r = await sendHostile(gw.url, {
        name: 'allowed',
        path: CHAT_PATH,
        headers: { origin: ALLOWED_ORIGIN },
        body: CHAT,
        expect: { status: 200, message: /./ },
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
    });

    test('a same-origin browser request is allowed (the console)', async () => {
      const r = await sendHostile(gw.url, {
        name: 'same origin',
        method: 'GET',
        path: '/admin/keys',
        headers: { origin: gw.url },
        expect: { status: 200, message: /./ },
      });
      assert.equal(r.status, 200, r.text);
    });
  });

  describe('/metrics', () => {
    test('needs the master key, which it then answers', async () => {
      const refused = await rawRequest(gw.url, { method: 'GET', path: '/metrics' });
      assert.equal(refused.status, 401, refused.text);
      const served = await rawRequest(gw.url, {
        method: 'GET',
        path: '/metrics',
        headers: { authorization: `Bearer ${MASTER_KEY}` },
      });
      assert.equal(served.status, 200);
      assert.match(served.text, /^# HELP /m);
    });

    test('a 10 KB model name never becomes a label', async () => {
      const name = `evil-${'m'.repeat(10_000)}`;
      for (const path of [CHAT_PATH, '/v1/embeddings', '/v1/messages']) {
        const r = await sendHostile(gw.url, {
          name: 'long model',
          path,
          body: { model: name, messages: CHAT.messages, input: 'x', max_tokens: 5 },
          expect: { status: 404, message: /./ },
        });
        assert.ok(r.status >= 400 && r.status < 500, `${path} → ${r.status} ${r.text.slice(0, 200)}`);
      }
      const metrics = await rawRequest(gw.url, {
        method: 'GET',
        path: '/metrics',
        headers: { authorization: `Bearer ${MASTER_KEY}` },
      });
      assert.equal(metrics.status, 200);
      assert.ok(!metrics.text.includes('evil-mmmm'), 'request text reached a metric label');
      assert.ok(metrics.text.length < 1_000_000, `a scrape of ${metrics.text.length} bytes`);
    });

    test('metrics.public: true serves it without a key', async () => {
      const r = await rawRequest(dev.url, { method: 'GET', path: '/metrics' });
      assert.equal(r.status, 200, r.text.slice(0, 200));
    });
  });

  describe('development mode (no master key)', () => {
    const devCases: HostileCase[] = [
      {
        name: 'the cross-site key theft of issue 10: text/plain + Origin evil',
        path: '/admin/keys',
        headers: { authorization: null, origin: EVIL, 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'stolen' }),
        expect: { status: [403, 415], message: /origin|content-type/i },
      },
      {
        name: 'Origin evil with JSON: POST /admin/keys',
        path: '/admin/keys',
        headers: { authorization: null, origin: EVIL },
        body: { name: 'stolen' },
        expect: { status: 403, message: /origin/i },
      },
      {
        name: 'Origin evil: GET /admin/usage',
        method: 'GET',
        path: '/admin/usage',
        headers: { authorization: null, origin: EVIL },
        expect: { status: 403, message: /origin/i },
      },
      {
        name: 'Origin evil: POST a chat completion',
        path: CHAT_PATH,
        headers: { authorization: null, origin: EVIL },
        body: CHAT,
        expect: { status: 403, message: /origin/i },
      },
      {
        name: 'text/plain chat without an Origin',
        path: CHAT_PATH,
        headers: { authorization: null, 'content-type': 'text/plain' },
        body: CHAT,
        expect: { status: 415, message: /content-type/i },
      },
      {
        name: 'invalid JSON',
        path: '/admin/keys',
        headers: { authorization: null },
        body: '{',
        expect: { status: 400, param: 'body' },
      },
      {
        name: 'limit=-1 on /admin/usage',
        method: 'GET',
        path: '/admin/usage?limit=-1',
        headers: { authorization: null },
        expect: { status: 400, param: 'limit' },
      },
    ];
    for (const c of devCases) test(c.name, async () => assertHostile(c, await sendHostile(dev.url, c)));

    test('no key was created, /admin answers a local client, and no CORS header is sent', async () => {
      const r = await rawRequest(dev.url, { method: 'GET', path: '/admin/keys' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.data, []);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
    });

    test('afterwards the dev gateway still answers and logs', async () => {
      await assertStillServing(dev, { 'content-type': 'application/json' });
    });
  });

  test('afterwards the gateway still answers and the usage log still writes rows', async () => {
    await assertStillServing(gw, gw.admin);
  });
});
