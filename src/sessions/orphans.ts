// Sessions whose recording sdd died (kill -9, a crash, a closed laptop): found by a marker file that
// lives exactly as long as the recording, and finished by `sdd sessions recover`.

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SessionRecord } from '../core/session.js';
import { SessionFolder, sessionsRoot } from './session-folder.js';

function runningDir(projectRoot: string): string {
  return join(sessionsRoot(projectRoot), '.running');
}

export async function markRunning(projectRoot: string, sessionId: string): Promise<void> {
  await mkdir(runningDir(projectRoot), { recursive: true });
  await writeFile(join(runningDir(projectRoot), sessionId), `${process.pid}\n`);
}

export async function unmarkRunning(projectRoot: string, sessionId: string): Promise<void> {
  await rm(join(runningDir(projectRoot), sessionId), { force: true });
}

function isAlive(record: SessionRecord): boolean {
  if (record.host !== hostname()) return true; // another machine's process: not ours to judge
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sessions marked running whose recorder is gone. Cheap: it reads only the markers. */
export async function findOrphanedSessions(projectRoot: string): Promise<SessionRecord[]> {
  const dir = runningDir(projectRoot);
  if (!existsSync(dir)) return [];
  const orphans: SessionRecord[] = [];
  for (const id of await readdir(dir)) {
    const folder = new SessionFolder(join(sessionsRoot(projectRoot), id), id);
    try {
      const record = await folder.readRecord();
      if (record.status === 'running' && !isAlive(record)) orphans.push(record);
      else if (record.status !== 'running') await unmarkRunning(projectRoot, id);
    } catch {
      await unmarkRunning(projectRoot, id); // its folder is gone
    }
  }
  return orphans;
}

/** When the recording last wrote: the end of an interrupted session. */
export async function lastWrite(folder: SessionFolder): Promise<Date> {
  const times = await Promise.all(
    [folder.castPath, folder.eventsPath, folder.recordPath].map((p) =>
      stat(p).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  return new Date(Math.max(...times));
}
