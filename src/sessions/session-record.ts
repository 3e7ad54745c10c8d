// The record a session starts with (session.json): who works on what, where, from which commit.

import { hostname } from 'node:os';
import type { SessionRecord } from '../core/session.js';
import type { Item } from '../core/types.js';
import type { RunSessionOptions } from './session-runner.js';

export function newSessionRecord(
  options: RunSessionOptions,
  session: {
    id: string;
    item: Item;
    workTree: string;
    baseCommit: string | null;
    size: { cols: number; rows: number };
  },
): SessionRecord {
  const { item, workTree } = session;
  return {
    id: session.id,
    itemId: item.id,
    itemRef: item.source ? item.source.ref : null,
    actor: options.actor,
    command: [],
    agent: options.agentLabel,
    conversationId: null,
    cwd: workTree,
    baseCommit: session.baseCommit,
    checkpointRef: null,
    worktree: workTree === options.projectRoot ? null : workTree,
    startedAt: new Date().toISOString(),
    endedAt: null,
    exitCode: null,
    status: 'running',
    pid: process.pid,
    host: hostname(),
    cols: session.size.cols,
    rows: session.size.rows,
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
}
