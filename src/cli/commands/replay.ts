// sdd replay, sdd diff and sdd restore: looking back at a session, and going back to a checkpoint.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInputError } from '../../core/errors.js';
import type { SessionEvent, SessionRecord } from '../../core/session.js';
import type { SessionStore } from '../../core/session-store.js';
import { parseTimeSpec } from '../../replay/time-spec.js';
import { resolveCheckpoint } from '../../sessions/checkpoint-address.js';
import { SessionFolder } from '../../sessions/session-folder.js';
import { castFileOf, readSessionEvents } from '../../sessions/stored-files.js';
import { action, type CommandContext } from '../context.js';

interface DiffOptions {
  stat?: boolean;
  change?: boolean;
}

interface ReplayOptions {
  speed: string;
  idleLimit?: string;
  at?: string;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'play a session in the terminal (space pause, . step, ] next checkpoint or marker, q quit), or print the screen at a moment with --at',
    )
    .argument('<session>', 'a session id, or any asciicast file (v2 or v3)')
    .option('--speed <factor>', 'play faster (2) or slower (0.5)', '1')
    .option('--idle-limit <seconds>', 'shorten pauses longer than this')
    .option('--at <when>', 'print the screen at this moment: seconds, mm:ss, or a checkpoint (@2, SESSION@2)')
    .action(
      action(async (ctx, target: string, options: ReplayOptions) => {
        const file = await recordingFile(resolve(ctx.cwd, target), target);
        const recorded = file ? null : await recordedSession(ctx, target);
        const castPath = recorded ? recorded.castPath : file!;
        const events = recorded ? recorded.events : [];
        if (options.at !== undefined) {
          const at = await momentOf(options.at, recorded, events);
          const { renderScreenAt } = await import('../../replay/screen-renderer.js'); // xterm: only when asked
          const screen = await renderScreenAt(castPath, at);
          ctx.print(screen, (s) => s.text.replace(/\n+$/, '')); // the rows below the last text are empty
          return;
        }
        const speed = Number(options.speed);
        if (!(speed > 0))
          throw new InvalidInputError(`--speed must be a number above 0; got "${options.speed}".`);
        const idleLimit = options.idleLimit === undefined ? undefined : Number(options.idleLimit);
        if (idleLimit !== undefined && !(idleLimit > 0)) {
          throw new InvalidInputError(
            `--idle-limit must be a number of seconds above 0; got "${options.idleLimit}".`,
          );
        }
        const { playCast } = await import('../../replay/player.js'); // only playing needs it
        await playCast(castPath, {
          output: process.stdout,
          input: process.stdin,
          speed,
          ...(idleLimit !== undefined && { idleLimit }),
          markers: events.filter((e) => e.type === 'checkpoint' || e.type === 'marker').map((e) => e.time),
        });
      }),
    );

  program
    .command('diff')
    .description('what changed between two checkpoints, or between a checkpoint and the files now')
    .argument('<from>', 'a checkpoint: SESSION@N (0 is the start, -1 the last) or a commit id')
    .argument('[to]', 'another checkpoint (default: the work tree as it is now)')
    .option('--stat', 'only the files and line counts')
    .option(
      '-c, --change',
      "what checkpoint SESSION@N changed, against the one before it (or the session's base for @0). In a clone that did not record the session it prints the diff kept with the session (redacted, cut past 1 MiB) and fetches no git object, unless --stat is given; a second checkpoint, a commit id or the work tree need the objects, fetched from the team server's bundles",
    )
    .action(
      action(async (ctx, from: string, to: string | undefined, options: DiffOptions) => {
        const root = (await ctx.project()).root;
        const sessions = await ctx.sessions();
        if (options.change) {
          const { printCheckpointChange } = await import('../checkpoint-change-output.js');
          await printCheckpointChange(ctx, sessions, root, from, to, options.stat ?? false);
          return;
        }
        const a = await resolveCheckpoint(sessions, root, from);
        const b = to ? await resolveCheckpoint(sessions, root, to) : null;
        // a session's checkpoints compare with the work tree it ran in (its worktree, for --worktree)
        const workTree = workTreeOf(a.session, root);
        const { diffCheckpoints } = await import('../../../recorders/files/checkpoint-recorder.js');
        const text = await diffCheckpoints(workTree, a.commit, b?.commit, { stat: options.stat ?? false });
        ctx.print({ from: a.commit, to: b?.commit ?? null, diff: text }, (d) => d.diff || 'No differences.');
      }),
    );

  program
    .command('restore')
    .description(
      'make the files what they were at a checkpoint (a safety checkpoint of the current state is taken first)',
    )
    .argument('<checkpoint>', 'SESSION@N or a commit id')
    .option(
      '-f, --force',
      'restore even though the work tree has uncommitted changes (they are kept in the safety checkpoint)',
    )
    .action(
      action(async (ctx, spec: string, options: { force?: boolean }) => {
        const root = (await ctx.project()).root;
        const target = await resolveCheckpoint(await ctx.sessions(), root, spec);
        // the safety checkpoint's git index is this clone's own, in the spool
        const folder = target.session ? SessionFolder.at(root, target.session.id) : null;
        const { restoreCheckpoint } = await import('../../../recorders/files/checkpoint-recorder.js');
        const result = await restoreCheckpoint(workTreeOf(target.session, root), target.commit, {
          force: options.force ?? false,
          ...(folder && { sessionIdForSafety: folder.id, indexFile: folder.gitIndexPath }),
        });
        ctx.print({ restored: target.commit, ...result }, (r) =>
          [
            `Restored the files of checkpoint ${target.commit.slice(0, 10)} (${r.restoredPaths} path(s) changed).`,
            r.safety
              ? `The state before is kept in checkpoint ${r.safety.commit.slice(0, 10)}: \`sdd restore ${r.safety.commit.slice(0, 10)}\` undoes this.`
              : "The state before was already this session's last checkpoint: restore that to undo this.",
          ]
            .filter(Boolean)
            .join('\n'),
        );
      }),
    );
}

