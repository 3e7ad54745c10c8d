// The session routes' own rules, sent raw: offsets that do not match (409 with the size held), the
// per-append and per-session size limits, bodies that are not bytes, and ids and file names with
// path tricks, which are refused before any file is named.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteSessionStore } from '../../src/client/remote-session-store.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { expectError } from './expect-error.js';
import { errorOf, rawRequest } from './raw-http.js';

const KiB = 1024;
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let server: TestServer;
let project: string;
let session: string;

beforeAll(async () => {
  dir = await makeTempDir('sdd-sessions-');
  // Small limits, so that going over them takes little: 64 KiB per append, 256 KiB per session,
  // 1000 bytes per read.
  server = await startTestServer(new LowdbTeamStore(join(dir.path, 'data')), undefined, {
    sessionAppendLimit: 64 * KiB,
    sessionSizeLimit: 256 * KiB,
    sessionReadLimit: 1000,
  });
  project = await server.createProject();
  session = (await putSession()).id;
});
afterAll(async () => {
  await server.close();
  await dir.remove();
});

async function putSession() {
  const record = sessionRecord();
  await server.team.sessionStore(project).putRecord(record);
  return record;
}

function files(id: string) {
  return `/api/v1/projects/${project}/sessions/${id}/files`;
}

function append(path: string, body: Buffer | string, contentType = 'application/octet-stream') {
  return rawRequest(server.url, { method: 'POST', path, token: server.adminToken, body, contentType });
}

describe('appends by offset', () => {
  it('answers the new size, and 409 OFFSET_MISMATCH with the size held for any other offset', async () => {
    const path = `${files(session)}/events.jsonl`;
    const first = await append(`${path}?offset=0`, '{"a":1}\n');
    expect(first.status, first.text).toBe(200);
    expect(first.json).toEqual({ size: 8 });
    const again = await append(`${path}?offset=0`, '{"a":1}\n');
    expectError(again, 'OFFSET_MISMATCH', /holds 8 bytes/);
    expect(errorOf(again).details).toMatchObject({ held: 8, offered: 0 });
    expectError(await append(`${path}?offset=9`, 'x'), 'OFFSET_MISMATCH');
  });

  it('reads a range of the bytes as application/octet-stream', async () => {
    const path = `${files(session)}/terminal.cast`;
    await append(`${path}?offset=0`, Buffer.from([0, 1, 2, 255, 254]));
    const range = await rawRequest(server.url, {
      path: `${path}?offset=1&length=3`,
      token: server.adminToken,
    });
    expect(range.status).toBe(200);
    expect(range.headers['content-type']).toBe('application/octet-stream');
    const all = await new RemoteSessionStore({
      url: server.url,
      projectId: project,
      token: server.adminToken,
    }).readFile(session, 'terminal.cast', 1, 3);
    expect([...all]).toEqual([1, 2, 255]);
  });

  it('refuses a body that is not bytes, asking for application/octet-stream', async () => {
    const response = await append(`${files(session)}/prompt.md?offset=0`, '{"text":"x"}', 'application/json');
    expectError(response, 'INVALID_INPUT', /application\/octet-stream/);
  });

  it.each([
    ['no offset', ''],
    ['a negative offset', '?offset=-1'],
    ['a fractional offset', '?offset=1.5'],
    ['an offset in hexadecimal', '?offset=0x10'],
  ])('refuses %s, naming the field', async (_label, query) => {
    expectError(await append(`${files(session)}/prompt.md${query}`, 'x'), 'INVALID_INPUT', 'querystring');
  });

  it('refuses a record put under another session id', async () => {
    const record = sessionRecord();
    const response = await rawRequest(server.url, {
      method: 'PUT',
      path: `/api/v1/projects/${project}/sessions/${session}`,
      token: server.adminToken,
      body: record,
    });
    expectError(response, 'INVALID_INPUT', /not the session of the path/);
  });
});

describe('who a session is recorded for', () => {
  it('an agent token records as its own user; a member token as the name its client sends', async () => {
    const agent = new RemoteSessionStore({
      url: server.url,
      projectId: project,
      token: await server.token('agent', null, 'agent-7'),
    });
    const byAgent = sessionRecord({ actor: 'alice' });
    await agent.putRecord(byAgent);
    expect((await agent.get(byAgent.id)).actor).toBe('agent-7');
    const member = new RemoteSessionStore({
      url: server.url,
      projectId: project,
      token: await server.token('member', null, 'member-7'),
    });
    const byMember = sessionRecord({ actor: 'alice' });
    await member.putRecord(byMember);
    expect((await member.get(byMember.id)).actor).toBe('alice');
  });
});

