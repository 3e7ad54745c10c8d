// `sdd run --agent X` gives each agent sdd's MCP server its own way, and what the agent calls lands in
// the session: a scripted agent per CLI (test/fixtures/mcp-agent.mjs) finds the server where that CLI
// would, starts it with the MCP SDK's client, and calls the tools. The person's own config files of
// every agent are byte-identical afterwards, and the session's config folder is gone.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RemoteService } from '../../src/client/remote-service.js';
import type { Decision } from '../../src/core/decisions.js';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { DecisionEvent, SessionEvent, SessionRecord, ToolCallEvent } from '../../src/core/session.js';
import type { Item } from '../../src/core/types.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { type ServerProcess, startServerProcess, userEnv } from '../cli/server-harness.js';
import { git, REPO_ROOT, SDD_BIN, sdd, sddAsync, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const MCP_AGENTS = join(REPO_ROOT, 'test', 'fixtures', 'mcp-agents');

/** The person's own configuration of each agent, as it would be on their machine. */
const USER_CONFIG: Record<string, string> = {
  '.claude.json': '{"mcpServers":{"mine":{"command":"my-server"}}}\n',
  '.claude/settings.json': '{"permissions":{"allow":["Bash(ls)"]}}\n',
  '.codex/config.toml': '[mcp_servers.mine]\ncommand = "my-server"\n',
  '.gemini/settings.json':
    '{\n  // my theme\n  "ui": {"theme": "GitHub"},\n  "mcpServers": {"mine": {"command": "my-server"}}\n}\n',
  '.config/opencode/opencode.json': '{"mcp":{"mine":{"type":"local","command":["my-server"]}}}\n',
  '.copilot/mcp-config.json': '{"mcpServers":{"mine":{"command":"my-server"}}}\n',
};

const SECRET = `ghp_${'a1B2c3D4e5'.repeat(3)}x9Y8z7`;

interface ProbeLog {
  agent: string;
  argv: string[];
  env: { GEMINI_CLI_HOME: string | null };
  server: { command: string; args: string[]; env: Record<string, string> };
  settings: { file: string }[];
  tools: string[];
  results: { name: string; isError: boolean; text: string }[];
  serverErrors: string;
}

const CALLS: [string, Record<string, unknown>][] = [
  ['show', {}],
  ['note', { text: 'started on the parser' }],
  [
    'decide',
    {
      question: 'Which parser?',
      options: ['peggy', 'hand-written'],
      choice: 'hand-written',
      rationale: 'no build step',
    },
  ],
  ['file_task', { title: 'Parse comments too' }],
  ['mark', { label: 'parser compiles' }],
  ['ready', { limit: 0 }],
  // A secret in an input (and in the error that repeats it) is redacted in the events.
  ['show', { ref: SECRET }],
  // The same decision again: the one recorded is the answer, and the events hold it once.
  ['decide', { question: 'Which parser?', choice: 'hand-written' }],
];
/** Refused: a limit of 0, an item that does not exist. */
const REFUSED = [5, 6];

describe('sdd run gives the agent sdd mcp, and its calls land in the session', () => {
  let dir: { path: string; remove(): Promise<void> };
  let home: string;
  let cwd: string;

  beforeEach(async () => {
    dir = await makeTempDir('sdd-mcp-run-');
    cwd = join(dir.path, 'project');
    home = join(dir.path, 'home');
    await mkdir(cwd);
    git(cwd, ['init', '-q']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    sddJson(cwd, ['init']);
    for (const [path, text] of Object.entries(USER_CONFIG)) {
      await mkdir(dirname(join(home, path)), { recursive: true });
      await writeFile(join(home, path), text);
    }
  });
  afterEach(async () => {
    await dir.remove();
  });

  it.each([
    ['claude-code', 'claude'],
    ['codex', 'codex'],
    ['gemini', 'gemini'],
    ['opencode', 'opencode'],
    ['copilot', 'copilot'],
  ])(
    '%s',
    async (agent, binary) => {
      const feature = sddJson<Item>(cwd, ['create', 'Parsing', '--type', 'feature']);
      const task = sddJson<Item>(cwd, ['create', 'Write the parser', '--parent', feature.id]);
      const log = join(dir.path, 'probe.json');
      const env = {
        PATH: `${MCP_AGENTS}:${process.env.PATH}`,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        CODEX_HOME: join(home, '.codex'),
        COPILOT_HOME: join(home, '.copilot'),
        FAKE_AGENT_LOG: log,
        FAKE_MCP_CALLS: JSON.stringify(CALLS),
      };
      const run = sdd(cwd, ['--as', 'agent-7', 'run', task.id, '--agent', agent], env);
      expect(run.code, run.stderr).toBe(0);
      const probe = JSON.parse(await readFile(log, 'utf8')) as ProbeLog;
      const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;

      // The server the agent was pointed at is `sdd mcp` for this session of this project.
      expect(probe.agent).toBe(binary);
      expect(probe.server.command).toBe(process.execPath);
      expect(probe.server.args.slice(1)).toEqual(['-C', cwd, 'mcp', '--session', session.id]);
      expect(probe.server.env).toMatchObject({ SDD_SESSION_ID: session.id });
      expect(probe.tools).toContain('decide');
      // sdd's tools, which only touch the tracker, run without asking where the agent lets sdd say so.
      const allowed: Record<string, (argv: string[]) => boolean> = {
        claude: (argv) =>
          JSON.parse(argv[argv.indexOf('--settings') + 1]!).permissions.allow.includes('mcp__sdd'),
        codex: (argv) => argv.includes('mcp_servers.sdd.default_tools_approval_mode="approve"'),
        copilot: (argv) => argv.includes('--allow-tool=sdd'),
      };
      if (allowed[binary]) expect(allowed[binary](probe.argv)).toBe(true);
      if (binary === 'gemini') expect(probe.server).toMatchObject({ trust: true });
      expect(probe.serverErrors).toBe('');

      // Every call answered, two refused; acting as the session's actor on its task.
      expect(probe.results.map((r) => [r.name, r.isError])).toEqual(
        CALLS.map(([name], i) => [name, REFUSED.includes(i)]),
      );
      expect(probe.results[0]!.text).toContain('Write the parser');
      expect(probe.results[7]!.text).toMatch(/^Already recorded as D1 /);
      const service = new EmbeddedService(new LowdbStore(join(cwd, '.sdd', 'local', 'db.json'), 'sd'));
      const item = (await service.getItem(task.id)).item;
      expect(item.notes.map((n) => [n.author, n.text])).toEqual([['agent-7', 'started on the parser']]);
      const filed = (await service.listItems()).find((i) => i.title === 'Parse comments too')!;
      expect(filed.parent).toBe(feature.id);
      expect((await service.getItem(filed.id)).discoveredFrom.map((d) => d.id)).toEqual([task.id]);

      // The session's events: each tool call, the decision at the moment it was stored, the marker.
      const events = sddJson<{ events: SessionEvent[] }>(cwd, ['session', 'show', session.id], env).events;
      const calls = events.filter((e): e is ToolCallEvent => e.type === 'tool-call');
      expect(calls.map((c) => [c.tool, c.ok])).toEqual(
        CALLS.map(([name], i) => [name, !REFUSED.includes(i)]),
      );
      expect(calls[1]!.input).toBe('{"text":"started on the parser"}');
      expect(calls[5]!.error).toContain('limit');
      expect(calls[6]!.ok).toBe(false);
      expect(JSON.stringify(events)).not.toContain(SECRET);
      const [decision] = await service.listDecisions({ sessionId: session.id });
      expect(decision).toMatchObject<Partial<Decision>>({ itemId: task.id, actor: 'agent-7', source: 'mcp' });
      const decided = events.filter((e): e is DecisionEvent => e.type === 'decision');
      expect(decided).toEqual([
        expect.objectContaining({
          decisionId: decision!.id,
          question: 'Which parser?',
          choice: 'hand-written',
        }),
      ]);
      expect(decided[0]!.time).toBe(decision!.sessionTime);
      expect(events.some((e) => e.type === 'marker' && e.label === 'parser compiles')).toBe(true);
      const shown = sdd(cwd, ['session', 'show', session.id], env).stdout;
      expect(shown).toContain(`${decision!.id}  Which parser? -> hand-written`);
      expect(shown).toContain(`MCP tool calls (${CALLS.length}):`);

      // Nothing of the person's changed; the session's own config is gone with it.
      for (const [path, text] of Object.entries(USER_CONFIG))
        expect(await readFile(join(home, path), 'utf8')).toBe(text);
      for (const { file } of probe.settings) expect(existsSync(file)).toBe(false);
      if (probe.env.GEMINI_CLI_HOME) expect(existsSync(probe.env.GEMINI_CLI_HOME)).toBe(false);
    },
    60_000,
  );

  it('sdd agents says which agents get the MCP server', () => {
    const agents = sddJson<{ name: string; mcp: boolean }[]>(cwd, ['agents'], { HOME: home });
    expect(
      agents
        .filter((a) => a.mcp)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['claude-code', 'codex', 'copilot', 'gemini', 'opencode']);
  });

  it('--no-mcp launches the agent without it; its sdd mcp after the end adds no events', async () => {
    const task = sddJson<Item>(cwd, ['create', 'Plain run']);
    const log = join(dir.path, 'argv.json');
    const env = {
      PATH: `${join(REPO_ROOT, 'test', 'fixtures', 'agents')}:${process.env.PATH}`,
      HOME: home,
      FAKE_AGENT_LOG: log,
    };
    expect(sdd(cwd, ['run', task.id, '--agent', 'claude-code', '--no-mcp'], env).code).toBe(0);
    const argv = JSON.parse(await readFile(log, 'utf8')).argv as string[];
    expect(argv).not.toContain('--mcp-config');

    // sdd mcp of that session once it has ended: still the session's actor and task, no events added.
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], env)[0]!;
    const before = sddJson<{ events: SessionEvent[] }>(cwd, ['session', 'show', session.id], env).events;
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [SDD_BIN, 'mcp', '--session', session.id],
      cwd,
      env: { ...(process.env as Record<string, string>), HOME: home },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const client = new Client({ name: 'late', version: '1.0.0' });
    await client.connect(transport);
    const answer = await client.callTool({ name: 'note', arguments: { text: 'late note' } });
    await client.close();
    expect(answer.isError).toBeFalsy();
    expect(stderr).toContain(`session ${session.id} is finished`);
    const item = sddJson<{ item: Item }>(cwd, ['show', task.id], env).item;
    expect(item.notes.at(-1)).toMatchObject({ author: session.actor, text: 'late note' });
    expect(sddJson<{ events: SessionEvent[] }>(cwd, ['session', 'show', session.id], env).events).toEqual(
      before,
    );
  });
});

