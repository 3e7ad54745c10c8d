// One line per aim, the same in every bench script: `what: figure (aim ...) ok` or `MISS`.
// `npm run bench:quick` (bench/quick.mjs) collects exactly these lines.

export function aimLine(what, figure, aim, met) {
  return `${what}: ${figure} (aim ${aim}) ${met ? 'ok' : 'MISS'}`;
}
