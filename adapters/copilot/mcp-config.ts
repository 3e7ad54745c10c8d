// Copilot CLI adds the MCP servers of --additional-mcp-config @FILE to ~/.copilot/mcp-config.json for
// one session, so sdd's server is given in a file of the session's temp folder; its tools (which only
// touch the tracker) are allowed for the session with --allow-tool.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { McpLaunch, McpServerCommand } from '../agent-adapter.js';

export function copilotMcpServer(server: McpServerCommand, configDir: string): McpLaunch {
  const file = join(configDir, 'copilot-mcp.json');
  const config = { mcpServers: { sdd: { type: 'local', ...server, tools: ['*'] } } };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  // --allow-tool takes several values: given with = so that the words after it are not taken as tools.
  return { args: ['--additional-mcp-config', `@${file}`, '--allow-tool=sdd'], env: {} };
}
