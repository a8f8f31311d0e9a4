// Examples from scikit-learn's docstrings (sklearn/metrics/_classification.py: accuracy_score,
// confusion_matrix, precision_score, recall_score, f1_score, classification_report), to the
// precision the docstrings print.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accuracy, classificationReport, confusionMatrix, uniqueLabels } from './classification.js';

const near = (actual: number, expected: number, digits = 2) =>
  assert.equal(actual.toFixed(digits), expected.toFixed(digits), `expected ${expected}, got ${actual}`);
// The docstrings print `0.26...` (doctest ELLIPSIS): the value's repr starts with those digits.
const startsWith = (actual: number, prefix: string) =>
  assert.ok(String(actual).startsWith(prefix), `expected ${prefix}..., got ${actual}`);

describe('scikit-learn docstring examples', () => {
  it('accuracy_score', () => {
    assert.equal(accuracy([0, 1, 2, 3], [0, 2, 1, 3]), 0.5);
  });

  it('confusion_matrix, numeric and string labels', () => {
    assert.deepEqual(confusionMatrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]), [
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    assert.deepEqual(
      confusionMatrix(
        ['cat', 'ant', 'cat', 'cat', 'ant', 'bird'],
        ['ant', 'ant', 'cat', 'cat', 'ant', 'cat'],
        {
          labels: ['ant', 'bird', 'cat'],
        },
      ),
      [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    );
  });

  it('precision_score, recall_score, f1_score: macro, micro, weighted, per class', () => {
    const report = classificationReport([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]);
    startsWith(report.macro.precision, '0.22');
    startsWith(report.micro.precision, '0.33');
    startsWith(report.weighted.precision, '0.22');
    assert.deepEqual(
      report.perClass.map((c) => c.precision.toFixed(2)),
      ['0.67', '0.00', '0.00'],
    );
    startsWith(report.macro.recall, '0.33');
    startsWith(report.micro.recall, '0.33');
    startsWith(report.weighted.recall, '0.33');
    assert.deepEqual(
      report.perClass.map((c) => c.recall),
      [1, 0, 0],
    );
    startsWith(report.macro.f1, '0.26');
    startsWith(report.micro.f1, '0.33');
    startsWith(report.weighted.f1, '0.26');
    assert.deepEqual(
      report.perClass.map((c) => c.f1),
      [0.8, 0, 0],
    );
  });

  it('classification_report', () => {
    const report = classificationReport([0, 1, 2, 2, 2], [0, 0, 2, 2, 1]);
    const rows = report.perClass.map((c) => [c.precision, c.recall, c.f1].map((v) => v.toFixed(2)));
    assert.deepEqual(rows, [
      ['0.50', '1.00', '0.67'],
      ['0.00', '0.00', '0.00'],
      ['1.00', '0.67', '0.80'],
    ]);
    assert.deepEqual(
      report.perClass.map((c) => c.support),
      [1, 1, 3],
    );
    near(report.accuracy, 0.6);
    assert.deepEqual(
      [report.macro.precision, report.macro.recall, report.macro.f1].map((v) => v.toFixed(2)),
      ['0.50', '0.56', '0.49'],
    );
    assert.deepEqual(
      [report.weighted.precision, report.weighted.recall, report.weighted.f1].map((v) => v.toFixed(2)),
      ['0.70', '0.60', '0.61'],
    );
  });

  it('classification_report with labels absent from the data', () => {
    const report = classificationReport([1, 1, 1], [1, 1, 0], { labels: [1, 2, 3] });
    assert.deepEqual(
      [report.micro.precision, report.micro.recall, report.micro.f1].map((v) => v.toFixed(2)),
      ['1.00', '0.67', '0.80'],
    );
    assert.deepEqual(
      [report.macro.precision, report.macro.recall, report.macro.f1].map((v) => v.toFixed(2)),
      ['0.33', '0.22', '0.27'],
    );
    assert.deepEqual(
      [report.weighted.precision, report.weighted.recall, report.weighted.f1].map((v) => v.toFixed(2)),
      ['1.00', '0.67', '0.80'],
    );
  });
});

describe('labels', () => {
  it('sorts like numpy and refuses mixed types like sklearn', () => {
    assert.deepEqual(uniqueLabels([10, 9, 2], [1]), [1, 2, 9, 10]);
    assert.deepEqual(uniqueLabels(['b', 'B', 'a']), ['B', 'a', 'b']);
    assert.throws(() => uniqueLabels([1, 'a']), /Mix of label input types/);
  });
});
