// Checkpoints at scale: on a committed repository of 20,000 files with 10 of them changed, how long a
// checkpoint takes with the changed paths named (what a session's file watcher gives), without them
// (`add -A` over everything, helped by the stat cache), and `git stash create` on the same changes as
// the yardstick. Also the session's start. Prints figures; asserts nothing (it is not a test).
//
//   npm run build && node bench/checkpoint.mjs
//   node bench/checkpoint.mjs --files 20000 --runs 7 --keep
//   node bench/checkpoint.mjs --quick               (5,000 files, 3 runs: for npm run bench:quick)
//
// The repository is generated from a seed, so every run measures the same tree: nested folders (up to
// four levels), files of 200 bytes to 4 KB of source-like lines, one commit. It is made once and kept
// in bench/out/ (bench/cache.mjs); each run measures a copy, brought to the state of a user's clone:
// files older than the index and the index refreshed (`git update-index --refresh`). A freshly written
// repository would flatter the ratio: its racily-clean index entries make `git stash create` re-hash
// files a user's repository would not.

import './node-start.mjs';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { aimLine } from './aim.mjs';
import { cachedInput } from './cache.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'recorders', 'files', 'checkpoint-recorder.js');

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      files: { type: 'string', default: '20000' },
      changed: { type: 'string', default: '10' },
      runs: { type: 'string', default: '7' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(
    `${error.message}\nusage: node bench/checkpoint.mjs [--files 20000] [--changed 10] [--runs 7] [--quick] [--keep]`,
  );
}
const fileCount = Number(args.quick ? '5000' : args.files);
const changedCount = Number(args.changed);
const runs = Number(args.runs);
if (![fileCount, changedCount, runs].every((n) => Number.isInteger(n) && n > 0) || changedCount > fileCount) {
  fail('--files, --changed and --runs take whole numbers above 0 (and --changed no more than --files).');
}
if (!existsSync(compiled)) fail(`${compiled} is missing: run \`npm run build\` first.`);
const { CheckpointRecorder } = await import(compiled);

// ---------------------------------------------------------------------------------------------------
// the repository

function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'const',
  'value',
  'return',
  'export',
  'function',
  'items',
  'await',
  'result',
  'index',
  'if',
  'map',
];

