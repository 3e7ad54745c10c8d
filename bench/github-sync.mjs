// The GitHub mirror against the stand-in: requests made and time taken by a first sync and by a
// no-change re-sync of one epic of 300 tasks (6 features of 50). Writes run unpaced here; against
// GitHub the throttling plugin spaces them (1 s between writes, 3 s between creations), and the
// figure of that pace is printed beside. Prints figures and aims; asserts no timings.
//
//   node bench/github-sync.mjs [--tasks 300] [--per-feature 50]
//   node bench/github-sync.mjs --quick      (20 tasks, 2 features of 10: for npm run bench:quick)

import './node-start.mjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { aimLine } from './aim.mjs';

const { values: args } = parseArgs({
  options: {
    tasks: { type: 'string', default: '300' },
    'per-feature': { type: 'string', default: '50' },
    quick: { type: 'boolean', default: false },
  },
});
const tasks = args.quick ? 20 : Number(args.tasks);
const perFeature = args.quick ? 10 : Number(args['per-feature']);

const root = fileURLToPath(new URL('..', import.meta.url));
// Beside node_modules, so that the bundle's package imports resolve as the sources' do.
const outdir = join(root, 'node_modules', '.cache', 'sdd-bench');
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: [join(root, 'bench', 'github-sync-run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: join(outdir, 'github-sync-run.mjs'),
  logLevel: 'warning',
});
const { runBench } = await import(pathToFileURL(join(outdir, 'github-sync-run.mjs')).href);
const { first, again, third } = await runBench(tasks, perFeature);

const paced = (f) => f.creates * 3 + (f.writes - f.creates) * 1;
console.log(`epic of ${tasks} tasks: ${first.issues} issues`);
console.log(
  `first sync: ${first.seconds.toFixed(1)} s unpaced, ${first.reads} reads + ${first.writes} writes (${first.creates} creations; GitHub's pace: ~${Math.round(paced(first) / 60)} min)`,
);
// Right after the first sync, the listing of issues changed since its start holds all it wrote
// (a page per 100); once a sync wrote nothing, the next one's listing is a single empty page.
console.log(
  `re-sync, nothing changed: ${again.seconds.toFixed(2)} s, ${again.reads} reads + ${again.writes} writes`,
);
console.log(
  `third sync, nothing changed: ${third.seconds.toFixed(2)} s, ${third.reads} reads + ${third.writes} writes`,
);
console.log(
  aimLine(
    'github re-sync writes, no change',
    `${again.writes + third.writes}`,
    '0',
    again.writes + third.writes === 0,
  ),
);
const pages = Math.ceil(first.issues / 100);
console.log(
  aimLine('github re-sync reads after the first sync', `${again.reads}`, `≤ ${pages}`, again.reads <= pages),
);
console.log(aimLine('github third sync reads, no change', `${third.reads}`, '≤ 1', third.reads <= 1));
console.log(
  aimLine('github first sync refusals by the stand-in', `${first.refused}`, '0', first.refused === 0),
);
const perIssue = first.writes / first.issues;
console.log(aimLine('github first sync writes per issue', perIssue.toFixed(2), '≤ 3', perIssue <= 3));
