// Sessions of this clone on its team server: which are not uploaded yet, and the upload itself, by
// offset, so that it can run during a recording, after a crash of either side, or any number of
// times (`sdd sync`, the end of `sdd run`).

import { UnauthenticatedError } from '../core/errors.js';
import type { SessionRecord } from '../core/session.js';
import type { SessionStore } from '../core/session-store.js';
import { LocalSessionStore } from '../sessions/local-session-store.js';
import { type UploadResult, uploadSession } from '../sessions/session-upload.js';
import { UploadLedger } from '../sessions/upload-ledger.js';
import { tokenFor } from './credentials.js';
import type { Project } from './project.js';

export interface ServerSessions {
  server: string;
  store: SessionStore;
}

/** The server's session store for this project, or null when the project has no server. */
export async function serverSessions(project: Project): Promise<ServerSessions | null> {
  const { server, projectId } = project.config;
  if (!server) return null;
  const token = await tokenFor(server);
  if (!token) {
    throw new UnauthenticatedError(
      `This project's sessions go to ${server}, and no token for it is kept here: run \`sdd login ${server}\` (or set SDD_TOKEN).`,
    );
  }
  const { RemoteSessionStore } = await import('../client/remote-session-store.js');
  return { server, store: new RemoteSessionStore({ url: server, projectId, token }) };
}

/** Local sessions the server does not hold whole as the spool has them now. */
export async function pendingSessions(project: Project, server: string): Promise<SessionRecord[]> {
  const local = new LocalSessionStore(project.root);
  const ledger = new UploadLedger(project.root);
  const pending: SessionRecord[] = [];
  for (const record of await local.list()) {
    if (!(await ledger.isUploaded(server, record, await local.listFiles(record.id)))) pending.push(record);
  }
  return pending;
}

/** Uploads one session and notes what the server acknowledged. */
export async function uploadOne(
  project: Project,
  target: ServerSessions,
  id: string,
  onProgress?: (sent: number, total: number) => void,
): Promise<UploadResult> {
  const local = new LocalSessionStore(project.root);
  await bundleCheckpoints(project, local, id);
  const result = await uploadSession(local, target.store, id, onProgress ? { onProgress } : {});
  await new UploadLedger(project.root).record(target.server, await local.get(id), result.files);
  return result;
}

/**
 * Uploads a running session every `everyMs` while it records, until stopped: the server holds at
 * most a few seconds less than the spool. Failures wait for the next round (and `sdd sync`).
 */
export function uploadWhileRecording(
  project: Project,
  target: ServerSessions,
  pid: number,
  everyMs = 2000,
): { stop(): Promise<void> } {
  const local = new LocalSessionStore(project.root);
  let stopped = false;
  let round: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    const mine = (await local.list({ status: 'running' })).filter((r) => r.pid === pid);
    for (const record of mine) {
      await bundleCheckpoints(project, local, record.id);
      await uploadSession(local, target.store, record.id).catch(() => undefined);
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    round = round.then(tick).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await round;
    },
  };
}

/** The checkpoints' git bundles travel with the session; one that cannot be made is left out. */
async function bundleCheckpoints(project: Project, local: LocalSessionStore, id: string): Promise<void> {
  const { makeCheckpointBundles } = await import('../sessions/checkpoint-bundles.js');
  await makeCheckpointBundles(project.root, local, id).catch(() => 0);
}
