// Who may do what on the team server: every role, bound to a project or not, against every
// endpoint; a token of one project against another; missing, malformed, wrong and revoked tokens;
// and the actor a change is recorded for. Raw requests, and the real clients (RemoteService,
// ServerClient) for the errors a command would show.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../../src/auth/tokens.js';
import { ServerClient } from '../../src/client/server-client.js';
import { SddError } from '../../src/core/errors.js';
import type { Service } from '../../src/core/service.js';
import type { Role } from '../../src/core/team-store.js';
import {
  type AccessKind,
  ENDPOINTS,
  type Endpoint,
  importDocument,
  pathOf,
  projectEndpoints,
  requestBody,
  type Seed,
} from './endpoints.js';
import { expectError } from './expect-error.js';
import { type RawResponse, rawRequest } from './raw-http.js';
import { type ServerFixture, startServerFixture } from './server-fixture.js';

let fixture: ServerFixture;

beforeAll(async () => {
  fixture = await startServerFixture();
});
afterAll(() => fixture.close());

const ROLES: Role[] = ['admin', 'member', 'agent', 'viewer'];

/** Whether `role` may make the request; bound: the token is bound to the request's project. */
function allowed(role: Role, bound: boolean, access: AccessKind): boolean {
  switch (access) {
    case 'read':
      return true;
    case 'create-project':
      return (role === 'admin' || role === 'member') && !bound; // a bound token could not see what it made
    case 'change-task':
      return role !== 'viewer';
    case 'change-container':
    case 'change-tree':
    case 'push':
      return role === 'admin' || role === 'member';
    case 'record-session':
    case 'record-decision':
      return role !== 'viewer';
    case 'change-context':
      return role === 'admin' || role === 'member';
  }
}

async function emptyProject(): Promise<Seed> {
  const project = await fixture.server.createProject();
  return { project, epic: 'sd-1', feature: 'sd-2', task: 'sd-3', other: 'sd-4', session: 'none' };
}

function call(
  endpoint: Endpoint,
  seed: Seed,
  token: string | null,
  raw: { project?: string; ref?: string } = {},
) {
  return rawRequest(fixture.server.url, {
    method: endpoint.method,
    path: pathOf(endpoint, seed, raw),
    token,
    ...requestBody(endpoint, seed),
  });
}

/** All a project holds, to show that a refused request changed nothing. */
async function snapshot(project: string): Promise<unknown> {
  return structuredClone(await fixture.server.team.trackerStore(project).read());
}

function expectForbidden(response: RawResponse, role: Role): void {
  expectError(response, 'FORBIDDEN', new RegExp(`\\(${role} token\\)`));
}

describe.each(ROLES.flatMap((role) => [[role, 'unbound'] as const, [role, 'bound'] as const]))(
  'a %s token, %s',
  (role, binding) => {
    const bound = binding === 'bound';
    // One project per role and binding; each case works on two tasks of its own in it, so no case
    // depends on what another did (a project per case would make this file take a minute).
    let shared: Seed;
    let token: string;
    beforeAll(async () => {
      shared = await fixture.seed();
      token = await fixture.server.token(role, bound ? shared.project : null);
    });

    async function freshSeed(): Promise<Seed> {
      const admin = fixture.server.service(shared.project);
      const task = await admin.createItem({ title: 'Task', parent: shared.feature }, 'admin');
      const other = await admin.createItem({ title: 'Other', parent: shared.feature }, 'admin');
      return { ...shared, task: task.id, other: other.id };
    }

    it.each(ENDPOINTS.map((e) => [e.operationId, e] as const))('%s', async (_name, endpoint) => {
      let seed = endpoint.access === 'read' ? shared : await freshSeed();
      let as = token;
      if (endpoint.access === 'push') {
        seed = await emptyProject();
        as = await fixture.server.token(role, bound ? seed.project : null);
      }
      const before = await snapshot(seed.project);
      const response = await call(endpoint, seed, as);
      if (allowed(role, bound, endpoint.access)) {
        expect(response.status, response.text.slice(0, 300)).toBe(endpoint.ok);
      } else {
        expectForbidden(response, role);
        expect(await snapshot(seed.project)).toEqual(before);
      }
    });

    const itemChanges = ENDPOINTS.filter((e) => e.access === 'change-task' && e.ref);
    it.each(
      itemChanges.flatMap((e) =>
        (['epic', 'feature'] as const).map((type) => [e.operationId, type, e] as const),
      ),
    )('%s on an %s', async (_name, type, endpoint) => {
      const before = await snapshot(shared.project);
      const response = await call(endpoint, shared, token, { ref: shared[type] });
      if (allowed(role, bound, 'change-container')) {
        // Past the door: whatever the core says of it (an epic is not claimable, say).
        expect(response.status, response.text.slice(0, 300)).not.toBe(403);
        expect(response.status).toBeLessThan(500);
      } else {
        expectForbidden(response, role);
        expect(await snapshot(shared.project)).toEqual(before);
      }
    });

    it.each([
      ['task', 'change-task'],
      ['feature', 'change-container'],
    ] as const)(
      'addDependency discovered-from, from a %s (how an agent files what it found)',
      async (from, access) => {
        const seed = await freshSeed();
        const before = await snapshot(shared.project);
        const response = await rawRequest(fixture.server.url, {
          path: `/api/v1/projects/${shared.project}/dependencies`,
          token,
          body: { from: from === 'task' ? seed.task : seed.feature, to: seed.other, type: 'discovered-from' },
        });
        if (allowed(role, bound, access)) {
          expect(response.status, response.text).toBe(200);
        } else {
          expectForbidden(response, role);
          expect(await snapshot(shared.project)).toEqual(before);
        }
      },
    );

    it.each([
      ['epic', 'change-container'],
      ['feature', 'change-container'],
      ['bug', 'change-task'],
      ['chore', 'change-task'],
    ] as const)('createItem of an %s', async (type, access) => {
      const before = await snapshot(shared.project);
      const response = await rawRequest(fixture.server.url, {
        path: `/api/v1/projects/${shared.project}/items`,
        token,
        body: { input: { type, title: `A ${type}` } },
      });
      if (allowed(role, bound, access)) {
        expect(response.status, response.text).toBe(201);
      } else {
        expectForbidden(response, role);
        expect(await snapshot(shared.project)).toEqual(before);
      }
    });
  },
);

