// Ready work at scale: how long `readyWork` and the whole `sdd ready` command take on a tracker of
// 10,000 and 100,000 tasks. Prints figures; asserts no timings (it is not a test). It fails loudly,
// though, when a command exits non-zero or prints something other than the expected ready list.
//
//   npm run bench                                   (builds, then runs this)
//   node bench/ready-work.mjs --sizes 10000,100000 --keep
//   node bench/ready-work.mjs --quick               (10,000 tasks, fewer runs: for npm run bench:quick)
//
// Each size gets a throw-away project in the temp folder whose .sdd/local/db.json is written
// directly: N/100 epics of 5 features each, 100 tasks per epic, exactly 2N `blocks` edges between
// tasks (always from a later task to an earlier one, so no cycle; 90% within the epic) and a few
// feature -> earlier feature edges, counted apart. Priorities, done (~20%) and claimed (~5%) tasks
// come from a seeded generator, so every run measures the same data.

import './node-start.mjs';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aimLine } from './aim.mjs';
import { buildData, TASKS_PER_EPIC } from './tracker-data.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const binPath = join(root, 'bin', 'sdd');

const QUERY_WARMUPS = 3;
const QUERY_RUNS = 30;
const LOAD_RUNS = 5;
const COMMAND_WARMUPS = 1;
let COMMAND_RUNS = 10;
const CLAIM_RUNS = 5;

// ---------------------------------------------------------------------------------------------------
// arguments and the compiled code

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}\nusage: node bench/ready-work.mjs [--sizes 10000,100000] [--quick] [--keep]`);
}
if (args.quick) COMMAND_RUNS = 5;
const sizes = (args.quick ? '10000' : args.sizes).split(',').map((s) => Number(s.trim()));
for (const n of sizes) {
  if (!Number.isInteger(n) || n < TASKS_PER_EPIC) {
    fail(`--sizes takes whole numbers of at least ${TASKS_PER_EPIC}, comma separated; got "${args.sizes}".`);
  }
}

let LowdbStore;
let TrackerIndex;
let readyWork;
try {
  ({ LowdbStore } = await import('../dist/src/store/lowdb-store.js'));
  ({ TrackerIndex } = await import('../dist/src/core/graph.js'));
  ({ readyWork } = await import('../dist/src/core/ready.js'));
} catch (error) {
  fail(`cannot load the compiled code (run \`npm run build\` first): ${error.message}`);
}

// ---------------------------------------------------------------------------------------------------
// helpers

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Milliseconds of each run, after warm-ups that are not counted. */
function timeRuns(warmups, runs, fn) {
  for (let i = 0; i < warmups; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(ms(start));
  }
  return stats(times);
}

async function timeRunsAsync(warmups, runs, fn) {
  for (let i = 0; i < warmups; i++) await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(ms(start));
  }
  return stats(times);
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, p90: quantile(sorted, 0.9), min: sorted[0], runs: sorted.length };
}

