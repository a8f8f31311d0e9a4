/**
 * Takes secrets out of text that leaves the process (error messages sent to clients). Upstreams
 * sometimes echo the request — an Authorization header, a URL with `?key=` — in their error bodies,
 * and forwarding that text verbatim would hand the operator's provider key to whoever made the
 * request fail. Configured secrets are replaced wherever they appear; well-known key shapes are
 * replaced even when not configured (a key from the environment, another tenant's key).
 */

const PATTERNS: readonly [RegExp, string][] = [
  // `Bearer <token>` (Authorization echoes).
  [/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // OpenAI, Anthropic (sk-ant-…), Conduit virtual keys (sk-cdt-…), and most OpenAI-compatible hosts.
  [/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]'],
  // Google API keys (AIza…), often echoed in URLs.
  [/\bAIza[0-9A-Za-z_-]{20,}/g, '[redacted]'],
  // `key=…`, `api_key: …`, `x-api-key: …` in echoed URLs and headers.
  [/\b((?:x-)?api[_-]?key|key)(["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/-]{12,}/gi, '$1$2[redacted]'],
];

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 8;

const configured = new Set<string>();

/**
 * Adds secrets to redact from every message this process sends out (API keys of providers and
 * deployments, the master key). The set only grows: a secret removed by a config reload may still
 * appear in an error of a request that started before it.
 */
export function registerSecrets(secrets: Iterable<string | undefined>): void {
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH && configured.size < 10_000) configured.add(secret);
  }
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of configured) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