describe('through the remote Service, as a command would see it', () => {
  type Call = [string, (s: Service, seed: Seed) => Promise<unknown>];
  const reads: Call[] = [
    ['getItem', (s, seed) => s.getItem(seed.task)],
    ['listItems', (s) => s.listItems()],
    ['tree', (s) => s.tree()],
    ['ready', (s) => s.ready()],
    ['blocked', (s) => s.blocked()],
    ['listDependencies', (s, seed) => s.listDependencies(seed.task)],
  ];
  const taskWrites: Call[] = [
    ['createItem', (s) => s.createItem({ title: 'New' }, 'x')],
    ['updateItem', (s, seed) => s.updateItem(seed.task, { priority: 1 }, 'x')],
    ['addNote', (s, seed) => s.addNote(seed.task, 'note', 'x')],
    ['claim', (s, seed) => s.claim(seed.task, 'x')],
    ['claimNext', (s) => s.claimNext('x')],
    ['release', (s, seed) => s.release(seed.task, 'x')],
    ['done', (s, seed) => s.done(seed.task, 'x')],
  ];
  const containerWrites: Call[] = [
    ['createItem of an epic', (s) => s.createItem({ type: 'epic', title: 'New' }, 'x')],
    ['updateItem of a feature', (s, seed) => s.updateItem(seed.feature, { priority: 1 }, 'x')],
    ['addNote on an epic', (s, seed) => s.addNote(seed.epic, 'note', 'x')],
    ['updateItem of an epic', (s, seed) => s.updateItem(seed.epic, { title: 'Renamed' }, 'x')],
  ];
  const treeWrites: Call[] = [
    ['addDependency', (s, seed) => s.addDependency(seed.other, seed.task, 'blocks', 'x')],
    ['removeDependency', (s, seed) => s.removeDependency(seed.task, seed.feature)],
    ['importTaskList', (s) => s.importTaskList(importDocument(), 'x')],
  ];

  async function outcome(role: Role, call: Call[1]): Promise<string> {
    const seed = await fixture.seed();
    const service = fixture.server.service(seed.project, await fixture.server.token(role, seed.project));
    return call(service, seed).then(
      () => 'ok',
      (error: SddError) => `${error.code} exit ${error.exitCode}`,
    );
  }

  it.each(reads.flatMap(([name, call]) => ROLES.map((role) => [role, name, call] as const)))(
    '%s: %s works',
    async (role, _name, call) => {
      expect(await outcome(role, call)).toBe('ok');
    },
  );

  it.each(taskWrites.map(([name, call]) => [name, call] as const))(
    'viewer: %s is FORBIDDEN, exit 10',
    async (_n, call) => {
      expect(await outcome('viewer', call)).toBe('FORBIDDEN exit 10');
    },
  );

  it.each(taskWrites.map(([name, call]) => [name, call] as const))('agent: %s works', async (_n, call) => {
    expect(await outcome('agent', call)).toBe('ok');
  });

  it.each(
    [...containerWrites, ...treeWrites].flatMap(([name, call]) =>
      (['agent', 'viewer'] as const).map((role) => [role, name, call] as const),
    ),
  )('%s: %s is FORBIDDEN, exit 10', async (role, _n, call) => {
    expect(await outcome(role, call)).toBe('FORBIDDEN exit 10');
  });

  it.each([...containerWrites, ...treeWrites].map(([name, call]) => [name, call] as const))(
    'member: %s works',
    async (_n, call) => {
      expect(await outcome('member', call)).toBe('ok');
    },
  );
});

