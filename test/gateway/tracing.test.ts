/**
 * Traces end to end (issue 9): a request through the real gateway, with the official OpenAI client
 * and a W3C traceparent, yields a stored trace — the request's server span and one client span per
 * deployment tried, in the GenAI conventions — that is exported over OTLP/HTTP to a local receiver,
 * propagated to the upstream, and shown by `conduit traces show`.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import OpenAI from 'openai';
import { openStorage } from '../../src/storage/open-storage.js';
import { startHarness } from '../support/gateway-harness.js';
import { runCli } from '../support/run-cli.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A local OTLP/HTTP (JSON) receiver that keeps every span it is sent. */
async function startOtlpReceiver() {
  const spans: OtlpSpan[] = [];
  const requests: { path: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers });
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value ? Object.values(value)[0] : undefined;
};

describe('tracing through the gateway', () => {
  test('one request: stored spans with GenAI attributes, OTLP export, propagation, traces show', async () => {
    const receiver = await startOtlpReceiver();
    const h = await startHarness({
      upstreams: 2,
      // The first deployment fails with a 500, so the request has two attempt spans.
      config: ([a, b]) =>
        [
          'models:',
          '  fast:',
          '    deployments:',
          '      - { provider: openai-compatible, model: gpt-4o-mini, base_url: "' + a + '" }',
          '      - { provider: openai-compatible, model: gpt-4o-mini, base_url: "' + b + '" }',
          'router:',
          '  attempts_per_deployment: 1',
        ].join('\n'),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=conduit-test',
      },
    });
    let closed = false;
    try {
      h.upstreams[0]!.enqueue({ status: 500 });
      const client = new OpenAI({ baseURL: h.baseURL, apiKey: 'dev', maxRetries: 0 });
      const parentTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentSpan = '00f067aa0ba902b7';
      const { data, response } = await client.chat.completions
        .create(
          {
            model: 'fast',
            messages: [{ role: 'user', content: 'trace me' }],
            temperature: 0.2,
            max_tokens: 20,
          },
          { headers: { traceparent: `00-${parentTrace}-${parentSpan}-01` } },
        )
        .withResponse();
      assert.equal(data.choices[0]!.message.content, 'Echo: trace me');
      assert.equal(response.headers.get('x-conduit-trace-id'), parentTrace);

      // The upstream that answered saw a traceparent in the same trace, from the attempt's span.
      const upstreamHeader = h.upstreams[1]!.requests.at(-1)!.headers.traceparent as string;
      assert.match(upstreamHeader, new RegExp(`^00-${parentTrace}-[0-9a-f]{16}-01$`));

      const storageUrl = h.running.conduit().storageUrl;
      await h.running.close(); // flushes spans to the store and the exporter
      closed = true;

      const storage = await openStorage(storageUrl);
      const spans = await storage.traces.getTrace(parentTrace);
      const summaries = await storage.traces.listTraces({ model: 'fast' });
      const [row] = (await storage.usage.query({ limit: 1 })).rows;
      await storage.close();

      const server = spans.find((s) => s.kind === 'server');
      assert.ok(server, 'a server span for the request');
      assert.equal(server.parentSpanId, parentSpan);
      assert.equal(server.name, 'chat fast');
      assert.equal(server.attributes['gen_ai.operation.name'], 'chat');
      assert.equal(server.attributes['gen_ai.request.model'], 'fast');
      assert.equal(server.attributes['gen_ai.request.temperature'], 0.2);
      assert.equal(server.attributes['gen_ai.request.max_tokens'], 20);
      assert.ok((server.attributes['gen_ai.usage.input_tokens'] as number) > 0);
      assert.ok((server.attributes['gen_ai.usage.output_tokens'] as number) > 0);
      assert.ok((server.attributes['conduit.cost_usd'] as number) > 0);
      assert.equal(server.attributes['conduit.deployment'], 'fast/1');
      assert.deepEqual(server.attributes['gen_ai.response.finish_reasons'], ['stop']);
      assert.equal(
        server.attributes['gen_ai.input.messages'],
        undefined,
        'content is not captured by default',
      );

      const attempts = spans.filter((s) => s.kind === 'client');
      assert.deepEqual(
        attempts.map((s) => [s.attributes['conduit.deployment'], s.status]),
        [
          ['fast/0', 'error'],
          ['fast/1', 'unset'],
        ],
      );
      for (const attempt of attempts) {
        assert.equal(attempt.parentSpanId, server.spanId);
        assert.equal(attempt.attributes['gen_ai.provider.name'], 'openai-compatible');
      }
      assert.equal(upstreamHeader.split('-')[2], attempts[1]!.spanId);

      assert.equal(summaries[0]?.traceId, parentTrace);
      assert.equal(row?.traceId, parentTrace, 'the usage row stores its trace id');

      // Exported over OTLP/HTTP with the configured headers, same ids.
      assert.ok(receiver.requests.every((r) => r.path === '/v1/traces'));
      assert.equal(receiver.requests[0]?.headers['x-tenant'], 'conduit-test');
      const exported = receiver.spans.filter((s) => s.traceId === parentTrace);
      assert.deepEqual(exported.map((s) => s.spanId).sort(), spans.map((s) => s.spanId).sort());
      const exportedServer = exported.find((s) => s.spanId === server.spanId)!;
      assert.equal(exportedServer.parentSpanId, parentSpan);
      assert.equal(attribute(exportedServer, 'gen_ai.request.model'), 'fast');

      // The terminal view of the same trace.
      const shown = await runCli(['traces', 'show', parentTrace], {
        cwd: h.dir,
        env: { HOME: h.dir, CONDUIT_HOME: join(h.dir, 'home') },
      });
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /chat fast/);
      assert.match(shown.stdout, /chat gpt-4o-mini/);
      assert.match(shown.stdout, /error/i);
    } finally {
      if (!closed) await h.running.close();
      await h.close();
      await receiver.close();
    }
  });

  test('a request refused before its model (bad key) has a server span and the trace id header', async () => {
    const h = await startHarness({
      config: ([a]) =>
        [
          'master_key: sk-master-test-key',
          'models:',
          `  fast: { provider: openai-compatible, model: gpt-4o-mini, base_url: "${a}" }`,
        ].join('\n'),
    });
    try {
      const response = await fetch(`${h.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-wrong' },
        body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(response.status, 401);
      const traceId = response.headers.get('x-conduit-trace-id');
      assert.match(traceId ?? '', /^[0-9a-f]{32}$/);
      await h.running.conduit().traces.flush();
      const spans = await h.running.conduit().storage.traces.getTrace(traceId!);
      assert.equal(spans.length, 1);
      assert.equal(spans[0]!.kind, 'server');
      assert.equal(spans[0]!.status, 'error');
      assert.equal(spans[0]!.attributes['http.response.status_code'], 401);
    } finally {
      await h.close();
    }
  });
});
