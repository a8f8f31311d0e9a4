/**
 * The hostile-input battery's machinery (issue 10): a gateway started with a master key (so /admin
 * and /metrics need it) in front of a local upstream, a table of malformed requests, and the
 * assertion each one must meet — a 4xx whose error `param` or message names the problem, never a
 * 5xx. Each test file holds a table; this file sends and judges it.
 *
 * @example
 * const cases: HostileCase[] = [{ name: 'no model', path: '/v1/chat/completions', body: {}, expect: { status: 400, param: 'model' } }];
 * for (const c of cases) test(c.name, async () => assertHostile(c, await sendHostile(gw.url, c)));
 */
import assert from 'node:assert/strict';
import { aliasYaml, type Harness, startHarness } from './gateway-harness.js';
import { type RawResponse, rawRequest } from './raw-http.js';

export const MASTER_KEY = 'sk-master-hostile-battery-0123456789';

export interface HostileExpectation {
  /** The status, or the statuses either of which is right (e.g. 400 or 405 for a wrong method). */
  status: number | number[];
  /** `error.param` of an OpenAI-shaped error. */
  param?: string;
  /** Matched against the error's message (OpenAI or Anthropic shape), else the raw response text. */
  message?: RegExp;
}

export interface HostileCase {
  name: string;
  /** Default POST. */
  method?: string;
  path: string;
  /**
   * Sent on top of the defaults (`authorization: Bearer <master key>`, `content-type:
   * application/json`); a header set to `null` is not sent at all.
   */
  headers?: Record<string, string | null>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  /** Send the body in this many chunks, without content-length. */
  chunks?: number;
  expect: HostileExpectation;
}

export interface HostileGateway extends Harness {
  /** Headers of a master-key JSON request. */
  admin: Record<string, string>;
}

/**
 * A gateway on SQLite with one alias `fast` (chat and embeddings through a local upstream), a small
 * body limit so oversized bodies are cheap to send, and the master key unless `devMode`.
 */
export async function startHostileGateway(
  options: { devMode?: boolean; extraConfig?: string[] } = {},
): Promise<HostileGateway> {
  const harness = await startHarness({
    config: ([a]) =>
      [
        ...(options.devMode ? [] : [`master_key: ${MASTER_KEY}`]),
        'server:',
        `  body_limit_bytes: ${BODY_LIMIT_BYTES}`,
        ...(options.extraConfig ?? []),
        'models:',
        aliasYaml('fast', [a!]),
      ].join('\n'),
  });
  return {
    ...harness,
    admin: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
  };
}

/** The gateway's body limit in the battery: 64 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export function sendHostile(url: string, c: HostileCase): Promise<RawResponse> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${MASTER_KEY}`,
    'content-type': 'application/json',
  };
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  const method = c.method ?? 'POST';
  let body: string | Buffer | undefined;
  if (typeof c.body === 'string' || Buffer.isBuffer(c.body)) body = c.body;
  else if (c.body !== undefined) body = JSON.stringify(c.body);
  if (body === undefined) delete headers['content-type'];
  return rawRequest(url, { method, path: c.path, headers, body, chunks: c.chunks });
}

/** The error message of an OpenAI- or Anthropic-shaped error body, else the raw text. */
export function errorMessage(r: RawResponse): string {
  const error = r.json?.error;
  return typeof error?.message === 'string' ? error.message : r.text;
}

/** The case's expectation, and always: a 4xx, never a 5xx. */
export function assertHostile(c: HostileCase, r: RawResponse): void {
  const shown = `${c.method ?? 'POST'} ${c.path.slice(0, 120)} → ${r.status} ${r.text.slice(0, 400)}`;
  assert.ok(c.expect.param || c.expect.message, `case "${c.name}" must say what names the problem`);
  assert.ok(r.status < 500, `5xx: ${shown}`);
  const statuses = Array.isArray(c.expect.status) ? c.expect.status : [c.expect.status];
  assert.ok(statuses.includes(r.status), `expected ${statuses.join(' or ')}: ${shown}`);
  if (c.expect.param !== undefined) assert.equal(r.json?.error?.param, c.expect.param, shown);
  if (c.expect.message) assert.match(errorMessage(r), c.expect.message, shown);
}

/**
 * After a battery: the server still answers, and a normal request's usage row is written and can be
 * read back from /admin/usage (a poisoned log would never write it).
 */
export async function assertStillServing(gw: Harness, headers: Record<string, string>): Promise<void> {
  const marker = `after-battery-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const health = await fetch(`${gw.url}/health`);
  assert.equal(health.status, 200);
  const chat = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { ...headers, 'x-request-id': marker },
    body: JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'still there?' }] }),
  });
  assert.equal(chat.status, 200, await chat.text());
  // Rows are written every usage_log.flush_ms (250 ms): poll for it rather than guess a delay.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const usage = await fetch(`${gw.url}/admin/usage?limit=1000`, { headers });
    assert.equal(usage.status, 200);
    const { rows } = (await usage.json()) as { rows: { clientRequestId: string | null; status: number }[] };
    const row = rows.find((r) => r.clientRequestId === marker);
    if (row) {
      assert.equal(row.status, 200);
      return;
    }
    assert.ok(Date.now() < deadline, 'the usage row of a normal request after the battery was never written');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A chat request the gateway answers. */
export const CHAT = { model: 'fast', messages: [{ role: 'user', content: 'hi' }] };
