/**
 * Resolves a model id as clients and providers spell it (`gpt-4o-mini-2024-07-18`,
 * `models/gemini-2.0-flash-001`, `openai/gpt-4o`, `anthropic.claude-3-5-sonnet-20241022-v2:0`) to the
 * key of a per-model table. Pricing, context windows and tokenizers share this one matcher so a model
 * id that finds its price also finds its context window.
 *
 * Order: exact key, then the id without its date/version suffix, then the longest key that is a prefix
 * ending at a separator. The longest prefix wins, so `gpt-4o-mini-search` finds `gpt-4o-mini`, never
 * `gpt-4o`; a separator is required, so `gpt-4` never matches `gpt-4o` or `gpt-4.1`.
 */

/** Providers that may prefix an id as `provider:model` (Conduit's LanguageModel.id form). */
const PROVIDER_PREFIXES = new Set([
  'openai',
  'azure',
  'anthropic',
  'google',
  'gemini',
  'vertex',
  'bedrock',
  'deepseek',
  'mistral',
  'groq',
  'together',
  'openrouter',
  'fireworks',
  'xai',
  'ollama',
  'vllm',
  'local',
  'openai-compatible',
]);

/** Characters that may follow a key for a prefix match to count. */
const SEPARATORS = new Set(['-', ':', '@', '_', '/']);

/** Snapshot and version suffixes providers append to a model family's id. */
const VERSION_SUFFIXES = [
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI: gpt-4o-mini-2024-07-18
  /-\d{8}$/, // Anthropic: claude-3-5-sonnet-20241022
  /@\d{8}$/, // Vertex AI: claude-3-5-sonnet-v2@20241022
  /-v\d+(?::\d+)?$/, // Bedrock: ...-v2:0, Vertex: ...-v2
  /-\d{2}-\d{2}$/, // Gemini previews: gemini-2.5-flash-preview-05-20
  /-\d{3,4}$/, // Gemini -001, OpenAI -0613, Mistral -2411
  /-(?:latest|preview|exp)$/,
];

export interface NormalizedModelId {
  /** Lower-cased id without provider prefixes (`models/`, `provider:`, Bedrock region/vendor). */
  id: string;
  /** Provider named by a `provider:` prefix, or the one passed in. */
  provider?: string;
}

export function normalizeModelId(modelId: string, provider?: string): NormalizedModelId {
  let id = modelId.trim().toLowerCase();
  let prov = provider?.trim().toLowerCase() || undefined;
  const colon = /^([a-z0-9-]+):(.+)$/.exec(id);
  if (colon?.[1] && colon[2] && PROVIDER_PREFIXES.has(colon[1])) {
    prov ??= colon[1];
    id = colon[2];
  }
  id = id.replace(/^models\//, '');
  // Bedrock: `us.anthropic.claude-...`, `meta.llama3-...`
  id = id.replace(/^(?:us|eu|apac|global)\./, '').replace(/^(?:anthropic|meta|mistral|amazon|cohere)\./, '');
  // OpenRouter spells Claude versions with dots (`anthropic/claude-3.5-sonnet`); Anthropic uses dashes.
  id = id.replace(
    /(^|\/)(claude-[^/]*)$/,
    (_m, lead: string, name: string) => lead + name.replace(/(\d)\.(\d)/g, '$1-$2'),
  );
  return { id, provider: prov };
}

/** Removes date and version suffixes until none is left: `gemini-2.5-flash-preview-05-20` → `gemini-2.5-flash`. */
export function stripVersionSuffix(id: string): string {
  let current = id;
  for (;;) {
    let next = current;
    for (const pattern of VERSION_SUFFIXES) next = next.replace(pattern, '');
    if (next === current || next.length === 0) return current;
    current = next;
  }
}

function candidates(modelId: string, provider?: string): string[] {
  const { id, provider: prov } = normalizeModelId(modelId, provider);
  const bare = id.slice(id.lastIndexOf('/') + 1);
  const list: string[] = [];
  if (prov) list.push(`${prov}/${id}`, `${prov}/${bare}`);
  list.push(id, bare);
  return [...new Set(list)];
}

function longestPrefix(id: string, keys: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    if (key.length >= id.length || !id.startsWith(key)) continue;
    if (!SEPARATORS.has(id.charAt(key.length))) continue;
    if (best === undefined || key.length > best.length) best = key;
  }
  return best;
}

/** The key of `table` that best matches `modelId`, or undefined. */
export function matchModelKey(
  modelId: string,
  table: ReadonlyMap<string, unknown>,
  provider?: string,
): string | undefined {
  const ids = candidates(modelId, provider);
  for (const id of ids) if (table.has(id)) return id;
  for (const id of ids) {
    const stripped = stripVersionSuffix(id);
    if (table.has(stripped)) return stripped;
  }
  for (const id of ids) {
    const key = longestPrefix(id, table.keys());
    if (key !== undefined) return key;
  }
  return undefined;
}

export interface ModelTable<T> {
  /** The entry that best matches a model id; registered entries win over built-ins with the same key. */
  lookup(modelId: string, provider?: string): T | undefined;
  /** The matched key as well, for diagnostics (`conduit models --prices`). */
  match(modelId: string, provider?: string): { key: string; value: T } | undefined;
  register(entries: Record<string, T>): void;
  reset(): void;
}

/** A per-model table with built-ins, overrides and a small lookup cache. */
export function createModelTable<T>(builtins: Record<string, T>): ModelTable<T> {
  let overrides = new Map<string, T>();
  let merged = new Map<string, T>();
  const cache = new Map<string, string | null>();
  const rebuild = () => {
    merged = new Map(Object.entries(builtins).map(([k, v]) => [k.toLowerCase(), v] as [string, T]));
    for (const [k, v] of overrides) merged.set(k, v);
    cache.clear();
  };
  rebuild();

  const match = (modelId: string, provider?: string) => {
    const cacheKey = `${provider ?? ''}\u0000${modelId}`;
    let key = cache.get(cacheKey);
    if (key === undefined) {
      key = matchModelKey(modelId, merged, provider) ?? null;
      // Ids come from clients; bound the cache so a stream of random ids cannot grow it forever.
      if (cache.size > 10_000) cache.clear();
      cache.set(cacheKey, key);
    }
    if (key === null) return undefined;
    const value = merged.get(key);
    return value === undefined ? undefined : { key, value };
  };

  return {
    lookup: (modelId, provider) => match(modelId, provider)?.value,
    match,
    register(entries) {
      for (const [k, v] of Object.entries(entries)) {
        // `openai:gpt-4o` and `openai/gpt-4o` both register a provider-specific entry.
        const { id, provider } = normalizeModelId(k);
        overrides.set(provider && !id.startsWith(`${provider}/`) ? `${provider}/${id}` : id, v);
      }
      rebuild();
    },
    reset() {
      overrides = new Map();
      rebuild();
    },
  };
}
