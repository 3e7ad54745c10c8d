// The words `sdd run` adds to an agent's command line for sdd's MCP server (see adapters/*/mcp-config.ts),
// taken out, for tests about the rest of the command line.

export function withoutMcpArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const next = argv[i + 1] ?? '';
    if (word === '--mcp-config' || word === '--additional-mcp-config') i++;
    else if (word === '-c' && next.startsWith('mcp_servers.sdd.')) i++;
    else if (word === '--allow-tool=sdd') continue;
    else out.push(word);
  }
  return out;
}
