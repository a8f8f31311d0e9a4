#!/usr/bin/env node
import { main } from './main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`conduit: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  },
);
