// Redactor throughput: runs the StreamRedactor alone over N MB of three kinds of terminal output fed in
// 4-64 KB chunks like a PTY's reads, and prints MB/s per kind and the peak RSS. The "tokens" kind holds a
// real-looking secret every few KB; its output must have exactly that many redactions, the others none.
//
//   npm run build && node bench/redactor.mjs [--mb 200] [--quick]
//
// --quick uses 20 MB and prints one line per kind, ending in ok or MISS (collected by `npm run bench:quick`).
// Each kind is first fed 10 MB untimed so that JIT warm-up does not count. MB/s are per second
// of this process's CPU time: the redactor is single-threaded and CPU-bound, so that is its throughput on
// a core of its own, however busy the machine is; the full run prints the wall-clock figure too.

import './node-start.mjs';
import { parseArgs } from 'node:util';
import { StreamRedactor } from '../dist/src/redact/index.js';

const AIM_MB_PER_S = 200;
const { values: args } = parseArgs({
  options: { mb: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const megabytes = Number(args.mb ?? (args.quick ? 20 : 200));

/** A small deterministic PRNG (mulberry32): the same input on every run. */
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

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function pick(next, alphabet, n) {
  let text = '';
  for (let i = 0; i < n; i++) text += alphabet.charAt(Math.floor(next() * alphabet.length));
  return text;
}

const ENGLISH = [
  'The build finished in 2.3s; 14 files changed, 3 tests passed. See the log at /tmp/build.log for details.',
  'Reading src/sessions/session-runner.ts to find where the terminal output is written to the cast file...',
  '  $ git status --short && npm test -- --reporter=dot   # the path to the key file is in the config',
  'I will now update the tokenizer so that it keeps the passage intact, then run the pattern tests again.',
];

/** One source text per kind, repeated to make the stream; `secrets` is how many it holds. */
function englishSource() {
  const lines = [];
  for (let i = 0, length = 0; length < 1_000_000; i++) {
    lines.push(`${ENGLISH[i % ENGLISH.length]} ${i}`);
    length += lines[i].length + 2;
  }
  return { text: `${lines.join('\r\n')}\r\n`, secrets: 0 };
}

function base64Source() {
  const next = random(7);
  const bytes = Buffer.alloc(750_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
  const encoded = bytes.toString('base64');
  const lines = encoded.match(/.{1,76}/g) ?? [];
  return { text: `${lines.join('\n')}\n`, secrets: 0 };
}

function tokensSource() {
  const next = random(11);
  // Built from parts, so that this file does not look like it holds a secret.
  const makers = [
    () => ['gh', 'p_', pick(next, ALNUM, 36)].join(''),
    () => ['AK', 'IA', pick(next, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)].join(''),
    () =>
      [
        ['ey', 'JhbGciOiJIUzI1NiJ9'].join(''),
        ['ey', 'J', pick(next, ALNUM, 40)].join(''),
        pick(next, ALNUM, 43),
      ].join('.'),
    () => `API_KEY=${pick(next, ALNUM, 32)}`,
  ];
  const parts = [];
  let length = 0;
  let secrets = 0;
  while (length < 1_000_000) {
    const lines = [];
    const every = 2000 + Math.floor(next() * 3000);
    for (let size = 0; size < every; ) {
      const line = ENGLISH[Math.floor(next() * ENGLISH.length)];
      lines.push(line);
      size += line.length + 2;
    }
    lines.push(`export value: ${makers[secrets % makers.length]()} done`);
    secrets += 1;
    const part = `${lines.join('\r\n')}\r\n`;
    parts.push(part);
    length += part.length;
  }
  return { text: parts.join(''), secrets };
}

/**
 * Feeds 10 MB first, untimed, so the figure is the steady state rather than V8's warm-up: token-laden
 * output runs at about half speed for its first few megabytes, until the hit paths are optimized.
 */
function warmUp(source) {
  const redactor = new StreamRedactor({});
  for (let round = 0; round * source.text.length < 10_000_000; round++) {
    for (let at = 0; at < source.text.length; at += 16_384) redactor.push(source.text.slice(at, at + 16_384));
  }
  redactor.end();
}

function run(kind, source) {
  warmUp(source);
  const repeats = Math.max(1, Math.round((megabytes * 1_000_000) / source.text.length));
  const total = repeats * source.text.length;
  const next = random(3);
  const redactor = new StreamRedactor({ secretsFromEnv: { DEPLOY_TOKEN: 'not-in-this-output-0xC0FFEE' } });
  let position = 0;
  let fed = 0;
  let emitted = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  while (fed < total) {
    const size = Math.min(total - fed, 4096 + Math.floor(next() * 61_440));
    let chunk = source.text.slice(position, position + size);
    if (chunk.length < size) chunk += source.text.slice(0, size - chunk.length);
    position = (position + size) % source.text.length;
    fed += size;
    emitted += redactor.push(chunk).length;
  }
  emitted += redactor.end().length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const redactions = Object.values(redactor.counts()).reduce((sum, count) => sum + count, 0);
  const expected = repeats * source.secrets;
  const mbPerS = total / 1e6 / cpuSeconds;
  const wallMbPerS = total / 1e6 / seconds;
  // Untouched kinds must come out whole: nothing held or swallowed.
  const whole = source.secrets > 0 || emitted === total;
  const ok = mbPerS > AIM_MB_PER_S && redactions === expected && whole;
  return { kind, mbPerS, wallMbPerS, redactions, expected, whole, ok, megabytes: total / 1e6 };
}

const kinds = [
  ['text', englishSource()],
  ['base64', base64Source()],
  ['tokens', tokensSource()],
];
const results = kinds.map(([kind, source]) => run(kind, source));
const peakRssMb = process.resourceUsage().maxRSS / 1024;

for (const result of results) {
  const figure = `redactor ${result.kind}: ${Math.round(result.mbPerS)} MB/s (aim > ${AIM_MB_PER_S} MB/s)`;
  if (args.quick) {
    console.log(`${figure} ${result.ok ? 'ok' : 'MISS'}`);
    continue;
  }
  const checks = `${result.redactions}/${result.expected} redactions${result.whole ? '' : ', output not whole'}`;
  const wall = `${Math.round(result.wallMbPerS)} MB/s by the wall clock`;
  console.log(
    `${figure} over ${result.megabytes.toFixed(0)} MB (${wall}), ${checks} ${result.ok ? 'ok' : 'MISS'}`,
  );
}
if (!args.quick) console.log(`peak RSS: ${peakRssMb.toFixed(0)} MB`);
