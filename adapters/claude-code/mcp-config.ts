// Claude Code takes MCP servers for one run from a JSON file named by --mcp-config (added to the
// person's own servers, whose files stay as they are); sdd's tools are allowed in the run's --settings.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { McpLaunch, McpServerCommand } from '../agent-adapter.js';

/** The permission rule that lets every tool of the server named sdd run without asking. */
export const SDD_TOOLS_RULE = 'mcp__sdd';

export function claudeMcpServer(server: McpServerCommand, configDir: string): McpLaunch {
  const file = join(configDir, 'claude-mcp.json');
  const config = { mcpServers: { sdd: { type: 'stdio', ...server } } };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // --mcp-config takes several values: the launch puts a flag after it, so the prompt is not taken as one.
  return { args: ['--mcp-config', file], env: {} };
}
