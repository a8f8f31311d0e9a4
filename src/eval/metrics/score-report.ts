/**
 * Scores a set of aligned hypotheses and references with one metric and shapes the result the way
 * `conduit score` prints it: sacreBLEU-style lines for people, plain JSON for scripts. Kept out of
 * the CLI so suites and `conduit eval` report the same numbers in the same shape.
 */
import { type BleuOptions, type BleuScore, corpusBleu, sentenceBleu } from './bleu/bleu.js';
import { type ChrfOptions, type ChrfScore, corpusChrf, sentenceChrf } from './chrf/chrf.js';
import { bleuSignature, chrfSignature, formatBleuScore, formatChrfScore } from './format-score.js';
import { pyFormatFixed, pyRstrip } from './python-string.js';
import { DEFAULT_ROUGE_TYPES, type RougeOptions, type RougeScore, rougeScoreMulti } from './rouge/rouge.js';
import { squadScore, summarizeSquad } from './squad/squad.js';

/** Hypotheses and reference streams, sacreBLEU's layout: `references[stream][segment]`, null = none. */
export interface AlignedTexts {
  hypotheses: string[];
  references: Array<Array<string | null>>;
}

export interface ScoreReport {
  /** What `--json` prints. */
  json: unknown;
  /** What a person reads, one entry per line. */
  lines: string[];
}

/** Lines as sacreBLEU's CLI reads a file: split on "\n" only, trailing whitespace (and "\r") stripped. */
export function parseLines(text: string): string[] {
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  return parts.map(pyRstrip);
}

/**
 * JSONL of `{"hypothesis": "…", "references": ["…", …]}` records (a single reference may be a
 * string), so that a hypothesis or reference can span lines. Blank lines are skipped; segments with
 * fewer references than others get null in the missing streams.
 *
 * @example
 * parseJsonlPairs('{"hypothesis": "a b", "references": ["a b", "a c"]}', 'pairs.jsonl')
 */
export function parseJsonlPairs(text: string, source: string): AlignedTexts {
  const hypotheses: string[] = [];
  const perSegment: string[][] = [];
  text.split('\n').forEach((record, index) => {
    if (record.trim() === '') return;
    const where = `${source}:${index + 1}`;
    let parsed: { hypothesis?: unknown; references?: unknown };
    try {
      parsed = JSON.parse(record);
    } catch (cause) {
      throw new Error(`${where}: not JSON (${(cause as Error).message})`);
    }
    const refs = typeof parsed.references === 'string' ? [parsed.references] : parsed.references;
    if (typeof parsed.hypothesis !== 'string') throw new Error(`${where}: "hypothesis" must be a string`);
    if (!Array.isArray(refs) || !refs.every((r) => typeof r === 'string')) {
      throw new Error(`${where}: "references" must be a string or a list of strings`);
    }
    hypotheses.push(parsed.hypothesis);
    perSegment.push(refs as string[]);
  });
  const streams = Math.max(0, ...perSegment.map((refs) => refs.length));
  const references = Array.from({ length: streams }, (_, s) => perSegment.map((refs) => refs[s] ?? null));
  return { hypotheses, references };
}

function referencesAt(data: AlignedTexts, i: number): string[] {
  return data.references.map((stream) => stream[i]).filter((r): r is string => typeof r === 'string');
}

/** sacreBLEU's `nrefs`: the number of references per segment, or `var` when it varies. */
function referenceCount(data: AlignedTexts): number | 'var' {
  const counts = new Set(data.hypotheses.map((_, i) => referencesAt(data, i).length));
  return counts.size === 1 ? [...counts][0]! : 'var';
}

function bleuJson(score: BleuScore, signature: string) {
  return {
    name: 'BLEU',
    score: score.score,
    precisions: score.precisions,
    bp: score.bp,
    ratio: score.ratio,
    hyp_len: score.sysLen,
    ref_len: score.refLen,
    counts: score.counts,
    totals: score.totals,
    signature,
  };
}

/** @example bleuReport({ hypotheses, references: [refs] }, { tokenize: '13a' }).lines[0] */
export function bleuReport(data: AlignedTexts, options: BleuOptions, sentenceLevel = false): ScoreReport {
  if (sentenceLevel) {
    // sacreBLEU's --sentence-level turns effective order on, whatever else was asked.
    const sentenceOptions = { ...options, effectiveOrder: true };
    const scores = data.hypotheses.map((h, i) => sentenceBleu(h, referencesAt(data, i), sentenceOptions));
    const signatures = data.hypotheses.map((_, i) =>
      bleuSignature(sentenceOptions, referencesAt(data, i).length),
    );
    return {
      json: scores.map((s, i) => bleuJson(s, signatures[i]!)),
      lines: scores.map((s, i) => formatBleuScore(s, { signature: signatures[i]! })),
    };
  }
  const score = corpusBleu(data.hypotheses, data.references, options);
  const signature = bleuSignature(options, referenceCount(data));
  return { json: bleuJson(score, signature), lines: [formatBleuScore(score, { signature })] };
}

