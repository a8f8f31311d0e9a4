/**
 * Every relative import between the project's own files, read with TypeScript's parser (so an
 * `import` inside a comment or a string is not one). Counted as imports: `import … from`,
 * `export … from`, `import('…')` in code and in types, and `new URL('….js', import.meta.url)` —
 * the way to load a module that the compiler must not see, which is still a dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the source root, e.g. `engine/model-store.ts`. */
  from: string;
  /** Imported file, relative to the source root (`.js` specifiers mapped to `.ts`); starts with `../` when outside it. */
  to: string;
  typeOnly: boolean;
}

export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(root);
  return out.sort();
}

export function importsOf(file: string, root: string): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean) => {
    if (!specifier || !ts.isStringLiteralLike(specifier) || !specifier.text.startsWith('.')) return;
    const target = resolve(dirname(file), specifier.text).replace(/\.js$/, '.ts');
    edges.push({ from: relative(root, file), to: relative(root, target), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      add(node.moduleSpecifier, clause?.isTypeOnly === true || isTypeOnlyNamedImports(clause));
    } else if (ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument)) add(argument.literal, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false);
    } else if (isModuleUrl(node)) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** `import { type A, type B } from …` loads nothing at run time either. */
function isTypeOnlyNamedImports(clause: ts.ImportClause | undefined): boolean {
  const bindings = clause?.namedBindings;
  return (
    clause?.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** `new URL('./x.js', import.meta.url)`: a module located at run time (data files do not count). */
function isModuleUrl(node: ts.Node): node is ts.NewExpression & { arguments: ts.NodeArray<ts.Expression> } {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'URL')
    return false;
  const [specifier, base] = node.arguments ?? [];
  return (
    specifier !== undefined &&
    ts.isStringLiteralLike(specifier) &&
    /\.[cm]?[jt]s$/.test(specifier.text) &&
    base !== undefined &&
    base.getText() === 'import.meta.url'
  );
}
