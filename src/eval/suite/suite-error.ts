/**
 * A suite that cannot run as written: bad YAML, an unknown key, a missing file, a prompt that uses a
 * variable no case defines. The message names the file, the line and the key; the CLI exits 2.
 */
export class SuiteError extends Error {
  override name = 'SuiteError';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** True for any SuiteError, also one from another copy of this module. */
  static isInstance(value: unknown): value is SuiteError {
    return value instanceof Error && value.name === 'SuiteError';
  }
}
