// The team context through a real `sdd server`, from two clones of one repository: an edit in one is
// in the other's next session, every version is kept with its author, and an edit made on top of an
// old version is refused instead of overwriting the newer one.

import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { CONTEXT_TEMPLATES } from '../../src/specs/context-templates.js';
import { git, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

interface Clone {
  cwd: string;
  env: Record<string, string | undefined>;
}

describe('the team context with a server', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let server: ServerProcess;
  let alice: Clone;
  let bob: Clone;
  let editor: string;
  const file = (clone: Clone, name: string) => join(clone.cwd, '.sdd', 'context', `${name}.md`);

  /** Runs a session in `clone` whose program copies its prompt out; returns the prompt. */
  async function sessionPrompt(clone: Clone, title: string): Promise<{ prompt: string; stderr: string }> {
    const task = sddJson<Item>(clone.cwd, ['create', title], clone.env);
    const seen = join(dir.path, `seen-${task.id}.md`);
    const run = sdd(
      clone.cwd,
      ['run', task.id, '--done-on-success', '--cmd', `cp "$SDD_PROMPT_FILE" ${seen}`],
      clone.env,
    );
    expect(run.code, run.stderr).toBe(0);
    return { prompt: await readFile(seen, 'utf8'), stderr: run.stderr };
  }

  beforeAll(async () => {
    dir = await makeTempDir('sdd-context-team-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
    editor = join(dir.path, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nprintf "%s" "$EDITOR_TEXT" > "$1"\n');
    await chmod(editor, 0o755);
    const person = (name: string) =>
      userEnv(join(dir.path, `home-${name}`), {
        SDD_TOKEN: server.firstToken!,
        SDD_ACTOR: name,
        EDITOR: editor,
      });
    alice = { cwd: join(dir.path, 'alice'), env: person('alice') };
    await mkdir(alice.cwd);
    git(alice.cwd, ['init', '-q', '-b', 'main']);
    git(alice.cwd, ['config', 'user.name', 'Alice']);
    git(alice.cwd, ['config', 'user.email', 'alice@example.com']);
    sddJson(alice.cwd, ['init'], alice.env);
    expect(sdd(alice.cwd, ['remote', 'set', server.url], alice.env).code).toBe(0);
    git(alice.cwd, ['add', '.']);
    git(alice.cwd, ['commit', '-qm', 'project, linked to the team server']);
    bob = { cwd: join(dir.path, 'bob'), env: person('bob') };
    git(dir.path, ['clone', '-q', '--no-local', alice.cwd, bob.cwd]);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it("puts one clone's edit into the other clone's next session, and saves it as version 1 by its author", async () => {
    const edited = sddJson<{ version: number }>(alice.cwd, ['context', 'edit', 'constitution'], {
      ...alice.env,
      EDITOR_TEXT: '# Constitution\n\nEvery change ships with a test.\n',
    });
    expect(edited.version).toBe(1);
    // Bob's clone still has the template from git; his session starts from the server's version.
    const { prompt, stderr } = await sessionPrompt(bob, 'Write the docs');
    expect(prompt).toContain('### constitution (version 1 by alice)');
    expect(prompt).toContain('Every change ships with a test.');
    expect(stderr).toContain('context constitution: version 1 by alice from the server');
    expect(await readFile(file(bob, 'constitution'), 'utf8')).toBe(
      '# Constitution\n\nEvery change ships with a test.\n',
    );
    // The untouched templates stayed where they were: nothing of them went to the server.
    const shown = sdd(bob.cwd, ['context', 'show', 'product', '--server'], bob.env);
    expect(shown.code).toBe(3);
  });

  it('pushes a local edit not yet on the server when a session starts, and keeps every version with its author', async () => {
    await writeFile(
      file(bob, 'constitution'),
      '# Constitution\n\nEvery change ships with a test.\nNo force pushes.\n',
    );
    const { stderr } = await sessionPrompt(bob, 'Tidy up');
    expect(stderr).toContain('context constitution: your edit is on the server as version 2');
    const versions = sddJson<{ version: number; author: string }[]>(
      alice.cwd,
      ['context', 'log', 'constitution'],
      alice.env,
    );
    expect(versions.map((v) => [v.version, v.author])).toEqual([
      [1, 'alice'],
      [2, 'bob'],
    ]);
    const first = sddJson<{ text: string }>(
      alice.cwd,
      ['context', 'show', 'constitution', '--rev', '1'],
      alice.env,
    );
    expect(first.text).toBe('# Constitution\n\nEvery change ships with a test.\n');
  });

  it('refuses an edit on top of an old version, overwriting nothing, until the person picks a side', async () => {
    // Alice has not synced since version 1; she changes her file by hand, then tries to save it.
    const hers = '# Constitution\n\nEvery change ships with a test.\nSmall commits.\n';
    await writeFile(file(alice, 'constitution'), hers);
    const sync = sdd(alice.cwd, ['context', 'sync', '--json'], alice.env);
    expect(sync.code).toBe(13);
    const entry = (JSON.parse(sync.stdout) as { name: string; action: string; note: string }[]).find(
      (e) => e.name === 'constitution',
    )!;
    expect(entry.action).toBe('conflict');
    expect(entry.note).toContain('version 2 by bob');
    expect(await readFile(file(alice, 'constitution'), 'utf8')).toBe(hers);
    const edit = sdd(alice.cwd, ['context', 'edit', 'constitution'], {
      ...alice.env,
      EDITOR_TEXT: 'lost?\n',
    });
    expect(edit.code).toBe(13);
    expect(edit.stderr).toContain('sdd context sync --mine constitution');
    expect(await readFile(file(alice, 'constitution'), 'utf8')).toBe(hers);
    expect(sddJson<unknown[]>(alice.cwd, ['context', 'log', 'constitution'], alice.env)).toHaveLength(2);

    // Her session still starts, with her own text, and says why.
    const { prompt, stderr } = await sessionPrompt(alice, 'Check the rules');
    expect(stderr).toContain('This session uses your file');
    expect(prompt).toContain('Small commits.');

    // She keeps hers: version 3, on top of Bob's (which stays in the log).
    const mine = sddJson<{ action: string; version: number }[]>(
      alice.cwd,
      ['context', 'sync', '--mine', 'constitution'],
      alice.env,
    );
    expect(mine).toEqual([expect.objectContaining({ action: 'pushed', version: 3 })]);
    // Bob had not touched his since version 2: he takes version 3 on his next sync.
    const theirs = sddJson<{ action: string; version: number }[]>(
      bob.cwd,
      ['context', 'sync', 'constitution'],
      bob.env,
    );
    expect(theirs).toEqual([expect.objectContaining({ action: 'pulled', version: 3 })]);
    expect(await readFile(file(bob, 'constitution'), 'utf8')).toBe(hers);
  });

  it('still gives an agent token the team versions, and says its own edit was not sent', async () => {
    const made = sdd(
      dir.path,
      [
        'server',
        'token',
        'create',
        '--data',
        join(dir.path, 'data'),
        '--user',
        'ci',
        '--role',
        'agent',
        '--json',
      ],
      userEnv(join(dir.path, 'server-home')),
    );
    expect(made.code, made.stderr).toBe(0);
    const agent = { ...bob.env, SDD_TOKEN: (JSON.parse(made.stdout) as { token: string }).token };
    await writeFile(file(bob, 'workflow'), '# Workflow\n\nEdited by an agent.\n');
    const sync = sdd(bob.cwd, ['context', 'sync', '--json'], agent);
    expect(sync.code).toBe(10);
    const entries = JSON.parse(sync.stdout) as { name: string; action: string }[];
    expect(entries.find((e) => e.name === 'workflow')?.action).toBe('refused');
    expect(entries.find((e) => e.name === 'constitution')?.action).not.toBe('refused');
    expect(sdd(bob.cwd, ['context', 'show', 'workflow', '--server'], agent).code).toBe(3);
    expect(sdd(bob.cwd, ['context', 'sync', 'no-such-doc'], agent).code).toBe(3);
    await writeFile(file(bob, 'workflow'), CONTEXT_TEMPLATES.workflow!); // as it was, for the next tests
  });

  it('--theirs takes the server version and keeps the local text in a backup', async () => {
    const bobs = '# Constitution\n\nBob was here.\n';
    await writeFile(file(bob, 'constitution'), bobs);
    sddJson(alice.cwd, ['context', 'edit', 'constitution'], {
      ...alice.env,
      EDITOR_TEXT: '# Constitution\n\nv4.\n',
    });
    const taken = sdd(bob.cwd, ['context', 'sync', '--theirs', 'constitution', '--json'], bob.env);
    expect(taken.code, taken.stderr).toBe(0);
    expect(JSON.parse(taken.stdout)[0]).toMatchObject({ action: 'pulled', version: 4 });
    expect(await readFile(file(bob, 'constitution'), 'utf8')).toBe('# Constitution\n\nv4.\n');
    const backups = await readdir(join(bob.cwd, '.sdd', 'local', 'context-backup'));
    expect(await readFile(join(bob.cwd, '.sdd', 'local', 'context-backup', backups[0]!), 'utf8')).toBe(bobs);
  });
});
