/**
 * "Did you mean …?" for config keys and app names: the closest known word to a
 * mistyped one, or nothing when no known word is close enough to be a fair guess.
 *
 * Words are compared case-insensitively with `_` and `-` ignored, so the
 * snake_case of seed 001 (`launch_template`) finds `launchTemplate`; a word
 * that is part of a known one (`instance` → `sourceInstance`) also counts.
 *
 * @example
 *   closest('maxSurg', ['maxSurge', 'minHealthy'])     // 'maxSurge'
 *   closest('launch_template', ['launchTemplate'])     // 'launchTemplate'
 *   closest('colour', ['maxSurge', 'minHealthy'])      // undefined
 */

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap
 * of two neighbours as 1 (optimal string alignment): "wbe" is 1 from "web".
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

function normalise(word: string): string {
  return word.toLowerCase().replace(/[_\-\s]/g, '');
}

/** `part` is a good half or more of `whole` ("surge" of "maxsurge", not "group" of "requiretargetgroups"). */
function isPartOf(part: string, whole: string): boolean {
  return part.length >= 3 && part.length * 2 >= whole.length && whole.includes(part);
}

/** The known word closest to `word`, or undefined when none is a fair guess. */
export function closest(word: string, known: readonly string[]): string | undefined {
  const typed = normalise(word);
  if (typed === '') return undefined;
  let best: { word: string; score: number } | undefined;
  for (const candidate of known) {
    const target = normalise(candidate);
    let score: number;
    if (target === typed) score = 0;
    else if (isPartOf(typed, target) || isPartOf(target, typed)) score = 1 + Math.abs(target.length - typed.length) / 100;
    else {
      const distance = editDistance(typed, target);
      // A third of the longer word may be wrong: "maxsurg" → "maxsurge", not "colour" → "envs".
      if (distance > Math.max(1, Math.floor(Math.max(typed.length, target.length) / 3))) continue;
      score = 1 + distance;
    }
    if (best === undefined || score < best.score) best = { word: candidate, score };
  }
  return best?.word;
}