describe('a token bound to project A, on project B', () => {
  // Nothing of B is ever touched (the test checks it), so one A and one B serve every case.
  let a: Seed;
  let b: Seed;
  const tokens = new Map<Role, string>();
  beforeAll(async () => {
    a = await fixture.seed();
    b = await fixture.seed();
    for (const role of ROLES) tokens.set(role, await fixture.server.token(role, a.project));
  });

  it.each(ROLES.flatMap((role) => projectEndpoints.map((e) => [role, e.operationId, e] as const)))(
    '%s token, %s: 404, the same answer as for a project that does not exist',
    async (role, _name, endpoint) => {
      const token = tokens.get(role)!;
      const before = await snapshot(b.project);
      const onB = await call(endpoint, b, token);
      const missing = 'no-such-project';
      const onMissing = await call(endpoint, b, token, { project: missing });
      expectError(onB, 'NOT_FOUND');
      expect(onB.text.replaceAll(b.project, '<id>')).toBe(onMissing.text.replaceAll(missing, '<id>'));
      // ...and the same as a token that may see every project gets for one that does not exist.
      const adminOnMissing = await call(endpoint, b, fixture.server.adminToken, { project: missing });
      expect(adminOnMissing.text).toBe(onMissing.text);
      expect(await snapshot(b.project)).toEqual(before);
    },
  );

  it('lists only its own project', async () => {
    const a = await fixture.seed();
    await fixture.seed();
    const token = await fixture.server.token('member', a.project);
    const projects = await new ServerClient({ url: fixture.server.url, token }).listProjects();
    expect(projects.map((p) => p.id)).toEqual([a.project]);
  });

  it('through the client: getProject says none, the Service gets NOT_FOUND (exit 3)', async () => {
    const a = await fixture.seed();
    const b = await fixture.seed();
    const token = await fixture.server.token('member', a.project);
    expect(await new ServerClient({ url: fixture.server.url, token }).getProject(b.project)).toBeNull();
    const error = await fixture.server
      .service(b.project, token)
      .ready()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SddError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', exitCode: 3 });
  });
});