describe('in a session of a project on a team server, with an agent token', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: ServerProcess;
  beforeAll(async () => {
    dir = await makeTempDir('sdd-mcp-remote-');
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', join(dir.path, 'data')]);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('the calls act as the agent (Codex, the token passed on), land in the session, and the server holds them', async () => {
    const cwd = join(dir.path, 'project');
    await mkdir(cwd);
    git(cwd, ['init', '-q']);
    await writeFile(join(cwd, 'README.md'), '# x\n');
    const admin = userEnv(join(dir.path, 'home'), { SDD_TOKEN: server.firstToken! });
    sddJson(cwd, ['init'], admin);
    expect(sdd(cwd, ['remote', 'set', server.url], admin).code).toBe(0);
    const feature = sddJson<Item>(cwd, ['create', 'Parsing', '--type', 'feature'], admin);
    const task = sddJson<Item>(cwd, ['create', 'Write the parser', '--parent', feature.id], admin);
    const token = sddJson<{ token: string }>(
      cwd,
      ['server', 'token', 'create', '--user', 'agent-7', '--role', 'agent', '--data', join(dir.path, 'data')],
      admin,
    ).token;

    const log = join(dir.path, 'probe.json');
    const agent = {
      ...userEnv(join(dir.path, 'home'), { SDD_TOKEN: token }),
      PATH: `${MCP_AGENTS}:${process.env.PATH}`,
      FAKE_AGENT_LOG: log,
      FAKE_MCP_CALLS: JSON.stringify(CALLS),
    };
    // Codex: its MCP server gets only a few variables, the token through env_vars.
    const run = await sddAsync(cwd, ['run', task.id, '--agent', 'codex'], {
      ...agent,
      CODEX_HOME: join(dir.path, 'codex'),
    });
    expect(run.code, run.stderr).toBe(0);
    const probe = JSON.parse(await readFile(log, 'utf8')) as ProbeLog;
    expect(probe.results.map((r) => [r.name, r.isError])).toEqual(
      CALLS.map(([name], i) => [name, REFUSED.includes(i)]),
    );
    expect(probe.serverErrors).toBe('');

    const projectId = JSON.parse(await readFile(join(cwd, '.sdd', 'config.json'), 'utf8'))
      .projectId as string;
    const service = new RemoteService({ url: server.url, projectId, token: server.firstToken! });
    expect((await service.getItem(task.id)).item.notes.map((n) => [n.author, n.text])).toEqual([
      ['agent-7', 'started on the parser'],
    ]);
    const session = sddJson<SessionRecord[]>(cwd, ['sessions'], admin)[0]!;
    const [decision] = await service.listDecisions({ sessionId: session.id });
    expect(decision).toMatchObject({ actor: 'agent-7', itemId: task.id, source: 'mcp' });
    const filed = (await service.listItems()).find((i) => i.title === 'Parse comments too')!;
    expect(filed.parent).toBe(feature.id);
    expect((await service.getItem(filed.id)).discoveredFrom.map((d) => d.id)).toEqual([task.id]);
    const events = sddJson<{ events: SessionEvent[] }>(cwd, ['session', 'show', session.id], admin).events;
    expect(events.filter((e) => e.type === 'tool-call')).toHaveLength(CALLS.length);
    expect(events.find((e): e is DecisionEvent => e.type === 'decision')?.time).toBe(decision!.sessionTime);
  }, 90_000);
});
