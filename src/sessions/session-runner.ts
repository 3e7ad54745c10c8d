// `sdd run` from claim to release: claims the task, writes its prompt, takes the start checkpoint,
// runs the program in a recorded PTY with checkpoints after each burst of file changes, renews the
// claim while it runs, and closes everything (checkpoint, recording, record, claim) at the end.

import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import { type Checkpoint, CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import { AsciicastWriter } from '../../recorders/terminal/asciicast-writer.js';
import { TranscriptCopier } from '../../recorders/transcript/transcript-copier.js';
import { InvalidInputError } from '../core/errors.js';
import type { ClaimResult, Service } from '../core/service.js';
import type { SessionEvent, SessionRecord } from '../core/session.js';
import { checkpointEvent } from './checkpoint-event.js';
import { type ControlRequest, closeControl, controlSocketPath, serveControl } from './control-channel.js';
import { watchFileBursts } from './file-watcher.js';
import { markRunning, unmarkRunning } from './orphans.js';
import { runInPty } from './pty-runner.js';
import { newSessionId, SessionFolder } from './session-folder.js';
import { SessionRedaction } from './session-redaction.js';
import {
  conversationIdOf,
  gitHead,
  isGitWorkTree,
  pick,
  prepareWorkTree,
  sessionEnv,
  terminalSize,
} from './session-setup.js';
import { buildTaskPrompt, specDirOf } from './task-prompt.js';

export interface RunSessionOptions {
  projectRoot: string;
  /** Work in a new git worktree on a new branch instead of the project's own folder. */
  worktree: boolean;
  /** Start from a checkpoint of an earlier session, on a new branch, continuing its conversation. */
  fork?: { parent: SessionRecord; commit: string; checkpoint: number | null; summary: string };
  service: Service;
  actor: string;
  ref: string;
  /** The agent CLI, and the words after -- (for the generic adapter: the whole command). */
  adapter: AgentAdapter;
  extraArgs: string[];
  /** The name the session records ("shell" for `sdd shell`). */
  agentLabel: string;
  headless: boolean;
  force: boolean;
  recordInput: boolean;
  cols: number;
  rows: number;
  claimTtlSeconds: number;
  /** Quiet time after file changes before a checkpoint is taken. */
  burstQuietMs: number;
  /** The sdd command, so the program can call back (`sdd mark`, `sdd checkpoint`) without it on PATH. */
  sddBin: string;
  /** Where progress lines go (stderr): never mixed into the program's own output. */
  log: (line: string) => void;
}

export interface RunSessionResult {
  session: SessionRecord;
  exitCode: number;
  checkpoints: number;
}

export async function runSession(options: RunSessionOptions): Promise<RunSessionResult> {
  const { service, actor, ref } = options;
  const claimed = await service.claim(ref, actor, {
    force: options.force,
    ttlSeconds: options.claimTtlSeconds,
  });
  const item = claimed.item;
  try {
    return await recordSession(options, claimed);
  } catch (error) {
    await service.release(item.id, actor).catch(() => undefined);
    throw error;
  }
}

async function recordSession(options: RunSessionOptions, claimed: ClaimResult): Promise<RunSessionResult> {
  const { service, actor, projectRoot } = options;
  const item = claimed.item;
  const details = await service.getItem(item.id);
  const epic = details.epic ? (await service.getItem(details.epic.id)).item : null;
  const parent = details.parent ? (await service.getItem(details.parent.id)).item : null;
  const id = newSessionId();
  const workTree = await prepareWorkTree(options, item.source ? item.source.ref : item.id, id);
  const baseCommit = gitHead(workTree);
  const record: SessionRecord = {
    id,
    itemId: item.id,
    itemRef: item.source ? item.source.ref : null,
    actor,
    command: [],
    agent: options.agentLabel,
    conversationId: null,
    cwd: workTree,
    baseCommit,
    checkpointRef: null,
    worktree: workTree === projectRoot ? null : workTree,
    startedAt: new Date().toISOString(),
    endedAt: null,
    exitCode: null,
    status: 'running',
    pid: process.pid,
    host: hostname(),
    cols: options.cols,
    rows: options.rows,
    controlSocket: null,
    redactions: {},
    forkedFrom: options.fork
      ? {
          sessionId: options.fork.parent.id,
          commit: options.fork.commit,
          checkpoint: options.fork.checkpoint,
        }
      : null,
  };
  const size = terminalSize(options.cols, options.rows);
  record.cols = size.cols;
  record.rows = size.rows;
  const folder = await SessionFolder.create(projectRoot, record);
  await markRunning(projectRoot, id);
  const taskPrompt = await buildTaskPrompt({ projectRoot, task: details, parent, epic, sessionId: id });
  const prompt = options.fork ? `${taskPrompt}\n${options.fork.summary}` : taskPrompt;
  await writeFile(folder.promptPath, prompt);
  const env = sessionEnv(options, {
    id,
    itemId: item.id,
    promptFile: folder.promptPath,
    specDir: specDirOf(projectRoot, epic),
  });
  const redaction = new SessionRedaction(env);
  const request = {
    sessionId: id,
    cwd: workTree,
    prompt,
    promptFile: folder.promptPath,
    headless: options.headless,
    env,
    extraArgs: options.extraArgs,
  };
  const parentConversation = options.fork?.parent.conversationId;
  // Continue the parent's conversation where the agent can; otherwise the prompt tells what happened.
  const plan =
    options.fork &&
    parentConversation &&
    options.adapter.fork &&
    options.fork.parent.agent === options.adapter.name
      ? options.adapter.fork(request, parentConversation)
      : options.adapter.launch(request);
  if (plan.command.length === 0)
    throw new InvalidInputError('Nothing to run: give a command after --, --cmd, or --agent.');
  record.command = plan.command.map((word) => redaction.text(word)); // a command line can carry a token
  record.conversationId = plan.conversationId;
  const transcriptQuery = {
    cwd: workTree,
    env,
    startedAt: new Date(record.startedAt),
    conversationId: plan.conversationId,
    extraArgs: options.extraArgs,
  };
  const prepared = await options.adapter.beforeLaunch?.(transcriptQuery);

  const cast = await AsciicastWriter.open(folder.castPath, {
    width: size.cols,
    height: size.rows,
    command: record.command.join(' '),
    title: `${record.itemRef ?? item.id}: ${item.title}`,
    env: pick(process.env, ['SHELL', 'TERM']),
  });
  const event = (fields: Record<string, unknown>) =>
    folder.appendEvent({
      time: cast.elapsedSeconds(),
      at: new Date().toISOString(),
      ...fields,
    } as SessionEvent);

  // Checkpoints run one after another: a burst during a slow checkpoint waits for it.
  const recorder =
    baseCommit !== null || isGitWorkTree(workTree)
      ? new CheckpointRecorder({ workTree, sessionId: id, indexFile: folder.gitIndexPath })
      : null;
  let checkpointCount = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const logCheckpoint = async (checkpoint: Checkpoint | null) => {
    if (!checkpoint) return null;
    checkpointCount++;
    await folder.appendEvent(checkpointEvent(checkpoint, cast.elapsedSeconds()));
    return checkpoint;
  };
  const checkpoint = (
    trigger: Parameters<CheckpointRecorder['checkpoint']>[0],
    message: string,
    paths?: string[],
  ) => {
    const next = queue.then(async () =>
      recorder ? logCheckpoint(await recorder.checkpoint(trigger, message, paths)) : null,
    );
    queue = next.catch((error) => options.log(`sdd: checkpoint failed: ${(error as Error).message}`));
    return next;
  };
  if (recorder) {
    await logCheckpoint(await recorder.start(`start of session ${id}`));
    record.checkpointRef = recorder.ref;
  } else {
    options.log('sdd: not a git work tree: the session is recorded without checkpoints.');
  }
  await event({ type: 'claim', action: claimed.renewed ? 'renewed' : 'claimed' });

  record.controlSocket = controlSocketPath(folder.path, id);
  await folder.writeRecord(record);
  const transcript = new TranscriptCopier(
    options.adapter,
    transcriptQuery,
    prepared,
    folder.transcriptDir,
    (text) => redaction.lines(text),
  );
  transcript.start();
  const control = await serveControl(record.controlSocket, async (request: ControlRequest) => {
    if (request.type === 'mark') {
      const label = redaction.text(request.label);
      cast.marker(label);
      await event({ type: 'marker', label });
      return { time: cast.elapsedSeconds() };
    }
    if (request.type === 'transcript') {
      transcript.reportPath(request.path);
      return { path: request.path };
    }
    return checkpoint(request.trigger ?? 'manual', redaction.text(request.message || 'manual checkpoint'));
  });
  const watcher = recorder
    ? watchFileBursts(
        workTree,
        options.burstQuietMs,
        (paths) => void checkpoint('files', 'after a burst of file changes', paths),
      )
    : null;
  // The program starts once the watcher sees the whole tree (bounded: a huge tree must not hold it up).
  if (watcher)
    await Promise.race([watcher.ready, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  const renewal = setInterval(
    () => {
      service.claim(item.id, actor, { ttlSeconds: options.claimTtlSeconds }).then(
        () => event({ type: 'claim', action: 'renewed' }),
        (error: Error) => {
          options.log(`sdd: could not renew the claim on ${item.id}: ${error.message}`);
          void event({ type: 'claim', action: 'failed', note: error.message });
        },
      );
    },
    Math.max(1000, (options.claimTtlSeconds * 1000) / 3),
  );

  let stopChild: ((signal?: string) => void) | null = null;
  // sdd told to stop passes it on; a program that ignores it (an interactive shell ignores SIGTERM)
  // gets SIGHUP, as at a closed terminal, then SIGKILL, so sdd always ends.
  let escalation: NodeJS.Timeout | null = null;
  const forward = (signal: NodeJS.Signals) => () => {
    stopChild?.(signal);
    escalation ??= setTimeout(() => {
      stopChild?.('SIGHUP');
      escalation = setTimeout(() => stopChild?.('SIGKILL'), 3000);
      escalation.unref();
    }, 3000);
    escalation.unref();
  };
  const handlers = (['SIGTERM', 'SIGHUP', 'SIGINT'] as const).map(
    (signal) => [signal, forward(signal)] as const,
  );
  for (const [signal, handler] of handlers) process.on(signal, handler);

  let exitCode = 1;
  let hotKeyMarkers = 0;
  try {
    const result = await runInPty({
      file: plan.command[0]!,
      args: plan.command.slice(1),
      cwd: workTree,
      env,
      cols: options.cols,
      rows: options.rows,
      onOutput: (data) => cast.output(redaction.stream('output', data)),
      outputSink: cast,
      onHotKey: (hotKey) => {
        if (hotKey === 'checkpoint') void checkpoint('manual', 'checkpoint from the keyboard');
        else {
          const label = `marker ${++hotKeyMarkers}`;
          cast.marker(label);
          void event({ type: 'marker', label });
        }
      },
      ...(options.recordInput && { onInput: (data: Buffer) => cast.input(redaction.stream('input', data)) }),
      onResize: (cols, rows) => cast.resize(cols, rows),
      onStart: (child) => {
        stopChild = child.kill;
      },
    });
    exitCode = result.exitCode;
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    if (escalation) clearTimeout(escalation);
    clearInterval(renewal);
    // The watcher may not have heard of the last changes yet: the final checkpoint looks at everything.
    watcher?.takePending();
    await watcher?.close();
    await checkpoint('exit', `end of session ${id}`);
    await queue;
    await transcript.stop();
    record.conversationId ??= await conversationIdOf(options.adapter, transcript.destination);
    await closeControl(control, record.controlSocket);
    cast.output(redaction.endStream('output'));
    if (options.recordInput) cast.input(redaction.endStream('input'));
    await cast.close();
    record.redactions = redaction.totals();
    record.endedAt = new Date().toISOString();
    record.exitCode = exitCode;
    record.status = 'finished';
    record.controlSocket = null;
    await event({ type: 'status', status: 'finished', exitCode });
    await folder.writeRecord(record);
    await unmarkRunning(projectRoot, id);
  }
  return { session: record, exitCode, checkpoints: checkpointCount };
}
