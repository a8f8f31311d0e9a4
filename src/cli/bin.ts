#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { commandToRun, main } from './main.js';

// A short command should exit as soon as it is done. Node waits at exit for V8 to finish optimising
// WebAssembly in the background — undici's (and fetch's) HTTP parser: 0.25 s after the answer of
// `conduit chat` on a 2-core machine, more under load (see bench/cli.ts). The baseline compiler is
// plenty for a few responses; the commands that run for long (serving, ingesting PDFs, evaluating
// thousands of cases) keep the optimising one.
const LONG_RUNNING = new Set(['serve', 'ingest', 'eval']);
if (!LONG_RUNNING.has(commandToRun(process.argv.slice(2)) ?? '')) setFlagsFromString('--liftoff-only');

// `conduit … | head` closes our stdout early: that is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`conduit: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  },
);
