// The screen at a moment of an hour-long, busy recording: how long `renderScreenAt` takes cold (building the
// keyframe index included), warm (index present) at the end and in the middle, in this process and in a fresh
// one (as `sdd replay --at` runs), and without keyframes for comparison. Prints figures; asserts nothing.
//
//   npm run build && node bench/replay-at.mjs
//   node bench/replay-at.mjs --minutes 60 --mb 180 --runs 7   (the cast is kept in bench/out/; --keep is accepted)
//   node bench/replay-at.mjs --quick                (10 minutes, 30 MB, 3 runs: for npm run bench:quick)
//
// --quick times only what its aim judges: warm, at the end. The keyframe index is kept beside the
// cached cast in bench/out/; when it is there (any run but the first) --quick makes no cold render and
// no render without keyframes, and so does not check the screen from keyframes against the one of a
// full replay: that check needs a full replay (seconds on this cast) and is the full run's.
//
// The cast is written directly as JSON lines from a seeded generator (no PTY): colored build-log lines, some
// longer than the terminal, progress bars, full-screen redraws, alternate-screen sessions, resizes, in
// events of up to 4 KiB cut anywhere (as PTY reads are), spread over the recording's duration.

import './node-start.mjs';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { aimLine } from './aim.mjs';
import { cachedInput } from './cache.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rendererPath = join(root, 'dist', 'src', 'replay', 'screen-renderer.js');

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      minutes: { type: 'string', default: '60' },
      mb: { type: 'string', default: '180' },
      runs: { type: 'string', default: '7' },
      'cold-runs': { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail(
    `${error.message}\nusage: node bench/replay-at.mjs ` +
      '[--minutes 60] [--mb 180] [--runs 7] [--cold-runs 3] [--quick] [--keep]',
  );
}
if (args.quick) Object.assign(args, { minutes: '10', mb: '30', runs: '3', 'cold-runs': '1' });
const seconds = Number(args.minutes) * 60;
const outputBytes = Number(args.mb) * 1e6;
const runs = Number(args.runs);
const coldRuns = Number(args['cold-runs']);
if (!(seconds > 0 && outputBytes > 0 && runs >= 1 && coldRuns >= 1))
  fail('--minutes, --mb, --runs and --cold-runs take numbers above 0.');

let renderScreenAt;
let buildKeyframes;
try {
  ({ renderScreenAt, buildKeyframes } = await import(rendererPath));
} catch (error) {
  fail(`cannot load the compiled code (run \`npm run build\` first): ${error.message}`);
}

// Bump when writeCast changes what it writes.
const GENERATOR_VERSION = 1;
// The cast is generated once into bench/out/ (bench/cache.mjs); its keyframe index is written beside
// it by the renders, and deleted before each cold one.
const { folder: dir } = await cachedInput(
  `replay-cast-${args.minutes}min-${args.mb}mb`,
  { GENERATOR_VERSION, seconds, outputBytes, seed: 42 },
  async (folder) => {
    progress(`writing a ${args.minutes}-minute cast with ~${args.mb} MB of output…`);
    const made = await writeCast(join(folder, 'terminal.cast'), { seconds, outputBytes, seed: 42 });
    await writeFile(join(folder, 'generated.json'), JSON.stringify(made));
  },
);
{
  const castPath = join(dir, 'terminal.cast');
  const indexPath = `${castPath}.keyframes.jsonl`;
  const generated = JSON.parse(await readFile(join(dir, 'generated.json'), 'utf8'));
  const castSize = (await stat(castPath)).size;
  const end = Math.min(seconds, Math.floor(generated.duration)) - 1;
  const middle = Math.floor(generated.duration / 2);
  console.log(
    `cast: ${mb(castSize)} on disk, ${mb(generated.output)} of output, ` +
      `${generated.events.toLocaleString('en')} events, ` +
      `${fmtSeconds(generated.duration)}, ${generated.resizes} resizes`,
  );

  // --quick measures what its aim judges (warm, at the end; see the header); the keyframe summary,
  // the middle, the fresh process, the full replay and the check against it are the full run's.
  const full = !args.quick;
  let cold;
  if (full || !existsSync(indexPath)) {
    progress('cold renders (the index is deleted before each)…');
    cold = await timeRuns(coldRuns, async () => {
      await rm(indexPath, { force: true });
      await renderScreenAt(castPath, end);
    });
  } else {
    // Untimed, as the cold render was: the code is loaded and warm before the timed renders, and an
    // index left by an older build is refreshed here, not in a timed render.
    await renderScreenAt(castPath, end);
  }
  const summary = full ? await buildKeyframes(castPath) : undefined;
  const indexSize = (await stat(indexPath)).size;
  progress('warm renders…');
  const warmEnd = await timeRuns(runs, () => renderScreenAt(castPath, end));
  const warmMiddle = full ? await timeRuns(runs, () => renderScreenAt(castPath, middle)) : undefined;
  const freshProcess = full
    ? await timeRuns(Math.min(runs, 5), async () => freshProcessRender(castPath, end))
    : undefined;
  // The full replay's screen is the one compared below: rendering it twice only costs time.
  let fromStart;
  let replayAll;
  let sameScreen;
  if (full) {
    progress('one render without keyframes…');
    replayAll = await timeRuns(1, async () => {
      fromStart = await renderScreenAt(castPath, end, { keyframes: false });
    });
    sameScreen = (await renderScreenAt(castPath, end)).text === fromStart.text;
  }

  console.log(
    `keyframes: ${summary?.keyframes ?? '-'}, index ${mb(indexSize)} ` +
      `(${((100 * indexSize) / castSize).toFixed(1)}% of the cast)`,
  );
  console.log('');
  console.log('renderScreenAt                              median      min   (runs)');
  if (cold) row(`cold, at ${fmtSeconds(end)} (index built)`, cold);
  row(`warm, at ${fmtSeconds(end)}`, warmEnd);
  if (warmMiddle) row(`warm, at ${fmtSeconds(middle)}`, warmMiddle);
  if (freshProcess) row(`warm, at ${fmtSeconds(end)}, fresh node process*`, freshProcess);
  if (replayAll) row(`no keyframes, at ${fmtSeconds(end)}`, replayAll);
  console.log('');
  if (freshProcess)
    console.log('* whole `node` run: start, module loading, render (what `sdd replay --at` costs)');
  console.log(
    `screen from keyframes = screen from a full replay: ${
      sameScreen === undefined ? 'not checked in --quick' : sameScreen ? 'yes' : 'NO'
    }`,
  );
  console.log(
    aimLine(
      `replay --at the end of a ${args.minutes}-minute, ${args.mb} MB cast, warm`,
      fmtMs(warmEnd.median),
      '< 200 ms',
      warmEnd.median < 200 && sameScreen !== false,
    ),
  );
  console.log(`the cast: ${castPath} (kept in bench/out/ for the next run)`);
}

