/**
 * The lazily loaded CLI: the static command table agrees with what each command registers, the
 * program finds the command to load as commander will dispatch it, and `--version`, `--help` or a
 * typo import no command module at all (which is what keeps them fast; see bench/cli.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Command, Help } from 'commander';
import { COMMANDS, type CommandEntry } from '../../src/cli/command-table.js';
import { commandToRun } from '../../src/cli/main.js';
import { CLI_BIN, TSX_LOADER } from '../support/run-cli.js';

describe('the command table', () => {
  for (const [name, entry] of Object.entries(COMMANDS) as [string, CommandEntry][]) {
    test(`${name}: term, description and alias match what the command registers`, async () => {
      const program = new Command('conduit');
      (await entry.load())(program);
      assert.equal(program.commands.length, 1);
      const command = program.commands[0]!;
      assert.equal(command.name(), name);
      assert.equal(command.description(), entry.description);
      assert.equal(new Help().subcommandTerm(command), entry.term);
      assert.equal(command.aliases()[0], entry.alias);
    });
  }
});

describe('commandToRun', () => {
  const cases: [string[], string | undefined][] = [
    [['chat', '-m', 'fast', 'hi'], 'chat'],
    [['-c', 'x.yaml', 'models', '--json'], 'models'],
    [['--config', 'x.yaml', 'pull', '--help'], 'pull'],
    [['--config=x.yaml', 'keys', 'list'], 'keys'],
    [['-cx.yaml', 'serve'], 'serve'],
    [['help', 'eval'], 'eval'],
    [['help'], undefined],
    [['ls'], 'list'],
    [['--', 'rm', 'x'], 'rm'],
    [['--version'], undefined],
    [['-v', 'chat'], undefined],
    [['--help', 'chat'], undefined],
    [['--bogus', 'chat'], undefined],
    [['nosuch'], undefined],
    [[], undefined],
  ];
  for (const [args, expected] of cases) {
    test(`${JSON.stringify(args)} → ${expected}`, () => assert.equal(commandToRun(args), expected));
  }
});

/** Runs the CLI and returns the project files it imported (relative to src/). */
async function importsOf(args: string[]): Promise<{ code: number | null; stdout: string; files: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), 'conduit-imports-')), 'loaded.txt');
  writeFileSync(log, '');
  const hook = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.includes('/src/')) appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}`;
  const registerHook = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      TSX_LOADER,
      '--import',
      `data:text/javascript,${encodeURIComponent(registerHook)}`,
      CLI_BIN,
      ...args,
    ],
    { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const src = pathToFileURL(join(CLI_BIN, '../..')).href;
  const files = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => url.slice(src.length + 1).replace(/\?.*$/, ''));
  return { code, stdout, files: [...new Set(files)].sort() };
}

describe('cold start', () => {
  const program = [
    'cli/bin.ts',
    'cli/cli-error.ts',
    'cli/command-table.ts',
    'cli/main.ts',
    'cli/version.ts',
    'core/errors.ts',
  ];

  test('--version, --help and an unknown command import no command module', async () => {
    for (const args of [['--version'], ['--help'], ['nosuch']]) {
      const run = await importsOf(args);
      assert.deepEqual(run.files, program, `conduit ${args.join(' ')}`);
    }
  });

  test('a command imports its own module and no other command', async () => {
    const run = await importsOf(['rm', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: conduit rm \[options\] <names\.\.\.>/);
    const commands = run.files.filter((f) => f.startsWith('cli/commands/'));
    // rm shares its JSON shape with list and the size format with pull.
    assert.deepEqual(commands, ['cli/commands/list.ts', 'cli/commands/pull.ts', 'cli/commands/rm.ts']);
  });
});
