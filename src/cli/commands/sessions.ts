// sdd sessions (list, recover), sdd session show, and the in-session commands sdd mark and
// sdd checkpoint.

import type { Command } from 'commander';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import type {
  CheckpointEvent,
  MarkerEvent,
  SessionCommit,
  SessionEvent,
  SessionRecord,
} from '../../core/session.js';
import { SESSION_FILES } from '../../core/session-events.js';
import type { SessionStore } from '../../core/session-store.js';
import { type ControlRequest, sendControl } from '../../sessions/control-channel.js';
import { findOrphanedSessions, recorderAlive } from '../../sessions/orphans.js';
import type { RecoveredSession } from '../../sessions/recover.js';
import { localPathOf, readSessionEvents } from '../../sessions/stored-files.js';
import { action, type CommandContext } from '../context.js';
import { localTime } from '../format.js';
import { shortCommand, startedWith } from '../session-command.js';

export function registerSessions(program: Command): void {
  const sessions = program
    .command('sessions')
    .description(
      'recorded sessions, newest first; one whose sdd is gone shows as dead (--json: "alive": false) until `sdd sessions recover` finishes it',
    )
    .option('-t, --task <ref>', 'only the sessions of this task')
    .option(
      '--commit <commit>',
      'the session that made this commit, found again after an amend or a rebase (by the patch id of its change)',
    )
    .option('--live', 'only the sessions recording now (on a team server: those `sdd watch` can watch)')
    .action(
      action(async (ctx, options: { task?: string; commit?: string; live?: boolean }) => {
        if (options.live) {
          const { listLive } = await import('../live-list.js');
          await listLive(ctx);
          return;
        }
        const sessions = await ctx.sessions();
        const itemId = options.task ? (await (await ctx.service()).getItem(options.task)).item.id : undefined;
        let records = await sessions.list(itemId === undefined ? {} : { itemId });
        if (options.commit !== undefined) records = await madeCommit(ctx, sessions, records, options.commit);
        const views: SessionView[] = records.map(withAlive);
        // With a team server, each session says whether the server holds all of it yet.
        const project = await ctx.project();
        if (project.config.server) {
          const { pendingSessions } = await import('../session-sync.js');
          const pending = new Set((await pendingSessions(project, project.config.server)).map((r) => r.id));
          for (const view of views) view.uploaded = !pending.has(view.id);
        }
        if (options.commit !== undefined && views.length === 0) {
          ctx.print(
            views,
            () => `No recorded session made ${options.commit} (nor a commit with its change).`,
          );
          return;
        }
        ctx.print(views, formatSessionList);
      }),
    );

  sessions
    .command('recover')
    .description(
      'finish sessions whose sdd was killed: end time, final checkpoint, status "interrupted", their claim released',
    )
    .action(
      action(async (ctx) => {
        const project = await ctx.project();
        const service = await ctx.service();
        const orphans = await findOrphanedSessions(project.root);
        const { recoverSession } = await import('../../sessions/recover.js');
        const recovered = [];
        for (const record of orphans) recovered.push(await recoverSession(project.root, record, service));
        ctx.print(recovered, (list) =>
          list.length === 0 ? 'No interrupted sessions.' : list.map(formatRecovered).join('\n'),
        );
      }),
    );

  program
    .command('session')
    .description('one session: `sdd session show <id>`, `sdd session transcript <id>`')
    .command('show')
    .description('who, what command, when, exit code, checkpoints with their diff stats, markers')
    .argument('<id>', 'session id (or its first or last characters)')
    .action(
      action(async (ctx, id: string) => {
        const sessions = await ctx.sessions();
        const session = await sessions.get(id);
        const events = await readSessionEvents(sessions, session.id);
        const forks = (await sessions.list())
          .filter((s) => s.forkedFrom?.sessionId === session.id)
          .map((s) => ({
            id: s.id,
            commit: s.forkedFrom!.commit,
            checkpoint: s.forkedFrom!.checkpoint,
            status: s.status,
            alive: recorderAlive(s),
          }));
        // where the recordings lie on this machine, for a program that reads them (none for a remote store)
        const castPath = await localPathOf(sessions, session.id, SESSION_FILES.cast);
        const promptPath = await localPathOf(sessions, session.id, SESSION_FILES.prompt);
        const view = {
          session: withAlive(session),
          startedWith: startedWith(session),
          events,
          forks,
          castPath,
          promptPath,
        };
        ctx.print(view, (d) => formatSession(d.session, d.events, d.forks));
      }),
    );

  program
    .command('mark')
    .description('add a marker to the live session you run in (from inside `sdd run`)')
    .argument('<label...>', 'what happened')
    .option('--session <id>', 'the session (default: $SDD_SESSION_ID)')
    .action(
      action(async (ctx, words: string[], options: { session?: string }) => {
        const result = await controlLiveSession(ctx, options.session, {
          type: 'mark',
          label: words.join(' '),
        });
        ctx.print(result, () => `Marked "${words.join(' ')}".`);
      }),
    );

  program
    .command('checkpoint')
    .description('take a checkpoint of the files now, in the live session you run in')
    .requiredOption('-m, --message <text>', 'what this checkpoint is')
    .option('--session <id>', 'the session (default: $SDD_SESSION_ID)')
    .action(
      action(async (ctx, options: { message: string; session?: string }) => {
        const result = (await controlLiveSession(ctx, options.session, {
          type: 'checkpoint',
          message: options.message,
        })) as {
          commit: string;
        } | null;
        ctx.print(result, (r) =>
          r
            ? `Checkpoint ${r.commit.slice(0, 10)}: ${options.message}`
            : 'Nothing changed since the last checkpoint.',
        );
      }),
    );
}

