// Codex CLI takes configuration for one run as `-c key=value` overrides (the value read as TOML), so
// sdd's MCP server is given as mcp_servers.sdd.* on the command line and ~/.codex/config.toml stays as it is.

import type { McpLaunch, McpServerCommand } from '../agent-adapter.js';

/** What `sdd mcp` reads from its environment to reach a team server: the token, and where credentials are kept. */
const PASSED_ON = ['SDD_TOKEN', 'XDG_CONFIG_HOME'];

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
      // Codex gives an MCP server a few variables of its own only: these pass on where the person has
      // them, so `sdd mcp` finds the team server's token as the sdd that launched Codex did.
      '-c',
      `mcp_servers.sdd.env_vars=[${PASSED_ON.map(tomlString).join(', ')}]`,
      // sdd's tools only read and write the tracker: a headless run calls them without asking.
      '-c',
      'mcp_servers.sdd.default_tools_approval_mode="approve"',
    ],
    env: {},
  };
}
