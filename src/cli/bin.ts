#!/usr/bin/env node
import { main } from './main.js';

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
