// `sdd mcp` driven by the MCP SDK's own client over stdio, outside a session: the tool list and its
// size, every tool on a spec-kit project, refused inputs with what to do, the same answers embedded
// and through a team server.

import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { Service } from '../../src/core/service.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { LowdbTeamStore } from '../../src/store/lowdb-team-store.js';
import { git, REPO_ROOT, SDD_BIN, sdd, sddAsync } from '../helpers/run-sdd.js';
import { startTestServer, type TestServer } from '../helpers/team-server.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'speckit');
const TOOLS = ['ready', 'show', 'claim', 'status', 'note', 'decide', 'file_task', 'mark', 'context', 'spec'];

interface Project {
  root: string;
  env: Record<string, string>;
  service: Service;
}

interface Answer {
  isError: boolean;
  text: string;
}

async function connect(project: Project, args: string[] = []): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SDD_BIN, 'mcp', ...args],
    cwd: project.root,
    env: { ...(process.env as Record<string, string>), ...project.env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, input: Record<string, unknown> = {}): Promise<Answer> {
  const result = await client.callTool({ name, arguments: input });
  const content = result.content as { type: string; text: string }[];
  return { isError: result.isError === true, text: content[0]?.text ?? '' };
}

let server: TestServer;
let dir: { path: string; remove(): Promise<void> };
beforeAll(async () => {
  dir = await makeTempDir('sdd-mcp-');
  server = await startTestServer(new LowdbTeamStore(join(dir.path, 'server-data')));
});
afterAll(async () => {
  await server.close();
  await dir.remove();
});

