// Finishes a session whose recorder died: the end time is its last write, the work tree gets a final
// checkpoint, the session is marked interrupted, and the claim it held is released so the task is
// ready again at once rather than when the lease runs out.

import { rm } from 'node:fs/promises';
import { CheckpointRecorder } from '../../recorders/files/checkpoint-recorder.js';
import type { Service } from '../core/service.js';
import type { SessionRecord } from '../core/session.js';
import { checkpointEvent } from './checkpoint-event.js';
import { lastWrite, unmarkRunning } from './orphans.js';
import { SessionFolder } from './session-folder.js';

export interface RecoveredSession {
  session: SessionRecord;
  finalCheckpoint: string | null;
  /** What became of the session's claim on its task. */
  claim: ClaimOutcome;
}

export type ClaimOutcome =
  | { released: true }
  /** Not released: nobody held it any more, or someone (another session) holds it now. */
  | { released: false; reason: string };

export async function recoverSession(
  projectRoot: string,
  record: SessionRecord,
  service?: Service,
): Promise<RecoveredSession> {
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
  const claim: ClaimOutcome = service
    ? await releaseSessionClaim(service, record).catch((error: Error) => ({
        released: false as const,
        reason: `could not release it: ${error.message}`,
      }))
    : { released: false, reason: 'left to expire' };
  if (claim.released)
    await folder.appendEvent({ type: 'claim', time, at, action: 'released', note: 'released at recovery' });
  return { session, finalCheckpoint, claim };
}

/**
 * Releases the claim the dead session held: the session's actor's, taken no later than the session
 * started (a claim taken since is a newer one, even by the same actor). Another actor's live claim
 * is refused by the Service itself.
 */
export async function releaseSessionClaim(service: Service, record: SessionRecord): Promise<ClaimOutcome> {
  const { item } = await service.getItem(record.itemId);
  const held = item.claim;
  if (!held) return { released: false, reason: 'nobody holds it any more' };
  if (held.actor !== record.actor || Date.parse(held.claimedAt) > Date.parse(record.startedAt))
    return { released: false, reason: `${held.actor} holds a newer claim` };
  const result = await service.release(item.id, record.actor);
  return result.released ? { released: true } : { released: false, reason: 'nobody holds it any more' };
}
