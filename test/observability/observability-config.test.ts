import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load-config.js';
import { otlpConfigFromEnv } from '../../src/observability/tracing/otlp-config.js';

describe('observability section of conduit.yaml', () => {
  test('defaults: no content capture, local traces on, no OTLP', () => {
    const config = parseConfig('models: {}', 'conduit.yaml', {});
    assert.deepEqual(config.observability, { capture_content: false, traces: { enabled: true } });
  });

  test('otlp settings feed otlpConfigFromEnv and win over the variables', () => {
    const config = parseConfig(
      [
        'observability:',
        '  capture_content: true',
        '  otlp:',
        '    endpoint: ${COLLECTOR}',
        '    protocol: http/json',
        '    headers: { authorization: "Bearer ${TOKEN}" }',
        '  traces: { enabled: false }',
      ].join('\n'),
      'conduit.yaml',
      { COLLECTOR: 'http://collector:4318', TOKEN: 't0k' },
    );
    assert.equal(config.observability.capture_content, true);
    assert.equal(config.observability.traces.enabled, false);
    assert.deepEqual(
      otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4318' }, config.observability.otlp),
      {
        endpoint: 'http://collector:4318/v1/traces',
        headers: { authorization: 'Bearer t0k' },
        protocol: 'http/json',
      },
    );
  });

  test('grpc, unknown keys and non-URLs are configuration errors', () => {
    const parse = (lines: string[]) => () => parseConfig(lines.join('\n'), 'conduit.yaml', {});
    assert.throws(
      parse(['observability:', '  otlp:', '    endpoint: http://c:4317', '    protocol: grpc']),
      /protocol/,
    );
    assert.throws(
      parse(['observability:', '  capture_contents: true']),
      /unknown key observability\.capture_contents/,
    );
    assert.throws(parse(['observability:', '  otlp:', '    endpoint: collector']), /endpoint/);
  });
});
