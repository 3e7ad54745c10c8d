// sdd's MCP server over any transport: the tools of tools/index.ts on an McpServer, and every call
// (a refused input or an unknown tool too) reported to the live session, when there is one.

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SddTool, ToolContext } from './tool.js';
import { SDD_TOOLS } from './tools/index.js';

const INSTRUCTIONS =
  'sdd is the team tracker. Use it to see ready work, report progress (note, status), record decisions (decide) and file work you discover (file_task).';

export function createSddMcpServer(
  context: ToolContext,
  version: string,
  tools: SddTool[] = SDD_TOOLS,
): McpServer {
  const server = new McpServer({ name: 'sdd', version }, { instructions: INSTRUCTIONS });
  for (const definition of tools) {
    server.registerTool(
      definition.name,
      { description: definition.description, inputSchema: definition.input },
      async (input: unknown): Promise<CallToolResult> => {
        const text = await definition.run(context, input as never);
        return { content: [{ type: 'text', text }] };
      },
    );
  }
  if (context.session) reportCalls(server, context.session);
  return server;
}

type RawHandler = (
  request: { params?: { name?: unknown; arguments?: unknown } },
  extra: unknown,
) => Promise<unknown>;

/**
 * Wraps the SDK's tools/call handler, which validates the input and turns every failure into an
 * isError result: wrapping it (not each tool) is how refused inputs and unknown tools are reported too.
 * The handler map is the SDK's own (Protocol._requestHandlers); the test of `sdd mcp` fails if it moves.
 */
function reportCalls(server: McpServer, session: NonNullable<ToolContext['session']>): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })
    ._requestHandlers;
  const original = handlers?.get('tools/call');
  if (!handlers || !original)
    throw new Error('sdd mcp: the MCP SDK no longer keeps its handlers where sdd wraps them.');
  handlers.set('tools/call', async (request, extra) => {
    const result = (await original(request, extra)) as CallToolResult;
    const error = result.isError ? firstText(result) : undefined;
    await session
      .toolCall({
        tool: String(request.params?.name ?? ''),
        input: JSON.stringify(request.params?.arguments ?? {}),
        ok: !result.isError,
        ...(error !== undefined && { error }),
      })
      // The recording may have ended while the agent still calls: the answer matters more than the event.
      .catch(() => undefined);
    return result;
  });
}

function firstText(result: CallToolResult): string {
  const first = result.content.find((c) => c.type === 'text');
  return first && first.type === 'text' ? first.text : '';
}