/** A git project with the team-notes spec imported and team context, embedded or on the test server. */
async function newProject(mode: 'embedded' | 'remote'): Promise<Project> {
  const root = join(dir.path, `${mode}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(root);
  git(root, ['init', '-q']);
  await cp(join(FIXTURES, 'specs'), join(root, 'specs'), { recursive: true });
  const env: Record<string, string> = { SDD_ACTOR: 'agent-7', HOME: join(root, '.home') };
  expect(sdd(root, ['init'], env).code).toBe(0);
  await writeFile(join(root, '.sdd', 'context', 'product.md'), '# Product\n\nNotes for teams.\n');
  await writeFile(join(root, '.sdd', 'context', 'tech-stack.md'), '# Tech stack\n\nTypeScript.\n');
  let service: Service;
  if (mode === 'remote') {
    const projectId = await server.createProject('sd');
    const configPath = join(root, '.sdd', 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify({ ...config, projectId, server: server.url }));
    env.SDD_TOKEN = server.adminToken;
    service = server.service(projectId);
  } else {
    service = new EmbeddedService(new LowdbStore(join(root, '.sdd', 'local', 'db.json'), 'sd'));
  }
  // Async: the test server answers in this process, which a blocking spawn would stop.
  await symlink(join(root, '.sdd', 'config.json'), join(root, 'specs', '004-team-notes', 'escape.md'));
  const imported = await sddAsync(root, ['import', 'specs/004-team-notes'], env);
  expect(imported.code, imported.stderr).toBe(0);
  return { root, env, service };
}

/** Every tool once, then refused inputs: what a session of an agent does, in order. */
async function exercise(project: Project): Promise<Record<string, Answer>> {
  const client = await connect(project, ['--task', 'T003']);
  try {
    const answers: Record<string, Answer> = {};
    answers.ready = await call(client, 'ready', { limit: 3 });
    answers.show = await call(client, 'show');
    answers.claim = await call(client, 'claim');
    answers.status = await call(client, 'status', { status: 'in_progress' });
    answers.note = await call(client, 'note', { text: 'middleware skeleton in place' });
    answers.decide = await call(client, 'decide', {
      question: 'Which auth scheme?',
      options: ['session cookie', 'bearer token'],
      choice: 'bearer token',
      rationale: 'the API is used by scripts',
    });
    answers.decideAgain = await call(client, 'decide', {
      question: 'Which auth scheme?',
      choice: 'bearer token',
    });
    answers.fileTask = await call(client, 'file_task', { title: 'Rate-limit the login route', priority: 1 });
    answers.context = await call(client, 'context');
    answers.specList = await call(client, 'spec');
    answers.specRead = await call(client, 'spec', { file: 'spec.md' });
    answers.done = await call(client, 'status', { status: 'done' });
    // refused, each saying what to do
    answers.badLimit = await call(client, 'ready', { limit: 99 });
    answers.badStatus = await call(client, 'status', { status: 'finished' });
    answers.blankQuestion = await call(client, 'decide', { question: '  ', choice: 'x' });
    answers.unknownItem = await call(client, 'show', { ref: 'T999' });
    answers.outsideFolder = await call(client, 'spec', { file: '../../.sdd/config.json' });
    answers.missingDoc = await call(client, 'spec', { file: 'plan.md' });
    answers.linkOut = await call(client, 'spec', { file: 'escape.md' });
    answers.markOutside = await call(client, 'mark', { label: 'tests pass' });
    answers.unknownTool = await call(client, 'delete_everything');
    return answers;
  } finally {
    await client.close();
  }
}

describe('sdd mcp over stdio', () => {
  let embedded: Project;
  let remote: Project;
  let embeddedAnswers: Record<string, Answer>;
  let remoteAnswers: Record<string, Answer>;

  beforeAll(async () => {
    [embedded, remote] = await Promise.all([newProject('embedded'), newProject('remote')]);
    embeddedAnswers = await exercise(embedded);
    remoteAnswers = await exercise(remote);
  }, 120_000);

  it('lists its ten tools with short descriptions, the whole list under 1,200 tokens', async () => {
    const client = await connect(embedded);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS);
      for (const tool of tools) expect(tool.description!.length).toBeLessThanOrEqual(90);
      // ~4 characters a token: the figure the README gives.
      expect(JSON.stringify(tools).length / 4).toBeLessThan(1200);
    } finally {
      await client.close();
    }
  });

  it('answers every tool, and the tracker holds what it did', async () => {
    const a = embeddedAnswers;
    for (const key of [
      'ready',
      'show',
      'claim',
      'status',
      'note',
      'decide',
      'decideAgain',
      'fileTask',
      'context',
      'specList',
      'specRead',
      'done',
    ]) {
      expect(a[key]!.isError, `${key}: ${a[key]!.text}`).toBe(false);
    }
    expect(a.ready!.text.split('\n')).toHaveLength(1);
    expect(a.ready!.text).toContain('T003');
    expect(a.show!.text).toContain('T003');
    expect(a.show!.text).toContain('Configure linting and formatting tools');
    expect(a.claim!.text).toMatch(/^Claimed .*T003/);
    expect(a.decide!.text).toBe(
      'Decision D1 on sd-7: bearer token'.replace('sd-7', a.decide!.text.split(' ')[3]!.replace(':', '')),
    );
    expect(a.context!.text).toContain('## Team context');
    expect(a.context!.text).toContain('### product');
    // an untouched template is left out, as in a session's prompt
    expect(a.context!.text).not.toContain('### constitution');
    expect(a.context!.text).toContain('TypeScript.');
    expect(a.specList!.text).toContain('- spec.md');
    expect(a.specList!.text).toContain('- tasks.md');
    expect(a.specRead!.text).toContain('# specs/004-team-notes/spec.md');

    const service = embedded.service;
    const task = (await service.getItem('T003')).item;
    expect(task.status).toBe('done');
    expect(task.notes.map((n) => [n.author, n.text])).toEqual([['agent-7', 'middleware skeleton in place']]);
    const decisions = await service.listDecisions({ item: 'T003' });
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      question: 'Which auth scheme?',
      options: ['session cookie', 'bearer token'],
      choice: 'bearer token',
      actor: 'agent-7',
      source: 'mcp',
      sessionId: null,
      sessionTime: null,
    });
    const filed = (await service.listItems()).find((i) => i.title === 'Rate-limit the login route')!;
    expect(filed).toMatchObject({ type: 'task', priority: 1, parent: task.parent });
    expect((await service.getItem(filed.id)).discoveredFrom.map((d) => d.id)).toEqual([task.id]);
    expect(task.claim).toBeNull();
  });

  it('refuses bad input with an isError answer that says what to do, and changes nothing', async () => {
    const a = embeddedAnswers;
    for (const key of [
      'badLimit',
      'badStatus',
      'blankQuestion',
      'unknownItem',
      'outsideFolder',
      'linkOut',
      'missingDoc',
      'markOutside',
      'unknownTool',
    ]) {
      expect(a[key]!.isError, key).toBe(true);
    }
    expect(a.badLimit!.text).toContain('limit is at most 50');
    expect(a.badStatus!.text).toContain('status is one of open, in_progress, done, cancelled');
    expect(a.blankQuestion!.text).toContain('needs a question');
    expect(a.unknownItem!.text).toContain('T999');
    expect(a.outsideFolder!.text).toContain('inside specs/004-team-notes/');
    expect(a.missingDoc!.text).toContain('call spec without file to list the documents');
    expect(a.linkOut!.text).toContain('inside specs/004-team-notes/');
    expect(a.markOutside!.text).toContain('Not inside `sdd run`');
    expect(a.unknownTool!.text).toContain('delete_everything');
    expect(await embedded.service.listDecisions()).toHaveLength(1);
  });

  it('refuses a session that is not in the spool (exit 3) before it serves anything', () => {
    const result = sdd(embedded.root, ['mcp', '--session', 's-nope'], embedded.env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('No session s-nope');
    expect(result.stdout).toBe('');
  });

  it('without a current task, a tool that needs one says to pass a ref', async () => {
    const client = await connect(embedded);
    try {
      const answer = await call(client, 'note', { text: 'hello' });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('No current task');
      expect(answer.text).toContain('pass ref');
    } finally {
      await client.close();
    }
  });

  it('gives the same answers through a team server as embedded', async () => {
    expect(Object.keys(remoteAnswers)).toEqual(Object.keys(embeddedAnswers));
    // Claim times differ from run to run: the rest is the same, word for word.
    const normal = (text: string) => text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'TIME');
    for (const [key, answer] of Object.entries(embeddedAnswers)) {
      expect({ key, ...remoteAnswers[key], text: normal(remoteAnswers[key]!.text) }).toEqual({
        key,
        ...answer,
        text: normal(answer.text),
      });
    }
    expect(await remote.service.listDecisions()).toEqual(
      (await embedded.service.listDecisions()).map((d) => ({ ...d, at: expect.any(String) })),
    );
  });
});
