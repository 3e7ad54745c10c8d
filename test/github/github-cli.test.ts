// `sdd github connect|sync|status` as a user runs them, against the stand-in: the target in
// .sdd/config.json, a typed error without a token, a sync, a re-sync that writes nothing, a dry
// run, and the token in no file sdd wrote.

import { cp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/github/mirror-sync.js';
import { type StandIn, startGithubStandIn } from '../helpers/github-stand-in.js';
import { git, REPO_ROOT, SDD_BIN, sdd, sddAsync } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let standIn: StandIn;
let dir: { path: string; remove(): Promise<void> };
let env: Record<string, string | undefined>;

async function run(args: string[], extra: Record<string, string | undefined> = {}) {
  // Asynchronously: the stand-in answers from this process.
  return sddAsync(dir.path, args, { ...env, ...extra });
}

async function runJson<T>(args: string[], extra: Record<string, string | undefined> = {}): Promise<T> {
  const result = await run([...args, '--json'], extra);
  if (result.code !== 0) throw new Error(`sdd ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

beforeAll(async () => {
  standIn = await startGithubStandIn();
  dir = await makeTempDir();
  env = {
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    GITHUB_API_URL: standIn.url,
    SDD_GITHUB_WRITE_INTERVAL_MS: '0',
    SDD_GITHUB_RETRY_BASE_MS: '5',
    HOME: dir.path,
    XDG_CONFIG_HOME: join(dir.path, '.config'),
  };
  git(dir.path, ['init', '-q']);
  await cp(join(REPO_ROOT, 'test', 'fixtures', 'speckit', 'specs'), join(dir.path, 'specs'), {
    recursive: true,
  });
  expect(sdd(dir.path, ['init']).code).toBe(0);
  expect(sdd(dir.path, ['import', 'specs/004-team-notes/']).code).toBe(0);
});
afterAll(async () => {
  await standIn.close();
  await dir.remove();
});

describe('sdd github', () => {
  it('connect keeps the repository (and no token) in .sdd/config.json', async () => {
    const result = await runJson<{ repo: string }>(['github', 'connect', 'octo/notes'], {
      GITHUB_TOKEN: standIn.token,
    });
    expect(result.repo).toBe('octo/notes');
    const config = JSON.parse(await readFile(join(dir.path, '.sdd', 'config.json'), 'utf8'));
    expect(config.github).toEqual({ repo: 'octo/notes', apiUrl: standIn.url });
  });

  it('connect refuses a name that is not owner/repo', async () => {
    const result = await run(['github', 'connect', 'not a repo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('owner/name');
  });

  it('sync without a token is a typed error that says what to set', async () => {
    const result = await run(['github', 'sync', '--json']);
    expect(result.code).toBe(10);
    expect(JSON.parse(result.stderr).error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(result.stderr).toContain('GITHUB_TOKEN');
  });

  it('sync mirrors the imported epic; a second sync writes nothing', async () => {
    const first = await runJson<SyncSummary>(['github', 'sync'], { GH_TOKEN: standIn.token });
    expect(first.created).toBe(26); // the epic, 6 features, 19 tasks
    expect(standIn.issues.size).toBe(26);
    const epic = standIn.issueByTitle('Team Notes')!;
    expect(epic.subIssues).toHaveLength(6);
    expect(epic.body).toContain('specs/004-team-notes/spec.md');
    standIn.resetCounts();
    const second = await runJson<SyncSummary>(['github', 'sync'], { GITHUB_TOKEN: standIn.token });
    expect(second.planned).toEqual([]);
    expect(standIn.writes()).toBe(0);
  });

  it('status says what the next sync would write; --dry-run writes nothing', async () => {
    expect(sdd(dir.path, ['update', 'T005', '--title', 'Logging, renamed'], env).code).toBe(0);
    const status = await runJson<{ issues: number; pending: Record<string, number> }>(['github', 'status']);
    expect(status).toMatchObject({ issues: 26, pending: { update: 1 } });
    standIn.resetCounts();
    const dry = await runJson<SyncSummary>(['github', 'sync', '--dry-run'], { GITHUB_TOKEN: standIn.token });
    expect(dry.planned).toEqual([{ kind: 'update', key: expect.any(String) }]);
    expect(standIn.writes()).toBe(0);
    const text = await run(['github', 'sync'], { GITHUB_TOKEN: standIn.token });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('1 updated');
    expect(standIn.issueByTitle('Logging, renamed')).toBeDefined();
  });

  it('shows its progress on a terminal and the summary at the end', async () => {
    expect(sdd(dir.path, ['update', 'T006', '--title', 'Contract test, renamed'], env).code).toBe(0);
    const childEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries({
      ...process.env,
      ...env,
      GITHUB_TOKEN: standIn.token,
      SDD_ACTOR: 'tester',
    })) {
      if (v !== undefined) childEnv[k] = v;
    }
    const terminal = spawnPty(process.execPath, [SDD_BIN, 'github', 'sync'], {
      cwd: dir.path,
      env: childEnv,
      cols: 120,
      rows: 30,
    });
    let output = '';
    terminal.onData((data) => {
      output += data;
    });
    const code = await new Promise<number>((resolve) => terminal.onExit(({ exitCode }) => resolve(exitCode)));
    expect(code, output).toBe(0);
    expect(output).toMatch(/github: 1\/1 changes \(update sd-\d+\)/);
    expect(output).toContain('Synced 26 issues with octo/notes: 1 updated.');
  });

  it('leaves the token in no file it wrote, in the project or in .sdd', async () => {
    const files = await filesUnder(dir.path);
    expect(files.some((f) => f.endsWith('github-mirror.json'))).toBe(true);
    for (const file of files) {
      const text = await readFile(file, 'latin1');
      expect(text.includes(standIn.token), file).toBe(false);
    }
  });
});
