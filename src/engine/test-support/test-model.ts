/**
 * The generated test model for engine tests: written once per test process into a temporary
 * folder (a few milliseconds for the tiny preset) and removed when the process exits. Same options,
 * same bytes: the writer is deterministic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type WriteLlamaModelOptions, writeLlamaModel } from '../gguf/write-llama-model.js';

let dir: string | undefined;
const written = new Map<string, Promise<string>>();

/** A folder removed at exit, for models and model stores of one test process. */
export function testDir(): string {
  if (!dir) {
    const created = mkdtempSync(join(tmpdir(), 'conduit-engine-test-'));
    dir = created;
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
  }
  return dir;
}

/** Path of the tiny test model (or another preset/options), written on first use. */
export function testModelPath(options: WriteLlamaModelOptions = {}, fileName = 'tiny.gguf'): Promise<string> {
  const key = `${fileName}\0${JSON.stringify(options)}`;
  let path = written.get(key);
  if (!path) {
    const target = join(testDir(), fileName);
    path = writeLlamaModel(target, options).then(() => target);
    written.set(key, path);
  }
  return path;
}
