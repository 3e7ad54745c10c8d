// Reads what follows a PEM private key header and says whether it is a key body: optional
// `Proc-Type:`/`DEK-Info:` lines, then base64 lines (or one long base64 run, or runs split by spaces or by
// literal `\n` as in a JSON string), then an END line. One linear pass, no regular expression over the body.

/** Longer than any real key body (an 8192-bit RSA key is about 6.5 KB): a body this long is cut here. */
export const PRIVATE_KEY_CAP = 16_384;
/**
 * Every base64 run of a body but its last is at least this long (PEM lines have 64 characters, OpenSSH
 * 70): `-----BEGIN RSA PRIVATE KEY----- is the header` has runs of 2 and 3 letters, so it is not a key.
 */
const MIN_INNER_RUN = 16;
/**
 * A body cut short by other text (`head -c 500 id_rsa`, then the prompt) is still a key once it has a
 * run this long; before that it may as well be a path or a word after a header printed alone.
 */
const MIN_KEY_LINE = 40;
const HEADER_LINES = ['Proc-Type:', 'DEK-Info:'];
const MAX_HEADER_LINE = 200;

const FOOTER = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/y;
const PARTIAL_FOOTER = /(?:-----END[ A-Z0-9_-]{0,130}|-(?:-(?:-(?:-(?:-(?:E(?:N)?)?)?)?)?)?)$/y;

export type KeyBody =
  /** A whole block: header through footer ends at `end`. */
  | { state: 'block'; end: number }
  /** Still a possible body at the end of the text; `runs` base64 runs so far. */
  | { state: 'open'; runs: number }
  /** Past PRIVATE_KEY_CAP without an END line: the block is taken up to `end`. */
  | { state: 'capped'; end: number }
  /** Other text came after a body of at least one key line: header and body, to `end`, are a key. */
  | { state: 'truncated'; end: number }
  /** Something that cannot be in a key body came first: only a header, nothing to redact. */
  | { state: 'none' };

const BASE64 = 1;
const BREAK = 2;
const CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9+/=]/.test(char)) CLASS[code] = BASE64;
  else if (/[ \t\r\n]/.test(char)) CLASS[code] = BREAK;
}

/** Reads `text` from `bodyStart` (right after a header) to its end. */
export function readKeyBody(text: string, bodyStart: number): KeyBody {
  const end = text.length;
  let runs = 0;
  /** The base64 run being read: where it started, 0 length when between runs. */
  let runStart = bodyStart;
  let runLength = 0;
  /** Of the runs finished before: the longest, the last one's length and where it ended. */
  let longestRun = 0;
  let lastRunLength = 0;
  let lastRunEnd = bodyStart;
  const endRun = (): void => {
    longestRun = Math.max(longestRun, runLength);
    lastRunLength = runLength;
    lastRunEnd = runStart + runLength;
    runLength = 0;
  };
  // Text that cannot be in a key body ends it: a truncated key if it had a key line, else no key at all.
  const stop = (): KeyBody =>
    longestRun >= MIN_KEY_LINE ? { state: 'truncated', end: lastRunEnd } : { state: 'none' };

  for (let at = bodyStart; at < end; ) {
    if (at - bodyStart > PRIVATE_KEY_CAP) return { state: 'capped', end: at };
    const code = text.charCodeAt(at);
    const kind = code < 128 ? CLASS[code] : 0;
    if (kind === BASE64) {
      if (runLength === 0) {
        if (runs === 0) {
          const header = readHeaderLine(text, at);
          if (header === 'partial') return { state: 'open', runs };
          if (header !== -1) {
            at = header;
            continue;
          }
        }
        // A new run after a short one: words, not base64 lines.
        if (runs > 0 && lastRunLength < MIN_INNER_RUN) return stop();
        runs++;
        runStart = at;
      }
      runLength++;
      at++;
      continue;
    }
    const stuck = runLength > 0;
    if (stuck) endRun();
    if (kind === BREAK) {
      at++;
      continue;
    }
    if (code === 0x5c) {
      // A literal `\n` or `\r`, as in a key inside a JSON or .env string.
      if (at + 1 === end) return { state: 'open', runs };
      const next = text.charCodeAt(at + 1);
      if (next !== 0x6e && next !== 0x72) return stop();
      at += 2;
      continue;
    }
    if (code === 0x2d && runs > 0) {
      FOOTER.lastIndex = at;
      const footer = FOOTER.exec(text);
      if (footer !== null) return { state: 'block', end: at + footer[0].length };
      PARTIAL_FOOTER.lastIndex = at;
      if (PARTIAL_FOOTER.test(text)) return { state: 'open', runs };
    }
    if (stuck && lastRunLength < MIN_KEY_LINE) {
      // A run the text is stuck to (`user` of `user@host`) is that text, not the key's last line.
      lastRunEnd = previousRunEnd(text, bodyStart, runStart);
    }
    return stop();
  }
  return { state: 'open', runs };
}

/** Where the base64 run before the one starting at `runStart` ended (or the body start). */
function previousRunEnd(text: string, bodyStart: number, runStart: number): number {
  let at = runStart;
  while (at > bodyStart && !isBase64(text.charCodeAt(at - 1))) at--;
  return at;
}

function isBase64(code: number): boolean {
  return code < 128 && CLASS[code] === BASE64;
}

/** The end of a `Proc-Type:`/`DEK-Info:` line at `at` (after its line break), -1, or 'partial' at the end. */
function readHeaderLine(text: string, at: number): number | -1 | 'partial' {
  const label = HEADER_LINES.find((candidate) => text.startsWith(candidate, at));
  if (label === undefined) {
    const rest = text.slice(at, at + 10);
    const partial = rest.length < 10 && HEADER_LINES.some((candidate) => candidate.startsWith(rest));
    return partial && at + rest.length === text.length ? 'partial' : -1;
  }
  const limit = Math.min(text.length, at + MAX_HEADER_LINE);
  for (let i = at + label.length; i < limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x0d) return i;
    if (code === 0x5c && text.charCodeAt(i + 1) === 0x6e) return i;
    if (code < 0x20 && code !== 0x09) return -1;
  }
  return limit === text.length ? 'partial' : -1;
}
