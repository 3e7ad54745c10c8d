// Test helper: a long, busy recording written straight as JSON lines (no PTY), from a seeded generator so
// every run is the same. It holds what makes keyframes hard: escape sequences split across events, colors,
// wrapped lines, wide characters, full-screen redraws, alternate-screen sessions and scroll margins that
// outlive a keyframe's spacing, and resizes.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

export interface LongCastOptions {
  seconds: number;
  /** Roughly how much output to write. */
  outputBytes: number;
  width?: number;
  height?: number;
  seed?: number;
}

const WORDS = [
  'build',
  'test',
  'résumé',
  'ok',
  'failed',
  '日本語',
  'naïve',
  '🎉',
  'src/replay',
  'λ',
  'done',
  'cache',
];

export async function writeLongCast(path: string, options: LongCastOptions): Promise<{ events: number }> {
  const random = seeded(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let cols = options.width ?? 100;
  let rows = options.height ?? 30;
  const out = createWriteStream(path);
  const lines: string[] = [
    JSON.stringify({ version: 2, width: cols, height: rows, timestamp: 1_700_000_000 }),
  ];
  let written = 0;
  let events = 0;
  let time = 0;
  const secondsPerByte = options.seconds / options.outputBytes;

  const flush = async () => {
    if (!out.write(`${lines.join('\n')}\n`)) await once(out, 'drain');
    lines.length = 0;
  };
  const event = (code: string, data: string) => {
    time += data.length * secondsPerByte * (0.5 + random());
    // Now and then a pause, as when an agent thinks.
    if (random() < 0.002) time += random() * 20;
    lines.push(JSON.stringify([Math.round(time * 1e6) / 1e6, code, data]));
    events++;
  };
  // Output in events of random sizes cut anywhere (mid escape sequence too), never inside a surrogate pair.
  const output = (text: string) => {
    let at = 0;
    while (at < text.length) {
      let end = Math.min(text.length, at + 1 + Math.floor(random() * 3000));
      if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end++;
      event('o', text.slice(at, end));
      at = end;
    }
    written += text.length;
  };
  const word = () => pick(WORDS);
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const color = () => `\x1b[${pick(['31', '32', '33', '1;34', '38;5;208', '48;5;22', '7', '4'])}m`;

  const logLines = () => {
    let text = '';
    for (let i = 0, n = 20 + Math.floor(random() * 200); i < n; i++) {
      // Some lines are longer than the terminal is wide, so they wrap.
      text += `${color()}[${String(i).padStart(4)}]\x1b[0m ${sentence(2 + Math.floor(random() * 40))}\r\n`;
    }
    return text;
  };
  const fullRedraw = () => {
    let text = '\x1b[H\x1b[2J';
    for (let row = 1; row <= rows; row++)
      text += `\x1b[${row};1H${color()}${sentence(6).slice(0, cols - 1)}\x1b[0m`;
    return `${text}\x1b[${1 + Math.floor(random() * rows)};${1 + Math.floor(random() * cols)}H`;
  };
  const inkRedraw = () => {
    const height = 1 + Math.floor(random() * 5);
    const prompt = Array.from({ length: height }, () => `> ${sentence(5)}`).join('\r\n');
    return `${'\x1b[2K\x1b[1A'.repeat(height)}\x1b[2K\r${prompt}`;
  };
  const progress = () => {
    let text = '';
    for (let p = 0; p <= 100; p += 5) text += `\r\x1b[K${'#'.repeat(p / 5)} ${p}%`;
    return `${text}\r\n`;
  };
  const fullWidthLine = () => `${'='.repeat(cols)}`; // ends in the pending-wrap state
  const altSession = () => {
    // A pager or editor: many redraws inside the alternate screen, often with scroll margins set.
    let text = `\x1b[?1049h\x1b[H\x1b[2J\x1b[2;${rows - 1}r`;
    for (let i = 0, n = 50 + Math.floor(random() * 400); i < n; i++) {
      text += random() < 0.5 ? `\x1b[${rows - 1};1H\n${color()}${sentence(8)}\x1b[0m` : fullRedraw();
    }
    return `${text}\x1b[r\x1b[?1049l`;
  };
  const scrollMargins = () => `\x1b[3;${rows - 2}r\x1b[${rows - 2};1H${logLines()}\x1b[r`;
  const resize = () => {
    cols = 60 + Math.floor(random() * 80);
    rows = 15 + Math.floor(random() * 30);
    event('r', `${cols}x${rows}`);
  };

  const kinds = [logLines, logLines, logLines, fullRedraw, inkRedraw, progress, fullWidthLine, scrollMargins];
  while (written < options.outputBytes) {
    const roll = random();
    if (roll < 0.01) resize();
    else if (roll < 0.03) output(altSession());
    else output(pick(kinds)());
    if (lines.length > 2000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { events };
}

/** mulberry32: a small seeded generator, so the recording is the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