function chrfJson(score: ChrfScore, signature: string) {
  return {
    name: score.name,
    score: score.score,
    char_order: score.charOrder,
    word_order: score.wordOrder,
    beta: score.beta,
    signature,
  };
}

/** @example chrfReport({ hypotheses, references: [refs] }, { wordOrder: 2 }).lines[0]   // 'chrF2++ = …' */
export function chrfReport(data: AlignedTexts, options: ChrfOptions, sentenceLevel = false): ScoreReport {
  if (sentenceLevel) {
    const scores = data.hypotheses.map((h, i) => sentenceChrf(h, referencesAt(data, i), options));
    const signatures = data.hypotheses.map((_, i) => chrfSignature(options, referencesAt(data, i).length));
    return {
      json: scores.map((s, i) => chrfJson(s, signatures[i]!)),
      lines: scores.map((s, i) => formatChrfScore(s, { signature: signatures[i]! })),
    };
  }
  const score = corpusChrf(data.hypotheses, data.references, options);
  const signature = chrfSignature(options, referenceCount(data));
  return { json: chrfJson(score, signature), lines: [formatChrfScore(score, { signature })] };
}

function rougeLines(scores: Record<string, RougeScore>): string[] {
  const width = Math.max(...Object.keys(scores).map((k) => k.length));
  return Object.entries(scores).map(
    ([type, s]) =>
      `${type.padEnd(width)}  P = ${pyFormatFixed(s.precision, 4)}  R = ${pyFormatFixed(s.recall, 4)}  ` +
      `F = ${pyFormatFixed(s.fmeasure, 4)}`,
  );
}

/**
 * ROUGE per segment with `score_multi`; the corpus figure is the mean of the per-segment
 * precision, recall and F-measure (the `mid` that rouge-score's bootstrap aggregator estimates).
 */
export function rougeReport(data: AlignedTexts, options: RougeOptions, sentenceLevel = false): ScoreReport {
  const types = options.rougeTypes ?? DEFAULT_ROUGE_TYPES;
  const scores = data.hypotheses.map((h, i) => rougeScoreMulti(referencesAt(data, i), h, options));
  if (sentenceLevel) {
    return { json: scores, lines: scores.map((s) => rougeLines(s).join('  |  ')) };
  }
  const mean: Record<string, RougeScore> = {};
  for (const type of types) {
    const sum = { precision: 0, recall: 0, fmeasure: 0 };
    for (const s of scores) {
      sum.precision += s[type]!.precision;
      sum.recall += s[type]!.recall;
      sum.fmeasure += s[type]!.fmeasure;
    }
    const n = scores.length || 1;
    mean[type] = { precision: sum.precision / n, recall: sum.recall / n, fmeasure: sum.fmeasure / n };
  }
  return { json: mean, lines: rougeLines(mean) };
}

/**
 * SQuAD v2.0 per segment; empty references are not gold answers, and a segment with none is
 * unanswerable. Per segment `exact` is 0/1 and `f1` 0–1; the summary is 0–100, as the script prints.
 */
export function squadReport(data: AlignedTexts, sentenceLevel = false): ScoreReport {
  const scores = data.hypotheses.map((h, i) =>
    squadScore(
      h,
      referencesAt(data, i).filter((r) => r !== ''),
    ),
  );
  if (sentenceLevel) {
    return {
      json: scores,
      lines: scores.map(
        (s) => `exact = ${s.exact}  f1 = ${pyFormatFixed(s.f1, 4)}${s.hasAnswer ? '' : '  (no answer)'}`,
      ),
    };
  }
  const summary = summarizeSquad(scores);
  const line = (prefix: string, exact?: number, f1?: number, total?: number) =>
    `${prefix}exact = ${pyFormatFixed(exact!, 2)}  f1 = ${pyFormatFixed(f1!, 2)}  total = ${total}`;
  const lines = [line('', summary.exact, summary.f1, summary.total)];
  if (summary.HasAns_total)
    lines.push(line('HasAns  ', summary.HasAns_exact, summary.HasAns_f1, summary.HasAns_total));
  if (summary.NoAns_total)
    lines.push(line('NoAns   ', summary.NoAns_exact, summary.NoAns_f1, summary.NoAns_total));
  return { json: summary, lines };
}
