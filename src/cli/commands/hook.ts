// sdd hook: what an agent's own hooks call inside a session (sdd adds them for the session only, on
// the agent's command line, never in the person's settings). session-start reports where the agent
// writes its transcript; turn-end takes a checkpoint at the end of each agent turn.

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import { type ControlRequest, sendControl } from '../../sessions/control-channel.js';
import { SessionFolder } from '../../sessions/session-folder.js';
import { action } from '../context.js';

export function registerHook(program: Command): void {
  program
    .command('hook', { hidden: true })
    .description(
      'called by an agent hook inside a session: session-start | turn-end (reads the hook JSON on stdin)',
    )
    .argument('<event>', 'session-start or turn-end')
    .action(
      action(async (ctx, event: string) => {
        const sessionId = process.env.SDD_SESSION_ID;
        if (!sessionId) throw new InvalidInputError('sdd hook runs inside a recorded session only.');
        const input = readHookInput();
        let request: ControlRequest;
        if (event === 'session-start') {
          if (typeof input.transcript_path !== 'string') return; // nothing to report
          request = { type: 'transcript', path: input.transcript_path };
        } else if (event === 'turn-end') {
          request = { type: 'checkpoint', message: 'agent turn end', trigger: 'turn' };
        } else {
          throw new InvalidInputError(`Unknown hook event "${event}"; use session-start or turn-end.`);
        }
        const folder = await SessionFolder.open((await ctx.project()).root, sessionId);
        const record = await folder.readRecord();
        if (record.controlSocket) await sendControl(record.controlSocket, request);
      }),
    );
}

function readHookInput(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(0, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
