/**
 * `conduit keys`: virtual keys for the gateway — create (the secret is printed once), list, revoke,
 * rotate, update. Works on the configured storage directly, with or without a running server; a
 * running gateway sees revocations within 5 seconds.
 */
import type { Command } from 'commander';
import { effectiveCollections } from '../../gateway/collection-scope.js';
import { BUDGET_PERIODS, type KeyAdmin } from '../../gateway/key-admin.js';
import { openConduit } from '../../runtime/open-conduit.js';
import type { BudgetPeriod, KeyInfo, KeySettings } from '../../storage/ports/key-store.js';
import { COLLECTION_SCOPE_ENTRY } from '../../storage/shared/key-records.js';
import { UsageError } from '../cli-error.js';
import { formatTable } from '../format-table.js';

interface KeyFlags {
  name?: string;
  models?: string;
  collections?: string;
  rpm?: string;
  tpm?: string;
  budgetUsd?: string;
  period?: string;
  expires?: string;
  json?: boolean;
}

async function withAdmin<T>(command: Command, fn: (admin: KeyAdmin) => Promise<T>): Promise<T> {
  const globals = command.optsWithGlobals<{ config?: string }>();
  const conduit = await openConduit({ config: globals.config, surface: 'cli' });
  try {
    return await fn(conduit.keys);
  } finally {
    await conduit.close();
  }
}

function positive(flag: string, value: string | undefined, integer: boolean): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && (!Number.isInteger(n) || n === 0))) {
    throw new UsageError(
      `${flag} must be a ${integer ? 'positive integer' : 'non-negative number'} or "none", got "${value}"`,
    );
  }
  return n;
}

/** `a,team-b-*,shared:read`; `none` for no collections; `default` for the default of the key's model list. */
function collectionsFrom(value: string): string[] | null {
  const trimmed = value.trim();
  if (trimmed === 'default') return null;
  if (trimmed === 'none') return [];
  const list = trimmed
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const bad = list.find((c) => !COLLECTION_SCOPE_ENTRY.test(c));
  if (bad !== undefined) {
    throw new UsageError(
      `--collections takes collection names or globs (team-a-*), each optionally ending in :read, or "none" or "default"; got "${bad}"`,
    );
  }
  return list;
}

function settingsFrom(flags: KeyFlags): KeySettings {
  const settings: KeySettings = {};
  if (flags.name !== undefined) settings.name = flags.name;
  if (flags.models !== undefined)
    settings.models = flags.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
  if (flags.collections !== undefined) settings.collections = collectionsFrom(flags.collections);
  const rpm = positive('--rpm', flags.rpm, true);
  if (rpm !== undefined) settings.rpm = rpm;
  const tpm = positive('--tpm', flags.tpm, true);
  if (tpm !== undefined) settings.tpm = tpm;
  const budget = positive('--budget-usd', flags.budgetUsd, false);
  if (budget !== undefined) settings.budgetUsd = budget;
  if (flags.period !== undefined) {
    if (!BUDGET_PERIODS.includes(flags.period as BudgetPeriod)) {
      throw new UsageError(`--period must be one of ${BUDGET_PERIODS.join(', ')}, got "${flags.period}"`);
    }
    settings.budgetPeriod = flags.period as BudgetPeriod;
  }
  if (flags.expires !== undefined) {
    const days = /^(\d+)d$/.exec(flags.expires);
    const at = days ? Date.now() + Number(days[1]) * 86_400_000 : Date.parse(flags.expires);
    if (!Number.isFinite(at))
      throw new UsageError(
        `--expires must be a date (2026-12-31) or a number of days (30d), got "${flags.expires}"`,
      );
    settings.expiresAt = at;
  }
  return settings;
}

