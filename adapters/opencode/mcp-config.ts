// opencode merges the configuration in $OPENCODE_CONFIG_CONTENT over its config files, so sdd's MCP
// server is given there for one run: the person's opencode.json (and their $OPENCODE_CONFIG) stay as they are.

import type { Environment, McpLaunch, McpServerCommand } from '../agent-adapter.js';

export function opencodeMcpServer(server: McpServerCommand, _configDir: string, env: Environment): McpLaunch {
  // Content the person set already is kept, with sdd's server added to it.
  let config: Record<string, unknown> = {};
  try {
    const given = env.OPENCODE_CONFIG_CONTENT ? JSON.parse(env.OPENCODE_CONFIG_CONTENT) : {};
    if (given && typeof given === 'object' && !Array.isArray(given)) config = given;
  } catch {
    // not JSON opencode could read either; sdd's server goes in alone
  }
  const mcp = (config.mcp && typeof config.mcp === 'object' ? config.mcp : {}) as Record<string, unknown>;
  const sdd = {
    type: 'local',
    command: [server.command, ...server.args],
    environment: server.env,
    enabled: true,
  };
  return {
    args: [],
    env: { OPENCODE_CONFIG_CONTENT: JSON.stringify({ ...config, mcp: { ...mcp, sdd } }) },
  };
}
