// sdd mcp: the tracker as an MCP server on stdin/stdout, for a coding agent. Inside `sdd run` it acts
// as the session's actor on the session's task and reports each tool call into the session's events.

import type { Command } from 'commander';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import { action } from '../context.js';

export function registerMcp(program: Command, version: string): void {
  program
    .command('mcp')
    .description(
      'serve the tracker to a coding agent over MCP (stdio): ready work, show, claim, status, note, decide, file_task, mark, context, spec',
    )
    .option('--session <id>', 'the live session it serves (default: $SDD_SESSION_ID, set by `sdd run`)')
    .option('--task <ref>', 'the task the tools default to outside a session')
    .addHelpText(
      'after',
      '\n`sdd run --agent X` gives it to the agent on its own; to add it by hand, configure the command `sdd mcp` (stdio).\nOutside a session it acts as --as / $SDD_ACTOR / git user.name; nothing but MCP messages goes to stdout.',
    )
    .action(
      action(async (ctx, options: { session?: string; task?: string }) => {
        const project = await ctx.project();
        const service = await ctx.service();
        const sessionId = options.session ?? process.env.SDD_SESSION_ID;
        const record = sessionId ? await sessionRecord(project.root, sessionId) : null;
        if (record && options.task) {
          throw new InvalidInputError(
            "--task is for use outside a session; inside one the task is the session's.",
          );
        }
        const { createSddMcpServer } = await import('../../mcp/server.js');
        const { sessionLink } = await import('../../mcp/session-link.js');
        const live = record?.status === 'running' && record.controlSocket !== null;
        if (record && !live) {
          process.stderr.write(
            `sdd mcp: session ${record.id} is ${record.status}; its events get no tool calls.\n`,
          );
        }
        const server = createSddMcpServer(
          {
            service,
            actor: record?.actor ?? ctx.actor(),
            task: record?.itemId ?? options.task ?? null,
            session: record && live ? sessionLink(record) : null,
            projectRoot: project.root,
          },
          version,
        );
        const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
        const closed = new Promise<void>((resolve) => {
          server.server.onclose = resolve;
        });
        await server.connect(new StdioServerTransport());
        // The client closing its end of the pipe is the end of the conversation.
        process.stdin.once('end', () => void server.close());
        await closed;
      }),
    );
}

async function sessionRecord(root: string, id: string): Promise<SessionRecord> {
  const { SessionFolder } = await import('../../sessions/session-folder.js');
  const folder = await SessionFolder.open(root, id).catch(() => {
    throw new NotFoundError(
      `No session ${id} in this project's spool (.sdd/local/sessions); \`sdd sessions\` lists them.`,
    );
  });
  return folder.readRecord();
}
