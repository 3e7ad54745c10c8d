// Passthrough: how much a recording costs a program that prints a lot. For each kind of output (plain
// English lines, base64 of random bytes, text with a token every few KB) runs one command under
// `sdd run --cmd`, `script -qfc` and `asciinema rec`, each recording to a file with its output sent to
// /dev/null, and prints wall times as ratios to `script` measured in the same run, plus sdd's peak
// memory (which must not grow with the output). Prints figures; asserts nothing.
//
// Each tool's start-up cost is measured apart (the same tool running `true`), so that the per-MB ratio
// (the time above start-up, sdd's over script's) shows what recording costs per byte; --quick judges
// that ratio, since at 20 MB sdd's fixed 0.3 s start (claim, checkpoints, worker) would dominate. The
// whole-run ratio is printed beside it and is what the full run judges. `node-pty alone` (a PTY copied
// to stdout, nothing else) is the floor of any recorder built on node-pty; `sdd, JavaScript only` is
// sdd without its native fast path (SDD_NATIVE=off), to show what that saves.
//
// The full run takes the median of its runs (5: on this shared machine a run of 3 still moved the
// ratios by 0.1 from one bench to the next). --quick takes the best of 2 (each contender's and each
// start-up's minimum wall time): on a shared machine the other load only ever adds time, so the
// fastest run is the steadier estimate of what a program costs, and 2 runs of it are enough.
//
//   npm run build && node bench/passthrough.mjs [--mb 200] [--runs 5] [--kind text,base64,tokens]
//   node bench/passthrough.mjs --quick    20 MB of each kind, best of 2 runs, only script and sdd, one line per kind ending ok or MISS
//   node bench/passthrough.mjs --awake    the same with the CPUs kept from halting (see below)
//
// Every recorder writes into memory freed a moment before. `script` and asciinema overwrite one file,
// whose pages are freed as the run starts and taken again at once; sdd keeps each session, so without
// care every sdd run would write 200 MB into fresh memory. On a virtual machine whose host gives memory
// on first touch, and takes back what stays free for a few seconds (free page reporting, as on this
// one), that costs about ten times as much: 550-700 ms of the kernel's time per 200 MB against 50 ms
// (measured apart). So the casts of earlier sdd runs are removed just before each sdd run, not before
// the others: what is compared is the recording, not the host.
//
// --awake keeps every CPU busy with a spinner at the lowest priority (nice 19) while the recorders run.
// On a virtual machine whose idle CPUs halt, and wake slowly, a PTY's 4 KB hand-offs between the program,
// the kernel's worker and the reader wait on those wake-ups: there, a recorder that keeps a CPU busy
// (sdd without its native path: more work in its worker) runs faster than one that lets it halt, and
// `script` itself runs ~1.5x faster beside a spinner (measured on this machine, whose kernel is told
// haltpoll.guest_halt_poll_ns=0). With --awake the figures compare the recorders' work, not the wake-ups.
//
// asciinema and script come from Debian's packages (apt-get install asciinema bsdutils); a missing one
// is reported and left out.

import './node-start.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cachedInput } from './cache.mjs';

