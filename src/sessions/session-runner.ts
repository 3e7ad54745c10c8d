// `sdd run` from claim to release: claims the task, writes its prompt, takes the start checkpoint,
// runs the program in a recorded PTY with checkpoints after each burst of file changes, renews the
// claim while it runs, and ends everything (checkpoint, recording, record) in a teardown that no
// failed step can cut short.

import { writeFile } from 'node:fs/promises';
import type { AgentAdapter } from '../../adapters/agent-adapter.js';
import { TranscriptCopier } from '../../recorders/transcript/transcript-copier.js';
import { InvalidInputError } from '../core/errors.js';
import type { PhaseName } from '../core/phases.js';
import type { ClaimResult, Service } from '../core/service.js';
import type { SessionEvent, SessionRecord } from '../core/session.js';
import type { Item } from '../core/types.js';
import type { RedactCounts } from '../redact/index.js';
import { addCounts } from '../redact/redact-text.js';
import type { ContextDocument } from '../specs/team-context.js';
import { CheckpointQueue } from './checkpoint-queue.js';
import { holdClaimLease } from './claim-lease.js';
import { type ControlRequest, closeControl, controlSocketPath, serveControl } from './control-channel.js';
import { watchFileBursts } from './file-watcher.js';
import type { LiveSummary, LiveTarget } from './live-publisher.js';
import { handleMcpRequest, isMcpRequest } from './mcp-requests.js';
import { type McpSetup, mcpServerCommand, setUpMcp } from './mcp-setup.js';
import { markRunning, unmarkRunning } from './orphans.js';
import { runInPty } from './pty-runner.js';
import { RecordingWorker } from './recording-worker-start.js';
import { commitsSince } from './session-commits.js';
import { newSessionId, SessionFolder } from './session-folder.js';
import { newSessionRecord } from './session-record.js';
import { SessionRecording } from './session-recording.js';
import { SessionRedaction } from './session-redaction.js';
import {
  conversationIdOf,
  gitState,
  pick,
  prepareWorkTree,
  sessionEnv,
  terminalSize,
} from './session-setup.js';
import { Teardown } from './session-teardown.js';
import { SignalRelay } from './signal-relay.js';
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
  /** Give the agent sdd's MCP server where its adapter can (default true). */
  mcp?: boolean;
  /** Where progress lines go (stderr): never mixed into the program's own output. */
  log: (line: string) => void;
  /**
   * A phase of the spec workflow (`sdd specify`...) on the epic `ref`: nothing is claimed (an epic
   * cannot be), and the program is given the phase's prompt instead of a task's.
   */
  phase?: { name: PhaseName; prompt: string };
  /** The team context for the prompt (the server's versions when linked); else .sdd/context/ is read. */
  context?: ContextDocument[];
  /** With a team server: where the terminal goes live (`sdd watch`), as it is recorded. */
  live?: Omit<LiveTarget, 'sessionId'>;
  /** The recording's worker, started ahead by the caller (else started here); ended here if unused. */
  recordingWorker?: RecordingWorker | null;
}

export interface RunSessionResult {
  session: SessionRecord;
  exitCode: number;
  checkpoints: number;
  /** How the live copy went, when there was one. */
  live?: LiveSummary | null;
}

export async function runSession(options: RunSessionOptions): Promise<RunSessionResult> {
  // It boots while the task is claimed and the session is set up.
  const worker = options.recordingWorker === undefined ? RecordingWorker.start() : options.recordingWorker;
  try {
    return await claimAndRecord({ ...options, recordingWorker: worker });
  } finally {
    worker?.discard();
  }
}

async function claimAndRecord(options: RunSessionOptions): Promise<RunSessionResult> {
  const { service, actor, ref } = options;
  if (options.phase) return recordSession(options, (await service.getItem(ref)).item, null);
  const claimed = await service.claim(ref, actor, {
    force: options.force,
    ttlSeconds: options.claimTtlSeconds,
  });
  const item = claimed.item;
  try {
    return await recordSession(options, item, claimed);
  } catch (error) {
    await service.release(item.id, actor).catch(() => undefined);
    throw error;
  }
}

