/**
 * `conduit list` (`ls`): the models in the local model store ($CONDUIT_HOME/models) with size and
 * modification time, as `ollama list` shows them. `conduit models` adds each file's GGUF header
 * (architecture, quantization, context); this stays cheap: it reads no model file.
 */
import type { Command } from 'commander';
import { listStoredModels, type StoredModel, storeDir } from '../../engine/model-store.js';
import { formatTable } from '../format-table.js';
import { formatBytes } from './pull.js';

/** One model as `conduit list --json` prints it. */
export interface StoredModelJson {
  /** Use as `local:<name>`, or with `conduit rm <name>`. */
  name: string;
  path: string;
  size_bytes: number;
  modified_at: string;
  /** Where `conduit pull` got it, if it did. */
  source: string | null;
  sha256: string | null;
}

export function storedModelJson(model: StoredModel): StoredModelJson {
  return {
    name: model.name,
    path: model.path,
    size_bytes: model.bytes,
    modified_at: model.modifiedAt.toISOString(),
    source: model.manifest?.source ?? null,
    sha256: model.manifest?.sha256 ?? null,
  };
}

/**
 * Adds `list` to the program.
 *
 * @example
 * registerListCommand(program);
 * // $ conduit list
 * // NAME                          SIZE    MODIFIED
 * // qwen2.5-0.5b-instruct-q4_k_m  491 MB  2 days ago
 */
export function registerListCommand(program: Command): void {
  program
    .command('list')
    .alias('ls')
    .description('List the models in the local model store with size and modification time')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The store is $CONDUIT_HOME/models (default ~/.conduit/models). Use a model as local:<name>;
\`conduit models\` also shows each file's architecture, quantization and context length.`,
    )
    .action(async (options: { json?: boolean }) => {
      const dir = storeDir();
      const models = await listStoredModels({ dir });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ store: dir, models: models.map(storedModelJson) }, null, 2)}\n`,
        );
        return;
      }
      if (models.length === 0) {
        process.stdout.write(
          `No models in ${dir}. Download one with \`conduit pull <owner>/<repo>/<file>.gguf\`.\n`,
        );
        return;
      }
      const now = Date.now();
      process.stdout.write(
        formatTable(
          ['NAME', 'SIZE', 'MODIFIED'],
          models.map((m) => [m.name, formatBytes(m.bytes), formatAge(m.modifiedAt, now)]),
        ),
      );
    });
}

const UNITS: [string, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 days ago", "About a minute ago" style, as `ollama list` prints it. */
export function formatAge(date: Date, now = Date.now()): string {
  const seconds = Math.max(0, (now - date.getTime()) / 1000);
  for (const [unit, size] of UNITS) {
    const count = Math.floor(seconds / size);
    if (count === 1) return `${unit === 'hour' ? 'An' : 'A'} ${unit} ago`;
    if (count > 1) return `${count} ${unit}s ago`;
  }
  return 'Less than a minute ago';
}
