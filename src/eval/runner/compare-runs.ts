/**
 * Compares two runs case by case: which cases B wins, loses or ties against A (by case score),
 * whether the difference in mean score is real (paired bootstrap confidence interval) and whether the
 * change in pass/fail is (McNemar's test on the discordant cases). Results pair on case, prompt and
 * target; when the runs share none of those triples (two different models, say) they pair on case
 * and prompt, then on case alone — whichever is unique in both runs. Errored pairs are listed but
 * left out of the statistics, since an error is not a measurement.
 *
 * @example
 * const report = compareRuns(await store.getResults(a), await store.getResults(b));
 * report.bootstrap.significant; report.mcnemar.pValue; report.wins;
 */
import { type McNemarResult, mcnemarFromOutcomes } from '../stats/mcnemar.js';
import { type PairedBootstrapResult, pairedBootstrap } from '../stats/paired-bootstrap.js';

/** The fields compare needs; an EvalStore row and an EvalCaseResult both have them. */
export interface ComparableResult {
  caseId: string;
  promptId: string | null;
  targetId: string | null;
  pass: boolean | null;
  score: number | null;
  error?: string | null;
  output: string | null;
  metrics?: Record<string, unknown>;
}

export type PairedBy = 'case+prompt+target' | 'case+prompt' | 'case';

export interface ComparedPair {
  key: string;
  caseId: string;
  a: ComparableResult;
  b: ComparableResult;
  /** B against A by score; null when either errored. */
  outcome: 'win' | 'loss' | 'tie' | null;
  scoreDifference: number | null;
}

export interface RunComparison {
  pairedBy: PairedBy;
  pairs: ComparedPair[];
  onlyA: number;
  onlyB: number;
  errored: number;
  wins: number;
  losses: number;
  ties: number;
  passRateA: number;
  passRateB: number;
  meanScoreA: number;
  meanScoreB: number;
  /** mean(B) − mean(A) of case scores, with its confidence interval. */
  bootstrap: PairedBootstrapResult | null;
  mcnemar: McNemarResult | null;
}

export interface CompareOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
  /** Scores closer than this tie (default 1e-9). */
  tieTolerance?: number;
}

const KEYS: Record<PairedBy, (r: ComparableResult) => string> = {
  'case+prompt+target': (r) => `${r.caseId}\0${r.promptId ?? ''}\0${r.targetId ?? ''}`,
  'case+prompt': (r) => `${r.caseId}\0${r.promptId ?? ''}`,
  case: (r) => r.caseId,
};

function index(results: readonly ComparableResult[], key: (r: ComparableResult) => string) {
  const map = new Map<string, ComparableResult>();
  for (const r of results) {
    const k = key(r);
    if (map.has(k)) return undefined; // not unique at this granularity
    map.set(k, r);
  }
  return map;
}

export function compareRuns(
  resultsA: readonly ComparableResult[],
  resultsB: readonly ComparableResult[],
  options: CompareOptions = {},
): RunComparison {
  let chosen:
    | { by: PairedBy; a: Map<string, ComparableResult>; b: Map<string, ComparableResult> }
    | undefined;
  for (const by of Object.keys(KEYS) as PairedBy[]) {
    const a = index(resultsA, KEYS[by]);
    const b = index(resultsB, KEYS[by]);
    if (a && b && [...a.keys()].some((k) => b.has(k))) {
      chosen = { by, a, b };
      break;
    }
  }
  if (!chosen) throw new Error('the two runs share no cases: compare runs of the same suite');
  const tolerance = options.tieTolerance ?? 1e-9;
  const pairs: ComparedPair[] = [];
  for (const [key, a] of chosen.a) {
    const b = chosen.b.get(key);
    if (!b) continue;
    const usable = !a.error && !b.error && a.score !== null && b.score !== null;
    const difference = usable ? b.score! - a.score! : null;
    const outcome =
      difference === null
        ? null
        : Math.abs(difference) <= tolerance
          ? 'tie'
          : difference > 0
            ? 'win'
            : 'loss';
    pairs.push({ key, caseId: a.caseId, a, b, outcome, scoreDifference: difference });
  }
  // Stored results come in completion order; the run's task order reads better.
  const order = (r: ComparableResult) =>
    typeof r.metrics?.index === 'number' ? r.metrics.index : Number.MAX_SAFE_INTEGER;
  pairs.sort((x, y) => order(x.a) - order(y.a));
  const measured = pairs.filter((p) => p.outcome !== null);
  const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0);
  const scoresA = measured.map((p) => p.a.score!);
  const scoresB = measured.map((p) => p.b.score!);
  const bootstrapOptions = {
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
    ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  return {
    pairedBy: chosen.by,
    pairs,
    onlyA: chosen.a.size - pairs.length,
    onlyB: chosen.b.size - pairs.length,
    errored: pairs.length - measured.length,
    wins: measured.filter((p) => p.outcome === 'win').length,
    losses: measured.filter((p) => p.outcome === 'loss').length,
    ties: measured.filter((p) => p.outcome === 'tie').length,
    passRateA: mean(measured.map((p) => (p.a.pass ? 1 : 0))),
    passRateB: mean(measured.map((p) => (p.b.pass ? 1 : 0))),
    meanScoreA: mean(scoresA),
    meanScoreB: mean(scoresB),
    bootstrap: measured.length > 0 ? pairedBootstrap(scoresA, scoresB, bootstrapOptions) : null,
    mcnemar:
      measured.length > 0
        ? mcnemarFromOutcomes(
            measured.map((p) => p.a.pass === true),
            measured.map((p) => p.b.pass === true),
          )
        : null,
  };
}
