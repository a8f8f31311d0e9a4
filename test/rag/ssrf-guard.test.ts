/**
 * URL ingestion must not reach the host's own network: loopback, private, link-local and the IPv4
 * addresses hidden in IPv6 are refused — as literals, through DNS (localhost) and via redirects —
 * unless explicitly allowed; size and time limits hold while streaming.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ingest } from '../../src/rag/ingest/ingest.js';
import { fetchUrl } from '../../src/rag/loaders/fetch-url.js';
import { blockNonPublicAddresses, guardedLookup } from '../../src/rag/loaders/ssrf-guard.js';
import { openTestStorage } from './support/fixtures.js';

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/article.html') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        '<html><head><title>Local page</title></head><body><article><h1>Local page</h1><p>The basement server answers on port 8080 and keeps nightly backups for 30 days.</p></article></body></html>',
      );
    } else if (req.url === '/redirect-to-metadata') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (req.url === '/redirect-to-other-loopback') {
      res
        .writeHead(301, {
          location: `http://127.0.0.2:${(server.address() as AddressInfo).port}/article.html`,
        })
        .end();
    } else if (req.url === '/big') {
      res.setHeader('content-type', 'text/plain');
      res.write('x'.repeat(60_000));
      res.end('x'.repeat(60_000));
    } else if (req.url === '/slow') {
      res.setHeader('content-type', 'text/plain');
      res.write('partial');
      setTimeout(() => res.end(' rest'), 2_000).unref();
    } else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

describe('SSRF guard', () => {
  test('classifies loopback, private, link-local, CGNAT, multicast and IPv4-in-IPv6 as non-public', () => {
    const cases: [string, string | null][] = [
      ['127.0.0.1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.32.0.1', null],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'link-local'],
      ['100.64.0.1', 'shared (CGNAT)'],
      ['0.0.0.0', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['8.8.8.8', null],
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'link-local'],
      ['fd12:3456::1', 'private (unique local)'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['::ffff:169.254.169.254', 'link-local'],
      ['64:ff9b::10.0.0.1', 'private'],
      ['2606:4700::1111', null],
    ];
    for (const [address, reason] of cases) assert.equal(blockNonPublicAddresses(address), reason, address);
  });

  test('refuses loopback URLs by literal address, by name and as IPv6', async () => {
    for (const url of [
      `${base}/article.html`,
      'http://localhost:1/',
      'http://[::1]:1/',
      'http://[::ffff:127.0.0.1]:1/',
    ]) {
      await assert.rejects(fetchUrl(url), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'permission', url);
        assert.match(error.message, /loopback address/);
        return true;
      });
    }
  });

  test('checks every DNS answer inside the socket lookup, so the address checked is the one connected to', async () => {
    const resolve = (policy: (a: string) => string | null) =>
      new Promise<{ error: (Error & { code?: string }) | null; address: unknown }>((done) =>
        guardedLookup(policy)('localhost', {}, (error, address) => done({ error, address })),
      );
    const refused = await resolve(blockNonPublicAddresses);
    assert.equal(refused.error?.code, 'ESSRFBLOCKED');
    assert.match(
      refused.error!.message,
      /refused to fetch from localhost \((127\.0\.0\.1|::1)\): loopback address/,
    );
    const allowed = await resolve(() => null);
    assert.equal(allowed.error, null);
    assert.match(String(allowed.address), /^(127\.0\.0\.1|::1)$/);
    await assert.rejects(fetchUrl('http://app.localhost:1/'), /refused to fetch from app\.localhost/);
  });

  test('refuses redirects into the private network', async () => {
    // Allow the test server's own address, refuse everything else that is non-public.
    const policy = (address: string) => (address === '127.0.0.1' ? null : blockNonPublicAddresses(address));
    await assert.rejects(
      fetchUrl(`${base}/redirect-to-metadata`, { addressPolicy: policy }),
      /169\.254\.169\.254: link-local/,
    );
    await assert.rejects(
      fetchUrl(`${base}/redirect-to-other-loopback`, { addressPolicy: policy }),
      /127\.0\.0\.2: loopback/,
    );
  });

  test('with private addresses allowed, fetches and loads a page', async () => {
    const storage = openTestStorage();
    const summary = await ingest({
      store: storage.documents,
      collection: 'web',
      inputs: [`${base}/article.html`],
      fetch: { allowPrivateNetwork: true },
    });
    assert.deepEqual(summary.failed, []);
    const doc = await storage.documents.getDocument('web', `${base}/article.html`);
    assert.equal(doc!.title, 'Local page');
    assert.match(doc!.text, /nightly backups for 30 days/);
    await storage.close();
  });

  test('without permission, ingest reports the refusal per URL and goes on', async () => {
    const storage = openTestStorage();
    const summary = await ingest({
      store: storage.documents,
      collection: 'web',
      inputs: [`${base}/article.html`],
    });
    assert.equal(summary.documents.added, 0);
    assert.match(summary.failed[0]!.reason, /refused to fetch from 127\.0\.0\.1: loopback address/);
    await storage.close();
  });

  test('enforces the size limit while streaming and the time limit on the whole download', async () => {
    await assert.rejects(
      fetchUrl(`${base}/big`, { allowPrivateNetwork: true, maxBytes: 100_000 }),
      (error: Error & { code?: string }) => error.code === 'payload_too_large',
    );
    await assert.rejects(
      fetchUrl(`${base}/slow`, { allowPrivateNetwork: true, timeoutMs: 300 }),
      (error: Error & { code?: string }) => error.code === 'timeout',
    );
    await assert.rejects(fetchUrl('file:///etc/passwd'), /only http and https/);
  });
});
