// `sdd sessions --live`: the sessions recording now. With a team server, those whose `sdd run` is
// connected to it (any of its processes), so `sdd watch` can show them; without one, the sessions
// recording on this machine.

import { UnauthenticatedError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import { LocalSessionStore } from '../sessions/local-session-store.js';
import { recorderAlive } from '../sessions/orphans.js';
import type { CommandContext } from './context.js';
import { tokenFor } from './credentials.js';
import { localTime } from './format.js';
import { shortCommand } from './session-command.js';

export interface LiveView {
  id: string;
  task: string | null;
  actor: string | null;
  agent: string | null;
  startedAt: string | null;
  command: string | null;
  /** Watchers on the server process that answered (null without a server). */
  watchers: number | null;
}

export async function listLive(ctx: CommandContext): Promise<void> {
  const project = await ctx.project();
  const { server, projectId } = project.config;
  let views: LiveView[];
  if (server) {
    const token = await tokenFor(server);
    if (!token) {
      throw new UnauthenticatedError(
        `This project's server is ${server}, and no token for it is kept here: run \`sdd login ${server}\` (or set SDD_TOKEN).`,
      );
    }
    const { listLiveSessions } = await import('../client/live-client.js');
    const live = await listLiveSessions({ url: server, token, projectId });
    views = live.map((l) => viewOf(l.id, l.record, l.watchers));
  } else {
    const running = await new LocalSessionStore(project.root).list({ status: 'running' });
    views = running.filter((r) => recorderAlive(r) !== false).map((r) => viewOf(r.id, r, null));
  }
  ctx.print(views, (list) =>
    list.length === 0
      ? 'No session is recording now.'
      : list
          .map(
            (v) =>
              `${v.id}  ${(v.task ?? '?').padEnd(6)}  ${v.actor ?? '?'}  ${v.startedAt ? localTime(v.startedAt) : ''}  ${v.command ?? ''}${v.watchers ? `  (${v.watchers} watching)` : ''}`,
          )
          .concat('(watch one: sdd watch SESSION)')
          .join('\n'),
  );
}

function viewOf(id: string, record: SessionRecord | null, watchers: number | null): LiveView {
  return {
    id,
    task: record ? (record.itemRef ?? record.itemId) : null,
    actor: record?.actor ?? null,
    agent: record?.agent ?? null,
    startedAt: record?.startedAt ?? null,
    command: record ? shortCommand(record).split('\n', 1)[0]! : null,
    watchers,
  };
}