/**
 * The recording `target` names when it is meant as a file (it has a slash, ends in .cast, or exists);
 * null for a session id. A folder or a missing file is said to be one, not taken for a session id.
 */
async function recordingFile(path: string, target: string): Promise<string | null> {
  const info = await stat(path).catch(() => null);
  if (!info && !target.includes('/') && !target.endsWith('.cast')) return null;
  // a path that is not there is bad input (exit 2), as for `sdd import`; exit 3 is for tracker items and sessions
  if (!info) throw new InvalidInputError(`No such file: ${target}.`, { file: target });
  if (info.isDirectory()) {
    throw new InvalidInputError(
      `${target} is a folder, not a recording (give a .cast file or a session id; \`sdd sessions\` lists them).`,
      { file: target },
    );
  }
  return path;
}

interface RecordedSession {
  store: SessionStore;
  root: string;
  record: SessionRecord;
  events: SessionEvent[];
  castPath: string;
}

/** A session's record, events and cast, read through the SessionStore; the cast as a file for the player. */
async function recordedSession(ctx: CommandContext, id: string): Promise<RecordedSession> {
  const root = (await ctx.project()).root;
  const store = await ctx.sessions();
  const record = await store.get(id);
  const events = await readSessionEvents(store, record.id);
  const castPath = await castFileOf(store, record.id, join(root, '.sdd', 'local', 'cache', 'sessions'));
  return { store, root, record, events, castPath };
}

/** The folder a session worked in, when it still exists; else the project's own. */
function workTreeOf(session: SessionRecord | null, root: string): string {
  return session?.cwd && existsSync(session.cwd) ? session.cwd : root;
}

/** Seconds into the recording for "90", "1:30", "@2" (this session's checkpoint 2) or "SESSION@2". */
async function momentOf(
  spec: string,
  recorded: RecordedSession | null,
  events: SessionEvent[],
): Promise<number> {
  if (!spec.includes('@')) return parseTimeSpec(spec);
  if (!recorded) throw new InvalidInputError('A checkpoint as --at needs a session, not a cast file.');
  const { id } = recorded.record;
  const resolved = await resolveCheckpoint(
    recorded.store,
    recorded.root,
    spec.startsWith('@') ? `${id}${spec}` : spec,
  );
  const event = resolved.event ?? events.find((e) => e.type === 'checkpoint' && e.commit === resolved.commit);
  if (!event) throw new InvalidInputError(`Checkpoint ${spec} is not part of session ${id}.`);
  return event.time;
}
