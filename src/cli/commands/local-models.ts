/**
 * The local models `conduit models` shows: every GGUF file in the model store, read from its header
 * (architecture, quantization, context length, parameters) without loading it.
 */
import { listStoredModels, type ModelStoreOptions } from '../../engine/model-store.js';
import { importNodeLlamaCpp } from '../../engine/runtime/llama-runtime.js';
import { formatTable } from '../format-table.js';
import { formatBytes } from './pull.js';

export interface LocalModelRow {
  /** Use as `local:<name>`. */
  name: string;
  file: string;
  size_bytes: number;
  architecture: string | null;
  /** e.g. Q4_K_M, Q8_0, F16. */
  quantization: string | null;
  context_length: number | null;
  /** Where `conduit pull` got it, if it did. */
  source: string | null;
  loaded: boolean;
  /** Set when the file header cannot be read (not a GGUF, truncated). */
  error?: string;
}

export interface ListLocalModelsOptions extends ModelStoreOptions {
  /** Whether a file is loaded in this process (a running engine knows; a bare CLI never has any). */
  isLoaded?: (path: string) => boolean;
}

/**
 * @example
 * const rows = await listLocalModels();                    // $CONDUIT_HOME/models
 * process.stdout.write(formatLocalModels(rows));
 */
export async function listLocalModels(options: ListLocalModelsOptions = {}): Promise<LocalModelRow[]> {
  const stored = await listStoredModels(options);
  // Without stored models, hosted-only installs (no node-llama-cpp) list nothing instead of failing.
  if (stored.length === 0) return [];
  // Loaded on demand: node-llama-cpp takes ~0.25 s to import, which other commands should not pay.
  const { GgufFileType, readGgufFileInfo } = await importNodeLlamaCpp();
  return Promise.all(
    stored.map(async (model): Promise<LocalModelRow> => {
      const row: LocalModelRow = {
        name: model.name,
        file: model.path,
        size_bytes: model.bytes,
        architecture: null,
        quantization: null,
        context_length: null,
        source: model.manifest?.source ?? null,
        loaded: options.isLoaded?.(model.path) ?? false,
      };
      try {
        // Skipping the vocabulary arrays keeps this fast on 150k-token models.
        const info = await readGgufFileInfo(model.path, {
          readTensorInfo: false,
          ignoreKeys: [
            'tokenizer.ggml.tokens',
            'tokenizer.ggml.scores',
            'tokenizer.ggml.token_type',
            'tokenizer.ggml.merges',
          ],
        });
        const metadata = info.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
        const architecture = metadata.general?.architecture as string | undefined;
        row.architecture = architecture ?? null;
        const fileType = metadata.general?.file_type as number | undefined;
        row.quantization =
          fileType === undefined
            ? null
            : (GgufFileType[fileType]?.replace(/^(MOSTLY|ALL)_/, '') ?? String(fileType));
        const context = architecture
          ? (metadata[architecture]?.context_length as number | undefined)
          : undefined;
        row.context_length = context ?? null;
      } catch (error) {
        row.error = (error as Error).message;
      }
      return row;
    }),
  );
}

/** The rows as a terminal table (for `conduit models`). */
export function formatLocalModels(rows: LocalModelRow[]): string {
  return formatTable(
    ['NAME', 'ARCH', 'QUANT', 'CONTEXT', 'SIZE', 'LOADED', 'SOURCE'],
    rows.map((r) => [
      `local:${r.name}`,
      r.architecture ?? (r.error ? 'unreadable' : '-'),
      r.quantization ?? '-',
      r.context_length?.toLocaleString('en-US') ?? '-',
      formatBytes(r.size_bytes),
      r.loaded ? 'yes' : 'no',
      r.source ?? '-',
    ]),
  );
}
