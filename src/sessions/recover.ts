// Finishes a session whose recorder died: the end time is its last write, the work tree gets a final
// checkpoint, and the session is marked interrupted. The claim is left to expire on its own.

import { rm } from 'node:fs/promises';
import { CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import type { SessionRecord } from '../core/session.js';
import { checkpointEvent } from './checkpoint-event.js';
import { lastWrite, unmarkRunning } from './orphans.js';
import { SessionFolder } from './session-folder.js';

export interface RecoveredSession {
  session: SessionRecord;
  finalCheckpoint: string | null;
}

export async function recoverSession(projectRoot: string, record: SessionRecord): Promise<RecoveredSession> {
  const folder = await SessionFolder.open(projectRoot, record.id);
  const ended = await lastWrite(folder);
  const time = Math.max(0, (ended.getTime() - Date.parse(record.startedAt)) / 1000);
  const at = new Date().toISOString();
  let finalCheckpoint: string | null = null;
  if (record.checkpointRef) {
    const recorder = await CheckpointRecorder.resume({
      workTree: record.cwd,
      sessionId: record.id,
      indexFile: folder.gitIndexPath,
    });
    const checkpoint = await recorder.checkpoint(
      'exit',
      `final checkpoint of interrupted session ${record.id} (the files as found at recovery)`,
    );
    if (checkpoint) {
      finalCheckpoint = checkpoint.commit;
      await folder.appendEvent(checkpointEvent(checkpoint, time, at));
    }
  }
  await folder.appendEvent({
    type: 'status',
    time,
    at,
    status: 'interrupted',
    exitCode: null,
    note: 'recovered',
  });
  if (record.controlSocket) await rm(record.controlSocket, { force: true });
  const session: SessionRecord = {
    ...record,
    status: 'interrupted',
    endedAt: ended.toISOString(),
    controlSocket: null,
  };
  await folder.writeRecord(session);
  await unmarkRunning(projectRoot, record.id);
  return { session, finalCheckpoint };
}
