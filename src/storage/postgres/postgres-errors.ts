/**
 * Maps PostgreSQL errors (SQLSTATE codes, the same from pg and PGlite) to the shared error model,
 * and turns "cannot connect" into a message that says where and what to check.
 */
import { ConduitError } from '../../core/errors.js';

const CONFLICT = new Set(['23505']); // unique_violation
// check_violation, not_null_violation, invalid_text_representation, numeric_value_out_of_range
const BAD_REQUEST = new Set(['23514', '23502', '22P02', '22003']);
const CONNECTION = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', '57P03']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps constraint errors; anything unrecognised passes through unchanged. */
export function mapPostgresError(error: unknown, what: string): unknown {
  if (ConduitError.isInstance(error)) return error;
  const code = sqlState(error);
  if (code && CONFLICT.has(code))
    return new ConduitError('conflict', `${what} already exists`, { cause: error });
  if (code && BAD_REQUEST.has(code)) {
    return new ConduitError('bad_request', `${what} has an invalid value`, { cause: error });
  }
  return error;
}

/** A URL safe to print: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export function isConnectionError(error: unknown): boolean {
  const code = sqlState(error);
  if (code && CONNECTION.has(code)) return true;
  // pg reports a dropped or refused socket without a code when it happens during startup.
  return /connect|terminat|timeout/i.test((error as Error | null)?.message ?? '');
}

export function connectionError(url: string, cause: unknown): ConduitError {
  return new ConduitError(
    'internal',
    `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error)?.message ?? String(cause)}. ` +
      'Check that the server runs and the URL (host, port, user, database) is right.',
    { cause, retryable: true },
  );
}