const AIM_RATIO = 1.1;
const root = fileURLToPath(new URL('..', import.meta.url));
const sdd = join(root, 'bin', 'sdd');
const { values: args } = parseArgs({
  options: {
    mb: { type: 'string' },
    runs: { type: 'string' },
    kind: { type: 'string', default: 'text,base64,tokens' },
    quick: { type: 'boolean', default: false },
    awake: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  // The usage lines of the header above, so that the two never differ.
  const usage = readFileSync(fileURLToPath(import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('//   '))
    .map((line) => `  ${line.slice(5)}`);
  process.stdout.write(
    `usage:\n${usage.join('\n')}\n(the header of bench/passthrough.mjs says what each figure means)\n`,
  );
  process.exit(0);
}
const mb = Number(args.mb ?? (args.quick ? 20 : 200));
const runs = Number(args.runs ?? (args.quick ? 2 : 5));
const bytes = mb * 1_000_000;
const log = (line) => process.stderr.write(`${line}\n`);

function have(tool) {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

/** Wall seconds and peak RSS (KB) of one run, via GNU time when present. */
function timed(file, argv, cwd, env = process.env) {
  const gnuTime = have('/usr/bin/time');
  const started = process.hrtime.bigint();
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', file, ...argv], {
        cwd,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      })
    : spawnSync(file, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${file} ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  const peakKb = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { seconds, peakKb };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The figure of a few runs: the full run's median, --quick's best (see the header). */
const typical = args.quick ? (values) => Math.min(...values) : median;

/** Writes `total` bytes made by `piece()` to a file, a piece at a time (memory stays small). */
async function writeGenerated(path, total, piece) {
  const out = createWriteStream(path);
  for (let written = 0; written < total; ) {
    const chunk = piece().subarray(0, total - written);
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

const ENGLISH = 'The quick brown fox jumps over the lazy dog, a line of output text 0123456789\n';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A token of a common provider's shape, made up here (no real secret is stored in this repository). */
function fakeToken() {
  return `ghp_${Array.from(randomBytes(36), (b) => ALNUM[b % ALNUM.length]).join('')}`;
}

// Bump when the generated outputs change.
const GENERATOR_VERSION = 1;

/**
 * A generated output file of `bytes` bytes, made once into bench/out/ (bench/cache.mjs): every run
 * and every recorder prints the same bytes, and no run spends its time generating them.
 */
async function generatedOutput(kind, piece) {
  const { folder } = await cachedInput(
    `passthrough-${kind}-${bytes}`,
    { GENERATOR_VERSION, kind, bytes },
    (out) => writeGenerated(join(out, `${kind}.txt`), bytes, piece),
  );
  return join(folder, `${kind}.txt`);
}

/** The kinds of output, each a command that prints `bytes` bytes (the same command for every recorder). */
async function prepareKinds() {
  const kinds = [];
  const wanted = new Set(args.kind.split(','));
  if (wanted.has('text')) kinds.push({ name: 'text', command: `yes "${ENGLISH.trim()}" | head -c ${bytes}` });
  if (wanted.has('base64')) {
    // base64 wraps at 76 columns
    const path = await generatedOutput('base64', () => {
      const encoded = randomBytes(57 * 1024).toString('base64');
      return Buffer.from(encoded.replace(/(.{76})/g, '$1\n'));
    });
    kinds.push({ name: 'base64', command: `cat ${path}` });
  }
  if (wanted.has('tokens')) {
    const lines = Math.ceil(4096 / ENGLISH.length); // a token every ~4 KB
    const path = await generatedOutput('tokens', () =>
      Buffer.from(`${ENGLISH.repeat(lines)}export GITHUB_TOKEN=${fakeToken()}\n`.repeat(64)),
    );
    kinds.push({ name: 'tokens', command: `cat ${path}` });
  }
  return kinds;
}

/** Removes the casts of the sdd sessions recorded so far in `project` (see the header: memory reused). */
async function removeEarlierCasts(project) {
  const sessions = join(project, '.sdd', 'local', 'sessions');
  const ids = await readdir(sessions).catch(() => []);
  await Promise.all(ids.map((id) => rm(join(sessions, id, 'terminal.cast'), { force: true })));
}

// Whether sdd records through its native fast path here (`npm run build` makes it): said on stderr.
const nativeBuilt = existsSync(join(root, 'dist', 'native', 'fast_cast.node'));
log(
  nativeBuilt
    ? "sdd's native fast path: built (dist/native/fast_cast.node)"
    : "sdd's native fast path: not built, so sdd records through JavaScript only (npm run build makes it)",
);

// --awake (see the header): a spinner per CPU at nice 19, which takes what the recorders leave idle.
// Each ends by itself once this bench is gone (its parent changes), however the bench ended.
const SPIN =
  'const parent = process.ppid; for (let i = 0; ; i++) if (i % 1e7 === 0 && process.ppid !== parent) process.exit();';
if (args.awake && !have('nice')) {
  log('--awake needs nice (coreutils), which is missing here');
  process.exit(1);
}
const spinners = args.awake
  ? Array.from({ length: availableParallelism() }, () => {
      const spinner = spawn('nice', ['-n', '19', process.execPath, '-e', SPIN], { stdio: 'ignore' });
      // Unreferenced: a running spinner must not keep this bench from exiting (it kills them as it does).
      spinner.unref();
      return spinner;
    })
  : [];
if (args.awake) log(`--awake: ${spinners.length} spinner(s) at nice 19 keep the CPUs from halting`);
process.on('exit', () => {
  for (const spinner of spinners) spinner.kill('SIGKILL');
});

const dir = await mkdtemp(join(tmpdir(), 'sdd-passthrough-'));
// The other recorders' files (and the generated output, in bench/out/) live outside the project: sdd's final checkpoint would
// otherwise hash them.
const elsewhere = await mkdtemp(join(tmpdir(), 'sdd-passthrough-others-'));
try {
  spawnSync('git', ['init', '-q'], { cwd: dir });
  await writeFile(join(dir, 'README.md'), '# bench\n');
  spawnSync(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=b@b', 'commit', '-qam', 'x', '--allow-empty'],
    { cwd: dir },
  );
  spawnSync(process.execPath, [sdd, 'init'], { cwd: dir, stdio: 'ignore' });
  spawnSync(process.execPath, [sdd, 'create', 'passthrough'], { cwd: dir, stdio: 'ignore' });
  const kinds = await prepareKinds();

  const contenders = (command) =>
    [
      { name: 'bare (no recording)', file: 'sh', argv: ['-c', `${command} > /dev/null`], quick: false },
      {
        name: 'script -qfc',
        file: 'script',
        argv: ['-qfc', command, join(elsewhere, 'typescript')],
        needs: 'script',
      },
      {
        name: 'asciinema rec',
        file: 'asciinema',
        argv: ['rec', '-q', '--overwrite', '-c', command, join(elsewhere, 'asciinema.cast')],
        needs: 'asciinema',
        quick: false,
      },
      {
        name: 'node-pty alone',
        file: process.execPath,
        argv: [join(root, 'bench', 'pty-alone.mjs'), command],
        quick: false,
      },
      {
        name: 'sdd run --cmd',
        sdd: true,
        file: process.execPath,
        argv: [sdd, 'run', 'sd-1', '--force', '--as', 'bench', '--cmd', command],
      },
      // The same without the native fast path (src/native/fast-cast.ts): what it saves.
      ...(nativeBuilt
        ? [
            {
              name: 'sdd, JavaScript only',
              sdd: true,
              file: process.execPath,
              argv: [sdd, 'run', 'sd-1', '--force', '--as', 'bench', '--cmd', command],
              env: { ...process.env, SDD_NATIVE: 'off' },
              quick: false,
            },
          ]
        : []),
    ].filter((c) => (!args.quick || c.quick !== false) && (!c.needs || have(c.needs)));
  for (const tool of ['script', 'asciinema']) {
    if (!have(tool) && !(args.quick && tool === 'asciinema'))
      log(`${tool} is not installed (apt-get install ${tool === 'script' ? 'bsdutils' : tool}): left out`);
  }

  // What each tool costs to start and stop with nothing to record.
  const startCost = new Map();
  for (const c of contenders('true')) {
    const starts = [];
    for (let run = 0; run < (args.quick ? 2 : 3); run++) {
      if (c.sdd) await removeEarlierCasts(dir);
      starts.push(timed(c.file, c.argv, dir, c.env).seconds);
    }
    startCost.set(c.name, typical(starts));
  }
  const quickLines = [];
  for (const kind of kinds) {
    const list = contenders(kind.command);
    const results = new Map(list.map((c) => [c.name, []]));
    log(`${kind.name}: ${mb} MB of output, ${runs} run(s) each, taking turns (in a rotating order)...`);
    for (let run = 0; run < runs; run++) {
      // Each run starts one contender later: a run is measured just after a different one each time
      // (the one before leaves the page cache, and the CPUs' state, as it leaves them), so that no
      // contender always follows the same neighbour.
      for (const c of [...list.slice(run % list.length), ...list.slice(0, run % list.length)]) {
        if (c.sdd) await removeEarlierCasts(dir);
        results.get(c.name).push(timed(c.file, c.argv, dir, c.env));
      }
    }
    const seconds = (name) => typical(results.get(name).map((r) => r.seconds));
    const peakMb = (name) => Math.max(...results.get(name).map((r) => r.peakKb)) / 1024;
    const scriptSeconds = results.has('script -qfc') ? seconds('script -qfc') : null;
    const sddRatio = scriptSeconds ? seconds('sdd run --cmd') / scriptSeconds : Number.NaN;
    const perMb = (name) => seconds(name) - startCost.get(name);
    const sddPerMbRatio = scriptSeconds ? perMb('sdd run --cmd') / perMb('script -qfc') : Number.NaN;
    const sddPeak = peakMb('sdd run --cmd');
    const judged = args.quick ? sddPerMbRatio : sddRatio;
    quickLines.push(
      `passthrough ${kind.name} ${mb} MB${args.awake ? ', CPUs kept awake' : ''}: sdd ${sddPerMbRatio.toFixed(2)}x script per MB, ${sddRatio.toFixed(2)}x whole run, peak ${Number.isNaN(sddPeak) ? '-' : sddPeak.toFixed(0)} MB (aim <= ${AIM_RATIO}x ${args.quick ? 'per MB' : 'whole run'}) ${judged <= AIM_RATIO ? 'ok' : 'MISS'}`,
    );
    if (args.quick) continue;
    console.log(
      `\npassthrough of ${mb} MB of ${kind.name} (median of ${runs}; output to /dev/null, recording to a file${args.awake ? '; CPUs kept awake' : ''})`,
    );
    console.log('recorder              wall      vs script   start-up  per MB vs script   peak memory');
    for (const c of list) {
      const ratio = scriptSeconds ? `${(seconds(c.name) / scriptSeconds).toFixed(2)}x` : '-';
      const perMbRatio = scriptSeconds ? `${(perMb(c.name) / perMb('script -qfc')).toFixed(2)}x` : '-';
      const peak = peakMb(c.name);
      console.log(
        `${c.name.padEnd(20)}  ${`${seconds(c.name).toFixed(2)} s`.padEnd(8)}  ${ratio.padEnd(10)}  ${`${startCost.get(c.name).toFixed(2)} s`.padEnd(8)}  ${perMbRatio.padEnd(17)}  ${Number.isNaN(peak) ? '-' : `${peak.toFixed(0)} MB`}`,
      );
    }
    const sessions = spawnSync(process.execPath, [sdd, 'sessions', '--json'], { cwd: dir, encoding: 'utf8' });
    const last = JSON.parse(sessions.stdout)[0];
    const cast = await stat(join(dir, '.sdd', 'local', 'sessions', last.id, 'terminal.cast'));
    console.log(`sdd's recording: ${(cast.size / 1e6).toFixed(0)} MB of asciicast for ${mb} MB of output`);
  }
  console.log('');
  for (const line of quickLines) console.log(line);
} finally {
  await rm(dir, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
}
