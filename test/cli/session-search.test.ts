// sdd sessions search as a user runs it: sessions recorded by `sdd run`, found by what their terminal
// showed and their markers said, each hit with a `sdd replay --at` that shows the moment; a secret the
// recorder redacted is not found. With a team server, a teammate's clone finds them too, and a clone
// whose server is down still searches its own spool.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSearchResult } from '../../src/core/session-search.js';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fake } from '../redact/fake-secrets.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

const SECRET = fake.githubClassic();
/** What the recorded command does: a line, a marker from inside the session, a secret, a last line. */
const SCRIPT = [
  'echo "the rate limit was hit while syncing"',
  `"${process.execPath}" "${SDD_BIN}" mark deploy went sideways`,
  'sleep 0.2',
  `echo "token ${SECRET} then carried on"`,
  'sleep 0.2',
].join('; ');

async function project(cwd: string, env: Record<string, string | undefined> = {}): Promise<void> {
  await mkdir(cwd, { recursive: true });
  git(cwd, ['init', '-q', '-b', 'main']);
  git(cwd, ['config', 'user.name', 'Alice']);
  git(cwd, ['config', 'user.email', 'alice@example.com']);
  await writeFile(join(cwd, 'README.md'), '# searched\n');
  sddJson(cwd, ['init'], env);
}

describe('sdd sessions search, embedded', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let cwd: string;
  let task: Item;
  let other: Item;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-search-');
    cwd = join(dir.path, 'repo');
    await project(cwd);
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'init']);
    task = sddJson<Item>(cwd, ['create', 'Sync the mirror']);
    other = sddJson<Item>(cwd, ['create', 'Something else']);
    const run = sdd(cwd, ['run', task.id, '--cmd', SCRIPT]);
    expect(run.code, run.stderr).toBe(0);
    expect(sdd(cwd, ['run', other.id, '--cmd', 'echo "rate limit elsewhere"']).code).toBe(0);
  }, 120_000);
  afterAll(() => dir?.remove());

  it('finds the terminal line, with the moment and the command that shows it', () => {
    const result = sddJson<SessionSearchResult>(cwd, ['sessions', 'search', 'RATE', 'limit', 'syncing']);
    expect(result.hits).toHaveLength(1);
    const [hit] = result.hits;
    expect(hit).toMatchObject({
      source: 'terminal',
      itemId: task.id,
      itemTitle: 'Sync the mirror',
      actor: 'tester',
    });
    expect(hit!.snippet).toBe('the rate limit was hit while syncing');
    expect(hit!.replay).toBe(`sdd replay ${hit!.sessionId} --at ${hit!.time}`);
    const screen = sdd(cwd, ['replay', hit!.sessionId, '--at', String(hit!.time)]);
    expect(screen.stdout).toContain('the rate limit was hit while syncing');
  });

  it('finds a marker set from inside the session, above the terminal', () => {
    const result = sddJson<SessionSearchResult>(cwd, ['sessions', 'search', 'deploy', 'sideways']);
    expect(result.hits[0]).toMatchObject({ source: 'marker', snippet: 'deploy went sideways' });
  });

  it('prints hits by session for a person, with the replay command', () => {
    const printed = sdd(cwd, ['sessions', 'search', 'rate', 'limit']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('Sync the mirror');
    expect(printed.stdout).toMatch(/terminal at 00:0\d: the rate limit was hit while syncing/);
    expect(printed.stdout).toMatch(/sdd replay \S+ --at [\d.]+/);
    expect(printed.stdout).toContain('2 session(s) of 2 searched');
  });

  it('keeps to one task with --item, and to --limit', () => {
    const one = sddJson<SessionSearchResult>(cwd, [
      'sessions',
      'search',
      'rate',
      'limit',
      '--item',
      other.id,
    ]);
    expect(one.hits.map((h) => h.itemId)).toEqual([other.id]);
    const byTask = sddJson<SessionSearchResult>(cwd, [
      'sessions',
      'search',
      'rate',
      'limit',
      '--task',
      other.id,
    ]);
    expect(byTask.hits.map((h) => h.itemId)).toEqual([other.id]);
    const limited = sddJson<SessionSearchResult>(cwd, ['sessions', 'search', 'rate', '--limit', '1']);
    expect(limited.hits).toHaveLength(1);
    expect(limited.more).toBeGreaterThan(0);
  });

  it('does not find the secret the recorder redacted, and finds the words after it', () => {
    expect(sddJson<SessionSearchResult>(cwd, ['sessions', 'search', SECRET]).hits).toEqual([]);
    expect(sddJson<SessionSearchResult>(cwd, ['sessions', 'search', SECRET.slice(0, 12)]).hits).toEqual([]);
    const after = sddJson<SessionSearchResult>(cwd, ['sessions', 'search', 'then', 'carried', 'on']);
    expect(after.hits).toHaveLength(1);
    expect(after.hits[0]!.snippet).not.toContain(SECRET);
  });

  it('says when nothing matched, and refuses a bad limit with exit code 2', () => {
    const none = sdd(cwd, ['sessions', 'search', 'zebra']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No session holds "zebra" (2 searched)');
    const bad = sdd(cwd, ['sessions', 'search', 'rate', '--limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--limit');
  });
});

describe('sdd sessions search with a team server', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let alice: { cwd: string; env: Record<string, string | undefined> };
  let bob: { cwd: string; env: Record<string, string | undefined> };

  beforeAll(async () => {
    dir = await makeTempDir('sdd-search-team-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    const person = (name: string) =>
      userEnv(join(dir.path, `home-${name}`), { SDD_TOKEN: server.firstToken! });
    alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await project(alice.cwd, alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', server.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'linked']);
    const task = sddJson<Item>(alice.cwd, ['create', 'Sync the mirror'], alice.env);
    const run = sdd(alice.cwd, ['run', task.id, '--cmd', SCRIPT], alice.env);
    expect(run.code, run.stderr).toBe(0);
    bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it("finds a teammate's session through the server, as the recording clone does", () => {
    const words = ['sessions', 'search', 'rate', 'limit'];
    const theirs = sddJson<SessionSearchResult>(bob.cwd, words, bob.env);
    const mine = sddJson<SessionSearchResult>(alice.cwd, words, alice.env);
    expect(theirs.hits).toHaveLength(1);
    expect(theirs.hits).toEqual(mine.hits);
    // and the moment it names plays in the teammate's clone
    const screen = sdd(
      bob.cwd,
      ['replay', theirs.hits[0]!.sessionId, '--at', String(theirs.hits[0]!.time)],
      bob.env,
    );
    expect(screen.stdout).toContain('the rate limit was hit');
  });

  it('searches the spool of the clone that recorded it when the server is down, and says so', async () => {
    await server.stop();
    const result = sdd(alice.cwd, ['sessions', 'search', 'rate', 'limit', '--json'], alice.env);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as SessionSearchResult).hits).toHaveLength(1);
    expect(result.stderr).toContain("only this clone's sessions are searched");
  });
});
