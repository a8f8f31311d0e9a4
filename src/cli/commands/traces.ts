/**
 * `conduit traces`: stored traces from the configured storage — `list` summarises them newest first
 * (filtered by the root span's model, key and status), `show` prints one trace's span tree.
 */
import type { Command } from 'commander';
import { ConduitError } from '../../core/errors.js';
import type { TraceListQuery, TraceSummary } from '../../storage/ports/trace-store.js';
import { summarizeTrace } from '../../storage/shared/span-records.js';
import { orderSpanTree } from '../../storage/shared/span-tree.js';
import { UsageError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatNumber, formatTime, formatUsd } from '../format-usage.js';
import { renderSpanTree } from '../render-span-tree.js';
import {
  type CommandIo,
  type ListFlags,
  listFilters,
  processIo,
  runInProcess,
  withListFlags,
  withStorage,
} from './with-storage.js';

interface ListTracesFlags extends ListFlags {
  status?: string;
  json?: boolean;
}

const HEADERS = [
  'TIME',
  'TRACE ID',
  'ROOT',
  'MODEL',
  'KEY',
  'STATUS',
  'SPANS',
  'ERRORS',
  'DURATION MS',
  'COST',
];

function cells(t: TraceSummary): string[] {
  const a = t.root?.attributes ?? {};
  const model = a['conduit.model'] ?? a['gen_ai.request.model'];
  const usd = a['conduit.cost_usd'];
  return [
    formatTime(t.startTime),
    t.traceId,
    t.root?.name ?? '-',
    typeof model === 'string' ? model : '-',
    typeof a['conduit.key_id'] === 'string' ? a['conduit.key_id'] : '-',
    t.root?.status === 'error' ? '✗ error' : (t.root?.status ?? '-'),
    String(t.spanCount),
    String(t.errorCount),
    formatNumber(t.durationMs, 1),
    typeof usd === 'number' ? formatUsd(usd) : '-',
  ];
}

function queryFrom(flags: ListTracesFlags, now: number): TraceListQuery {
  if (flags.status !== undefined && flags.status !== 'ok' && flags.status !== 'error') {
    throw new UsageError(`--status must be ok or error, got "${flags.status}"`);
  }
  return { ...listFilters(flags, now), status: flags.status };
}

/** Adds `conduit traces list|show` to the program. */
export function registerTracesCommand(program: Command, io: CommandIo = processIo): void {
  const traces = program
    .command('traces')
    .description('Show stored traces: list them, or print one as a span tree')
    .addHelpText(
      'after',
      '\nExamples:\n  $ conduit traces list --since 1h --status error\n  $ conduit traces show 4bf92f3577b34da6a3ce929d0e0e4736',
    );

  withListFlags(traces.command('list').description('List traces newest first, with their root span'), 50)
    .option('--status <status>', "the root span's status: ok or error")
    .option('--json', 'print JSON lines, one trace each')
    .addHelpText(
      'after',
      '\nFilters match the root span (the request): its model alias, virtual key and status.\n' +
        'Examples:\n' +
        '  $ conduit traces list\n' +
        '  $ conduit traces list --model fast --key key_abc123 --since 2026-12-01\n' +
        '  $ conduit traces list --status error --since 10m --json',
    )
    .action(async (flags: ListTracesFlags, command: Command) => {
      const query = queryFrom(flags, Date.now());
      const list = await withStorage(command, (storage) => storage.traces.listTraces(query));
      if (flags.json) io.stdout(list.map((t) => `${JSON.stringify(t)}\n`).join(''));
      else if (list.length === 0) io.stdout('No stored traces match.\n');
      else io.stdout(formatTable(HEADERS, list.map(cells)));
    });

  traces
    .command('show <trace-id>')
    .description("Print a trace's spans as a tree: kind, duration, tokens, cost and status of each")
    .option('--json', 'print the summary and the spans (in tree order, with depth) as JSON')
    .addHelpText(
      'after',
      '\nThe trace id is in `conduit traces list`, `conduit logs --json` (traceId) and the\n' +
        'x-conduit-trace-id response header. Failed spans are marked with ✗ and their message.\n' +
        'Examples:\n' +
        '  $ conduit traces show 4bf92f3577b34da6a3ce929d0e0e4736\n' +
        '  $ conduit traces show 4bf92f3577b34da6a3ce929d0e0e4736 --json',
    )
    .action(async (traceId: string, flags: { json?: boolean }, command: Command) => {
      const spans = await withStorage(command, (storage) => storage.traces.getTrace(traceId));
      if (spans.length === 0) throw new ConduitError('not_found', `No trace "${traceId}" is stored`);
      if (flags.json) {
        const body = { summary: summarizeTrace(spans), spans: orderSpanTree(spans) };
        io.stdout(`${JSON.stringify(body, null, 2)}\n`);
      } else io.stdout(renderSpanTree(spans));
    });
}

/** `conduit traces <args>` in-process with only this command (tests, until main.ts registers it). */
export function runTraces(args: readonly string[], io: CommandIo): Promise<number> {
  return runInProcess(registerTracesCommand, ['traces', ...args], io);
}
