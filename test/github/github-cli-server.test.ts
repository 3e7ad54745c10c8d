// `sdd github` in a clone linked to a real `sdd server` process started with a GitHub token: the
// mapping lives on the server, the sync runs there with the server's token (none in the clone),
// and the token is in no file of the clone, the user's home or the server's data folder.

import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/github/mirror-sync.js';
import { type ServerProcess, startServerProcess, userEnv } from '../cli/server-harness.js';
import { type StandIn, startGithubStandIn } from '../helpers/github-stand-in.js';
import { git, REPO_ROOT, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let standIn: StandIn;
let dir: { path: string; remove(): Promise<void> };
let server: ServerProcess;
let clone: string;
let env: Record<string, string | undefined>;

async function runJson<T>(args: string[]): Promise<T> {
  const result = await sddAsync(clone, [...args, '--json'], env);
  if (result.code !== 0) throw new Error(`sdd ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

beforeAll(async () => {
  standIn = await startGithubStandIn();
  dir = await makeTempDir('sdd-github-server-');
  const data = join(dir.path, 'data');
  const admin = sddJson<{ token: string }>(dir.path, [
    'server',
    'token',
    'create',
    '--data',
    data,
    '--user',
    'root',
    '--role',
    'admin',
  ]).token;
  server = await startServerProcess(join(dir.path, 'server-home'), ['--data', data], {
    GITHUB_TOKEN: standIn.token,
    GITHUB_API_URL: standIn.url,
    SDD_GITHUB_WRITE_INTERVAL_MS: '0',
  });
  env = userEnv(join(dir.path, 'home'), {
    SDD_TOKEN: admin,
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined,
    GITHUB_API_URL: undefined,
  });
  clone = join(dir.path, 'clone');
  await mkdir(clone);
  git(clone, ['init', '-q']);
  await cp(join(REPO_ROOT, 'test', 'fixtures', 'speckit', 'specs'), join(clone, 'specs'), {
    recursive: true,
  });
  sddJson(clone, ['init'], env);
  sddJson(clone, ['remote', 'set', server.url], env);
  expect(sdd(clone, ['import', 'specs/004-team-notes/'], env).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await standIn?.close();
  await dir?.remove();
});

describe('sdd github with a team server', () => {
  it('syncs on the server with its token, keeping the mapping there', async () => {
    await runJson(['github', 'connect', 'octo/team']);
    const summary = await runJson<SyncSummary>(['github', 'sync']);
    expect(summary.created).toBe(26);
    expect(standIn.issues.size).toBe(26);
    const status = await runJson<{ issues: number; token: string; pending: Record<string, number> }>([
      'github',
      'status',
    ]);
    expect(status).toMatchObject({ issues: 26, token: 'server', pending: {} });
    await expect(readFile(join(clone, '.sdd', 'local', 'github-mirror.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    standIn.resetCounts();
    expect((await runJson<SyncSummary>(['github', 'sync'])).planned).toEqual([]);
    expect(standIn.writes()).toBe(0);
  }, 60_000);

  it('leaves the token in no file of the clone, the home folders or the server data', async () => {
    for (const entry of await readdir(dir.path, { withFileTypes: true, recursive: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      expect((await readFile(file, 'latin1')).includes(standIn.token), file).toBe(false);
    }
    expect(server.output()).not.toContain(standIn.token);
  });
});
