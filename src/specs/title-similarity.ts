// How alike two task titles are, from 0 to 1: whether the line now holding a task's id still describes
// the same task after the file was edited (a reworded word, a path added) or another one (renumbered).

/** At or above: the same task, edited. */
export const SAME_TASK = 0.8;
/** Below: clearly another task. In between, sdd cannot tell. */
export const OTHER_TASK = 0.5;

/** The mean of two Dice coefficients, on words (a reworded word costs one) and on letter pairs (a
 *  changed ending or spelling costs little). Tags, case and punctuation are ignored. */
export function titleSimilarity(a: string, b: string): number {
  const x = normalise(a);
  const y = normalise(b);
  if (x === y) return 1;
  return (dice(x.split(' '), y.split(' ')) + dice(letterPairs(x), letterPairs(y))) / 2;
}

function normalise(title: string): string {
  return title
    .toLowerCase()
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function letterPairs(text: string): string[] {
  const letters = text.replace(/ /g, '');
  const pairs: string[] = [];
  for (let i = 0; i < letters.length - 1; i++) pairs.push(letters.slice(i, i + 2));
  return pairs;
}

/** 2 × shared / total, counting repeats (a multiset intersection). */
function dice(a: string[], b: string[]): number {
  if (a.length + b.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const part of a) counts.set(part, (counts.get(part) ?? 0) + 1);
  let shared = 0;
  for (const part of b) {
    const left = counts.get(part);
    if (left) {
      shared += 1;
      counts.set(part, left - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}