async function controlLiveSession(
  ctx: CommandContext,
  id: string | undefined,
  request: ControlRequest,
): Promise<unknown> {
  const sessionId = id ?? process.env.SDD_SESSION_ID;
  if (!sessionId)
    throw new InvalidInputError(
      'Not inside a recorded session: run this from `sdd run`, or give --session ID.',
    );
  const record = await (await ctx.sessions()).get(sessionId);
  if (record.status !== 'running' || !record.controlSocket) {
    throw new InvalidInputError(`Session ${record.id} is ${record.status}, not recording now.`);
  }
  return sendControl(record.controlSocket, request);
}

/** A record as listed and shown: with whether its recording sdd still runs (see recorderAlive). */
type SessionView = SessionRecord & { alive: boolean | null; uploaded?: boolean };

/** The sessions whose commits hold `commit`, by sha or, after an amend or a rebase, by patch id. */
async function madeCommit(
  ctx: CommandContext,
  sessions: SessionStore,
  records: SessionRecord[],
  commit: string,
): Promise<(SessionRecord & { matchedBy: 'sha' | 'patch-id'; commit: SessionCommit })[]> {
  const { commitIdentity } = await import('../../sessions/session-commits.js');
  const wanted = await commitIdentity((await ctx.project()).root, commit);
  if (!wanted) throw new NotFoundError(`No commit "${commit}" in this repository.`);
  const found = [];
  for (const record of records) {
    const made = (await readSessionEvents(sessions, record.id)).flatMap((e) =>
      e.type === 'commits' ? e.commits : [],
    );
    const same = made.find((c) => c.sha === wanted.sha);
    const moved = same ? null : made.find((c) => wanted.patchId !== null && c.patchId === wanted.patchId);
    if (same) found.push({ ...record, matchedBy: 'sha' as const, commit: same });
    else if (moved) found.push({ ...record, matchedBy: 'patch-id' as const, commit: moved });
  }
  return found;
}

function withAlive(record: SessionRecord): SessionView {
  return { ...record, alive: recorderAlive(record) };
}

/** "dead" for a session still marked running whose sdd is gone (killed, crashed): not recording. */
function statusOf(view: Pick<SessionView, 'status' | 'alive'>): string {
  return view.status === 'running' && view.alive === false ? 'dead' : view.status;
}

function formatRecovered(recovered: RecoveredSession): string {
  const { session, finalCheckpoint, claim } = recovered;
  const task = session.itemRef ?? session.itemId;
  const lines = [
    `Recovered ${session.id} (${task}): interrupted at ${localTime(session.endedAt!)}` +
      (finalCheckpoint ? `, final checkpoint ${finalCheckpoint.slice(0, 10)}` : ''),
  ];
  lines.push(
    claim.released
      ? `  ${task} is released and ready again; if its work was finished: sdd done ${task}`
      : `  ${task}'s claim is not released: ${claim.reason}`,
  );
  return lines.join('\n');
}

