// The record of an agent run keeps how it was asked for (--headless, the words after --) so that
// `sdd session show` gives back a command that starts the same run, and those words pass the redactor.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FAKE_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'agents');
const TOKEN = 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123';

let dir: { path: string; remove(): Promise<void> };
let home: { path: string; remove(): Promise<void> };
beforeEach(async () => {
  dir = await makeTempDir();
  home = await makeTempDir('sdd-launch-home-');
});
afterEach(async () => {
  await dir.remove();
  await home.remove();
});

it('an agent run records --headless and its words after --, redacted, and session show gives them back', async () => {
  const cwd = dir.path;
  git(cwd, ['init', '-q']);
  await writeFile(join(cwd, 'README.md'), '# x\n');
  sddJson(cwd, ['init']);
  const env = {
    PATH: `${FAKE_AGENTS}:${process.env.PATH}`,
    CLAUDE_CONFIG_DIR: join(home.path, 'claude'),
    HOME: home.path,
  };
  const task = sddJson<Item>(cwd, ['create', 'List the files']);
  const run = sdd(cwd, ['run', task.id, '--agent', 'claude', '--headless', '--', '--model', TOKEN], env);
  expect(run.code).toBe(0);
  const session = sddJson<SessionRecord[]>(cwd, ['sessions'])[0]!;
  expect(session.launch).toEqual({ headless: true, agentArgs: ['--model', '[REDACTED:github-token]'] });
  const shown = sddJson<{ startedWith: string }>(cwd, ['session', 'show', session.id]);
  expect(shown.startedWith).toBe(
    `sdd run ${task.id} --agent claude-code --headless -- --model '[REDACTED:github-token]'`,
  );
  const file = await readFile(join(cwd, '.sdd', 'local', 'sessions', session.id, 'session.json'), 'utf8');
  expect(file).not.toContain(TOKEN);
}, 60_000);