function fmtMs(value) {
  if (value === undefined) return '-';
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

// ---------------------------------------------------------------------------------------------------
// the project

async function makeProject(n) {
  const dir = await mkdtemp(`${tmpdir()}/sdd-bench-`);
  const { data, taskEdges, featureEdges, counts } = buildData(n, 20250101 + n);
  await mkdir(join(dir, '.sdd', 'local'), { recursive: true });
  await writeFile(
    join(dir, '.sdd', 'config.json'),
    `${JSON.stringify({ projectId: 'bench', idPrefix: 'sd', server: null, agent: null }, null, 2)}\n`,
  );
  const dbPath = join(dir, '.sdd', 'local', 'db.json');
  await writeFile(dbPath, JSON.stringify(data));
  const bytes = (await stat(dbPath)).size;
  return { dir, dbPath, bytes, items: data.items.length, taskEdges, featureEdges, counts };
}

// ---------------------------------------------------------------------------------------------------
// the process runs

function runSdd(cwd, argv) {
  const result = spawnSync(process.execPath, [binPath, ...argv], {
    cwd,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const shown = `sdd ${argv.join(' ')} (in ${cwd})`;
  if (result.error) fail(`${shown} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    fail(`${shown} exited with ${result.status ?? result.signal}:\n${result.stderr.slice(0, 2000)}`);
  }
  try {
    return JSON.parse(result.stdout);
  } catch (error) {
    fail(`${shown} printed no valid JSON (${error.message}):\n${result.stdout.slice(0, 500)}`);
  }
}

function expectReadyList(output, length, argv) {
  if (!Array.isArray(output) || output.length !== length) {
    const got = Array.isArray(output) ? `${output.length} entries` : typeof output;
    fail(`sdd ${argv.join(' ')} printed ${got}; expected an array of ${length}.`);
  }
}

/** The commands take turns run after run, so a slow spell of the machine hits them all alike. */
function timeCommands(commands) {
  const times = commands.map(() => []);
  for (let run = 0; run < COMMAND_WARMUPS + COMMAND_RUNS; run++) {
    commands.forEach((command, i) => {
      const start = process.hrtime.bigint();
      command();
      if (run >= COMMAND_WARMUPS) times[i].push(ms(start));
    });
  }
  return times.map(stats);
}

// ---------------------------------------------------------------------------------------------------
// one size

async function benchSize(n) {
  progress(`building ${n} tasks...`);
  const started = process.hrtime.bigint();
  const project = await makeProject(n);
  progress(
    `  ${project.items} items, ${project.taskEdges} task edges + ${project.featureEdges} feature edges, ` +
      `${(project.bytes / 1e6).toFixed(1)} MB in ${project.dbPath} (${fmtMs(ms(started))})`,
  );

  progress('  in-process: reading and querying...');
  const store = new LowdbStore(project.dbPath);
  // --quick measures only what its aims judge (the query on a built index, the whole `sdd ready
  // --json`), with the same runs as the full bench; the rest of the table is the full run's.
  const full = !args.quick;
  const load = full
    ? await timeRunsAsync(1, LOAD_RUNS, () => new LowdbStore(project.dbPath).read())
    : undefined;
  const data = await store.read();
  const now = new Date();
  const queryAndIndex = full
    ? timeRuns(QUERY_WARMUPS, QUERY_RUNS, () => readyWork(new TrackerIndex(data), {}, now))
    : undefined;
  const indexOnly = full ? timeRuns(QUERY_WARMUPS, QUERY_RUNS, () => new TrackerIndex(data)) : undefined;
  const index = new TrackerIndex(data);
  const query = timeRuns(QUERY_WARMUPS, QUERY_RUNS, () => readyWork(index, {}, now));
  const queryLimit = full
    ? timeRuns(QUERY_WARMUPS, QUERY_RUNS, () => readyWork(index, { limit: 10 }, now))
    : undefined;
  const ready = readyWork(index, {}, now);
  const expectedClaims = ready.slice(0, CLAIM_RUNS).map((e) => e.item.id);
  progress(`  ${ready.length} of ${n} tasks ready`);

  progress(`  whole process: ${COMMAND_WARMUPS} + ${COMMAND_RUNS} runs of each command...`);
  const readyArgs = ['ready', '--json'];
  const limitArgs = ['ready', '--json', '--limit', '10'];
  const [whole, wholeLimit, bareNode] = timeCommands([
    () => expectReadyList(runSdd(project.dir, readyArgs), ready.length, readyArgs),
    ...(full
      ? [
          () => expectReadyList(runSdd(project.dir, limitArgs), Math.min(10, ready.length), limitArgs),
          () => {
            const result = spawnSync(process.execPath, ['-e', '0'], { cwd: project.dir });
            if (result.status !== 0) fail(`node -e 0 exited with ${result.status ?? result.signal}`);
          },
        ]
      : []),
  ]);

  if (full) progress(`  sdd claim: ${CLAIM_RUNS} runs...`);
  const claimArgs = ['claim', '--as', 'bench', '--json'];
  const claimTimes = [];
  for (let i = 0; i < (full ? Math.min(CLAIM_RUNS, ready.length) : 0); i++) {
    const start = process.hrtime.bigint();
    const result = runSdd(project.dir, claimArgs);
    claimTimes.push(ms(start));
    if (result?.item?.id !== expectedClaims[i] || result?.claim?.actor !== 'bench') {
      fail(
        `sdd ${claimArgs.join(' ')} claimed ${result?.item?.id}; expected the first ready task ${expectedClaims[i]}.`,
      );
    }
  }
  const claim = claimTimes.length > 0 ? stats(claimTimes) : undefined;

  if (args.keep) progress(`  kept ${project.dir}`);
  else await rm(project.dir, { recursive: true, force: true });

  return {
    n,
    project,
    ready: ready.length,
    load,
    indexOnly,
    queryAndIndex,
    query,
    queryLimit,
    whole,
    wholeLimit,
    bareNode,
    claim,
  };
}

// ---------------------------------------------------------------------------------------------------
// the report

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? String(c) : String(c).padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function report(results) {
  const aim = 'aim: in-process query < 5 ms, whole command < 200 ms';
  const headers = [
    'tasks',
    'items',
    'edges',
    'ready',
    'db.json',
    'read db',
    'index',
    'query+index',
    'query',
    'query(limit 10)',
    '`sdd ready --json`',
    '--limit 10',
    'node -e 0',
    'sdd claim',
    '',
  ];
  const row = (r, pick) => [
    r.n,
    r.project.items,
    `${r.project.taskEdges}+${r.project.featureEdges}`,
    r.ready,
    `${(r.project.bytes / 1e6).toFixed(1)} MB`,
    fmtMs(pick(r.load)),
    fmtMs(pick(r.indexOnly)),
    fmtMs(pick(r.queryAndIndex)),
    fmtMs(pick(r.query)),
    fmtMs(pick(r.queryLimit)),
    `${fmtMs(pick(r.whole))} (${(pick(r.whole) / pick(r.bareNode)).toFixed(1)}x)`,
    `${fmtMs(pick(r.wholeLimit))} (${(pick(r.wholeLimit) / pick(r.bareNode)).toFixed(1)}x)`,
    fmtMs(pick(r.bareNode)),
    r.claim ? fmtMs(pick(r.claim)) : '-',
    r.n === 10000 ? aim : '',
  ];
  const out = [
    '',
    `Medians (in-process: ${QUERY_RUNS} runs after ${QUERY_WARMUPS} warm-ups, read db ${LOAD_RUNS}; ` +
      `commands: ${COMMAND_RUNS} runs after ${COMMAND_WARMUPS}; sdd claim: ${CLAIM_RUNS} runs)`,
    table(
      headers,
      results.map((r) => row(r, (s) => s.median)),
    ),
    '',
    'p90',
    table(
      headers,
      results.map((r) => row(r, (s) => s.p90)),
    ),
    '',
    'edges: 2N task -> task `blocks` edges + feature -> feature ones. (Nx): multiples of `node -e 0`.',
    'read db: LowdbStore.read() (read + JSON.parse). index: new TrackerIndex(data) alone.',
    'query+index: readyWork(new TrackerIndex(data), {}, now); query: readyWork on a prebuilt index.',
    `sdd claim: \`sdd claim --as bench\`, one locked read-modify-write of the whole db.json (p90 of ${CLAIM_RUNS} runs is their max).`,
    `node ${process.version}, ${process.platform}/${process.arch}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

const results = [];
for (const n of sizes) results.push(await benchSize(n));
if (!args.quick) report(results);
for (const r of results.filter((result) => result.n === 10000)) {
  const query = r.query.median;
  const whole = r.whole.median;
  console.log(aimLine('ready 10,000 tasks, in-process query', fmtMs(query), '< 5 ms', query < 5));
  console.log(aimLine('ready 10,000 tasks, `sdd ready --json`', fmtMs(whole), '< 200 ms', whole < 200));
}
