// sdd watch: a running session as it happens, from any machine of the team: its current screen, then
// its output, until it ends. With a team server it watches over a WebSocket; without one it follows
// the terminal.cast of a session recording on this machine.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { NotLiveError, UnauthenticatedError } from '../../core/errors.js';
import type { SessionRecord } from '../../core/session.js';
import { SESSION_FILES } from '../../core/session-events.js';
import type { SessionStore } from '../../core/session-store.js';
import { recorderAlive } from '../../sessions/orphans.js';
import { castFileOf, localPathOf } from '../../sessions/stored-files.js';
import { action, type CommandContext } from '../context.js';
import { tokenFor } from '../credentials.js';
import { LiveOutput } from '../live-output.js';

// A local cast is written at least once a second; it is looked at this often.
const FOLLOW_MS = 100;
const RECORD_CHECK_MS = 500;

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description(
      'watch a running session live: its current screen, then its output as it comes, until it ends (Ctrl-C stops watching; the session goes on). A finished session is refused with exit 14: play it with `sdd replay`',
    )
    .argument('<session>', 'session id (or its first or last characters); `sdd sessions --live` lists them')
    .action(
      action(async (ctx, given: string) => {
        const project = await ctx.project();
        const output = new LiveOutput(process.stdout, ctx.json);
        const { server, projectId } = project.config;
        const reason = server
          ? await watchRemote(ctx, output, { server, projectId, given })
          : await watchLocal(ctx, output, given);
        output.end(reason);
        if (!ctx.json) {
          process.stderr.write(
            reason === 'finished'
              ? '\nsdd: the session ended.\n'
              : '\nsdd: the session stopped sending (its sdd may be gone); `sdd sessions` shows it.\n',
          );
        }
      }),
    );
}

async function watchRemote(
  ctx: CommandContext,
  output: LiveOutput,
  target: { server: string; projectId: string; given: string },
): Promise<'finished' | 'lost'> {
  const token = await tokenFor(target.server);
  if (!token) {
    throw new UnauthenticatedError(
      `This project's server is ${target.server}, and no token for it is kept here: run \`sdd login ${target.server}\` (or set SDD_TOKEN).`,
    );
  }
  // A session this clone or the server knows is checked first; one not uploaded yet, the server resolves.
  const record = await (await ctx.sessions()).get(target.given).catch(() => null);
  if (record) refuseFinished(record);
  const { watchLive } = await import('../../client/live-client.js');
  const id = record?.id ?? target.given;
  const end = await watchLive(
    { url: target.server, token, projectId: target.projectId, session: id },
    {
      snapshot: (message) => output.snapshot(message),
      bytes: (lines) => output.bytes(lines),
      wantsPause: () => output.pause(),
      reconnecting: (why) => {
        if (!ctx.json) process.stderr.write(`\nsdd: reconnecting (${why})…\n`);
      },
    },
  );
  if (end !== 'finished-unseen') return end;
  // It ended while this watch was away: its last screen, from the recording the server keeps.
  const sessions = await ctx.sessions();
  const finished = await sessions.get(id);
  const cacheDir = join((await ctx.project()).root, '.sdd', 'local', 'cache', 'sessions');
  const file = await open(await castFileOf(sessions, finished.id, cacheDir), 'r');
  try {
    await showScreen(file, output, finished.id);
  } finally {
    await file.close();
  }
  return 'finished';
}

function refuseFinished(record: SessionRecord): void {
  if (record.status !== 'running') {
    throw new NotLiveError(
      `Session ${record.id} is ${record.status}, not recording now: play it with \`sdd replay ${record.id}\`.`,
      { session: record.id, status: record.status },
    );
  }
}

/** Follows a local recording: the screen so far from the whole cast, then its new lines as they land. */
async function watchLocal(
  ctx: CommandContext,
  output: LiveOutput,
  given: string,
): Promise<'finished' | 'lost'> {
  const sessions = await ctx.sessions();
  let record = await sessions.get(given);
  refuseFinished(record);
  if (recorderAlive(record) === false) {
    throw new NotLiveError(
      `Session ${record.id}'s sdd is gone (it is not recording): \`sdd sessions recover\` finishes it, \`sdd replay ${record.id}\` plays it.`,
    );
  }
  const castPath = await localPathOf(sessions, record.id, SESSION_FILES.cast);
  if (!castPath) throw new NotLiveError(`Session ${record.id} was not recorded on this machine.`);
  const file = await open(castPath, 'r');
  try {
    let offset = await showScreen(file, output, record.id);
    let checked = Date.now();
    for (;;) {
      const { size } = await file.stat();
      if (size > offset) {
        const bytes = Buffer.allocUnsafe(size - offset);
        const { bytesRead } = await file.read(bytes, 0, bytes.length, offset);
        offset += bytesRead;
        output.bytes(bytes.subarray(0, bytesRead));
        const pause = output.pause();
        if (pause) await pause.resume;
        continue;
      }
      if (Date.now() - checked > RECORD_CHECK_MS) {
        checked = Date.now();
        record = await reread(sessions, record);
        if (record.status !== 'running') {
          // The cast's last lines land before the record says finished.
          const { size: last } = await file.stat();
          if (last > offset) continue;
          return 'finished';
        }
        if (recorderAlive(record) === false) return 'lost';
      }
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_MS));
    }
  } finally {
    await file.close();
  }
}

async function reread(sessions: SessionStore, record: SessionRecord): Promise<SessionRecord> {
  return sessions.get(record.id).catch(() => record);
}

/** The screen of the cast's whole lines so far; returns the offset after them. */
async function showScreen(
  file: import('node:fs/promises').FileHandle,
  output: LiveOutput,
  session: string,
): Promise<number> {
  const { size } = await file.stat();
  const bytes = Buffer.allocUnsafe(size);
  const { bytesRead } = await file.read(bytes, 0, size, 0);
  const whole = bytes.subarray(0, bytes.lastIndexOf(0x0a, bytesRead - 1) + 1);
  const { VirtualTerminal, applyCastEvent } = await import('../../replay/virtual-terminal.js');
  const lines = whole.toString('utf8').split('\n');
  const header = JSON.parse(lines[0] ?? '{}') as { width?: number; height?: number };
  const terminal = new VirtualTerminal(header.width ?? 80, header.height ?? 24);
  try {
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (!Array.isArray(value)) continue;
      const pending = applyCastEvent(terminal, { code: String(value[1]), data: String(value[2]) });
      if (pending) await pending;
    }
    await terminal.settle();
    const snapshot = terminal.snapshot();
    output.snapshot({ type: 'snapshot', session, ...snapshot, offset: whole.length });
  } finally {
    terminal.dispose();
  }
  return whole.length;
}
