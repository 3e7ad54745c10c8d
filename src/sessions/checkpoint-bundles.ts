// Checkpoints travel as git bundles: checkpoint N's objects, thin against checkpoint N-1 (or the
// session's base commit), kept in the spool as checkpoints/N.bundle so the upload carries them like
// any session file. A clone that did not record the session unbundles them on demand, in order,
// and keeps them under a private ref, so diff, restore and fork work on a teammate's session.

import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError } from '../core/errors.js';
import type { CheckpointEvent, SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import { checkpointBundleName, type SessionStore } from '../core/session-store.js';
import { makeCheckpointDiffs } from './checkpoint-diffs.js';
import { readSessionEvents } from './stored-files.js';

function git(cwd: string, args: string[]): { ok: boolean; stdout: Buffer; stderr: string } {
  const result = spawnSync('git', args, { cwd, maxBuffer: 1024 * 1024 * 1024 });
  return {
    ok: result.status === 0,
    stdout: result.stdout ?? Buffer.alloc(0),
    stderr: String(result.stderr ?? ''),
  };
}

/**
 * git without blocking: bundles are made while `sdd run` records, on the thread that passes the
 * agent's output to the screen, which a synchronous git would hold up for its whole run.
 */
function gitAsync(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: Buffer }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 }, (error, stdout) =>
      resolve({ ok: !error, stdout: stdout ?? Buffer.alloc(0) }),
    );
  });
}

export function hasCommit(repo: string, commit: string): boolean {
  return git(repo, ['cat-file', '-e', `${commit}^{commit}`]).ok;
}

/**
 * Makes the bundles of the session's checkpoints that the spool lacks. A bundle git refuses (an
 * empty one: the checkpoint added no object) is left out; a teammate then gets a clear error.
 */
export async function makeCheckpointBundles(repo: string, store: SessionStore, id: string): Promise<number> {
  const record = await store.get(id);
  const checkpoints = checkpointsOf(await readSessionEvents(store, id));
  const held = new Set((await store.listFiles(id)).map((f) => f.name));
  let made = 0;
  for (const [index, checkpoint] of checkpoints.entries()) {
    const name = checkpointBundleName(index);
    if (held.has(name)) continue;
    const bytes = await bundleOf(repo, record, checkpoint, checkpoints[index - 1] ?? null, index);
    if (!bytes) continue;
    await store.appendFile(id, name, 0, bytes).catch((error: { code?: string }) => {
      if (error.code !== 'OFFSET_MISMATCH') throw error; // made meanwhile by another upload
    });
    made++;
  }
  // and beside each bundle, the change as a unified diff for display (redacted, capped)
  await makeCheckpointDiffs(repo, store, id);
  return made;
}

async function bundleOf(
  repo: string,
  record: SessionRecord,
  checkpoint: CheckpointEvent,
  previous: CheckpointEvent | null,
  index: number,
): Promise<Uint8Array | null> {
  const exists = async (commit: string) =>
    (await gitAsync(repo, ['cat-file', '-e', `${commit}^{commit}`])).ok;
  if (!(await exists(checkpoint.commit))) return null;
  // git bundles refs, not bare commits: a short-lived ref of this session's names the checkpoint.
  const ref = `refs/sdd/bundling/${record.id}/${index}`;
  if (!(await gitAsync(repo, ['update-ref', ref, checkpoint.commit])).ok) return null;
  try {
    const since = previous?.commit ?? record.baseCommit;
    const args = ['bundle', 'create', '-q', '-', ref];
    if (since && (await exists(since))) args.push(`^${since}`);
    const made = await gitAsync(repo, args);
    return made.ok && made.stdout.length > 0 ? new Uint8Array(made.stdout) : null;
  } finally {
    await gitAsync(repo, ['update-ref', '-d', ref]);
  }
}

/**
 * Brings checkpoints 0..`upTo` of a session recorded elsewhere into this repository from the
 * store's bundles, and keeps them under refs/sdd/fetched/<session>. Throws what stands in the way.
 */
export async function fetchCheckpoints(
  repo: string,
  store: SessionStore,
  record: SessionRecord,
  upTo: number,
): Promise<void> {
  const checkpoints = checkpointsOf(await readSessionEvents(store, record.id));
  const held = new Set((await store.listFiles(record.id)).map((f) => f.name));
  if (record.baseCommit && !hasCommit(repo, record.baseCommit)) {
    throw new NotFoundError(
      `Session ${record.id} started from commit ${record.baseCommit.slice(0, 10)}, which this clone does not have yet: \`git fetch\` (or pull) first.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'sdd-bundles-'));
  try {
    for (let index = 0; index <= upTo && index < checkpoints.length; index++) {
      const checkpoint = checkpoints[index]!;
      if (hasCommit(repo, checkpoint.commit)) continue;
      const name = checkpointBundleName(index);
      if (!held.has(name)) {
        throw new NotFoundError(
          `Checkpoint ${index} of session ${record.id} (${checkpoint.commit.slice(0, 10)}) is not in this clone, and the team server has no bundle of it (the session was recorded in another one, by ${record.actor} on ${record.host}, with an sdd that did not send them). Its terminal, transcript and events are there: \`sdd replay ${record.id}\`, \`sdd session show ${record.id}\`.`,
        );
      }
      const path = join(dir, `${index}.bundle`);
      await writeFile(path, await store.readFile(record.id, name));
      const unbundled = git(repo, ['bundle', 'unbundle', path]);
      if (!unbundled.ok || !hasCommit(repo, checkpoint.commit)) {
        throw new NotFoundError(
          `Checkpoint ${index} of session ${record.id} could not be taken from its bundle: ${unbundled.stderr.trim() || 'the commit is not in it'}.`,
        );
      }
      // Kept from git's garbage collection, and findable: the session's checkpoints in this clone.
      git(repo, ['update-ref', `refs/sdd/fetched/${record.id}`, checkpoint.commit]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
