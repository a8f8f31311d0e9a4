/**
 * Where `javascript` assertions run: one worker thread, shared by the process, executing each check
 * in a `node:vm` context of its own (no `process`, no `require`), strict. A check that runs past its
 * timeout is stopped by terminating the worker — a fresh one takes the next check.
 *
 * Why a worker and not `runInContext({ timeout })`: that timeout starts and joins a watchdog thread
 * on every call, which cost more than everything else a case does (45% of a 500-case run against a
 * fast upstream). Here a timeout is one timer on this side, and a check costs one message round trip.
 *
 * The timeout measures the check's own run, not the machine: the worker stamps the moment it starts
 * a check into shared memory, and when the timer fires the check is stopped only if that stamp is
 * older than the timeout and no answer is waiting. Booting the worker (over a second on a loaded
 * 2-core machine) and a busy main thread that reads the answer late no longer fail a check that
 * took microseconds (the flaky `examples/eval` suite of issue 10).
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

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
// `clock` is shared with this side: [0] the sequence number of the check running, [1] its start
// in microseconds since the epoch (written first, so a matching [0] always has its start).
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const vm = require('node:vm');
const { port, clock } = workerData;
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
port.on('message', ({ seq, code, output, vars, context }) => {
  let fn;
  try { fn = compile(code); } catch (error) {
    port.postMessage({ seq, ok: false, kind: 'compile', message: String(error && error.message || error) });
    return;
  }
  Atomics.store(clock, 1, BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)));
  Atomics.store(clock, 0, BigInt(seq));
  try {
    const result = fn(output, vars, context);
    const plain = result !== null && typeof result === 'object' ? JSON.parse(JSON.stringify(result)) : result;
    port.postMessage({ seq, ok: true, result: typeof plain === 'function' ? String(plain) : plain });
  } catch (error) {
    port.postMessage({ seq, ok: false, kind: 'threw', message: String(error && error.message || error) });
  }
});
`;

/** How often a timer re-checks a check that has not started yet (the worker is still booting). */
const NOT_STARTED_POLL_MS = 20;

interface Runner {
  worker: Worker;
  port: MessagePort;
  clock: BigInt64Array;
}

type Answer = JavascriptRun & { seq: number };

let runner: Runner | undefined;
let nextSeq = 1;
const queue: Job[] = [];
let current: { job: Job; seq: number; timer: NodeJS.Timeout; runner: Runner } | undefined;

function spawnRunner(): Runner {
  const { port1, port2 } = new MessageChannel();
  const clock = new BigInt64Array(new SharedArrayBuffer(2 * BigInt64Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, clock },
    transferList: [port2],
  });
  const created: Runner = { worker, port: port1, clock };
  // Events of a worker that was replaced after a timeout must not answer the next check.
  port1.on('message', (answer: Answer) => finish(created, answer));
  worker.on('error', (error) => finish(created, { ok: false, kind: 'threw', message: error.message }));
  worker.on('exit', (code) => {
    if (runner === created) runner = undefined;
    finish(created, { ok: false, kind: 'threw', message: `the check's worker exited (${code})` });
  });
  // An idle worker must not keep a finished run's process alive; a pending check's timer does.
  // (After the listeners: attaching a 'message' listener refs the port again.)
  worker.unref();
  port1.unref();
  return created;
}

function finish(from: Runner, run: JavascriptRun | Answer): void {
  if (!current || current.runner !== from) return;
  // An answer for another check (one already settled) is stale.
  if ('seq' in run && run.seq !== current.seq) return;
  clearTimeout(current.timer);
  const { job } = current;
  current = undefined;
  const { seq: _seq, ...result } = run as Answer;
  job.resolve(result as JavascriptRun);
  next();
}

/** Fired by the timer: stops the check only if it has itself run for its whole timeout. */
function watch(): void {
  if (!current) return;
  const { runner: running, seq, job } = current;
  // The answer may have arrived while this thread was busy: it wins over the timer.
  for (
    let pending = receiveMessageOnPort(running.port);
    pending;
    pending = receiveMessageOnPort(running.port)
  ) {
    finish(running, pending.message as Answer);
    if (current?.seq !== seq) return;
  }
  if (Atomics.load(running.clock, 0) !== BigInt(seq)) {
    current.timer = setTimeout(watch, Math.min(job.timeoutMs, NOT_STARTED_POLL_MS));
    return;
  }
  const startedAt = Number(Atomics.load(running.clock, 1)) / 1000;
  const ranMs = performance.timeOrigin + performance.now() - startedAt;
  if (ranMs < job.timeoutMs) {
    current.timer = setTimeout(watch, Math.max(1, Math.ceil(job.timeoutMs - ranMs)));
    return;
  }
  runner = undefined;
  finish(running, { ok: false, kind: 'timeout', message: `timed out after ${job.timeoutMs} ms` });
  void running.worker.terminate();
}

function next(): void {
  if (current) return;
  const job = queue.shift();
  if (!job) return;
  runner ??= spawnRunner();
  const running = runner;
  const seq = nextSeq++;
  current = { job, seq, timer: setTimeout(watch, job.timeoutMs), runner: running };
  try {
    running.port.postMessage({
      seq,
      code: job.code,
      output: job.output,
      vars: job.vars,
      context: job.context,
    });
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
