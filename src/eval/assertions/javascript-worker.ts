/**
 * Where `javascript` assertions run: one worker thread, shared by the process, executing each check
 * in a `node:vm` context of its own (no `process`, no `require`), strict. A check that runs past its
 * timeout is stopped by terminating the worker — a fresh one takes the next check.
 *
 * Why a worker and not `runInContext({ timeout })`: that timeout starts and joins a watchdog thread
 * on every call, which cost more than everything else a case does (45% of a 500-case run against a
 * fast upstream). Here a timeout is one timer on this side, and a check costs one message round trip.
 */
import { Worker } from 'node:worker_threads';

export type JavascriptRun =
  | { ok: true; result: unknown }
  | { ok: false; kind: 'compile' | 'threw' | 'timeout'; message: string };

interface Job {
  code: string;
  output: string;
  vars: unknown;
  context: unknown;
  timeoutMs: number;
  resolve(run: JavascriptRun): void;
}

// Plain JavaScript, evaluated as the worker's source: no file to locate under tsx or in dist.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');
const compiled = new Map();
function define(body) {
  const context = vm.createContext({});
  return vm.runInContext('(function (output, vars, context) {\\n"use strict";\\n' + body + '\\n})', context, { filename: 'assertion.js' });
}
function compile(code) {
  let fn = compiled.get(code);
  if (fn) return fn;
  // An expression when it parses as one, else a function body (statements, return).
  try { fn = define('return (\\n' + code + '\\n);'); } catch { fn = define(code); }
  compiled.set(code, fn);
  return fn;
}
parentPort.on('message', ({ code, output, vars, context }) => {
  let fn;
  try { fn = compile(code); } catch (error) {
    parentPort.postMessage({ ok: false, kind: 'compile', message: String(error && error.message || error) });
    return;
  }
  try {
    const result = fn(output, vars, context);
    const plain = result !== null && typeof result === 'object' ? JSON.parse(JSON.stringify(result)) : result;
    parentPort.postMessage({ ok: true, result: typeof plain === 'function' ? String(plain) : plain });
  } catch (error) {
    parentPort.postMessage({ ok: false, kind: 'threw', message: String(error && error.message || error) });
  }
});
`;

let worker: Worker | undefined;
const queue: Job[] = [];
let current: { job: Job; timer: NodeJS.Timeout; worker: Worker } | undefined;

function spawnWorker(): Worker {
  const created = new Worker(WORKER_SOURCE, { eval: true });
  // Events of a worker that was replaced after a timeout must not answer the next check.
  created.on('message', (run: JavascriptRun) => finish(created, run));
  created.on('error', (error) => finish(created, { ok: false, kind: 'threw', message: error.message }));
  created.on('exit', (code) => {
    if (worker === created) worker = undefined;
    finish(created, { ok: false, kind: 'threw', message: `the check's worker exited (${code})` });
  });
  // An idle worker must not keep a finished run's process alive; a pending check's timer does.
  // (After the listeners: attaching a 'message' listener refs the worker again.)
  created.unref();
  return created;
}

function finish(from: Worker, run: JavascriptRun): void {
  if (!current || current.worker !== from) return;
  clearTimeout(current.timer);
  const { job } = current;
  current = undefined;
  job.resolve(run);
  next();
}

function next(): void {
  if (current) return;
  const job = queue.shift();
  if (!job) return;
  worker ??= spawnWorker();
  const running = worker;
  const timer = setTimeout(() => {
    worker = undefined;
    finish(running, { ok: false, kind: 'timeout', message: `timed out after ${job.timeoutMs} ms` });
    void running.terminate();
  }, job.timeoutMs);
  current = { job, timer, worker: running };
  try {
    running.postMessage({ code: job.code, output: job.output, vars: job.vars, context: job.context });
  } catch (error) {
    // Vars built in code may hold what cannot be cloned (functions, class instances with handles).
    finish(running, {
      ok: false,
      kind: 'threw',
      message: `vars cannot be passed to the check: ${(error as Error).message}`,
    });
  }
}

/** Runs one check in the worker; never rejects. `vars` and `context` must be structured-cloneable. */
export function runJavascript(
  code: string,
  input: { output: string; vars: unknown; context: unknown },
  timeoutMs: number,
): Promise<JavascriptRun> {
  return new Promise((resolve) => {
    queue.push({ code, ...input, timeoutMs, resolve });
    next();
  });
}
