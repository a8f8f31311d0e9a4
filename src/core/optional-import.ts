/**
 * Loads a package that Conduit lists as an optional peer dependency, so a user who only calls hosted
 * models does not download llama.cpp binaries, database drivers or a DOM. When the package is
 * missing, the error names it, what needs it, and the command that installs it — instead of Node's
 * `Cannot find package` from deep inside Conduit.
 *
 * @example
 * const { getLlama } = await importOptional('node-llama-cpp', 'local models', () => import('node-llama-cpp'));
 */
import { ConduitError } from './errors.js';

/** The optional peers and the versions Conduit supports (package.json `peerDependencies`). */
export const OPTIONAL_PACKAGES = {
  'node-llama-cpp': '3.21.1',
  pg: '^8.23.1',
  ioredis: '^5.11.1',
  jsdom: '^27.4.0',
  '@mozilla/readability': '^0.6.0',
  'pdfjs-dist': '^5.6.205',
} as const satisfies Record<string, string>;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** `npm install <pkg>@<range>`, quoted when the range has characters a shell would interpret. */
export function installCommand(pkg: string): string {
  const range: string | undefined = (OPTIONAL_PACKAGES as Record<string, string>)[pkg];
  if (range === undefined) return `npm install ${pkg}`;
  const spec = `${pkg}@${range}`;
  return /^[\w@./-]+$/.test(spec) ? `npm install ${spec}` : `npm install "${spec}"`;
}

/** True when `error` says that `pkg` itself (not one of its own dependencies) is not installed. */
export function isMissingPackage(error: unknown, pkg: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  if (typeof message !== 'string') return false;
  return message.includes(`'${pkg}'`) || message.includes(`'${pkg}/`);
}

/** The error thrown when an optional package is missing. */
export function missingPackageError(pkg: string, feature: string, cause?: unknown): ConduitError {
  return new ConduitError(
    'unsupported',
    `The optional package ${pkg} is not installed (used for ${feature}); install it with: ${installCommand(pkg)}`,
    { cause },
  );
}

/**
 * Runs `load` (an `import()` of `pkg` or one of its subpaths, written out so types and bundlers see
 * the specifier) and turns "not installed" into a ConduitError naming `feature` and the install
 * command. Other failures — a broken install, a missing dependency of `pkg` — pass through.
 */
export async function importOptional<T>(pkg: string, feature: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, pkg)) throw missingPackageError(pkg, feature, error);
    throw error;
  }
}
