// Gemini CLI reads MCP servers from settings files only, and a system settings file must be owned by
// root: so for one run sdd gives it a home of its own ($GEMINI_CLI_HOME in the session's temp folder)
// whose .gemini/ links to every entry of the person's, except a settings.json that is theirs plus
// sdd's server. Chats, credentials and trusted folders stay where they are; ~/.gemini/settings.json is
// only read.

import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Environment, McpLaunch, McpServerCommand } from '../agent-adapter.js';

export function geminiMcpServer(server: McpServerCommand, configDir: string, env: Environment): McpLaunch {
  const ownDir = join(env.GEMINI_CLI_HOME || env.HOME || homedir(), '.gemini');
  const home = join(configDir, 'gemini-home');
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Chats go to the person's ~/.gemini/tmp through the link, where sdd finds them as without it.
  mkdirSync(join(ownDir, 'tmp'), { recursive: true });
  for (const name of readdirSync(ownDir)) {
    if (name !== 'settings.json') symlinkSync(join(ownDir, name), join(dir, name));
  }
  const settings = readSettings(join(ownDir, 'settings.json'));
  const servers = (isObject(settings.mcpServers) ? settings.mcpServers : {}) as Record<string, unknown>;
  // trust: sdd's tools only read and write the tracker, so a headless run can call them without asking.
  settings.mcpServers = { ...servers, sdd: { ...server, trust: true } };
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  return { args: [], env: { GEMINI_CLI_HOME: home } };
}

/** The person's settings, comments and all (Gemini CLI allows // and /* *\/ in them); {} when unreadable. */
function readSettings(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  for (const candidate of [text, withoutComments(text)]) {
    try {
      const parsed = JSON.parse(candidate);
      if (isObject(parsed)) return parsed;
    } catch {
      // try the next form
    }
  }
  return {};
}

/** Drops // and /* *\/ comments outside strings. */
function withoutComments(text: string): string {
  return text.replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_match, string) => string ?? '');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