async function recordSession(
  options: RunSessionOptions,
  item: Item,
  claimed: ClaimResult | null,
): Promise<RunSessionResult> {
  const { service, actor, projectRoot } = options;
  const details = await service.getItem(item.id);
  const epic = details.epic
    ? (await service.getItem(details.epic.id)).item
    : item.type === 'epic'
      ? item
      : null;
  const parent = details.parent ? (await service.getItem(details.parent.id)).item : null;
  const id = newSessionId();
  const workTree = await prepareWorkTree(options, item.source ? item.source.ref : item.id, id);
  const git = await gitState(workTree);
  const baseCommit = git.head;
  const size = terminalSize(options.cols, options.rows);
  const record = newSessionRecord(options, { id, item, workTree, baseCommit, size });
  if (options.phase) record.phase = options.phase.name;
  const folder = await SessionFolder.create(projectRoot, record);
  await markRunning(projectRoot, id);

  // Whatever of these got started, the teardown ends; what did not is null.
  let recording: SessionRecording | null = null;
  let checkpoints: CheckpointQueue | null = null;
  let transcript: TranscriptCopier | null = null;
  let control: Awaited<ReturnType<typeof serveControl>> | null = null;
  let watcher: ReturnType<typeof watchFileBursts> | null = null;
  let lease: { stop(): void } | null = null;
  let relay: SignalRelay | null = null;
  let exitCode: number | null = null;
  // The rest of the start checkpoint, which runs beside the program (a failure is logged, not thrown),
  // once told to go on: when the program has started, or when the session ends without it.
  let startCheckpoint: Promise<void> = Promise.resolve();
  let goOnWithStart: () => void = () => {};
  const elapsed = () => recording?.elapsedSeconds() ?? 0;
  const event = (fields: Record<string, unknown>, time = elapsed()) =>
    folder.appendEvent({ time, at: new Date().toISOString(), ...fields } as SessionEvent);

  const env = sessionEnv(options, {
    id,
    itemId: item.id,
    promptFile: folder.promptPath,
    specDir: specDirOf(projectRoot, epic),
  });
  // A phase's agent learns which one it is in; a task's never inherits an outer phase session's.
  if (options.phase) env.SDD_PHASE = options.phase.name;
  else delete env.SDD_PHASE;
  const redaction = new SessionRedaction(env);
  let mcp: McpSetup | null = null;
  try {
    if (options.mcp !== false) {
      try {
        mcp = setUpMcp(options.adapter, mcpServerCommand(options.sddBin, projectRoot, id), env);
        if (mcp) Object.assign(env, mcp.launch.env);
      } catch (error) {
        // The agent still works without sdd's tools: the session goes on, and says why they are missing.
        options.log(`sdd: the agent runs without sdd's MCP server: ${(error as Error).message}`);
      }
    }
    const taskPrompt =
      options.phase?.prompt ??
      (await buildTaskPrompt({
        projectRoot,
        task: details,
        parent,
        epic,
        sessionId: id,
        ...(options.context && { context: options.context }),
      }));
    // Everything under .sdd/local/ passes the redactor, the prompt too (a note can hold `export API_KEY=...`);
    // the agent is given the same redacted prompt.
    const prompt = redaction.text(options.fork ? `${taskPrompt}\n${options.fork.summary}` : taskPrompt);
    await writeFile(folder.promptPath, prompt);
    const request = {
      sessionId: id,
      cwd: workTree,
      prompt,
      promptFile: folder.promptPath,
      headless: options.headless,
      env,
      extraArgs: options.extraArgs,
      ...(mcp && { mcp: mcp.launch }),
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
    if (options.adapter.binary) {
      const agentArgs = options.extraArgs.map((word) => redaction.text(word));
      record.launch = { headless: options.headless, agentArgs };
    }
    record.conversationId = plan.conversationId;
    const transcriptQuery = {
      cwd: workTree,
      env,
      startedAt: new Date(record.startedAt),
      conversationId: plan.conversationId,
      extraArgs: options.extraArgs,
    };
    const prepared = await options.adapter.beforeLaunch?.(transcriptQuery);

    const queue = CheckpointQueue.forSession(
      { workTree, sessionId: id, folder, inGit: git.inGit, head: baseCommit },
      elapsed,
      options.log,
    );
    checkpoints = queue;
    // The watcher's first look at the tree, the recording worker's start and git's start checkpoint
    // run side by side: none waits for another. A burst seen meanwhile is checkpointed after the start
    // (the recorder takes one checkpoint at a time, in order); sdd's own writes are in .sdd/local,
    // which the watcher ignores.
    const burstWatcher = queue.enabled
      ? watchFileBursts(
          workTree,
          options.burstQuietMs,
          (paths) => void queue.checkpoint('files', 'after a burst of file changes', { paths }),
        )
      : null;
    watcher = burstWatcher;
    // The program need not wait for the start checkpoint's tree, commit and ref: only for git's look at
    // the work tree, which its first change must not reach. The rest is finished while it runs.
    const start = queue.startBeside(`start of session ${id}`);
    startCheckpoint = start.done;
    goOnWithStart = start.goOn;
    const [opened, started] = await Promise.allSettled([
      SessionRecording.open(
        folder.castPath,
        {
          width: size.cols,
          height: size.rows,
          command: record.command.join(' '),
          title: `${record.itemRef ?? item.id}: ${item.title}`,
          env: pick(process.env, ['SHELL', 'TERM']),
        },
        env,
        options.live && { ...options.live, sessionId: id },
        options.recordingWorker ?? null,
      ),
      start.workTreeRead,
      // The program starts once the watcher sees the whole tree (bounded: a huge tree must not hold it up).
      burstWatcher &&
        Promise.race([burstWatcher.ready, new Promise((resolve) => setTimeout(resolve, 5000).unref())]),
    ]);
    if (opened.status === 'fulfilled') recording = opened.value;
    if (opened.status === 'rejected') throw opened.reason;
    if (started.status === 'rejected') throw started.reason;
    const cast = opened.value;
    if (queue.enabled) record.checkpointRef = queue.ref;
    else options.log('sdd: not a git work tree: the session is recorded without checkpoints.');
    if (claimed) await event({ type: 'claim', action: claimed.renewed ? 'renewed' : 'claimed' });

    record.controlSocket = controlSocketPath(folder.path, id);
    await folder.writeRecord(record);
    const copier = new TranscriptCopier(
      options.adapter,
      transcriptQuery,
      prepared,
      folder.transcriptDir,
      (text) => redaction.lines(text),
    );
    transcript = copier;
    copier.start();
    // The output read so far goes to the recording first: a marker comes after what was printed before it.
    let takeOutput = () => {};
    control = await serveControl(record.controlSocket, async (request: ControlRequest) => {
      if (request.type === 'mark') {
        const label = redaction.text(request.label);
        takeOutput();
        cast.marker(label);
        await event({ type: 'marker', label });
        return { time: cast.elapsedSeconds() };
      }
      if (request.type === 'transcript') {
        copier.reportPath(request.path);
        return { path: request.path };
      }
      if (isMcpRequest(request)) {
        return handleMcpRequest(request, {
          elapsed: () => cast.elapsedSeconds(),
          event,
          redact: (t) => redaction.text(t),
        });
      }
      return queue.checkpoint(
        request.trigger ?? 'manual',
        redaction.text(request.message || 'manual checkpoint'),
      );
    });
    lease = !claimed
      ? null
      : holdClaimLease({
          service,
          itemId: item.id,
          actor,
          ttlSeconds: options.claimTtlSeconds,
          log: options.log,
          note: (action, note) => event({ type: 'claim', action, ...(note && { note }) }),
        });
    const signals = new SignalRelay();
    relay = signals;

    let hotKeyMarkers = 0;
    const result = await runInPty({
      file: plan.command[0]!,
      args: plan.command.slice(1),
      cwd: workTree,
      env,
      cols: options.cols,
      rows: options.rows,
      onOutput: (data, ageMs) => cast.output(data, ageMs),
      outputSink: cast,
      onHotKey: (hotKey) => {
        if (hotKey === 'checkpoint') void queue.checkpoint('manual', 'checkpoint from the keyboard');
        else {
          const label = `marker ${++hotKeyMarkers}`;
          cast.marker(label);
          void event({ type: 'marker', label });
        }
      },
      ...(options.recordInput && { onInput: (data: Buffer) => cast.input(data) }),
      onResize: (cols, rows) => cast.resize(cols, rows),
      onStart: (child) => {
        signals.attach(child.kill);
        takeOutput = child.takeOutput;
        goOnWithStart();
      },
    });
    exitCode = result.exitCode;
  } finally {
    await endSession();
  }
  return {
    session: record,
    exitCode,
    checkpoints: checkpoints?.count ?? 0,
    ...(options.live && { live: recording?.liveSummary ?? null }),
  };

  /** Every step runs even if one before it failed; the record always ends finished, with endedAt. */
  async function endSession(): Promise<void> {
    const teardown = new Teardown(options.log);
    relay?.dispose();
    lease?.stop();
    // The watcher may not have heard of the last changes yet: the final checkpoint looks at everything.
    await teardown.step('stopping the file watcher', async () => {
      watcher?.takePending();
      await watcher?.close();
    });
    const queue = checkpoints;
    // The final checkpoint (git), the transcript's last copy, the control socket and the recording's
    // last writes (the worker's backlog, an fsync) wait on different things: side by side.
    let recordingCounts: RedactCounts = {};
    await teardown.together([
      [
        'the final checkpoint',
        async () => {
          if (!queue) return;
          // Its event comes before the final one's.
          goOnWithStart();
          await startCheckpoint;
          await queue.checkpoint('exit', `end of session ${id}`, { quiet: true });
        },
      ],
      [
        'copying the transcript',
        async () => {
          if (!transcript) return;
          await transcript.stop();
          record.conversationId ??= await conversationIdOf(options.adapter, transcript.destination);
        },
      ],
      [
        'closing the control socket',
        async () => {
          if (control && record.controlSocket) await closeControl(control, record.controlSocket);
        },
      ],
      [
        'closing the recording',
        async () => {
          if (recording) recordingCounts = await recording.close();
        },
      ],
      [
        'noting its commits',
        async () => {
          const commits = await commitsSince(workTree, baseCommit);
          if (commits.length > 0) await event({ type: 'commits', commits });
        },
      ],
    ]);
    // A failed final checkpoint is logged as such above; one queued before it (a burst) is waited for here.
    if (queue) await teardown.step('the checkpoints', () => queue.idle());
    // The transcript's counts are in `redaction` once its copy has ended.
    record.redactions = redaction.totals();
    addCounts(record.redactions, recordingCounts);
    record.endedAt = new Date().toISOString();
    record.exitCode = exitCode;
    record.status = 'finished';
    record.controlSocket = null;
    const note = teardown.note();
    // Two files, each flushed to disk: neither waits for the other.
    await teardown.together([
      [
        'logging the end',
        () => event({ type: 'status', status: 'finished', exitCode, ...(note && { note }) }),
      ],
      ['writing session.json', () => folder.writeRecord(record)],
    ]);
    await teardown.step('removing the running mark', () => unmarkRunning(projectRoot, id));
    // After the transcript's last copy: a Gemini CLI chat is reached through this folder's links.
    await teardown.step("removing the agent's MCP config", async () => mcp?.remove());
  }
}
