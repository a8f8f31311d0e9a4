/**
 * `conduit rm <name...>`: deletes models from the local model store, each with the manifest
 * `conduit pull` wrote beside it. Every name is checked before anything is deleted, so a typo among
 * several names deletes nothing.
 */
import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { ConduitError } from '../../core/errors.js';
import { listStoredModels, manifestPath, type StoredModel, storeDir } from '../../engine/model-store.js';
import { storedModelJson } from './list.js';
import { formatBytes } from './pull.js';

/**
 * Adds `rm` to the program.
 *
 * @example
 * registerRmCommand(program);
 * // $ conduit rm qwen2.5-0.5b-instruct-q4_k_m
 */
export function registerRmCommand(program: Command): void {
  program
    .command('rm')
    .description('Delete models from the local model store')
    .argument('<names...>', 'model names as `conduit list` shows them (local:<name> works too)')
    .option('--json', 'print the deleted models as JSON')
    .action(async (names: string[], options: { json?: boolean }) => {
      const dir = storeDir();
      const stored = await listStoredModels({ dir });
      const chosen = new Set<StoredModel>();
      const missing: string[] = [];
      for (const raw of names) {
        const name = raw.replace(/^local:/, '');
        // Exact first, then regardless of case, as `local:<name>` resolves.
        const model =
          stored.find((m) => m.name === name) ??
          stored.find((m) => m.name.toLowerCase() === name.toLowerCase());
        if (model) chosen.add(model);
        else missing.push(raw);
      }
      if (missing.length > 0) {
        const list = missing.map((n) => `"${n}"`).join(', ');
        const available =
          stored.length > 0
            ? `Models in the store: ${stored.map((m) => m.name).join(', ')}.`
            : 'The store is empty.';
        throw new ConduitError('not_found', `No model ${list} in ${dir}. ${available} Nothing was deleted.`);
      }
      for (const model of chosen) {
        await rm(model.path);
        await rm(manifestPath(model.path), { force: true });
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ deleted: [...chosen].map(storedModelJson) }, null, 2)}\n`);
        return;
      }
      for (const model of chosen)
        process.stdout.write(`Deleted ${model.name} (${formatBytes(model.bytes)})\n`);
    });
}