describe('requests without a valid token', () => {
  let seed: Seed;
  let badTokens: [string, Record<string, string>][];

  beforeAll(async () => {
    seed = await fixture.seed();
    const good = await fixture.server.token('member');
    const parts = parseToken(good)!;
    const revoked = await fixture.server.token('admin');
    await fixture.server.team.revokeToken(parseToken(revoked)!.id, new Date().toISOString());
    const wrongSecret = `sdd_${parts.id}_${'A'.repeat(43)}`;
    const unknownId = `sdd_${'0'.repeat(12)}_${parts.secret}`;
    badTokens = [
      ['a malformed token', { authorization: 'Bearer not-a-token' }],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['another scheme', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
      ['the token without "Bearer"', { authorization: good }],
      ['two tokens', { authorization: `Bearer ${good} ${good}` }],
      ['a token with a wrong secret', { authorization: `Bearer ${wrongSecret}` }],
      ['a token of an unknown id', { authorization: `Bearer ${unknownId}` }],
      ['a token one character short', { authorization: `Bearer ${good.slice(0, -1)}` }],
      ['a revoked token', { authorization: `Bearer ${revoked}` }],
    ];
  });

  it.each(ENDPOINTS.map((e) => [e.operationId, e] as const))(
    '%s: 401 with no token, and one message for every bad token',
    async (_name, endpoint) => {
      const path = pathOf(endpoint, seed);
      const body = endpoint.body?.(seed);
      const none = await rawRequest(fixture.server.url, { method: endpoint.method, path, body });
      expectError(none, 'UNAUTHENTICATED', /Authorization: Bearer/);
      const messages = new Set<string>();
      for (const [label, headers] of badTokens) {
        const response = await rawRequest(fixture.server.url, {
          method: endpoint.method,
          path,
          body,
          headers,
        });
        messages.add(expectError(response, 'UNAUTHENTICATED').message);
        expect(messages.size, label).toBe(1);
      }
    },
  );

  it('the token is checked before the body: a bad body without a token is 401, not 400', async () => {
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/items`,
      body: '{not json',
    });
    expectError(response, 'UNAUTHENTICATED');
  });

  it('the token is checked before the project: an unknown project without a token is 401', async () => {
    const response = await rawRequest(fixture.server.url, { path: '/api/v1/projects/no-such-project/ready' });
    expectError(response, 'UNAUTHENTICATED');
  });

  it('a revoked token is refused from the next request on', async () => {
    const token = await fixture.server.token('member');
    const client = new ServerClient({ url: fixture.server.url, token });
    expect((await client.whoami()).role).toBe('member');
    await fixture.server.team.revokeToken(parseToken(token)!.id, new Date().toISOString());
    await expect(client.whoami()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', exitCode: 10 });
  });

  it('through the Service: UNAUTHENTICATED, exit 10, the message says what to do', async () => {
    const error = await fixture.server
      .service(seed.project, 'sdd_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .ready()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', exitCode: 10 });
    expect((error as Error).message).toMatch(/get a new one from an admin/);
    const none = await fixture.server
      .service(seed.project, null as unknown as string)
      .ready()
      .catch((e: unknown) => e);
    expect(none).toMatchObject({ code: 'UNAUTHENTICATED', exitCode: 10 });
    expect((none as Error).message).toMatch(/sdd login/);
  });
});

describe('the actor a change is recorded for', () => {
  it.each(['agent', 'viewer'] as const)('whoami tells a %s token its own user', async (role) => {
    const token = await fixture.server.token(role, null, `${role}-7`);
    const me = await new ServerClient({ url: fixture.server.url, token }).whoami();
    expect(me).toMatchObject({ user: `${role}-7`, role, project: null });
  });

  it('an agent token acts as its own user whatever actor it sends', async () => {
    const seed = await fixture.seed();
    const agent = fixture.server.service(seed.project, await fixture.server.token('agent', null, 'agent-7'));
    const claimed = await agent.claim(seed.task, 'alice');
    expect(claimed.claim.actor).toBe('agent-7');
    const noted = await agent.addNote(seed.task, 'started', 'alice');
    expect(noted.notes.at(-1)?.author).toBe('agent-7');
    const next = await agent.claimNext('alice');
    expect(next.claim.actor).toBe('agent-7');
  });

  it("an agent cannot release or finish another's claim by sending their name", async () => {
    const seed = await fixture.seed();
    const holder = fixture.server.service(seed.project, await fixture.server.token('agent', null, 'agent-1'));
    const other = fixture.server.service(seed.project, await fixture.server.token('agent', null, 'agent-2'));
    await holder.claim(seed.task, 'agent-1');
    await expect(other.release(seed.task, 'agent-1')).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
    await expect(other.done(seed.task, 'agent-1')).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
    await expect(other.claim(seed.task, 'agent-1')).rejects.toMatchObject({ code: 'ALREADY_CLAIMED' });
    expect((await holder.getItem(seed.task)).item.claim?.actor).toBe('agent-1');
  });

  it('a member token acts as the name its client sends, and as its own user when none is sent', async () => {
    const seed = await fixture.seed();
    const token = await fixture.server.token('member', null, 'member-7');
    const member = fixture.server.service(seed.project, token);
    expect((await member.claim(seed.task, 'alice')).claim.actor).toBe('alice');
    const response = await rawRequest(fixture.server.url, {
      path: `/api/v1/projects/${seed.project}/items/${seed.other}/claim`,
      token,
      body: {},
    });
    expect(response.status).toBe(200);
    expect((response.json as { claim: { actor: string } }).claim.actor).toBe('member-7');
  });

  it('a viewer token is refused through the Service with FORBIDDEN, exit 10, naming a role that may', async () => {
    const seed = await fixture.seed();
    const viewer = fixture.server.service(seed.project, await fixture.server.token('viewer'));
    const error = await viewer.claim(seed.task, 'viewer-user').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'FORBIDDEN', exitCode: 10 });
    expect((error as Error).message).toMatch(/member or agent token/);
  });

  it('a token bound to a project (admin or member) may not create projects, and says which token may', async () => {
    const seed = await fixture.seed();
    for (const role of ['admin', 'member'] as const) {
      const token = await fixture.server.token(role, seed.project);
      const client = new ServerClient({ url: fixture.server.url, token });
      const error = await client
        .createProject({ id: 'p-new', name: 'New', idPrefix: 'nw' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'FORBIDDEN', exitCode: 10 });
      expect((error as Error).message).toMatch(
        /bound to one project .* an admin or member token not bound to a project can/,
      );
    }
  });
});
