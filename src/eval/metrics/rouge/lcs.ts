/**
 * Longest common subsequence as rouge-score computes it: the DP table, its particular backtrack
 * (which of several longest subsequences it reads out matters for ROUGE-Lsum), and the
 * summary-level union LCS of the ROUGE paper, section 3.2, with ROUGE-1.5.5's guard against
 * counting a token more often than it occurs.
 */

/** The (m+1)×(n+1) LCS length table, row-major. */
export function lcsTable(ref: readonly string[], can: readonly string[]): Int32Array {
  const cols = can.length + 1;
  const table = new Int32Array((ref.length + 1) * cols);
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      table[i * cols + j] =
        ref[i - 1] === can[j - 1]
          ? table[(i - 1) * cols + j - 1]! + 1
          : Math.max(table[(i - 1) * cols + j]!, table[i * cols + j - 1]!);
    }
  }
  return table;
}

/** The LCS length alone, in O(n) memory. */
export function lcsLength(ref: readonly string[], can: readonly string[]): number {
  let previous = new Int32Array(can.length + 1);
  let current = new Int32Array(can.length + 1);
  for (let i = 1; i <= ref.length; i++) {
    for (let j = 1; j <= can.length; j++) {
      current[j] = ref[i - 1] === can[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[can.length]!;
}

/** Indices into `ref` of one LCS, read out as rouge-score's `_backtrack_norec` does. */
export function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const table = lcsTable(ref, can);
  const cols = can.length + 1;
  const indices: number[] = [];
  let i = ref.length;
  let j = can.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if (table[i * cols + j - 1]! > table[(i - 1) * cols + j]!) {
      j--;
    } else {
      i--;
    }
  }
  return indices.reverse();
}

/** The tokens of `ref` in the union of its LCS with each candidate sentence, in `ref` order. */
export function unionLcs(ref: readonly string[], candidates: ReadonlyArray<readonly string[]>): string[] {
  const union = new Set<number>();
  for (const candidate of candidates) for (const index of lcsIndices(ref, candidate)) union.add(index);
  return [...union].sort((a, b) => a - b).map((index) => ref[index]!);
}

/** Union-LCS hits over sentence lists, each token counted at most as often as it occurs on both sides. */
export function summaryLevelLcsHits(
  refSentences: ReadonlyArray<readonly string[]>,
  canSentences: ReadonlyArray<readonly string[]>,
): number {
  const refCounts = new Map<string, number>();
  const canCounts = new Map<string, number>();
  for (const sentence of refSentences)
    for (const t of sentence) refCounts.set(t, (refCounts.get(t) ?? 0) + 1);
  for (const sentence of canSentences)
    for (const t of sentence) canCounts.set(t, (canCounts.get(t) ?? 0) + 1);
  let hits = 0;
  for (const ref of refSentences) {
    for (const token of unionLcs(ref, canSentences)) {
      const inCan = canCounts.get(token) ?? 0;
      const inRef = refCounts.get(token) ?? 0;
      if (inCan > 0 && inRef > 0) {
        hits++;
        canCounts.set(token, inCan - 1);
        refCounts.set(token, inRef - 1);
      }
    }
  }
  return hits;
}
