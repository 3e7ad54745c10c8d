// The diff of a checkpoint travels with the session: a teammate's clone prints what a checkpoint
// changed (`sdd diff SESSION@N --change`) from the copy on the team server, fetching no git object,
// and that copy is redacted: the secret written to a changed file is not in it, the text after it is.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { fake } from '../redact/fake-secrets.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

const SECRET = fake.githubClassic();

interface ChangeView {
  session: string;
  checkpoint: number;
  origin: 'git' | 'stored';
  diff: string;
}

describe("a checkpoint's diff in a teammate's clone", () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let alice: { cwd: string; env: Record<string, string | undefined> };
  let bob: { cwd: string; env: Record<string, string | undefined> };
  let session: SessionRecord;

  beforeAll(async () => {
    dir = await makeTempDir('sdd-diff-teammate-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    const person = (name: string) =>
      userEnv(join(dir.path, `home-${name}`), { SDD_TOKEN: server.firstToken! });
    alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await mkdir(alice.cwd);
    git(alice.cwd, ['init', '-q', '-b', 'main']);
    git(alice.cwd, ['config', 'user.name', 'Alice']);
    git(alice.cwd, ['config', 'user.email', 'alice@example.com']);
    await writeFile(join(alice.cwd, 'README.md'), '# diffs\n');
    sddJson(alice.cwd, ['init'], alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', server.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'linked']);
    const task = sddJson<Item>(alice.cwd, ['create', 'Configure the client'], alice.env);
    // the secret is written by the command (from its environment), not given on its command line
    const run = sdd(
      alice.cwd,
      ['run', task.id, '--cmd', 'printf "token=%s then the rest\\n" "$FAKE_TOKEN" > config.env'],
      { ...alice.env, FAKE_TOKEN: SECRET },
    );
    expect(run.code, run.stderr).toBe(0);
    session = sddJson<SessionRecord[]>(alice.cwd, ['sessions'], alice.env)[0]!;
    bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('prints the kept diff, redacted, and fetches no object for it', () => {
    const change = sddJson<ChangeView>(bob.cwd, ['diff', `${session.id}@-1`, '--change'], bob.env);
    expect(change.origin).toBe('stored');
    expect(change.diff).toContain('+++ b/config.env');
    expect(change.diff).toContain('then the rest');
    expect(change.diff).not.toContain(SECRET);
    expect(git(bob.cwd, ['for-each-ref', 'refs/sdd/'])).toBe('');
    const printed = sdd(bob.cwd, ['diff', `${session.id}@-1`, '--change'], bob.env);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('then the rest');
  });

  it('says there were no differences for a checkpoint that changed nothing, without objects either', () => {
    const start = sdd(bob.cwd, ['diff', `${session.id}@0`, '--change'], bob.env);
    expect(start.stdout.trim()).toBe('No differences.');
    expect(git(bob.cwd, ['for-each-ref', 'refs/sdd/'])).toBe('');
  });

  it('is served by the API as a file of the session', async () => {
    const config = JSON.parse(await readFile(join(alice.cwd, '.sdd', 'config.json'), 'utf8')) as {
      projectId: string;
    };
    const files = await fetch(
      `${server.url}/api/v1/projects/${config.projectId}/sessions/${session.id}/files`,
      {
        headers: { authorization: `Bearer ${server.firstToken}` },
      },
    );
    const names = ((await files.json()) as { name: string }[]).map((f) => f.name);
    const last = names
      .filter((n) => /^checkpoints\/\d+\.diff$/.test(n))
      .sort()
      .at(-1)!;
    const response = await fetch(
      `${server.url}/api/v1/projects/${config.projectId}/sessions/${session.id}/files/${encodeURIComponent(last)}`,
      { headers: { authorization: `Bearer ${server.firstToken}` } },
    );
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('then the rest');
    expect(text).not.toContain(SECRET);
  });

  it('uses git where the objects are: in the recording clone, and with --stat (fetched)', () => {
    const mine = sddJson<ChangeView>(alice.cwd, ['diff', `${session.id}@-1`, '--change'], alice.env);
    expect(mine.origin).toBe('git');
    expect(mine.diff).toContain('then the rest');
    const stat = sddJson<ChangeView>(bob.cwd, ['diff', `${session.id}@-1`, '--change', '--stat'], bob.env);
    expect(stat.origin).toBe('git');
    expect(stat.diff).toContain('config.env');
    expect(git(bob.cwd, ['for-each-ref', '--format=%(refname)', 'refs/sdd/fetched/'])).toContain(session.id);
  });

  it('refuses --change with two checkpoints, with exit code 2', () => {
    const both = sdd(bob.cwd, ['diff', `${session.id}@0`, `${session.id}@-1`, '--change'], bob.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('leave --change out');
  });
});
