/**
 * `{{variable}}` templates for prompts, few-shot examples and assertion values. Deliberately small:
 * a name or a dotted path (`{{user.name}}`), whitespace allowed inside the braces, nothing else — no
 * logic, no filters, no HTML escaping (prompts are not HTML). Strings go in as they are, other
 * values as JSON. A missing variable is an error, never an empty string: a prompt silently
 * missing its question would still get an answer, and a wrong score.
 *
 * @example
 * renderTemplate('Capital of {{country}}?', { country: 'France' })   // 'Capital of France?'
 */

const TAG = /\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

export class MissingVariableError extends Error {
  override name = 'MissingVariableError';
  constructor(readonly variables: string[]) {
    super(
      `missing variable${variables.length > 1 ? 's' : ''} ${variables.map((v) => `{{${v}}}`).join(', ')}`,
    );
  }
}

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let value: unknown = vars;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The variable paths a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(TAG), (m) => m[1]!))];
}

export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  const missing = templateVariables(template).filter((path) => lookup(vars, path) === undefined);
  if (missing.length > 0) throw new MissingVariableError(missing);
  return template.replace(TAG, (_match, path: string) => {
    const value = lookup(vars, path);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Renders every string inside a value (lists and objects included); other values pass through. */
export function renderDeep<T>(value: T, vars: Record<string, unknown>): T {
  if (typeof value === 'string') return renderTemplate(value, vars) as T;
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars)])) as T;
  }
  return value;
}
