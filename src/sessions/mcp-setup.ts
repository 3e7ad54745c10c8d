// Gives the session's agent sdd's MCP server (`sdd mcp --session ID`), through the agent's own
// mechanism (its adapter's mcpServer): the files it needs go to a private temp folder that the
// session's end removes, so the person's configuration files are never changed.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import type { Environment, McpLaunch, McpServerCommand } from '../core/agent.js';

export interface McpSetup {
  launch: McpLaunch;
  /** The temp folder of the agent's MCP config files. */
  dir: string;
  remove(): void;
}

/** How the agent starts `sdd mcp` for this session: node and the sdd script, with the project and session named. */
export function mcpServerCommand(sddBin: string, projectRoot: string, sessionId: string): McpServerCommand {
  return {
    command: process.execPath,
    args: [sddBin, '-C', projectRoot, 'mcp', '--session', sessionId],
    // Some agents start MCP servers with only a few variables of their own (Codex): these name the session too.
    env: { SDD_SESSION_ID: sessionId, SDD_PROJECT_ROOT: projectRoot },
  };
}

/** Null for an agent whose adapter has no MCP mechanism (aider, a plain command). */
export function setUpMcp(adapter: AgentAdapter, server: McpServerCommand, env: Environment): McpSetup | null {
  if (!adapter.mcpServer) return null;
  const dir = mkdtempSync(join(tmpdir(), 'sdd-mcp-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    return { launch: adapter.mcpServer(server, dir, env), dir, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
