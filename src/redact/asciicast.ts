// Redacts an asciicast file (v2 or v3) line by line into another: "o" and "i" data go through one
// StreamRedactor per stream, so a secret split across events is caught; every other line through redactJsonLine.

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { redactJsonLine } from './json-line.js';
import { addCounts } from './redact-text.js';
import { StreamRedactor } from './stream-redactor.js';
import type { RedactCounts, RedactOptions } from './types.js';

type StreamCode = 'o' | 'i';

export async function redactAsciicastFile(
  inPath: string,
  outPath: string,
  options: RedactOptions = {},
): Promise<RedactCounts> {
  const counts: RedactCounts = {};
  const redactors = new Map<StreamCode, StreamRedactor>();
  const lines = createInterface({
    input: createReadStream(inPath, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  const out = createWriteStream(outPath, { encoding: 'utf8' });
  const write = async (line: string): Promise<void> => {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  };
  // v2 times are absolute (flushed text goes at the last one), v3 times are intervals (flushed at +0).
  let relativeTimes = false;
  let lastTime = 0;
  let headerSeen = false;

  const flush = async (): Promise<void> => {
    for (const [code, redactor] of redactors) {
      const rest = redactor.end();
      if (rest.length > 0) await write(JSON.stringify([relativeTimes ? 0 : lastTime, code, rest]));
    }
  };

  try {
    for await (const line of lines) {
      if (!headerSeen && line.trim().length > 0) {
        headerSeen = true;
        relativeTimes = /"version"\s*:\s*3\b/.test(line);
        const header = redactJsonLine(line, options);
        addCounts(counts, header.counts);
        await write(header.line);
        continue;
      }
      const event = parseStreamEvent(line);
      if (event === null) {
        if (/^\[\s*[\d.eE+-]+\s*,\s*"x"/.test(line)) await flush();
        const other = redactJsonLine(line, options);
        addCounts(counts, other.counts);
        await write(other.line);
        continue;
      }
      const [time, code, data] = event;
      lastTime = time;
      let redactor = redactors.get(code);
      if (redactor === undefined) {
        redactor = new StreamRedactor(options);
        redactors.set(code, redactor);
      }
      const text = redactor.push(data);
      // An event whose text is all held back is dropped: it reappears in the next one of its stream.
      if (text.length > 0) await write(JSON.stringify([time, code, text]));
    }
    await flush();
  } finally {
    out.end();
    await finished(out);
  }
  for (const redactor of redactors.values()) addCounts(counts, redactor.counts());
  return counts;
}

function parseStreamEvent(line: string): [number, StreamCode, string] | null {
  if (!line.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [time, code, data] = value as unknown[];
  if (typeof time !== 'number' || (code !== 'o' && code !== 'i') || typeof data !== 'string') return null;
  return [time, code, data];
}
