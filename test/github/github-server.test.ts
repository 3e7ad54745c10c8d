// The mirror on a team server: its state through the route (lowdb and PostgreSQL), a sync run
// there with the server's token, the automatic sync after a change, and the webhook with good and
// bad signatures.

import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RemoteGithubMirror } from '../../src/client/remote-github-mirror.js';
import type { TeamStore } from '../../src/core/team-store.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { openPostgresTeamStore } from '../../src/store/postgres/postgres-team-store.js';
import { teamNotesDocument } from '../contract/task-list-builder.js';
import { type StandIn, startGithubStandIn } from '../helpers/github-stand-in.js';
import { type PostgresDatabase, postgresDatabase } from '../helpers/postgres.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const SECRET = 'webhook-secret-for-tests';
let standIn: StandIn;
beforeAll(async () => {
  standIn = await startGithubStandIn();
});
afterAll(() => standIn.close());

async function serverOn(team: TeamStore): Promise<TestServer> {
  return startTestServer(team, undefined, {
    github: {
      token: standIn.token,
      apiUrl: standIn.url,
      webhookSecret: SECRET,
      debounceMs: 100,
      writeIntervalMs: 0,
      retryBaseMs: 5,
    },
  });
}

async function deliver(server: TestServer, body: unknown, signature: string | null, event = 'issues') {
  const text = JSON.stringify(body);
  const response = await fetch(`${server.url}/api/v1/github/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      ...(signature !== null && { 'x-hub-signature-256': signature }),
    },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sign = (body: unknown, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(JSON.stringify(body)).digest('hex')}`;

for (const kind of ['lowdb', 'postgres'] as const) {
  describe(`a server on ${kind}`, () => {
    let server: TestServer;
    let database: PostgresDatabase | null = null;
    let remove: () => Promise<void> = async () => undefined;
    beforeAll(async () => {
      if (kind === 'lowdb') {
        const dir = await makeTempDir();
        remove = dir.remove;
        server = await serverOn(new LowdbTeamStore(dir.path));
      } else {
        database = await postgresDatabase();
        server = await serverOn(await openPostgresTeamStore(database.url));
      }
    });
    afterAll(async () => {
      await server.close();
      await database?.drop();
      await remove();
    });

    const mirrorOf = (projectId: string) =>
      new RemoteGithubMirror({ url: server.url, projectId, token: server.adminToken });

    it('keeps the mapping through its route, entries replaced by key', async () => {
      const projectId = await server.createProject();
      const mirror = mirrorOf(projectId);
      expect((await mirror.readWithServer()).serverToken).toBe(true);
      const entry = {
        key: 'sd-1',
        number: 1,
        issueId: 11,
        hash: 'h',
        title: 't',
        state: 'open' as const,
        remoteUpdatedAt: 'x',
        parentKey: null,
        blockedBy: [],
      };
      await mirror.write({ settings: { repo: 'octo/a' }, entries: [entry] });
      await mirror.write({
        entries: [
          { ...entry, title: 'u' },
          { ...entry, key: 'sd-2', number: 2 },
        ],
      });
      const state = await mirror.read();
      expect(state.repo).toBe('octo/a');
      expect(state.entries.map((e) => [e.key, e.title])).toEqual([
        ['sd-1', 'u'],
        ['sd-2', 't'],
      ]);
      const viewer = new RemoteGithubMirror({
        url: server.url,
        projectId,
        token: await server.token('viewer'),
      });
      await expect(viewer.write({ lastSyncAt: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('syncs with its own token, then follows a change by itself, and takes webhooks', async () => {
      const projectId = await server.createProject();
      const repo = `octo/${kind}-${projectId.slice(0, 6)}`;
      const service = server.service(projectId);
      await service.importTaskList(teamNotesDocument(), 'tester');
      const mirror = mirrorOf(projectId);
      await mirror.write({ settings: { repo, auto: true } });
      const summary = await mirror.syncOnServer({});
      expect(summary.created).toBe((await service.listItems()).length);

      // An edit through the API: the server syncs a moment later, nobody runs a command.
      await service.updateItem('004-team-notes/T008', { title: `Note service (${kind})` }, 'tester');
      const entry = await vi.waitFor(
        async () => {
          const found = (await mirror.read()).entries.find((e) => e.title === `Note service (${kind})`);
          expect(found).toBeDefined();
          return found!;
        },
        { timeout: 20_000, interval: 100 },
      );
      expect(standIn.issues.get(entry.number)!.title).toBe(`Note service (${kind})`);
      const issue = standIn.edit(entry.number, { state: 'closed', state_reason: 'completed' });
      const payload = {
        action: 'closed',
        issue: {
          number: issue.number,
          title: issue.title,
          state: 'closed',
          state_reason: 'completed',
          updated_at: issue.updated_at,
          closed_at: issue.closed_at,
        },
        repository: { full_name: repo },
      };
      const forged = await deliver(server, payload, sign(payload, 'not-the-secret'));
      expect(forged.status).toBe(401);
      expect(await deliver(server, payload, null)).toMatchObject({ status: 401 });
      expect((await service.getItem('004-team-notes/T008')).item.status).toBe('open');

      const good = await deliver(server, payload, sign(payload));
      expect(good.status).toBe(200);
      expect((await service.getItem('004-team-notes/T008')).item.status).toBe('done');
      expect(await deliver(server, { zen: 'hi' }, sign({ zen: 'hi' }), 'ping')).toMatchObject({
        status: 200,
      });
    }, 60_000);
  });
}

describe('the automatic sync', () => {
  it('logs a failed sync and tries again until GitHub answers', async () => {
    const dir = await makeTempDir();
    const lines: string[] = [];
    const server = await startTestServer(new LowdbTeamStore(dir.path), (line) => lines.push(line), {
      github: {
        token: standIn.token,
        apiUrl: standIn.url,
        debounceMs: 50,
        retryMs: 100,
        writeIntervalMs: 0,
        retryBaseMs: 1,
      },
    });
    try {
      const projectId = await server.createProject();
      const service = server.service(projectId);
      await service.importTaskList(teamNotesDocument('006-retry'), 'tester');
      const mirror = new RemoteGithubMirror({ url: server.url, projectId, token: server.adminToken });
      await mirror.write({ settings: { repo: 'octo/retry', auto: true } });
      await mirror.syncOnServer({});
      standIn.serverErrors(1000, 503);
      await service.updateItem('006-retry/T001', { title: 'Create structure, retried' }, 'tester');
      await vi.waitFor(() => expect(lines.join('\n')).toContain('sync failed'), {
        timeout: 20_000,
        interval: 50,
      });
      standIn.serverErrors(0);
      await vi.waitFor(() => expect(standIn.issueByTitle('Create structure, retried')).toBeDefined(), {
        timeout: 20_000,
        interval: 50,
      });
      await vi.waitFor(() => expect(lines.join('\n')).toMatch(/synced with octo\/retry/), {
        timeout: 20_000,
        interval: 50,
      });
    } finally {
      standIn.serverErrors(0);
      await server.close();
      await dir.remove();
    }
  }, 60_000);
});

describe('a long sync on the server', () => {
  it('answers after longer than the idle-socket timeout', async () => {
    const dir = await makeTempDir();
    const server = await startTestServer(new LowdbTeamStore(dir.path), undefined, {
      connectionTimeoutMs: 400,
      github: { token: standIn.token, apiUrl: standIn.url, writeIntervalMs: 40, retryBaseMs: 1 },
    });
    try {
      const projectId = await server.createProject();
      await server.service(projectId).importTaskList(teamNotesDocument('008-slow'), 'tester');
      const mirror = new RemoteGithubMirror({ url: server.url, projectId, token: server.adminToken });
      await mirror.write({ settings: { repo: 'octo/slow' } });
      const started = Date.now();
      const summary = await mirror.syncOnServer({});
      expect(summary.created).toBe((await server.service(projectId).listItems()).length);
      // Paced creations (3 × 40 ms each) keep the answer back well past the 400 ms idle limit.
      expect(Date.now() - started).toBeGreaterThan(400);
    } finally {
      await server.close();
      await dir.remove();
    }
  }, 60_000);
});