function duration(record: SessionView): string {
  if (!record.endedAt) return statusOf(record) === 'dead' ? '-' : 'running';
  const seconds = Math.round((Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000);
  return seconds < 90
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** A list has one line per session: a command of several lines (a script, a prompt) shows its first. */
const LIST_COMMAND_CHARS = 100;
function oneLine(command: string): string {
  const first = command.split('\n', 1)[0]!;
  const cut = first.length > LIST_COMMAND_CHARS ? first.slice(0, LIST_COMMAND_CHARS) : first;
  return cut.length < command.length ? `${cut}…` : cut;
}

function formatSessionList(records: SessionView[]): string {
  if (records.length === 0) return 'No sessions yet: `sdd run <task> -- <agent command>` records one.';
  const lines = records.map((r) => {
    const exit = r.exitCode === null ? '' : ` exit ${r.exitCode}`;
    const upload = r.uploaded === false ? '  (not uploaded)' : '';
    const matched = (r as { matchedBy?: string }).matchedBy;
    const via =
      matched === 'patch-id'
        ? '  (made the same change, since amended or rebased)'
        : matched === 'sha'
          ? '  (made this commit)'
          : '';
    return `${r.id}  ${(r.itemRef ?? r.itemId).padEnd(6)}  ${statusOf(r)}${exit}  ${duration(r)}  ${r.actor}  ${localTime(r.startedAt)}  ${oneLine(shortCommand(r))}${upload}${via}`;
  });
  const notUploaded = records.filter((r) => r.uploaded === false).length;
  if (notUploaded > 0) {
    lines.push(
      `(${notUploaded} not uploaded to the team server yet: \`sdd sync\` sends ${notUploaded === 1 ? 'it' : 'them'}; the spool here keeps every byte until then)`,
    );
  }
  const dead = records.filter((r) => statusOf(r) === 'dead').length;
  if (dead > 0)
    lines.push(
      `(${dead === 1 ? 'a dead session: its sdd is' : `${dead} dead sessions: their sdd is`} gone; \`sdd sessions recover\` finishes ${dead === 1 ? 'it' : 'them'} and releases the claim)`,
    );
  return lines.join('\n');
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

interface ForkView {
  id: string;
  commit: string;
  checkpoint: number | null;
  status: SessionRecord['status'];
  alive: boolean | null;
}

function formatSession(session: SessionView, events: SessionEvent[], forks: ForkView[]): string {
  const dead =
    statusOf(session) === 'dead'
      ? ` (its sdd, pid ${session.pid} on ${session.host}, is gone: \`sdd sessions recover\` finishes it)`
      : '';
  const lines = [
    `session ${session.id}  ${statusOf(session)}${dead}${session.exitCode === null ? '' : `, exit ${session.exitCode}`}`,
    `  task: ${session.itemRef ? `${session.itemId} (${session.itemRef})` : session.itemId}   by ${session.actor}   agent: ${session.agent}`,
    `  started with: ${startedWith(session)}`,
    `  command: ${shortCommand(session)}`,
    `  started ${localTime(session.startedAt)}${session.endedAt ? `, ended ${localTime(session.endedAt)} (${duration(session)})` : ''}`,
    `  in ${session.cwd}${session.baseCommit ? ` from commit ${session.baseCommit.slice(0, 10)}` : ''}`,
  ];
  if (session.forkedFrom) {
    const at =
      session.forkedFrom.checkpoint === null
        ? session.forkedFrom.commit.slice(0, 10)
        : `@${session.forkedFrom.checkpoint}`;
    lines.push(`  forked from ${session.forkedFrom.sessionId}${at.startsWith('@') ? at : ` at ${at}`}`);
  }
  for (const fork of forks) {
    lines.push(
      `  fork: ${fork.id} from checkpoint ${fork.checkpoint ?? fork.commit.slice(0, 10)} (${statusOf(fork)})`,
    );
  }
  const redacted = Object.entries(session.redactions ?? {});
  if (redacted.length > 0) {
    lines.push(`  secrets redacted: ${redacted.map(([kind, count]) => `${count} ${kind}`).join(', ')}`);
  }
  const checkpoints = events.filter((e): e is CheckpointEvent => e.type === 'checkpoint');
  if (checkpoints.length > 0) {
    lines.push('', 'checkpoints:');
    checkpoints.forEach((c, i) => {
      lines.push(
        `  ${session.id}@${i}  ${clock(c.time)}  ${c.trigger.padEnd(7)} ${c.commit.slice(0, 10)}  ${c.files} file(s) +${c.insertions} -${c.deletions}  ${c.message}`,
      );
    });
  }
  const markers = events.filter((e): e is MarkerEvent => e.type === 'marker');
  if (markers.length > 0) {
    lines.push('', 'markers:', ...markers.map((m) => `  ${clock(m.time)}  ${m.label}`));
  }
  const decisions = events.flatMap((e) => (e.type === 'decision' ? [e] : []));
  if (decisions.length > 0) {
    lines.push(
      '',
      'decisions:',
      ...decisions.map((d) => `  ${clock(d.time)}  ${d.decisionId}  ${d.question} -> ${d.choice}`),
    );
  }
  const calls = events.flatMap((e) => (e.type === 'tool-call' ? [e] : []));
  if (calls.length > 0) {
    lines.push(
      '',
      `MCP tool calls (${calls.length}):`,
      ...calls.map((c) => `  ${clock(c.time)}  ${c.tool}${c.ok ? '' : `  refused: ${c.error ?? ''}`}`),
    );
  }
  const commits = events.flatMap((e) => (e.type === 'commits' ? e.commits : []));
  if (commits.length > 0) {
    lines.push('', 'commits it made:', ...commits.map((c) => `  ${c.sha.slice(0, 10)}  ${c.subject}`));
  }
  return lines.join('\n');
}