// ---------------------------------------------------------------------------------------------------
// the recording

async function writeCast(path, { seconds, outputBytes, seed }) {
  const random = mulberry32(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const words = [
    'compile',
    'test',
    'passed',
    'failed',
    'src/replay',
    'cache',
    'résumé',
    '日本語',
    'λ',
    '✓',
    'warn',
  ];
  const colors = ['31', '32', '33', '34', '1;36', '38;5;208', '48;5;22', '2'];
  let cols = 120;
  let rows = 40;
  const out = createWriteStream(path);
  let lines = [JSON.stringify({ version: 2, width: cols, height: rows, timestamp: 1_700_000_000 })];
  let time = 0;
  let output = 0;
  let events = 0;
  let resizes = 0;
  // Average seconds per character so the output spans the duration, pauses included.
  const pace = (seconds * 0.8) / outputBytes;

  const flush = async () => {
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
    lines = [];
  };
  const event = (code, data) => {
    time += data.length * pace * 2 * random();
    if (random() < 0.0005) time += random() * 32; // an agent thinking
    lines.push(JSON.stringify([Math.round(time * 1e6) / 1e6, code, data]));
    events++;
  };
  const emit = (text) => {
    for (let at = 0; at < text.length; ) {
      let next = Math.min(text.length, at + 1 + Math.floor(random() * 4096));
      if (next < text.length && /[\ud800-\udbff]/.test(text[next - 1])) next++;
      event('o', text.slice(at, next));
      at = next;
    }
    output += text.length;
  };
  const sentence = (n) => Array.from({ length: n }, () => pick(words)).join(' ');
  const logLines = (n) => {
    let text = '';
    for (let i = 0; i < n; i++) {
      const words = sentence(3 + Math.floor(random() * 30));
      text += `\x1b[${pick(colors)}m${String(i).padStart(5)}\x1b[0m ${words}\r\n`;
    }
    return text;
  };
  const redraw = () => {
    let text = '\x1b[H\x1b[2J';
    for (let row = 1; row <= rows; row++)
      text += `\x1b[${row};1H\x1b[${pick(colors)}m${sentence(12).slice(0, cols - 1)}\x1b[0m`;
    return text;
  };
  const progressBar = () => {
    let text = '';
    for (let p = 0; p <= 100; p += 2) text += `\r\x1b[K[${'#'.repeat(p / 4).padEnd(25)}] ${p}%`;
    return `${text}\r\n`;
  };
  const alternateScreen = () => {
    let text = '\x1b[?1049h';
    for (let i = 0; i < 20 + Math.floor(random() * 100); i++) text += redraw();
    return `${text}\x1b[?1049l`;
  };

  while (output < outputBytes) {
    const roll = random();
    if (roll < 0.002) {
      cols = 80 + Math.floor(random() * 100);
      rows = 24 + Math.floor(random() * 30);
      event('r', `${cols}x${rows}`);
      resizes++;
    } else if (roll < 0.01) emit(alternateScreen());
    else if (roll < 0.1) emit(redraw());
    else if (roll < 0.15) emit(progressBar());
    else emit(logLines(10 + Math.floor(random() * 300)));
    if (lines.length > 5000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { duration: time, output, events, resizes };
}

// ---------------------------------------------------------------------------------------------------
// helpers

function freshProcessRender(castPath, at) {
  const script =
    `const { renderScreenAt } = await import(${JSON.stringify(rendererPath)});\n` +
    `await renderScreenAt(${JSON.stringify(castPath)}, ${at});`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) fail(`the render in a fresh process failed:\n${result.stderr}`);
}

async function timeRuns(count, fn) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = times.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2,
    min: sorted[0],
    runs: count,
  };
}

function row(label, { median, min, runs }) {
  console.log(`${label.padEnd(42)} ${fmtMs(median).padStart(8)} ${fmtMs(min).padStart(8)}   (${runs})`);
}

function fmtMs(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  if (value >= 100) return `${value.toFixed(0)} ms`;
  return `${value.toFixed(1)} ms`;
}

function fmtSeconds(value) {
  const whole = Math.floor(value);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** mulberry32: a tiny seeded PRNG, floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function progress(message) {
  process.stderr.write(`${message}\n`);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}
