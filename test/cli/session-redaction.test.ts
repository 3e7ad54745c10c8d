// Secrets never reach a session's files: a token printed in two halves across reads, a private key
// block, and the value of a secret variable of the agent's environment are redacted and counted, and
// the recording still plays.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { SessionRedaction } from '../../src/sessions/session-redaction.js';
import { StreamRuns } from '../../src/sessions/stream-runs.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENT = join(REPO_ROOT, 'test', 'fixtures', 'fake-agent.mjs');

// Built from parts, so this repository holds no string that looks like a live secret.
const GITHUB_TOKEN = `ghp_${'Z9y8X7w6V5u4'.repeat(3)}`;
const KEY_BLOCK = [
  '-----BEGIN OPENSSH',
  ' PRIVATE KEY-----',
  '\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACD',
  '\n-----END OPENSSH PRIVATE KEY-----',
];
const ENV_SECRET = 'hunter2-but-longer-0xC0FFEE';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('session redaction', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
    git(dir.path, ['init', '-q']);
    sddJson(dir.path, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('keeps split tokens, key blocks and secret environment values out of every file of the session', async () => {
    const task = sddJson<Item>(dir.path, ['create', 'Print secrets']);
    const half = GITHUB_TOKEN.length / 2;
    const steps = join(dir.path, '..', `${dir.path.split('/').pop()}-steps.json`);
    await writeFile(
      steps,
      JSON.stringify([
        { print: `\x1b[32mtoken: ${GITHUB_TOKEN.slice(0, half)}` },
        { sleep: 300 },
        { print: `${GITHUB_TOKEN.slice(half)}\x1b[0m done\r\n` },
        ...KEY_BLOCK.flatMap((part) => [{ print: part.replace(/\n/g, '\r\n') }, { sleep: 150 }]),
        { print: `\r\nthe service says ${process.env.NONE ?? ''}${ENV_SECRET} ok \u00e9\u20ac\r\n` },
        { checkpoint: `saved with ${GITHUB_TOKEN}` },
        { exit: 0 },
      ]),
    );
    const run = sdd(dir.path, ['run', task.id, '--', process.execPath, FAKE_AGENT, steps], {
      MY_SERVICE_TOKEN: ENV_SECRET,
    });
    expect(run.code).toBe(0);
    const session = sddJson<SessionRecord[]>(dir.path, ['sessions'])[0]!;
    const folder = join(dir.path, '.sdd', 'local', 'sessions', session.id);
    for (const file of await filesUnder(folder)) {
      if (file.endsWith('git-index')) continue;
      const text = await readFile(file, 'utf8');
      expect(text, file).not.toContain(GITHUB_TOKEN);
      expect(text, file).not.toContain(GITHUB_TOKEN.slice(half)); // not even the second half
      expect(text, file).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
      expect(text, file).not.toContain(ENV_SECRET);
    }
    const cast = (await readFile(join(folder, 'terminal.cast'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const output = cast
      .slice(1)
      .map((e) => e[2])
      .join('');
    expect(output).toContain('[REDACTED:github-token]');
    expect(output).toContain('done');
    expect(output).toContain('ok \u00e9\u20ac');
    expect(session.redactions).toMatchObject({
      'github-token': 2,
      'private-key': 1,
      'env:MY_SERVICE_TOKEN': 1,
    });
    expect(sdd(dir.path, ['session', 'show', session.id]).stdout).toContain('secrets redacted:');
    const replay = sdd(dir.path, ['replay', session.id, '--speed', '100']);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('the service says');
  }, 30_000);
});

describe('SessionRedaction streams', () => {
  it('flushStream emits a held tail without ending the stream; a token split later is still caught', () => {
    const redaction = new SessionRedaction({});
    expect(redaction.streamText('output', '$ echo ghp_')).toBe('$ echo ');
    expect(redaction.flushStream('output')).toBe('ghp_');
    expect(redaction.flushStream('input')).toBe('');
    const half = GITHUB_TOKEN.length / 2;
    expect(redaction.streamText('output', ` ${GITHUB_TOKEN.slice(0, half)}`)).toBe(' ');
    expect(redaction.streamText('output', `${GITHUB_TOKEN.slice(half)} ok`)).toBe(
      '[REDACTED:github-token] ok',
    );
    expect(redaction.endStream('output')).toBe('');
    expect(redaction.totals()).toEqual({ 'github-token': 1 });
  });

  it('flushStream keeps a multi-byte character split across reads whole', () => {
    const redaction = new SessionRedaction({});
    // The reads are cut into whole characters before the redactor (as the recording does), and a flush
    // of the redactor has no half character to give out.
    let out = '';
    const runs = new StreamRuns(
      {
        redact: (text) => {
          out += redaction.streamText('output', text);
        },
        maySkip: () => false,
        pass: () => {},
      },
      null,
    );
    const euro = Buffer.from('\u20ac');
    runs.add(Buffer.concat([Buffer.from('a '), euro.subarray(0, 1)]), 0);
    expect(out).toBe('a ');
    expect(redaction.flushStream('output')).toBe('');
    out = '';
    runs.add(euro.subarray(1), 0);
    expect(out).toBe('\u20ac');
  });
});
