/**
 * `conduit serve`: the gateway. Prints where it listens, the security mode and the models, then
 * serves until SIGINT/SIGTERM, when it drains in-flight streams and flushes the usage log.
 */
import type { Command } from 'commander';
import { startGateway } from '../../server/start-gateway.js';
import { UsageError } from '../cli-error.js';

interface ServeOptions {
  port?: string;
  host?: string;
  insecure?: boolean;
  watch?: boolean;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the OpenAI- and Anthropic-compatible gateway')
    .option('-p, --port <port>', 'port (default 4141, or server.port in conduit.yaml)')
    .option('-H, --host <host>', 'address to bind (default 127.0.0.1)')
    .option('--insecure', 'allow a non-loopback address without a master key')
    .option('--no-watch', 'do not reload conduit.yaml when it changes')
    .addHelpText(
      'after',
      `
Without a master key (master_key in conduit.yaml or CONDUIT_MASTER_KEY) the gateway runs in
development mode on loopback: any bearer token is accepted. With one, only the master key and
virtual keys (conduit keys create) pass.

Examples:
  $ conduit serve
  $ CONDUIT_MASTER_KEY=sk-admin-... conduit serve --host 0.0.0.0 --port 8080
  $ curl http://127.0.0.1:4141/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model":"fast","messages":[{"role":"user","content":"hi"}]}'`,
    )
    .action(async (options: ServeOptions, command: Command) => {
      const globals = command.optsWithGlobals<{ config?: string }>();
      let port: number | undefined;
      if (options.port !== undefined) {
        port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new UsageError(`--port must be 0-65535, got "${options.port}"`);
      }
      const running = await startGateway({
        configPath: globals.config,
        port,
        host: options.host,
        insecure: options.insecure,
        watch: options.watch,
      });
      const conduit = running.conduit();
      const config = conduit.config;
      const lines = [`Conduit gateway listening on ${running.url}`];
      lines.push(
        running.devMode
          ? '  mode:    development: no master key, any bearer token is accepted and /admin is open. Set CONDUIT_MASTER_KEY to require keys.'
          : '  mode:    keys required (master key or virtual keys)',
      );
      lines.push(`  storage: ${conduit.storageUrl}`);
      lines.push(
        `  config:  ${running.configPath ? `${running.configPath}${options.watch === false ? '' : ' (reloads on change)'}` : 'none (defaults)'}`,
      );
      const aliases = Object.entries(config.models);
      if (aliases.length > 0) {
        lines.push('  models:');
        for (const [alias, spec] of aliases) {
          lines.push(
            `    ${alias} (${spec.strategy}) → ${spec.deployments.map((d) => `${d.provider}:${d.model}`).join(', ')}`,
          );
        }
      }
      for (const note of conduit.discovery?.notes ?? []) lines.push(`  found:   ${note}`);
      if (aliases.length === 0 && (conduit.discovery?.providers.length ?? 0) === 0) {
        lines.push(
          '  models:  none yet. Add one: export OPENAI_API_KEY (or ANTHROPIC_API_KEY, GEMINI_API_KEY, ...),',
          '           start Ollama (ollama serve), put a GGUF model in the store (conduit pull <hf-repo/file.gguf>),',
          '           or write conduit.yaml:',
          '             models:',
          '               fast: { provider: openai, model: gpt-4o-mini }',
          '           See docs/configuration.md.',
        );
      }
      lines.push(`  try:     curl ${running.url}/v1/models`);
      process.stdout.write(`${lines.join('\n')}\n`);

      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) {
            process.stderr.write(`${signal} again: exiting now\n`);
            process.exit(1);
          }
          stopping = true;
          process.stderr.write(`${signal}: draining in-flight requests…\n`);
          void running.close().then(resolve, (error: unknown) => {
            process.stderr.write(`shutdown: ${(error as Error).message}\n`);
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
