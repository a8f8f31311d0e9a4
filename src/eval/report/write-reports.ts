/**
 * Writes the report files a run was asked for — `--output` JSON, `--junit` XML, `--html` — and
 * returns the results JSON, which `--json` also prints.
 *
 * @example
 * await writeReports(run, { output: 'results.json', junit: 'junit.xml', html: 'report.html' });
 */
import { writeFile } from 'node:fs/promises';
import type { EvalRunResult } from '../runner/eval-result.js';
import { htmlReport } from './html-report.js';
import { junitReport } from './junit-report.js';
import { resultsJson } from './results-json.js';

export interface ReportFiles {
  output?: string;
  junit?: string;
  html?: string;
  /** The suite file, recorded in the JSON. */
  file?: string;
}

export async function writeReports(
  run: EvalRunResult,
  files: ReportFiles,
): Promise<ReturnType<typeof resultsJson>> {
  const json = resultsJson(run, files.file ? { file: files.file } : {});
  await Promise.all([
    files.output ? writeFile(files.output, `${JSON.stringify(json, null, 2)}\n`) : undefined,
    files.junit ? writeFile(files.junit, junitReport(run)) : undefined,
    files.html ? writeFile(files.html, htmlReport(run)) : undefined,
  ]);
  return json;
}
