// How sdd gives its MCP server to each real agent CLI (adapters/*/mcp-config.ts), checked against the
// CLIs pinned in test/agents/package.json: Codex, Gemini CLI and opencode list the server from what sdd
// gives them (opencode also connects to it: a real `sdd mcp`); Claude Code and Copilot CLI, whose MCP
// listing needs a login, take the launch with the MCP words without an argument error.

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServerCommand } from '../../adapters/agent-adapter.js';
import { findAdapter } from '../../adapters/index.js';
import { git, SDD_BIN, sdd } from '../helpers/run-sdd.js';
import {
  agentEnv,
  agentInstalled,
  argumentError,
  launchRequest,
  runInPty,
  stopLeftovers,
} from './real-cli.js';

let home: string;
let cwd: string;
let configDir: string;
let server: McpServerCommand;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'sdd-real-mcp-home-'));
  cwd = await mkdtemp(join(tmpdir(), 'sdd-real-mcp-'));
  configDir = await mkdtemp(join(tmpdir(), 'sdd-real-mcp-config-'));
  git(cwd, ['init', '-q']);
  expect(sdd(cwd, ['init']).code).toBe(0);
  // A real `sdd mcp` of this project (outside a session, so it starts without one).
  server = { command: process.execPath, args: [SDD_BIN, '-C', cwd, 'mcp'], env: { SDD_ACTOR: 'agent-7' } };
});
afterAll(async () => {
  stopLeftovers(home);
  for (const dir of [home, cwd, configDir]) await rm(dir, { recursive: true, force: true });
});

function given(name: string) {
  const adapter = findAdapter(name)!;
  const env = agentEnv(home);
  const mcp = adapter.mcpServer!(server, configDir, env);
  return { adapter, env: { ...env, ...mcp.env }, mcp };
}

describe.skipIf(!agentInstalled('codex'))('real Codex CLI', () => {
  it('lists sdd from the -c overrides, command and arguments as given', async () => {
    const { env, mcp } = given('codex');
    const run = await runInPty(['codex', ...mcp.args, 'mcp', 'list'], cwd, env, 45_000);
    expect(run.output).toMatch(/^sdd\s+\S*node\s+\S+\/bin\/sdd -C \S+ mcp\s/m);
  }, 60_000);
});

describe.skipIf(!agentInstalled('gemini'))('real Gemini CLI', () => {
  it("lists sdd beside the person's own servers from the home sdd gives it, and their settings stay as they were", async () => {
    const own = '{\n  // mine\n  "mcpServers": {"mine": {"command": "true"}}\n}\n';
    await mkdir(join(home, '.gemini'), { recursive: true });
    await writeFile(join(home, '.gemini', 'settings.json'), own);
    const { env } = given('gemini');
    const run = await runInPty(['gemini', 'mcp', 'list'], cwd, env, 60_000);
    expect(run.output).toMatch(/sdd: \S*node \S+\/bin\/sdd -C \S+ mcp/);
    expect(run.output).toContain('mine: true');
    expect(await readFile(join(home, '.gemini', 'settings.json'), 'utf8')).toBe(own);
  }, 90_000);
});

describe.skipIf(!agentInstalled('opencode'))('real opencode', () => {
  it('connects to sdd mcp from $OPENCODE_CONFIG_CONTENT', async () => {
    const { env } = given('opencode');
    const run = await runInPty(['opencode', 'mcp', 'list'], cwd, env, 60_000);
    expect(run.output).toMatch(/sdd\s+connected/);
  }, 90_000);
});

for (const name of ['claude-code', 'copilot']) {
  const binary = name === 'claude-code' ? 'claude' : 'copilot';
  describe.skipIf(!agentInstalled(binary))(`real ${binary}`, () => {
    it('takes the launch with the MCP words, as a conversation and headless', async () => {
      for (const headless of [false, true]) {
        const { adapter, env, mcp } = given(name);
        const command = adapter.launch({ ...launchRequest(cwd, env, headless), mcp }).command;
        expect(command.join(' ')).toContain(configDir);
        const run = await runInPty(command, cwd, env, 15_000);
        expect(argumentError(run.output), `${command.join(' ')}\n${run.output}`).toBeNull();
        expect(run.exitCode, run.output).not.toBe(2);
      }
    }, 90_000);
  });
}
