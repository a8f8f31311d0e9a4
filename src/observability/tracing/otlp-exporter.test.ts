import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { startSpan, type TraceContext } from '../../core/trace-context.js';
import { chatRequestAttributes } from './genai-attributes.js';
import { createOtlpExporter } from './otlp-exporter.js';
import type { SpanRecord } from './span-record.js';
import { createTracer, type Tracer } from './tracer.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An OTLP/HTTP receiver: records each request and answers with `respond` (200 by default). */
function collector() {
  const received: Received[] = [];
  let respond: 'ok' | 'reject' | 'hang' = 'ok';
  let onRequest: (() => void) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      onRequest?.();
      if (respond === 'hang') return;
      if (respond === 'reject') {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"bad spans"}');
        return;
      }
      const json = req.headers['content-type'] === 'application/json';
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  return {
    received,
    server,
    set respond(mode: 'ok' | 'reject' | 'hang') {
      respond = mode;
    },
    nextRequest: () =>
      new Promise<void>((resolve) => {
        onRequest = resolve;
      }),
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
  };
}

/** A tiny protobuf wire-format reader: field number → values (varints as bigint, the rest as bytes). */
function decodeMessage(buf: Buffer): Map<number, (bigint | Buffer)[]> {
  const fields = new Map<number, (bigint | Buffer)[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >> 3, key & 7];
    const take = (length: number) => {
      const slice = buf.subarray(pos, pos + length);
      pos += length;
      return slice;
    };
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) value = take(8);
    else if (wire === 5) value = take(4);
    else if (wire === 2) value = take(Number(varint()));
    else throw new Error(`unexpected wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
const bytes = (m: Map<number, (bigint | Buffer)[]>, field: number) => m.get(field) as Buffer[];

const trace: TraceContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };

function spanRecord(name: string): SpanRecord {
  return {
    traceId: trace.traceId,
    spanId: trace.spanId,
    parentSpanId: null,
    name,
    kind: 'internal',
    startTime: 1_700_000_000_000.5,
    endTime: 1_700_000_000_002,
    status: 'unset',
    statusMessage: null,
    attributes: {},
    events: [],
  };
}

/** A request span with a failed client attempt under it, as the gateway records them. */
function recordRequest(tracer: Tracer) {
  const server = startSpan({ ...trace, recorder: tracer }, 'chat fast', {
    kind: 'server',
    attributes: chatRequestAttributes({ model: 'fast', messages: [], temperature: 0.2, stop: ['END'] }),
  });
  const attempt = startSpan(server.context, 'chat gpt-4o-mini', { kind: 'client' });
  attempt.recordError(new ConduitError('timeout', 'upstream took too long'));
  attempt.end();
  server.setAttributes({ 'gen_ai.usage.input_tokens': 12, 'conduit.cost_usd': 0.0003 });
  server.end();
  return { server, attempt };
}

describe('createOtlpExporter', () => {
  const receiver = collector();
  before(() => new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve)));
  after(() => new Promise<void>((resolve) => receiver.server.close(() => resolve())));

  test('http/json: resourceSpans → scopeSpans → spans with ids, kinds, attributes, status; headers sent', async () => {
    receiver.received.length = 0;
    const exporter = createOtlpExporter({
      endpoint: receiver.url('/v1/traces'),
      protocol: 'http/json',
      headers: { authorization: 'Bearer collector-token', 'x-tenant': 'acme' },
    });
    const tracer = createTracer({ exporter, serviceName: 'conduit-test' });
    const { server, attempt } = recordRequest(tracer);
    await tracer.close();

    assert.equal(receiver.received.length, 1);
    const [request] = receiver.received as [Received];
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/v1/traces');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.authorization, 'Bearer collector-token');
    assert.equal(request.headers['x-tenant'], 'acme');

    const body = JSON.parse(request.body.toString('utf8'));
    assert.equal(body.resourceSpans.length, 1);
    const [resourceSpans] = body.resourceSpans;
    assert.deepEqual(resourceSpans.resource.attributes, [
      { key: 'service.name', value: { stringValue: 'conduit-test' } },
    ]);
    assert.equal(resourceSpans.scopeSpans[0].scope.name, 'conduit');
    const spans = resourceSpans.scopeSpans[0].spans;
    const byName = new Map(spans.map((s: { name: string }) => [s.name, s]));
    const root = byName.get('chat fast') as Record<string, unknown> & { attributes: unknown[] };
    const client = byName.get('chat gpt-4o-mini') as Record<string, unknown> & {
      attributes: unknown[];
      events: { name: string }[];
      status: unknown;
    };

    assert.equal(root.traceId, trace.traceId);
    assert.equal(root.spanId, server.context.spanId);
    assert.equal(root.parentSpanId, trace.spanId);
    assert.equal(client.parentSpanId, server.context.spanId);
    assert.equal(client.spanId, attempt.context.spanId);
    assert.equal(root.kind, 2, 'SPAN_KIND_SERVER');
    assert.equal(client.kind, 3, 'SPAN_KIND_CLIENT');
    assert.ok(BigInt(String(root.endTimeUnixNano)) > BigInt(String(root.startTimeUnixNano)));
    assert.deepEqual(
      new Set(root.attributes),
      new Set([
        { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
        { key: 'gen_ai.request.model', value: { stringValue: 'fast' } },
        { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
        { key: 'gen_ai.request.stop_sequences', value: { arrayValue: { values: [{ stringValue: 'END' }] } } },
        { key: 'gen_ai.usage.input_tokens', value: { intValue: 12 } },
        { key: 'conduit.cost_usd', value: { doubleValue: 0.0003 } },
      ]),
    );
    assert.deepEqual(client.status, { code: 2, message: 'upstream took too long' });
    assert.deepEqual(client.attributes, [{ key: 'error.type', value: { stringValue: 'timeout' } }]);
    assert.deepEqual(
      client.events.map((e) => e.name),
      ['exception'],
    );
  });

  test('http/protobuf: application/x-protobuf to /v1/traces, decodable spans', async () => {
    receiver.received.length = 0;
    const exporter = createOtlpExporter({ endpoint: receiver.url('/v1/traces') });
    assert.equal(exporter.protocol, 'http/protobuf', 'the specification default');
    const tracer = createTracer({ exporter });
    const { server, attempt } = recordRequest(tracer);
    await tracer.close();

    assert.equal(receiver.received.length, 1);
    const [request] = receiver.received as [Received];
    assert.equal(request.path, '/v1/traces');
    assert.equal(request.headers['content-type'], 'application/x-protobuf');

    // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2)
    const [resourceSpans] = bytes(decodeMessage(request.body), 1);
    const [scopeSpans] = bytes(decodeMessage(resourceSpans!), 2);
    const scope = decodeMessage(scopeSpans!);
    assert.equal(bytes(decodeMessage(bytes(scope, 1)[0]!), 1)[0]?.toString(), 'conduit');
    const spans = bytes(scope, 2).map((raw) => {
      const span = decodeMessage(raw);
      return {
        traceId: bytes(span, 1)[0]?.toString('hex'),
        spanId: bytes(span, 2)[0]?.toString('hex'),
        parentSpanId: bytes(span, 4)?.[0]?.toString('hex'),
        name: bytes(span, 5)[0]?.toString('utf8'),
        kind: Number(span.get(6)?.[0]),
      };
    });
    assert.deepEqual(
      spans.sort((a, b) => (a.name! < b.name! ? -1 : 1)),
      [
        {
          traceId: trace.traceId,
          spanId: server.context.spanId,
          parentSpanId: trace.spanId,
          name: 'chat fast',
          kind: 2,
        },
        {
          traceId: trace.traceId,
          spanId: attempt.context.spanId,
          parentSpanId: server.context.spanId,
          name: 'chat gpt-4o-mini',
          kind: 3,
        },
      ],
    );
  });

  test('a collector that rejects the batch: retried once, then reported to onError', async () => {
    receiver.received.length = 0;
    receiver.respond = 'reject';
    const errors: unknown[] = [];
    const tracer = createTracer({
      exporter: createOtlpExporter({ endpoint: receiver.url('/v1/traces'), protocol: 'http/json' }),
      onError: (error) => errors.push(error),
    });
    recordRequest(tracer);
    await tracer.close();
    receiver.respond = 'ok';
    assert.equal(receiver.received.length, 2, 'first attempt and one retry');
    assert.equal(errors.length, 1);
    assert.ok(ConduitError.isInstance(errors[0]));
    assert.equal(errors[0].code, 'upstream_error');
    assert.match(errors[0].message, /OTLP export of 2 spans to http:\/\/127\.0\.0\.1:\d+\/v1\/traces failed/);
  });

  test('a collector that never answers: the export fails after timeoutMs', async () => {
    receiver.respond = 'hang';
    const exporter = createOtlpExporter({ endpoint: receiver.url('/v1/traces'), timeoutMs: 200 });
    const arrived = receiver.nextRequest();
    await assert.rejects(
      exporter.export([spanRecord('stuck')], { serviceName: 'conduit' }),
      (error: unknown) => ConduitError.isInstance(error) && error.code === 'upstream_error',
    );
    await arrived;
    receiver.respond = 'ok';
    await exporter.shutdown();
  });

  test('a collector that is not there: the failure goes to onError, not to the caller', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const errors: unknown[] = [];
    const tracer = createTracer({
      exporter: createOtlpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, timeoutMs: 300 }),
      onError: (error) => errors.push(error),
    });
    recordRequest(tracer);
    await tracer.close();
    assert.equal(errors.length, 1);
  });
});
