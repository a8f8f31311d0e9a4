/**
 * Gathers test cases from the suite: inline entries, JSONL files and CSV files. A file record is
 * either structured (`{ "vars": …, "assert": […] }`, validated like an inline case) or flat, where
 * every column is a variable except the promptfoo-style special columns `__id`, `__description`,
 * `__threshold` and `__expected` (also `__expected1`, `__expected2`, …), whose text is an assertion:
 * `contains: Paris`, `not-regex: ^\d`, `similar(0.8): hello`, `javascript: output.length < 80`,
 * or plain text for `equals`. Defaults merge under file-entry settings, which merge under the case.
 */
import { basename } from 'node:path';
import { parseAssertionType } from '../assertions/assertion-registry.js';
import type { AssertionSpec } from '../assertions/assertion-types.js';
import type { EvalCase } from './eval-suite.js';
import { readSuiteFile } from './load-prompts.js';
import { parseCsv } from './parse-csv.js';
import { SuiteError } from './suite-error.js';
import { type CaseSpec, caseSpecSchema, type SuiteFile } from './suite-schema.js';

const EXPECTED = /^(not-)?([a-z-]+)(?:\(([-+\d.eE]+)\))?:\s?([\s\S]*)$/;
// promptfoo's shorter names for the same checks.
const ALIASES: Record<string, string> = { fn: 'javascript', grade: 'llm-rubric' };

/** One `__expected` cell → an assertion. */
export function parseExpected(text: string): AssertionSpec {
  const match = EXPECTED.exec(text);
  if (match) {
    const [, not = '', rawType = '', threshold, rest = ''] = match;
    const type = `${not}${ALIASES[rawType] ?? rawType}`;
    const parsed = parseAssertionType(type);
    if (parsed) {
      const spec: AssertionSpec = { type };
      if (threshold !== undefined) spec.threshold = Number(threshold);
      const list = parsed.base.endsWith('-any') || parsed.base.endsWith('-all');
      if (rest !== '' || list) spec.value = list ? rest.split(',').map((s) => s.trim()) : rest;
      return spec;
    }
  }
  return { type: 'equals', value: text };
}

interface Defaults {
  vars: Record<string, unknown>;
  assert: AssertionSpec[];
  threshold?: number;
  prompts?: string[];
}

function flatRecord(record: Record<string, unknown>): CaseSpec {
  const vars: Record<string, unknown> = {};
  const assert: AssertionSpec[] = [];
  const spec: CaseSpec = { vars, assert };
  for (const [key, value] of Object.entries(record)) {
    if (key === '__id') spec.id = String(value);
    else if (key === '__description') spec.description = String(value);
    else if (key === '__threshold') spec.threshold = Number(value);
    else if (key === '__prompts')
      spec.prompts = String(value)
        .split(',')
        .map((p) => p.trim());
    else if (/^__expected\d*$/.test(key)) {
      if (value !== '' && value !== null && value !== undefined) assert.push(parseExpected(String(value)));
    } else vars[key] = value;
  }
  return spec;
}

function validated(record: unknown, where: string): CaseSpec {
  if (!record || typeof record !== 'object' || Array.isArray(record))
    throw new SuiteError(`${where}: a case must be an object`);
  const structured = 'vars' in record || 'assert' in record;
  const candidate = structured ? record : flatRecord(record as Record<string, unknown>);
  const parsed = caseSpecSchema.omit({ file: true }).safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new SuiteError(`${where}: ${key}${issue.message}`);
}

async function fileRecords(
  dir: string,
  file: string,
  where: string,
): Promise<{ spec: CaseSpec; line: number }[]> {
  const text = await readSuiteFile(dir, file, where);
  const lower = file.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) {
    const out: { spec: CaseSpec; line: number }[] = [];
    text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return;
      let record: unknown;
      try {
        record = JSON.parse(raw);
      } catch (error) {
        throw new SuiteError(`${file}:${i + 1}: not JSON: ${(error as Error).message}`);
      }
      out.push({ spec: validated(record, `${file}:${i + 1}`), line: i + 1 });
    });
    return out;
  }
  if (lower.endsWith('.csv')) {
    let rows: ReturnType<typeof parseCsv>;
    try {
      rows = parseCsv(text);
    } catch (error) {
      throw new SuiteError(`${file}: ${(error as Error).message}`);
    }
    const [header, ...body] = rows;
    if (!header) return [];
    return body.map(({ line, fields }) => {
      if (fields.length !== header.fields.length)
        throw new SuiteError(
          `${file}:${line}: ${fields.length} fields, but the header has ${header.fields.length}`,
        );
      const record = Object.fromEntries(header.fields.map((name, i) => [name.trim(), fields[i]!]));
      return { spec: validated(record, `${file}:${line}`), line };
    });
  }
  throw new SuiteError(`${where}: ${file}: cases are read from .jsonl or .csv files`);
}

function merge(defaults: Defaults, spec: CaseSpec, id: string, source: string): EvalCase {
  const threshold = spec.threshold ?? defaults.threshold;
  const prompts = spec.prompts ?? defaults.prompts;
  return {
    id,
    ...(spec.description ? { description: spec.description } : {}),
    vars: { ...defaults.vars, ...spec.vars },
    assert: [...defaults.assert, ...(spec.assert ?? [])],
    ...(threshold !== undefined ? { threshold } : {}),
    ...(prompts ? { prompts } : {}),
    source,
  };
}

export async function loadCases(
  suite: Pick<SuiteFile, 'cases' | 'defaults'>,
  dir: string,
  lineOf: (index: number) => number,
  file: string,
): Promise<EvalCase[]> {
  const base: Defaults = {
    vars: suite.defaults?.vars ?? {},
    assert: suite.defaults?.assert ?? [],
    ...(suite.defaults?.threshold !== undefined ? { threshold: suite.defaults.threshold } : {}),
  };
  const cases: EvalCase[] = [];
  for (const [index, entry] of suite.cases.entries()) {
    const where = `${file}:${lineOf(index)}`;
    if (!entry.file) {
      const id = entry.id !== undefined ? String(entry.id) : `case-${cases.length + 1}`;
      cases.push(merge(base, entry, id, where));
      continue;
    }
    const fileDefaults: Defaults = merge(base, { ...entry, file: undefined }, '', where);
    for (const { spec, line } of await fileRecords(dir, entry.file, where)) {
      const id = spec.id !== undefined ? String(spec.id) : `${basename(entry.file)}:${line}`;
      cases.push(merge(fileDefaults, spec, id, `${entry.file}:${line}`));
    }
  }
  const seen = new Map<string, string>();
  for (const c of cases) {
    const first = seen.get(c.id);
    if (first) throw new SuiteError(`${c.source}: case id "${c.id}" is also used at ${first}`);
    seen.set(c.id, c.source);
  }
  return cases;
}
