/**
 * `conduit pull <source>`: downloads a GGUF model into the model store ($CONDUIT_HOME/models) with
 * a progress bar, resume after interruption and SHA-256 verification (see engine/pull/pull-model).
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { storeDir } from '../../engine/model-store.js';
import { type PullProgress, pullModel } from '../../engine/pull/pull-model.js';
import { UsageError } from '../cli-error.js';

interface PullOptions {
  sha256?: string;
  revision: string;
  force?: boolean;
  json?: boolean;
}

/**
 * Adds `pull` to the program.
 *
 * @example
 * registerPullCommand(program);
 * // $ conduit pull Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf
 */
export function registerPullCommand(program: Command): void {
  program
    .command('pull')
    .description('Download a GGUF model (Hugging Face file or URL) into the model store')
    .argument('<source>', 'owner/repo/file.gguf, hf:owner/repo:file.gguf, or an https:// URL of a .gguf file')
    .option('--sha256 <hex>', 'expected SHA-256 of the file (checked besides the one Hugging Face publishes)')
    .option('--revision <rev>', 'Hugging Face branch, tag or commit', 'main')
    .option('--force', 'download again even if the model is already in the store')
    .option('--json', 'print the result as JSON (no progress bar)')
    .addHelpText(
      'after',
      `
Models go to $CONDUIT_HOME/models (default ~/.conduit/models); use them as local:<name>.
An interrupted download resumes when you run the same command again. Set HF_TOKEN for gated
repositories and HF_ENDPOINT (or CONDUIT_HF_ENDPOINT) for a Hugging Face mirror.

Examples:
  $ conduit pull Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf
  $ conduit pull hf:bartowski/Llama-3.2-1B-Instruct-GGUF:Llama-3.2-1B-Instruct-Q4_K_M.gguf
  $ conduit pull https://example.com/models/my-model.gguf --sha256 3f7a…
  $ conduit chat -m local:qwen2.5-0.5b-instruct-q4_k_m "hi"`,
    )
    .action(async (source: string, options: PullOptions) => {
      if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256.trim()))
        throw new UsageError(`--sha256 must be 64 hexadecimal characters, got "${options.sha256}"`);
      const showBar = !options.json && process.stderr.isTTY === true;
      const bar = showBar ? progressBar() : undefined;
      let result: Awaited<ReturnType<typeof pullModel>>;
      try {
        result = await pullModel(source, {
          sha256: options.sha256?.trim(),
          revision: options.revision,
          force: options.force,
          onProgress: bar?.update,
        });
      } finally {
        bar?.stop();
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const what = result.alreadyPresent ? 'Already in the store' : 'Pulled';
      process.stdout.write(
        `${what}: ${result.name} (${formatBytes(result.bytes)}) → ${result.path}\n` +
          `sha256 ${result.sha256} (${result.verified ? 'verified' : 'not published by the server; recorded in the manifest'})\n` +
          `Use it: conduit chat -m local:${result.name} "hi"   (store: ${storeDir()})\n`,
      );
    });
}

function progressBar(): { update: (progress: PullProgress) => void; stop: () => void } {
  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {done} / {size} | {speed}',
    hideCursor: true,
    stream: process.stderr,
    barsize: 30,
  });
  let started = false;
  const startedAt = Date.now();
  return {
    update({ downloaded, total, resumedFrom }) {
      const payload = {
        done: formatBytes(downloaded),
        size: total === undefined ? '?' : formatBytes(total),
        speed: `${formatBytes(((downloaded - resumedFrom) * 1000) / Math.max(1, Date.now() - startedAt))}/s`,
      };
      if (!started) {
        bar.start(total ?? 0, downloaded, payload);
        started = true;
      } else bar.update(downloaded, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