describe('limits', () => {
  it('refuses one append over its body limit with 413, naming the limit', async () => {
    const response = await append(`${files(session)}/big.bin?offset=0`, Buffer.alloc(64 * KiB + 1));
    expectError(response, 'TOO_LARGE', '(64 KiB)');
  });

  it('refuses an append that would take a session over its size limit, and appends nothing', async () => {
    const { id } = await putSession();
    const path = `${files(id)}/terminal.cast`;
    let offset = 0;
    for (let i = 0; i < 4; i++) {
      const response = await append(`${path}?offset=${offset}`, Buffer.alloc(64 * KiB, i));
      expect(response.status, response.text).toBe(200);
      offset += 64 * KiB;
    }
    const over = await append(`${path}?offset=${offset}`, Buffer.from('x'));
    expectError(over, 'TOO_LARGE', /over this server's limit of 0\.25 MiB per session; nothing was appended/);
    const listed = await rawRequest(server.url, { path: files(id), token: server.adminToken });
    expect(listed.json).toEqual([{ name: 'terminal.cast', size: 256 * KiB }]);
  });
});

describe('reads over the read limit', () => {
  it('are answered in parts the server marks, which the client reads on until the end', async () => {
    const { id } = await putSession();
    const data = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 256));
    await append(`${files(id)}/terminal.cast?offset=0`, data);
    const first = await rawRequest(server.url, {
      path: `${files(id)}/terminal.cast`,
      token: server.adminToken,
    });
    expect(first.headers['x-sdd-read-capped']).toBe('1');
    expect(Buffer.byteLength(first.text, 'latin1')).toBeLessThanOrEqual(1000);
    const last = await rawRequest(server.url, {
      path: `${files(id)}/terminal.cast?offset=2000`,
      token: server.adminToken,
    });
    expect(last.headers['x-sdd-read-capped']).toBeUndefined();
    const client = new RemoteSessionStore({ url: server.url, projectId: project, token: server.adminToken });
    expect(Buffer.from(await client.readFile(id, 'terminal.cast')).equals(data)).toBe(true);
    const range = await client.readFile(id, 'terminal.cast', 100, 2100);
    expect(Buffer.from(range).equals(data.subarray(100, 2200))).toBe(true);
  });
});

describe('path tricks', () => {
  it.each([
    ['..', '..'],
    ['an encoded ..', '%2E%2E'],
    ['an encoded slash', 'a%2Fb'],
    ['a leading dot', '.hidden'],
    ['an encoded NUL', 'a%00b'],
  ])('a session id with %s is refused, naming the parameter', async (_label, id) => {
    expectError(await append(`${files(id)}/terminal.cast?offset=0`, 'x'), 'INVALID_INPUT', 'params.session');
    const read = await rawRequest(server.url, {
      path: `${files(id)}/terminal.cast`,
      token: server.adminToken,
    });
    expectError(read, 'INVALID_INPUT', 'params.session');
  });

  it.each([
    ['a parent folder', '..%2Fsession.json'],
    ['two parent folders', 'transcript%2F..%2F..%2Fteam.json'],
    ['an absolute path', '%2Fetc%2Fpasswd'],
    ['three levels', 'a%2Fb%2Fc'],
    ['a leading dot', '.hidden'],
    ['a backslash', '..%5C..%5Cx'],
    ['an encoded NUL', 'x%00y'],
  ])('a file name with %s is refused, and no file is written', async (_label, name) => {
    const { id } = await putSession();
    expectError(await append(`${files(id)}/${name}?offset=0`, 'x'), 'INVALID_INPUT', 'params.name');
    const read = await rawRequest(server.url, { path: `${files(id)}/${name}`, token: server.adminToken });
    expectError(read, 'INVALID_INPUT', 'params.name');
    const folder = join(dir.path, 'data', 'sessions', project, id);
    expect((await readdir(folder)).sort()).toEqual(['session.json']);
  });

  it('a lookup by the random end of an id finds the session; one with ".." is refused', async () => {
    const ok = await rawRequest(server.url, {
      path: `/api/v1/projects/${project}/sessions/${session.slice(-4)}`,
      token: server.adminToken,
    });
    expect((ok.json as { id: string }).id).toBe(session);
    const tricked = await rawRequest(server.url, {
      path: `/api/v1/projects/${project}/sessions/a..b`,
      token: server.adminToken,
    });
    expectError(tricked, 'INVALID_INPUT', 'params.session');
  });
});