function withSettingFlags(command: Command): Command {
  return command
    .option('--models <list>', 'comma-separated model names the key may use (default: all)')
    .option(
      '--collections <list>',
      'comma-separated RAG collections the key may use: names or globs (team-a-*), ":read" for read-only; ' +
        '"none", or "default" (all for a key without --models, none with)',
    )
    .option('--rpm <n>', 'requests per minute ("none" clears)')
    .option('--tpm <n>', 'tokens per minute ("none" clears)')
    .option('--budget-usd <usd>', 'spend budget per period in USD ("none" clears)')
    .option('--period <period>', `budget period: ${BUDGET_PERIODS.join(', ')} (default monthly)`)
    .option('--expires <when>', 'expiry: a date (2026-12-31) or days from now (30d)')
    .option('--json', 'print JSON');
}

function show(key: KeyInfo): string[] {
  return [
    key.id,
    key.name,
    `${key.prefix}…`,
    key.models.length ? key.models.join(',') : '*',
    effectiveCollections(key).join(',') || '-',
    key.rpm === null ? '-' : String(key.rpm),
    key.tpm === null ? '-' : String(key.tpm),
    key.budgetUsd === null ? '-' : `$${key.budgetUsd}/${key.budgetPeriod}`,
    key.revokedAt ? 'revoked' : key.expiresAt && key.expiresAt < Date.now() ? 'expired' : 'active',
  ];
}

const HEADERS = ['ID', 'NAME', 'KEY', 'MODELS', 'COLLECTIONS', 'RPM', 'TPM', 'BUDGET', 'STATE'];

function printSecret(secret: string, key: KeyInfo, json: boolean | undefined, verb: string) {
  if (json) {
    process.stdout.write(`${JSON.stringify({ key: secret, ...key }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${verb} key ${key.id} (${key.name})\n\n  ${secret}\n\nStore it now: it is not shown again.\n`,
  );
}

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('Manage virtual API keys for the gateway');

  withSettingFlags(keys.command('create').description('Create a key and print its secret once'))
    .requiredOption('-n, --name <name>', 'a name to recognise the key by')
    .action(async (flags: KeyFlags, command: Command) => {
      const settings = settingsFrom(flags);
      const created = await withAdmin(command, (admin) => admin.create({ ...settings, name: flags.name! }));
      printSecret(created.secret, created.key, flags.json, 'Created');
    });

  keys
    .command('list')
    .description('List keys (never their secrets)')
    .option('-a, --all', 'include revoked keys')
    .option('--json', 'print JSON')
    .action(async (flags: { all?: boolean; json?: boolean }, command: Command) => {
      const list = await withAdmin(command, (admin) => admin.list({ includeRevoked: flags.all }));
      if (flags.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else if (list.length === 0)
        process.stdout.write('No keys. Create one with: conduit keys create --name <name>\n');
      else process.stdout.write(formatTable(HEADERS, list.map(show)));
    });

  keys
    .command('revoke <id>')
    .description('Revoke a key (by id or by its sk-cdt-xxxx prefix)')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const key = await withAdmin(command, (admin) => admin.revoke(id));
      process.stdout.write(
        flags.json ? `${JSON.stringify(key, null, 2)}\n` : `Revoked key ${key.id} (${key.name})\n`,
      );
    });

  keys
    .command('rotate <id>')
    .description("Replace a key's secret, keeping its settings; prints the new secret once")
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      const rotated = await withAdmin(command, (admin) => admin.rotate(id));
      printSecret(rotated.secret, rotated.key, flags.json, 'Rotated');
    });

  withSettingFlags(
    keys.command('update <id>').description("Change a key's name, models, collections, limits or budget"),
  )
    .option('-n, --name <name>', 'new name')
    .action(async (id: string, flags: KeyFlags, command: Command) => {
      const settings = settingsFrom(flags);
      if (Object.keys(settings).length === 0)
        throw new UsageError(
          'Nothing to update: pass --name, --models, --collections, --rpm, --tpm, --budget-usd, --period or --expires',
        );
      const key = await withAdmin(command, (admin) => admin.update(id, settings));
      process.stdout.write(
        flags.json ? `${JSON.stringify(key, null, 2)}\n` : formatTable(HEADERS, [show(key)]),
      );
    });
}
