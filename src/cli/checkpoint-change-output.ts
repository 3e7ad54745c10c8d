// sdd diff SESSION@N --change: the change of one checkpoint, from git where this clone has it, else
// from the diff kept with the session on the team server.

import { InvalidInputError } from '../core/errors.js';
import type { SessionStore } from '../core/session-store.js';
import { checkpointChange } from '../sessions/checkpoint-change.js';
import { emptyTree } from '../sessions/checkpoint-diffs.js';
import type { CommandContext } from './context.js';

export async function printCheckpointChange(
  ctx: CommandContext,
  sessions: SessionStore,
  root: string,
  spec: string,
  to: string | undefined,
  stat: boolean,
): Promise<void> {
  if (to !== undefined) {
    throw new InvalidInputError(
      `--change shows what one checkpoint changed; for the difference between ${spec} and ${to}, leave --change out.`,
    );
  }
  const change = await checkpointChange(sessions, root, spec, stat);
  let diff = change.stored;
  if (diff === null) {
    const { diffCheckpoints } = await import('../../recorders/files/checkpoint-recorder.js');
    // both ends are commits: the project's repository has them (a session's worktree shares its objects)
    const from = change.from ?? emptyTree(root);
    if (!from) throw new InvalidInputError(`Session ${change.session.id} has no base to compare with.`);
    diff = await diffCheckpoints(root, from, change.to, { stat });
  }
  const view = {
    session: change.session.id,
    checkpoint: change.index,
    from: change.from,
    to: change.to,
    origin: change.origin,
    diff,
  };
  ctx.print(view, (v) => v.diff || 'No differences.');
}
