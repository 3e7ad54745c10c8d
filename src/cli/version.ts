/** sdd's version, as `sdd --version` prints it and the MCP server names itself. */
export const VERSION = '0.1.0';
