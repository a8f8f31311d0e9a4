/**
 * Imports point down only (DESIGN.md § Layers), enforced here rather than by goodwill: every
 * relative import of every file under src/ is checked against one table of what each top-level
 * module may import. Tests beside the code obey the same table; only test code may import test code.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ImportEdge, importsOf, sourceFiles } from './import-graph.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

type Module =
  | 'core'
  | 'storage'
  | 'providers'
  | 'engine'
  | 'observability'
  | 'config'
  | 'rag'
  | 'pipelines'
  | 'tasks'
  | 'eval'
  | 'finetune'
  | 'gateway'
  | 'runtime'
  | 'server'
  | 'console'
  | 'cli'
  | 'index';

const APPLICATION_BASE = ['core', 'storage', 'observability'] as const;
const BELOW_RUNTIME = [
  'core',
  'storage',
  'providers',
  'engine',
  'observability',
  'config',
  'rag',
  'pipelines',
  'tasks',
  'eval',
  'finetune',
  'gateway',
] as const;

/**
 * What each module may import besides itself. A module missing here fails the test, so a new
 * folder gets its place in the layers when it is created; widen an entry only with the reason.
 */
const MAY_IMPORT: Record<Module, readonly Module[]> = {
  core: [],
  storage: ['core'],
  providers: ['core'],
  engine: ['core'],
  // Spans are stored through the TraceStore port.
  observability: ['core', 'storage'],
  // Validates provider ids as strings; the registry of providers lives with runtime.
  config: ['core'],
  // Applications take models as values: never a provider, the engine, the gateway or config.
  rag: APPLICATION_BASE,
  // A pipeline step may retrieve.
  pipelines: [...APPLICATION_BASE, 'rag'],
  tasks: [...APPLICATION_BASE, 'rag', 'pipelines'],
  // Evaluates the other applications (RAG targets load rag's ask lazily).
  eval: [...APPLICATION_BASE, 'rag', 'pipelines', 'tasks'],
  finetune: [...APPLICATION_BASE, 'eval'],
  gateway: ['core', 'providers', 'storage', 'observability', 'config'],
  runtime: BELOW_RUNTIME,
  server: [...BELOW_RUNTIME, 'runtime', 'console'],
  // The web console is a client of the HTTP API; it shares its wire types only.
  console: ['core'],
  cli: [...BELOW_RUNTIME, 'runtime', 'server'],
  // src/index.ts, the package's main entry: a facade over the library, never a surface.
  index: [...BELOW_RUNTIME, 'runtime'],
};

/**
 * Imports that break the table today, each being removed: `from → to`, paths under src/. The test
 * fails on a violation not listed here and on an entry that no longer occurs, so this only shrinks.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

/** Code that is not shipped (tsconfig.build.json excludes it): tests, their helpers and fixtures. */
function isTestCode(path: string): boolean {
  return (
    path.endsWith('.test.ts') ||
    path.split('/').some((segment) => segment === 'test-support' || segment === '__fixtures__') ||
    path.startsWith('storage/contract/') ||
    path.startsWith('../')
  );
}

function moduleOf(path: string): Module {
  const name = path.includes('/') ? path.slice(0, path.indexOf('/')) : path.replace(/\.ts$/, '');
  assert.ok(Object.hasOwn(MAY_IMPORT, name), `src/${name} has no row in MAY_IMPORT (test/architecture)`);
  return name as Module;
}

/** Applications see storage as ports (DESIGN.md § Storage); adapters and their helpers are storage's own. */
const STORAGE_PORTS_ONLY: readonly Module[] = ['rag', 'pipelines', 'tasks', 'eval', 'finetune'];

function violations(edges: ImportEdge[]): string[] {
  const found = new Set<string>();
  for (const edge of edges) {
    const pair = `${edge.from} → ${edge.to}`;
    if (isTestCode(edge.to) && !isTestCode(edge.from)) found.add(pair);
    if (edge.to.startsWith('../')) continue;
    const from = moduleOf(edge.from);
    const to = moduleOf(edge.to);
    if (from !== to && !MAY_IMPORT[from].includes(to)) found.add(pair);
    if (to === 'storage' && STORAGE_PORTS_ONLY.includes(from) && !isTestCode(edge.from)) {
      if (!edge.to.startsWith('storage/ports/')) found.add(pair);
    }
  }
  return [...found].sort();
}

describe('layers', () => {
  const edges = sourceFiles(SRC).flatMap((file) => importsOf(file, SRC));

  test('the table points down: no cycles, and only the CLI imports the server or the CLI', () => {
    for (const [module, allowed] of Object.entries(MAY_IMPORT) as [Module, readonly Module[]][]) {
      if (module !== 'cli') assert.ok(!allowed.includes('cli'), `${module} may import cli`);
      if (module !== 'cli') assert.ok(!allowed.includes('server'), `${module} may import server`);
    }
    const visiting = new Set<Module>();
    const done = new Set<Module>();
    const visit = (module: Module, path: Module[]) => {
      assert.ok(!visiting.has(module), `cycle in MAY_IMPORT: ${[...path, module].join(' → ')}`);
      if (done.has(module)) return;
      visiting.add(module);
      for (const next of MAY_IMPORT[module]) visit(next, [...path, module]);
      visiting.delete(module);
      done.add(module);
    };
    for (const module of Object.keys(MAY_IMPORT) as Module[]) visit(module, []);
  });

  test('the parser sees static, re-exported, dynamic and type imports', () => {
    const bin = edges.filter((e) => e.from === 'cli/command-table.ts').map((e) => e.to);
    assert.ok(bin.includes('cli/commands/chat.ts'), 'import() in cli/command-table.ts');
    assert.ok(
      edges.some((e) => e.from === 'core/index.ts' && !e.typeOnly),
      'export … from in core/index.ts',
    );
    assert.ok(
      edges.some((e) => e.typeOnly),
      'import type',
    );
    assert.ok(edges.length > 500, `only ${edges.length} imports found`);
  });

  test('an upward import (even of types), shipped code importing test code, an application past storage ports', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });
    assert.deepEqual(
      violations([
        { from: 'core/a.ts', to: 'providers/b.ts', typeOnly: true },
        edge('gateway/a.ts', 'storage/test-support/fake.ts'),
        edge('gateway/a.test.ts', 'storage/test-support/fake.ts'),
        edge('rag/a.ts', '../test/support/server.ts'),
        edge('rag/a.ts', 'storage/shared/text-terms.ts'),
        edge('rag/a.ts', 'storage/ports/document-store.ts'),
        edge('rag/a.test.ts', 'storage/memory/memory-storage.ts'),
        edge('server/a.ts', 'cli/main.ts'),
        edge('cli/main.ts', 'server/a.ts'),
      ]),
      [
        'core/a.ts → providers/b.ts',
        'gateway/a.ts → storage/test-support/fake.ts',
        'rag/a.ts → ../test/support/server.ts',
        'rag/a.ts → storage/shared/text-terms.ts',
        'server/a.ts → cli/main.ts',
      ],
    );
  });

  test('every import follows the table; only tests import test code', () => {
    const found = violations(edges);
    const unexpected = found.filter((v) => !KNOWN_VIOLATIONS.includes(v));
    const fixed = KNOWN_VIOLATIONS.filter((v) => !found.includes(v));
    assert.deepEqual(
      unexpected,
      [],
      `imports against DESIGN.md § Layers (see MAY_IMPORT):\n  ${unexpected.join('\n  ')}`,
    );
    assert.deepEqual(fixed, [], `no longer occur, remove from KNOWN_VIOLATIONS:\n  ${fixed.join('\n  ')}`);
  });
});
