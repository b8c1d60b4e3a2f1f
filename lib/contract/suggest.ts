// "Did you mean …?" for a mistyped command or flag: the nearest known word by edit distance (a swap of
// two neighbouring letters counts one), offered only when it is close enough to be a typo.

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/** The known word nearest to `word`, when it is within a third of its length (at least 2), else undefined. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = candidate.startsWith(typed) && typed.length >= 3 ? 1 : editDistance(typed, candidate);
    if (best === undefined || distance < best.distance) best = { word: candidate, distance };
  }
  const limit = Math.max(2, Math.floor(typed.length / 3));
  return best !== undefined && best.distance > 0 && best.distance <= limit ? best.word : undefined;
}

/** ` (did you mean "list"?)` or the empty string. */
export function didYouMean(word: string, known: readonly string[], prefix = ''): string {
  const found = nearest(word, known);
  return found === undefined ? '' : ` (did you mean "${prefix}${found}"?)`;
}
