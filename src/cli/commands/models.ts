/**
 * `conduit models`: the model aliases configured in conduit.yaml with their context window and price,
 * and (with --all) every model in the built-in price table.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { contextWindowFor } from '../../core/context/context-windows.js';
import { BUILTIN_PRICES } from '../../core/cost/builtin-prices.js';
import { lookupPrice, registerPrices } from '../../core/cost/pricing.js';
import { pricesFromConfig } from '../../core/cost/pricing-config.js';
import { PROVIDER_KEY_ENV } from '../../providers/registry.js';
import { envValue } from '../../providers/shared/resolve-settings.js';
import { toPrice } from '../../runtime/provider-pool.js';
import { formatTable } from '../format-table.js';
import { formatLocalModels, listLocalModels } from './local-models.js';

export interface ModelRow {
  name: string;
  provider: string;
  model: string;
  context_window: number | null;
  input_per_1m: number | null;
  output_per_1m: number | null;
  source: 'config' | 'builtin';
}

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('List configured models with context window and price (USD per 1M tokens)')
    .option('--all', 'also list every model in the built-in price table')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      const { config, path } = await loadConfig({ path: globals.config });
      registerPrices(pricesFromConfig(config.pricing)); // the config's price overrides
      const rows: ModelRow[] = [];
      for (const [alias, entry] of Object.entries(config.models)) {
        for (const d of entry.deployments) {
          const price = d.pricing ? toPrice(d.pricing) : lookupPrice(d.model, d.provider);
          rows.push({
            name: alias,
            provider: d.provider,
            model: d.model,
            context_window: d.context_window ?? contextWindowFor(d.model, d.provider)?.contextTokens ?? null,
            input_per_1m: price?.input ?? null,
            output_per_1m: price?.output ?? null,
            source: 'config',
          });
        }
      }
      if (options.all) {
        for (const id of Object.keys(BUILTIN_PRICES)) {
          const price = lookupPrice(id);
          rows.push({
            name: id,
            provider: '',
            model: id,
            context_window: contextWindowFor(id)?.contextTokens ?? null,
            input_per_1m: price?.input ?? null,
            output_per_1m: price?.output ?? null,
            source: 'builtin',
          });
        }
      }
      const keyed = Object.entries(PROVIDER_KEY_ENV)
        .filter(([, names]) => envValue(names ?? []))
        .map(([id]) => id);
      const local = await listLocalModels();
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ config: path ?? null, models: rows, local_models: local, providers_with_keys: keyed }, null, 2)}\n`,
        );
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(
          `No models configured${path ? ` in ${path}` : ' (no conduit.yaml found)'}.\n` +
            'Add an alias to conduit.yaml, e.g.\n\n  models:\n    fast:\n      provider: openai\n      model: gpt-4o-mini\n\n' +
            'or call any model directly: conduit chat -m openai:gpt-4o-mini "hi". `conduit models --all` lists known models.\n',
        );
      } else {
        process.stdout.write(
          formatTable(
            ['NAME', 'PROVIDER', 'MODEL', 'CONTEXT', 'IN $/1M', 'OUT $/1M'],
            rows.map((r) => [
              r.name,
              r.provider,
              r.model,
              r.context_window?.toLocaleString('en-US') ?? '-',
              money(r.input_per_1m),
              money(r.output_per_1m),
            ]),
          ),
        );
      }
      if (local.length > 0) {
        process.stdout.write(
          `\nLocal models in the model store (local:<name>):\n${formatLocalModels(local)}`,
        );
      }
      if (keyed.length > 0)
        process.stdout.write(`\nAPI keys found in the environment for: ${keyed.join(', ')}\n`);
    });
}

function money(value: number | null): string {
  if (value === null) return '-';
  return value < 0.01 && value > 0 ? value.toFixed(4) : value.toFixed(2);
}
