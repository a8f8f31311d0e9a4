import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConduitError } from '../../core/errors.js';
import { type ConfiguredOtlp, type OtlpConfig, otlpConfigFromEnv } from './otlp-config.js';

const table: {
  name: string;
  env: Record<string, string>;
  configured?: ConfiguredOtlp;
  want: OtlpConfig | undefined;
}[] = [
  { name: 'nothing set: no export', env: {}, want: undefined },
  {
    name: 'base endpoint gets /v1/traces; protocol defaults to http/protobuf',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    want: { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/protobuf' },
  },
  {
    name: 'base endpoint with a path and trailing slash',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/otlp/' },
    want: { endpoint: 'https://otlp.example.com/otlp/v1/traces', headers: {}, protocol: 'http/protobuf' },
  },
  {
    name: 'the traces endpoint is used as-is and wins over the base one',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/path',
    },
    want: { endpoint: 'http://tempo:4318/custom/path', headers: {}, protocol: 'http/protobuf' },
  },
  {
    name: 'headers: URL-decoded values, trimmed, signal-specific ones override, malformed entries skipped',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20dXNlcjpwYXNz, x-team = llm ,broken,=nokey',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces,x-scope=a%3Db',
    },
    want: {
      endpoint: 'http://collector:4318/v1/traces',
      headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-team': 'traces', 'x-scope': 'a=b' },
      protocol: 'http/protobuf',
    },
  },
  {
    name: 'protocol: the traces variable wins over the general one',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    },
    want: { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/json' },
  },
  {
    name: 'service name from OTEL_SERVICE_NAME, over OTEL_RESOURCE_ATTRIBUTES',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'gateway-eu',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=other,deployment.environment=prod',
    },
    want: {
      endpoint: 'http://collector:4318/v1/traces',
      headers: {},
      protocol: 'http/protobuf',
      serviceName: 'gateway-eu',
    },
  },
  {
    name: 'service name from OTEL_RESOURCE_ATTRIBUTES',
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_RESOURCE_ATTRIBUTES: 'service.name=llm%20gw' },
    want: {
      endpoint: 'http://c:4318/v1/traces',
      headers: {},
      protocol: 'http/protobuf',
      serviceName: 'llm gw',
    },
  },
  {
    name: 'empty variables count as unset',
    env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_SERVICE_NAME: '' },
    want: undefined,
  },
  {
    name: 'OTEL_SDK_DISABLED=true turns export off, even when configured',
    env: { OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    configured: { endpoint: 'http://yaml:4318/v1/traces' },
    want: undefined,
  },
  {
    name: 'OTEL_SDK_DISABLED=false changes nothing',
    env: { OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    want: { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/protobuf' },
  },
  {
    name: 'OTEL_TRACES_EXPORTER=none turns export off',
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
    want: undefined,
  },
  {
    name: 'conduit.yaml wins over the variables, field by field',
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-env=1,x-both=env',
    },
    configured: { endpoint: 'https://yaml.example.com/v1/traces', headers: { 'x-both': 'yaml' } },
    want: {
      endpoint: 'https://yaml.example.com/v1/traces',
      headers: { 'x-env': '1', 'x-both': 'yaml' },
      protocol: 'http/json',
    },
  },
  {
    name: 'conduit.yaml alone; a bare origin gets /v1/traces',
    env: {},
    configured: { endpoint: 'http://collector:4318', protocol: 'http/json' },
    want: { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/json' },
  },
  {
    name: "conduit.yaml's protocol wins over a grpc variable (which is then never read)",
    env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
    configured: { endpoint: 'http://collector:4318/v1/traces', protocol: 'http/protobuf' },
    want: { endpoint: 'http://collector:4318/v1/traces', headers: {}, protocol: 'http/protobuf' },
  },
];

describe('otlpConfigFromEnv', () => {
  for (const row of table) {
    test(row.name, () => {
      assert.deepEqual(otlpConfigFromEnv(row.env, row.configured), row.want);
    });
  }

  test('grpc is refused with a pointer to http/protobuf', () => {
    assert.throws(
      () =>
        otlpConfigFromEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
        }),
      (error: unknown) =>
        ConduitError.isInstance(error) &&
        error.code === 'unsupported' &&
        /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc is not supported.*use http\/protobuf/.test(error.message),
    );
  });

  test('an unknown protocol or a malformed endpoint names the variable', () => {
    assert.throws(
      () =>
        otlpConfigFromEnv({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
        }),
      /OTEL_EXPORTER_OTLP_PROTOCOL must be http\/protobuf or http\/json, got "http"/,
    );
    assert.throws(
      () => otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }),
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http\(s\) URL/,
    );
  });
});
