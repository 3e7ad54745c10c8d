// Codex CLI takes configuration for one run as `-c key=value` overrides (the value read as TOML), so
// sdd's MCP server is given as mcp_servers.sdd.* on the command line and ~/.codex/config.toml stays as it is.

import type { McpLaunch, McpServerCommand } from '../agent-adapter.js';

/** A TOML basic string: JSON's escapes are TOML's for everything JSON.stringify writes. */
const tomlString = (value: string) => JSON.stringify(value);

export function codexMcpServer(server: McpServerCommand): McpLaunch {
  const env = Object.entries(server.env)
    .map(([key, value]) => `${tomlString(key)} = ${tomlString(value)}`)
    .join(', ');
  return {
    args: [
      '-c',
      `mcp_servers.sdd.command=${tomlString(server.command)}`,
      '-c',
      `mcp_servers.sdd.args=[${server.args.map(tomlString).join(', ')}]`,
      '-c',
      `mcp_servers.sdd.env={ ${env} }`,
    ],
    env: {},
  };
}
