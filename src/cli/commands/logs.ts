/**
 * `conduit logs`: the gateway's request log from the configured storage — newest first as a table
 * or JSON lines, filtered by model, key, status and time; `--follow` prints rows as they are
 * written, oldest first like `tail -f`, until Ctrl-C.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { UsageLog, UsageQuery, UsageRecord } from '../../storage/ports/usage-log.js';
import { USAGE_STATUS_CLASSES } from '../../storage/ports/usage-log.js';
import { parseUsageStatus } from '../../storage/shared/usage-records.js';
import { UsageError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatNumber, formatTime, formatUsd } from '../format-usage.js';
import {
  type CommandIo,
  type ListFlags,
  listFilters,
  processIo,
  runInProcess,
  withListFlags,
  withStorage,
} from './with-storage.js';

interface LogsFlags extends ListFlags {
  follow?: boolean;
  status?: string;
  interval?: string;
  json?: boolean;
}

const HEADERS = [
  'TIME',
  'REQUEST ID',
  'MODEL',
  'DEPLOYMENT',
  'STATUS',
  'IN',
  'OUT',
  'COST',
  'LATENCY MS',
  'TTFT MS',
  'CACHE',
];
/** Column widths of the follow stream, which cannot measure rows it has not seen yet. */
const FOLLOW_WIDTHS = [20, 36, 14, 28, 6, 6, 6, 9, 10, 7, 5];
const RIGHT_ALIGNED = new Set([5, 6, 7, 8, 9]);

/**
 * How far back each poll of `--follow` looks: rows are written up to a flush window (250 ms) after
 * their time, and replicas' clocks differ a little. Rows already printed are skipped by request id.
 */
const FOLLOW_LOOKBACK_MS = 5_000;

function cells(r: UsageRecord): string[] {
  return [
    formatTime(r.createdAt),
    r.requestId,
    r.alias,
    r.deployment ?? '-',
    r.errorCode ? `${r.status} ${r.errorCode}` : String(r.status),
    String(r.promptTokens),
    String(r.completionTokens),
    formatUsd(r.costUsd),
    formatNumber(r.latencyMs),
    formatNumber(r.ttftMs),
    r.cacheHit ? 'hit' : '-',
  ];
}

function fixedLine(values: string[]): string {
  return values
    .map((v, i) => (RIGHT_ALIGNED.has(i) ? v.padStart(FOLLOW_WIDTHS[i]!) : v.padEnd(FOLLOW_WIDTHS[i]!)))
    .join('  ')
    .trimEnd();
}

function queryFrom(flags: LogsFlags, now: number): UsageQuery {
  const { model, ...filters } = listFilters(flags, now);
  const status = flags.status === undefined ? undefined : parseUsageStatus(flags.status);
  if (flags.status !== undefined && status === undefined) {
    throw new UsageError(
      `--status must be an HTTP status (404) or one of ${USAGE_STATUS_CLASSES.join(', ')}, got "${flags.status}"`,
    );
  }
  return { ...filters, alias: model, status };
}

/** Every row matching `query` (all pages), newest first. */
async function allRows(usage: UsageLog, query: UsageQuery): Promise<UsageRecord[]> {
  const rows: UsageRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await usage.query({ ...query, limit: 1000, cursor });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

async function follow(usage: UsageLog, query: UsageQuery, flags: LogsFlags, io: CommandIo): Promise<void> {
  const interval = Number(flags.interval ?? 1000);
  if (!Number.isFinite(interval) || interval < 10) {
    throw new UsageError(`--interval must be a number of milliseconds >= 10, got "${flags.interval}"`);
  }
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  const onAbort = () => stop.abort();
  io.signal?.addEventListener('abort', onAbort, { once: true });
  if (io.signal?.aborted) stop.abort();

  const print = (rows: UsageRecord[]) => {
    for (const row of rows) io.stdout(flags.json ? `${JSON.stringify(row)}\n` : `${fixedLine(cells(row))}\n`);
  };
  // Printed rows by request id, with their time so that ids older than the lookback can be dropped.
  const seen = new Map<string, number>();
  let watermark = Date.now();
  try {
    const recent = Math.max(watermark - FOLLOW_LOOKBACK_MS, query.since ?? Number.NEGATIVE_INFINITY);
    for (const row of await allRows(usage, { ...query, since: recent }))
      seen.set(row.requestId, row.createdAt);
    // The last rows before now, oldest first, as tail -f starts.
    const backlog = (await usage.query({ ...query, limit: query.limit ?? 10 })).rows.reverse();
    if (!flags.json) io.stdout(`${fixedLine(HEADERS)}\n`);
    print(backlog);
    for (const row of backlog) seen.set(row.requestId, row.createdAt);
    while (!stop.signal.aborted) {
      await sleep(interval, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) break;
      const since = Math.max(watermark - FOLLOW_LOOKBACK_MS, query.since ?? Number.NEGATIVE_INFINITY);
      const fresh = (await allRows(usage, { ...query, since })).filter((r) => !seen.has(r.requestId));
      fresh.reverse();
      print(fresh);
      for (const row of fresh) {
        seen.set(row.requestId, row.createdAt);
        watermark = Math.max(watermark, row.createdAt);
      }
      for (const [id, at] of seen) if (at < watermark - FOLLOW_LOOKBACK_MS) seen.delete(id);
    }
  } finally {
    process.off('SIGINT', onSigint);
    io.signal?.removeEventListener('abort', onAbort);
  }
}

/** Adds `conduit logs` to the program. */
export function registerLogsCommand(program: Command, io: CommandIo = processIo): void {
  withListFlags(
    program.command('logs').description('Show the gateway request log: newest first, or follow new requests'),
    '50, or the last 10 with --follow',
  )
    .option('--status <status>', `an HTTP status (429) or a class: ${USAGE_STATUS_CLASSES.join(', ')}`)
    .option('-f, --follow', 'keep printing new requests as they are logged (oldest first) until Ctrl-C')
    .option('--interval <ms>', 'how often --follow polls the log (default 1000)')
    .option('--json', 'print JSON lines, one row each')
    .addHelpText(
      'after',
      '\nReads the usage log of the configured storage; the gateway writes it within ~250 ms of each request.\n' +
        'Examples:\n' +
        '  $ conduit logs\n' +
        '  $ conduit logs --model fast --status 5xx --since 1h\n' +
        '  $ conduit logs --key key_abc123 --since 2026-12-01 --limit 500 --json\n' +
        '  $ conduit logs --follow --status error',
    )
    .action(async (flags: LogsFlags, command: Command) => {
      const query = queryFrom(flags, Date.now());
      if (flags.follow) {
        await withStorage(command, (storage) => follow(storage.usage, query, flags, io));
        return;
      }
      const { rows } = await withStorage(command, (storage) =>
        storage.usage.query({ ...query, limit: query.limit ?? 50 }),
      );
      if (flags.json) io.stdout(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
      else if (rows.length === 0) io.stdout('No logged requests match.\n');
      else io.stdout(formatTable(HEADERS, rows.map(cells)));
    });
}

/** `conduit logs <args>` in-process with only this command (tests, until main.ts registers it). */
export function runLogs(args: readonly string[], io: CommandIo): Promise<number> {
  return runInProcess(registerLogsCommand, ['logs', ...args], io);
}
