/**
 * Loads a suite file: YAML with `${ENV}` interpolation, zod validation with `file:line: key` errors,
 * prompt and case files read relative to the suite, and a dry check that every `{{variable}}` a
 * prompt or assertion uses exists in every case — so a typo fails in milliseconds, not after the
 * first hundred model calls.
 *
 * @example
 * const suite = await loadSuite('examples/eval/suite.yaml');
 * suite.prompts.length; suite.cases.length; suite.targets;
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { ASSERTIONS, parseAssertionType, rendersValue } from '../assertions/assertion-registry.js';
import type { EvalSuite } from './eval-suite.js';
import { loadCases } from './load-cases.js';
import { loadPrompts } from './load-prompts.js';
import { templateVariables } from './render-template.js';
import { SuiteError } from './suite-error.js';
import { suiteFileSchema, type TargetSpec } from './suite-schema.js';
import { describeIssues, parseYamlSource } from './yaml-source.js';

export interface LoadSuiteOptions {
  env?: NodeJS.ProcessEnv;
}

export async function loadSuite(path: string, options: LoadSuiteOptions = {}): Promise<EvalSuite> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new SuiteError(`cannot read suite ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`);
  }
  return parseSuite(text, path, options);
}

/** Parses suite text; `file` names it in errors and anchors relative paths. */
export async function parseSuite(
  text: string,
  file: string,
  options: LoadSuiteOptions = {},
): Promise<EvalSuite> {
  const source = parseYamlSource(text, file, options.env ?? process.env);
  const parsed = suiteFileSchema.safeParse(source.value);
  if (!parsed.success) throw new SuiteError(describeIssues(source, parsed.error.issues), parsed.error.issues);
  const data = parsed.data;
  const dir = dirname(resolve(file));
  const prompts = await loadPrompts(data.prompts, dir, (i) => `${file}:${source.lineOf(['prompts', i])}`);
  const cases = await loadCases(data, dir, (i) => source.lineOf(['cases', i]), file);
  if (cases.length === 0) throw new SuiteError(`${file}: the suite has no cases`);
  const targetIds = new Set<string>();
  data.targets.forEach((target, i) => {
    const where = `${file}:${source.lineOf(['targets', i])}`;
    if (target.pipeline !== undefined)
      throw new SuiteError(
        `${where}: pipeline targets are not available yet (they arrive with src/pipelines); implement EvalTarget in code instead, see docs/evaluation.md`,
      );
    for (const id of target.prompts ?? [])
      if (!prompts.some((p) => p.id === id))
        throw new SuiteError(`${where}: prompts: no prompt has the id "${id}"`);
    const id = targetIdOf(target);
    if (targetIds.has(id))
      throw new SuiteError(`${where}: target id "${id}" is used twice; give each target an id`);
    targetIds.add(id);
  });
  checkCases(prompts, cases);
  return {
    name: data.name ?? basename(file, extname(file)),
    ...(data.description ? { description: data.description } : {}),
    file,
    prompts,
    targets: data.targets.map((target) => ({ ...target, id: targetIdOf(target) })),
    cases,
    ...(data.judge ? { judge: data.judge } : {}),
    ...(data.embedding ? { embedding: data.embedding } : {}),
    thresholds: data.thresholds ?? {},
    ...(data.concurrency ? { concurrency: data.concurrency } : {}),
  };
}

/** A target's id: its `id`, else `rag:<collection>`, `<model>@gateway` or the model spec. */
export function targetIdOf(target: TargetSpec): string {
  if (target.id) return target.id;
  if (target.rag) return `rag:${target.rag.collection}`;
  return target.gateway ? `${target.model}@gateway` : target.model!;
}

function checkCases(prompts: EvalSuite['prompts'], cases: EvalSuite['cases']): void {
  const has = (vars: Record<string, unknown>, path: string) => {
    let value: unknown = vars;
    for (const key of path.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return false;
      value = (value as Record<string, unknown>)[key];
    }
    return value !== undefined;
  };
  const promptVars = prompts.map((p) => ({
    id: p.id,
    vars: [...p.messages.map((m) => m.content), ...p.examples.flatMap((e) => [e.input, e.output])].flatMap(
      templateVariables,
    ),
  }));
  for (const c of cases) {
    for (const id of c.prompts ?? [])
      if (!prompts.some((p) => p.id === id))
        throw new SuiteError(`${c.source}: case "${c.id}": prompts: no prompt has the id "${id}"`);
    for (const p of promptVars) {
      if (c.prompts && !c.prompts.includes(p.id)) continue;
      const missing = p.vars.filter((v) => !has(c.vars, v));
      if (missing.length > 0)
        throw new SuiteError(
          `${c.source}: case "${c.id}" has no variable ${missing.map((v) => `{{${v}}}`).join(', ')}, which prompt "${p.id}" uses`,
        );
    }
    for (const a of c.assert) {
      const base = parseAssertionType(a.type)!.base;
      if (ASSERTIONS[base].needsValue && a.value === undefined)
        throw new SuiteError(`${c.source}: case "${c.id}": assertion ${a.type} needs a value`);
      if (!rendersValue(a.type)) continue;
      const strings = JSON.stringify(a.value ?? '').match(/\{\{[^}]*\}\}/g) ?? [];
      const missing = strings.flatMap(templateVariables).filter((v) => !has(c.vars, v));
      if (missing.length > 0)
        throw new SuiteError(
          `${c.source}: case "${c.id}": assertion ${a.type} uses ${missing.map((v) => `{{${v}}}`).join(', ')}, which the case does not define`,
        );
    }
  }
}

/** Which helper models a suite's assertions need. */
export function suiteNeeds(suite: Pick<EvalSuite, 'cases'>): { judge: string[]; embedder: string[] } {
  const judge = new Set<string>();
  const embedder = new Set<string>();
  for (const c of suite.cases) {
    for (const a of c.assert) {
      const definition: { judge?: boolean; embedder?: boolean } =
        ASSERTIONS[parseAssertionType(a.type)!.base];
      if (definition.judge) judge.add(a.type);
      if (definition.embedder) embedder.add(a.type);
    }
  }
  return { judge: [...judge], embedder: [...embedder] };
}