function fileContent(next, size) {
  const lines = [];
  let length = 0;
  while (length < size) {
    const words = 2 + Math.floor(next() * 8);
    let line = '  '.repeat(Math.floor(next() * 3));
    for (let w = 0; w < words; w++) line += `${WORDS[Math.floor(next() * WORDS.length)]} `;
    lines.push(line.trimEnd());
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function filePaths(count) {
  const next = random(7);
  const paths = [];
  for (let i = 0; i < count; i++) {
    const depth = 1 + Math.floor(next() * 4);
    const parts = [];
    for (let d = 0; d < depth; d++)
      parts.push(`${['src', 'lib', 'pkg', 'mod'][d]}${Math.floor(next() * 12)}`);
    // .src, not .ts: the repository is kept under bench/, which `npm run typecheck` and lint cover.
    paths.push(`${parts.join('/')}/file-${i}.src`);
  }
  return paths;
}

async function git(cwd, gitArgs) {
  const { stdout } = await run('git', gitArgs, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function makeRepository(folder, paths) {
  await git(folder, ['init', '-q', '-b', 'main']);
  await git(folder, ['config', 'user.name', 'Bench']);
  await git(folder, ['config', 'user.email', 'bench@example.com']);
  await git(folder, ['config', 'commit.gpgSign', 'false']);
  await git(folder, ['config', 'gc.auto', '0']);
  await writeFile(join(folder, '.gitignore'), 'node_modules/\n*.log\n');
  const next = random(11);
  const folders = new Set(paths.map((p) => join(folder, p, '..')));
  for (const dir of folders) await mkdir(dir, { recursive: true });
  const BATCH = 500;
  for (let i = 0; i < paths.length; i += BATCH) {
    await Promise.all(
      paths
        .slice(i, i + BATCH)
        .map((p) => writeFile(join(folder, p), fileContent(next, 200 + Math.floor(next() * 3800)))),
    );
  }
  // Older than any index git writes from here on, as the files of a clone are after its checkout.
  const past = new Date(Date.now() - 60_000);
  for (let i = 0; i < paths.length; i += BATCH) {
    await Promise.all(paths.slice(i, i + BATCH).map((p) => utimes(join(folder, p), past, past)));
  }
  await git(folder, ['add', '-A']);
  await git(folder, ['commit', '-q', '-m', 'generated']);
  // Packed like a cloned repository (gc.auto is off: no gc may start in the background mid-measurement).
  await git(folder, ['gc', '-q']);
}

/**
 * The cached repository as a user's clone is: the files edited by an earlier run back as committed,
 * no checkpoint refs or loose objects left (a copy would be cleaner, but copying 5,000 files costs
 * seconds here), every file older than the index, and the index refreshed so no entry is racily clean.
 */
async function resetToClone(repo, changedPaths) {
  await git(repo, ['checkout', '-q', 'HEAD', '--', ...changedPaths]);
  const past = new Date(Date.now() - 60_000);
  await Promise.all(changedPaths.map((p) => utimes(join(repo, p), past, past)));
  const refs = (await git(repo, ['for-each-ref', '--format=%(refname)', 'refs/sdd/'])).split('\n');
  for (const ref of refs.filter(Boolean)) await git(repo, ['update-ref', '-d', ref]);
  await git(repo, ['prune', '--expire=now']);
  await git(repo, ['update-index', '-q', '--refresh']);
  const status = await git(repo, ['status', '--porcelain', '--untracked-files=all']);
  if (status.trim())
    fail(`${repo} is not as generated (${status.split('\n')[0]}): remove bench/out/ and rerun.`);
}

// ---------------------------------------------------------------------------------------------------
// measuring

async function timed(job) {
  const started = process.hrtime.bigint();
  const result = await job();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

let editRound = 0;
// New content every round, so each checkpoint has real changes to store (an unchanged tree is cheaper).
async function editFiles(folder, paths) {
  editRound++;
  await Promise.all(
    paths.map((p, i) => writeFile(join(folder, p), `// edit ${editRound} of file ${i}\n`.repeat(3 + i))),
  );
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------

// Bump when makeRepository or fileContent changes what they write.
const GENERATOR_VERSION = 3;
const workspace = await mkdtemp(join(tmpdir(), 'sdd-bench-checkpoint-'));
try {
  const paths = filePaths(fileCount);
  const changed = Array.from(
    { length: changedCount },
    (_, i) => paths[Math.floor((i * paths.length) / changedCount)],
  );
  const made = await timed(() =>
    cachedInput(`checkpoint-repo-${fileCount}`, { GENERATOR_VERSION, fileCount }, async (folder) => {
      await mkdir(join(folder, 'repo'));
      await makeRepository(join(folder, 'repo'), paths);
    }),
  );
  const repoPath = join(made.result.folder, 'repo');
  await resetToClone(repoPath, changed);
  const gitVersion = (await git(repoPath, ['--version'])).trim();
  console.log(
    `${fileCount} files ${made.result.built ? `committed in ${(made.ms / 1000).toFixed(1)} s` : 'from bench/out/'} (${gitVersion}, node ${process.version})`,
  );
  console.log(`${runs} runs each, after one warm-up; medians in milliseconds\n`);

  // The start of a session: seed the private index from the user's, `add -A`, commit.
  // --quick measures start() once (no aim judges it); (a), (b) and (c) below run as in the full run,
  // interleaved: leaving (b) out changes (a) and (c) (each one's state is the others' doing).
  const startTimes = [];
  for (let i = 0; i <= (args.quick ? 1 : runs); i++) {
    const recorder = new CheckpointRecorder({
      workTree: repoPath,
      sessionId: `start-${i}`,
      indexFile: join(workspace, `start-${i}`, 'git-index'),
    });
    const { ms } = await timed(() => recorder.start());
    if (i > 0) startTimes.push(ms);
  }

  const recorder = new CheckpointRecorder({
    workTree: repoPath,
    sessionId: 'bench',
    indexFile: join(workspace, 'bench', 'git-index'),
  });
  await recorder.start();

  const named = [];
  const full = [];
  const stash = [];
  for (let i = 0; i <= runs; i++) {
    // The three are interleaved so drift (page cache, other load) hits them alike.
    await editFiles(repoPath, changed);
    const a = await timed(() => recorder.checkpoint('files', 'named paths', changed));
    if (!a.result || a.result.stat.files !== changedCount)
      fail(`checkpoint with paths stored ${a.result?.stat.files} files`);
    await editFiles(repoPath, changed);
    const b = await timed(() => recorder.checkpoint('turn', 'whole tree'));
    if (!b.result || b.result.stat.files !== changedCount)
      fail(`checkpoint without paths stored ${b.result?.stat.files} files`);
    await editFiles(repoPath, changed);
    const c = await timed(() => git(repoPath, ['stash', 'create']));
    if (!c.result.trim()) fail('git stash create made no commit');
    if (i > 0) {
      named.push(a.ms);
      full.push(b.ms);
      stash.push(c.ms);
    }
  }

  const stashMedian = median(stash);
  const rows = [
    ['start() on the whole repository', median(startTimes)],
    [`(a) checkpoint, ${changedCount} changed paths named`, median(named)],
    ['(b) checkpoint, no path list (add -A)', median(full)],
    ['(c) git stash create', stashMedian],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, ms] of rows) {
    console.log(
      `${label.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms  ${(ms / stashMedian).toFixed(2).padStart(6)} x stash create`,
    );
  }
  const ratio = median(named) / stashMedian;
  console.log('');
  console.log(
    aimLine(
      `checkpoint, ${changedCount} of ${fileCount} files changed`,
      `${median(named).toFixed(1)} ms = ${ratio.toFixed(2)}x git stash create`,
      '<= 0.25x',
      ratio <= 0.25,
    ),
  );
  if (args.keep) console.log(`kept ${workspace} (the repository: ${repoPath})`);
} finally {
  if (!args.keep) await rm(workspace, { recursive: true, force: true });
}
