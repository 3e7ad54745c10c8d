// A session: one recorded run of an agent CLI (or a shell) on an item. Its record and the events of
// its timeline are plain JSON, the same in the local spool and on the team server.

import type { PhaseName } from './phases.js';

export type SessionStatus = 'running' | 'finished' | 'interrupted';

export interface SessionRecord {
  id: string;
  /** sdd's id of the item worked on, and how people name it (T012). */
  itemId: string;
  itemRef: string | null;
  actor: string;
  /** What was launched: the program and its arguments, as given to the PTY. */
  command: string[];
  /** The adapter that launched it ("generic" for a plain command, "shell" for `sdd shell`). */
  agent: string;
  /**
   * For an agent: what was asked for beyond its name, so the command can be given back as typed (absent
   * in records from before they were kept).
   */
  launch?: { headless: boolean; agentArgs: string[] };
  /** The agent's own id for its conversation (Claude Code's session id...), when known. */
  conversationId: string | null;
  cwd: string;
  /** The git commit the work started from. */
  baseCommit: string | null;
  /** The ref holding the session's checkpoints. */
  checkpointRef: string | null;
  worktree: string | null;
  startedAt: string;
  endedAt: string | null;
  exitCode: number | null;
  status: SessionStatus;
  /** Process and host of the recording sdd, so another sdd can tell a crashed session from a live one. */
  pid: number;
  host: string;
  cols: number;
  rows: number;
  /** Where the live recorder listens for `sdd mark` and `sdd checkpoint` while it runs. */
  controlSocket: string | null;
  /** Secrets taken out of the recording, transcript and events, counted by kind. */
  redactions: Record<string, number>;
  /** For a fork: the session it came from and the checkpoint it started at. */
  forkedFrom: { sessionId: string; commit: string; checkpoint: number | null } | null;
  /** For a phase of the spec workflow (`sdd specify`...): which one; the item is then the epic. */
  phase?: PhaseName;
  /**
   * For a phase registered with `--here` from inside another session: the session whose recording
   * and checkpoints hold it (this record has none of its own). Null when registered outside any session.
   */
  recordedIn?: string | null;
}

interface EventBase {
  /** Seconds since the start of the recording: the same clock as terminal.cast. */
  time: number;
  /** Wall-clock time. */
  at: string;
}

export interface CheckpointEvent extends EventBase {
  type: 'checkpoint';
  commit: string;
  trigger: string;
  message: string;
  files: number;
  insertions: number;
  deletions: number;
  paths: { path: string; status: string }[];
}

export interface MarkerEvent extends EventBase {
  type: 'marker';
  label: string;
}

export interface StatusEvent extends EventBase {
  type: 'status';
  status: SessionStatus;
  exitCode?: number | null;
  note?: string;
}

export interface ClaimEvent extends EventBase {
  type: 'claim';
  action: 'claimed' | 'renewed' | 'released' | 'done' | 'failed';
  note?: string;
}

/** A commit the session made (between its base and the HEAD at its end), and its change's patch id. */
export interface SessionCommit {
  sha: string;
  /** `git patch-id --stable`: the same after an amend of the message or a rebase; null for a merge. */
  patchId: string | null;
  subject: string;
}

/** Written once at the end: the commits the session produced, so `sdd sessions --commit` finds it. */
export interface CommitsEvent extends EventBase {
  type: 'commits';
  commits: SessionCommit[];
}

/** A call the agent made to one of sdd's MCP tools (src/mcp): which, with what (redacted, cut short), how it went. */
export interface ToolCallEvent extends EventBase {
  type: 'tool-call';
  tool: string;
  input: string;
  ok: boolean;
  error?: string;
}

/** A decision recorded in the session (the Decision's sessionTime is this event's time). */
export interface DecisionEvent extends EventBase {
  type: 'decision';
  decisionId: string;
  question: string;
  choice: string;
}

export type SessionEvent =
  | CheckpointEvent
  | MarkerEvent
  | StatusEvent
  | ClaimEvent
  | CommitsEvent
  | ToolCallEvent
  | DecisionEvent;
