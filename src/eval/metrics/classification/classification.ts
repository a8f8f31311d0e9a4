/**
 * Classification metrics with scikit-learn's definitions (`sklearn.metrics`): accuracy, per-class
 * precision/recall/F1 and their macro, micro and support-weighted averages, and the confusion
 * matrix. Labels default to the sorted union of true and predicted labels (`unique_labels`); a
 * ratio with a zero denominator is 0, as with sklearn's default `zero_division`.
 */

export type Label = string | number | boolean;

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true instances of the class. */
  support: number;
}

export interface ClassificationReport {
  labels: Label[];
  accuracy: number;
  perClass: ClassScores[];
  macro: ClassScores;
  micro: ClassScores;
  weighted: ClassScores;
  /** `matrix[i][j]`: instances of `labels[i]` predicted as `labels[j]`. */
  confusionMatrix: number[][];
}

function assertSameLength(yTrue: readonly Label[], yPred: readonly Label[]): void {
  if (yTrue.length !== yPred.length) {
    throw new Error(`yTrue has ${yTrue.length} labels but yPred has ${yPred.length}`);
  }
}

/** sklearn's `unique_labels`: sorted, one type only (numbers numerically, strings by code unit). */
export function uniqueLabels(...lists: ReadonlyArray<readonly Label[]>): Label[] {
  const set = new Set<Label>();
  for (const list of lists) for (const label of list) set.add(label);
  const labels = [...set];
  const types = new Set(labels.map((label) => typeof label));
  if (types.size > 1) throw new Error(`Mix of label input types (${[...types].join(' and ')})`);
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);

/**
 * @example
 * accuracy([0, 1, 2, 3], [0, 2, 1, 3])   // 0.5
 */
export function accuracy(yTrue: readonly Label[], yPred: readonly Label[]): number {
  assertSameLength(yTrue, yPred);
  let correct = 0;
  yTrue.forEach((label, i) => {
    if (label === yPred[i]) correct++;
  });
  return ratio(correct, yTrue.length);
}

/**
 * @example
 * confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2])   // [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
 */
export function confusionMatrix(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: { labels?: readonly Label[] } = {},
): number[][] {
  assertSameLength(yTrue, yPred);
  const labels = options.labels ?? uniqueLabels(yTrue, yPred);
  const index = new Map(labels.map((label, i) => [label, i]));
  const matrix = labels.map(() => new Array<number>(labels.length).fill(0));
  yTrue.forEach((label, i) => {
    const row = index.get(label);
    const col = index.get(yPred[i]!);
    // sklearn ignores samples whose labels are outside `labels`.
    if (row !== undefined && col !== undefined) matrix[row]![col]!++;
  });
  return matrix;
}

function scoresFromCounts(tp: number, predicted: number, actual: number): ClassScores {
  const precision = ratio(tp, predicted);
  const recall = ratio(tp, actual);
  // sklearn computes F as 2·tp / (predicted + actual), which equals the harmonic mean when defined.
  return { precision, recall, f1: ratio(2 * tp, predicted + actual), support: actual };
}

/**
 * Everything sklearn's `classification_report` and `precision_recall_fscore_support` give, at once.
 *
 * @example
 * const report = classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]);
 * report.macro.f1      // 0.4888…
 * report.weighted.f1   // 0.6133…
 */
export function classificationReport(
  yTrue: readonly Label[],
  yPred: readonly Label[],
  options: { labels?: readonly Label[] } = {},
): ClassificationReport {
  const labels = [...(options.labels ?? uniqueLabels(yTrue, yPred))];
  // Counted over all samples, not from the confusion matrix: like sklearn's
  // multilabel_confusion_matrix, a sample whose other side is outside `labels` still counts.
  const perClass = labels.map((label) => {
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    yTrue.forEach((truth, i) => {
      if (truth === label) actual++;
      if (yPred[i] === label) predicted++;
      if (truth === label && yPred[i] === label) tp++;
    });
    return { tp, predicted, actual, scores: scoresFromCounts(tp, predicted, actual) };
  });
  const support = perClass.reduce((sum, c) => sum + c.actual, 0);
  const mean = (key: 'precision' | 'recall' | 'f1') =>
    ratio(
      perClass.reduce((s, c) => s + c.scores[key], 0),
      labels.length,
    );
  const weightedMean = (key: 'precision' | 'recall' | 'f1') =>
    ratio(
      perClass.reduce((s, c) => s + c.scores[key] * c.actual, 0),
      support,
    );
  const tpSum = perClass.reduce((sum, c) => sum + c.tp, 0);
  const predictedSum = perClass.reduce((sum, c) => sum + c.predicted, 0);
  return {
    labels,
    accuracy: accuracy(yTrue, yPred),
    perClass: perClass.map((c) => c.scores),
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1'), support },
    micro: scoresFromCounts(tpSum, predictedSum, support),
    weighted: {
      precision: weightedMean('precision'),
      recall: weightedMean('recall'),
      f1: weightedMean('f1'),
      support,
    },
    confusionMatrix: confusionMatrix(yTrue, yPred, { labels }),
  };
}
