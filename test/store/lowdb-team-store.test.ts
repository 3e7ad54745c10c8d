// The data folder of a server on lowdb: projects, tokens, one tracker file per project.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newToken } from '../../src/auth/tokens.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const project = (id: string, idPrefix = 'ab') => ({
  id,
  name: id,
  idPrefix,
  createdAt: new Date().toISOString(),
  createdBy: 'alice',
});

describe('LowdbTeamStore', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let team: LowdbTeamStore;
  beforeEach(async () => {
    dir = await makeTempDir();
    team = new LowdbTeamStore(join(dir.path, 'data'));
  });
  afterEach(async () => {
    await team.close();
    await dir.remove();
  });

  it('creates a project with its own tracker file and id prefix, once', async () => {
    await team.createProject(project('p1', 'web'));
    expect((await team.listProjects()).map((p) => p.id)).toEqual(['p1']);
    expect(await readdir(join(dir.path, 'data', 'projects'))).toContain('p1.json');
    const store = team.trackerStore('p1');
    expect((await store.read()).idPrefix).toBe('web');
    await expect(team.createProject(project('p1'))).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await team.getProject('nope')).toBeNull();
  });

  it('refuses project ids that would leave the data folder', async () => {
    for (const id of ['../x', 'a/b', '..', '.hidden', '', 'a'.repeat(65), 'a..b']) {
      await expect(team.createProject(project(id))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(() => team.trackerStore(id)).toThrow(/project id/);
    }
  });

  it('keeps tokens private, gives the first token once, revokes', async () => {
    const first = newToken({ user: 'admin', role: 'admin', project: null, createdBy: 'server' });
    const second = newToken({ user: 'x', role: 'admin', project: null, createdBy: 'server' });
    const [a, b] = await Promise.all([team.addFirstToken(first.record), team.addFirstToken(second.record)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await team.listTokens()).length).toBe(1);
    const mode = (await stat(join(dir.path, 'data', 'team.json'))).mode & 0o777;
    expect(mode).toBe(0o600);
    const revoked = await team.revokeToken(first.record.id, '2026-12-01T00:00:00.000Z');
    expect(revoked.revokedAt).toBe('2026-12-01T00:00:00.000Z');
    expect((await team.revokeToken(first.record.id, '2027-01-01T00:00:00.000Z')).revokedAt).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    await expect(team.revokeToken('nope', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sees what another process wrote: the snapshot follows the file', async () => {
    await team.createProject(project('p1'));
    const other = new LowdbTeamStore(join(dir.path, 'data'));
    await other.createProject(project('p2'));
    expect((await team.listProjects()).map((p) => p.id)).toEqual(['p1', 'p2']);
    await other.trackerStore('p1').update((data) => {
      data.nextId = 42;
    });
    expect((await team.trackerStore('p1').read()).nextId).toBe(42);
  });
});
