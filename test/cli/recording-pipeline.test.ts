// The terminal recording as it leaves the screen's path: markers and resizes land in order with the
// output around them, the task's prompt is written (and given to the agent) redacted, and text the
// redactor holds back reaches the cast while the program waits.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENT = join(REPO_ROOT, 'test', 'fixtures', 'fake-agent.mjs');
// Built from parts, so this repository holds no string that looks like a live secret.
const API_KEY_VALUE = `Zq8v3LmN${'0pRt5wXy2'.repeat(2)}`;

describe('the recording pipeline', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    sddJson(cwd, ['init']);
  });
  afterEach(async () => {
    await dir.remove();
  });

  const steps = async (list: unknown[]) => {
    const path = join(dir.path, '..', `${dir.path.split('/').pop()}-steps.json`);
    await writeFile(path, JSON.stringify(list));
    return path;
  };
  const castOf = async (session: SessionRecord) =>
    (await readFile(join(cwd, '.sdd', 'local', 'sessions', session.id, 'terminal.cast'), 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as [number, string, string]);

  it('keeps markers in order with the output around them, and times that never go back', async () => {
    const task = sddJson<Item>(cwd, ['create', 'Mark between prints']);
    const script = await steps([
      { print: 'before the mark\r\n' },
      { mark: 'halfway' },
      { print: 'after the mark\r\n' },
      { exit: 0 },
    ]);
    expect(sdd(cwd, ['run', task.id, '--', process.execPath, FAKE_AGENT, script]).code).toBe(0);
    const cast = await castOf(sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!);
    const order = cast.map(([, code, data]) => (code === 'm' ? `m:${data}` : data)).join('');
    expect(order.indexOf('before the mark')).toBeLessThan(order.indexOf('m:halfway'));
    expect(order.indexOf('m:halfway')).toBeLessThan(order.indexOf('after the mark'));
    const times = cast.map(([time]) => time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  }, 30_000);

  it("writes the task's prompt redacted: a note holding export API_KEY=... never reaches prompt.md", async () => {
    const task = sddJson<Item>(cwd, [
      'create',
      'Deploy the service',
      '-d',
      `Deploy it with:\n\n    export API_KEY=${API_KEY_VALUE}\n`,
    ]);
    const log = join(dir.path, '..', `${dir.path.split('/').pop()}-agent.json`);
    const script = await steps([{ exit: 0 }]);
    const run = sdd(cwd, ['run', task.id, '--', process.execPath, FAKE_AGENT, script], {
      FAKE_AGENT_LOG: log,
    });
    expect(run.code).toBe(0);
    const seen = JSON.parse(await readFile(log, 'utf8'));
    const prompt = await readFile(seen.env.SDD_PROMPT_FILE, 'utf8');
    expect(prompt).toContain('Deploy the service');
    expect(prompt).toContain('export API_KEY=[REDACTED:');
    expect(prompt).not.toContain(API_KEY_VALUE);
    expect(sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!.redactions).not.toEqual({});
  }, 30_000);

  it('writes held-back text to the cast after a second of quiet, while the program waits', async () => {
    const task = sddJson<Item>(cwd, ['create', 'Wait at a prompt']);
    // Ends in what could be the start of a token: the redactor holds it until it knows more.
    const script = await steps([{ print: 'Type it here: ghp_' }, { sleep: 4000 }, { exit: 0 }]);
    const running = sdd(cwd, ['run', task.id, '--', process.execPath, FAKE_AGENT, script]);
    expect(running.code).toBe(0);
    const cast = await castOf(sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!);
    const held = cast.find(([, code, data]) => code === 'o' && data.includes('ghp_'));
    expect(held).toBeDefined();
    expect(held![0]).toBeLessThan(3.5); // written during the wait, not at the end
  }, 30_000);
});
