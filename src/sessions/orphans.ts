// Sessions whose recording sdd died (kill -9, a crash, a closed laptop): found by a marker file that
// lives exactly as long as the recording, and finished by `sdd sessions recover`.

import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SessionRecord } from '../core/session.js';
import { ensurePrivateFolder, PRIVATE_FILE_MODE } from '../store/private-folder.js';
import { SessionFolder, sessionsRoot } from './session-folder.js';

function runningDir(projectRoot: string): string {
  return join(sessionsRoot(projectRoot), '.running');
}

export async function markRunning(projectRoot: string, sessionId: string): Promise<void> {
  await ensurePrivateFolder(runningDir(projectRoot));
  await writeFile(join(runningDir(projectRoot), sessionId), `${process.pid}\n`, { mode: PRIVATE_FILE_MODE });
}

export async function unmarkRunning(projectRoot: string, sessionId: string): Promise<void> {
  await rm(join(runningDir(projectRoot), sessionId), { force: true });
}

/**
 * Whether the sdd recording a session still runs: false once it has ended or its process is gone,
 * null for a process on another machine (not ours to judge). A pid the system gave to a newer
 * process since (after a reboot) counts as gone.
 */
export function recorderAlive(record: SessionRecord): boolean | null {
  if (record.status !== 'running') return false;
  if (record.host !== hostname()) return null;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = processStartTime(record.pid);
  // the recording sdd started before its session; btime is whole seconds, hence the slack
  return started === null || started <= Date.parse(record.startedAt) + 2000;
}

/** When a process started, in ms since the epoch, from Linux's /proc; null where there is none. */
function processStartTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22, starttime, in clock ticks (USER_HZ, 100) since boot
    const boot = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!boot || !Number.isFinite(ticks)) return null;
    return Number(boot[1]) * 1000 + ticks * 10;
  } catch {
    return null;
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
      if (record.status === 'running' && recorderAlive(record) === false) orphans.push(record);
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
