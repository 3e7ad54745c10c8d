// The history of an epic, put together from what travels: the phase sessions on the epic and the
// sessions on its tasks (SessionStore: this clone's and the team's), the decisions (Service), and
// the versions of each artifact: every checkpoint of those sessions that changed a file of the
// spec folder, and every commit of the branch that did (edits between sessions, by their author).
// Two versions in a row with the same content are one.

import type { Decision } from '../core/decisions.js';
import { PHASES, type PhaseName } from '../core/phases.js';
import type { Service } from '../core/service.js';
import type { SessionRecord } from '../core/session.js';
import { checkpointsOf } from '../core/session-events.js';
import type { SessionStore } from '../core/session-store.js';
import { fetchCheckpoints, hasCommit } from '../sessions/checkpoint-bundles.js';
import { readSessionEvents } from '../sessions/stored-files.js';
import { SPEC_DOCUMENTS } from '../specs/spec-documents.js';
import { blobAt, commitsOfFolder } from './artifact-git.js';
import type { EpicOfPhase } from './epic-of.js';

export interface PhaseSession {
  id: string;
  phase: PhaseName | null;
  /** The task it worked on, for an implement session. */
  task: string | null;
  actor: string;
  agent: string;
  startedAt: string;
  endedAt: string | null;
  status: SessionRecord['status'];
  exitCode: number | null;
  checkpoints: number;
  /** For a phase registered with --here: the session that recorded it (or null: none did); open until --done (endedAt null). */
  recordedIn?: string | null;
}

export interface ArtifactVersion {
  /** v1, v2... in order: what `sdd artifact diff` takes. */
  version: string;
  file: string;
  at: string;
  author: string;
  /** A session's checkpoint, or a commit on the branch (an edit made outside sdd's sessions). */
  source: 'session' | 'git';
  sessionId: string | null;
  /** Seconds into the session (for `sdd replay SESSION --at`). */
  sessionTime: number | null;
  /** SESSION@N: the checkpoint's number in its session. */
  checkpoint: number | null;
  commit: string;
  /** added, modified, deleted. */
  change: string;
  /** The content's blob id, where this clone has the commit (null: not fetched yet). */
  blob: string | null;
}

export interface EpicHistory {
  epic: { id: string; key: string; title: string; status: string };
  specDir: string;
  phases: { phase: PhaseName; sessions: PhaseSession[] }[];
  decisions: Decision[];
  artifacts: { file: string; versions: ArtifactVersion[] }[];
}

const CHANGE: Record<string, string> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

export async function epicHistory(
  root: string,
  service: Service,
  store: SessionStore,
  epic: EpicOfPhase,
): Promise<EpicHistory> {
  const tasks = await service.listItems({ epic: epic.epic.id });
  const refOf = new Map(tasks.map((t) => [t.id, t.source?.ref ?? t.id]));
  const ids = [epic.epic.id, ...tasks.map((t) => t.id)];
  const records = (await Promise.all(ids.map((itemId) => store.list({ itemId })))).flat();
  records.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const eventsOf = new Map<string, Awaited<ReturnType<typeof readSessionEvents>>>();
  const events = async (id: string) => {
    if (!eventsOf.has(id)) eventsOf.set(id, await readSessionEvents(store, id).catch(() => []));
    return eventsOf.get(id)!;
  };

  const phases = PHASES.map((phase) => ({ phase, sessions: [] as PhaseSession[] }));
  const recordings = new Map<string, SessionRecord>();
  for (const r of records) {
    const phase = r.phase ?? (r.itemId !== epic.epic.id ? 'implement' : null);
    const line: PhaseSession = {
      id: r.id,
      phase,
      task: r.itemId === epic.epic.id ? null : (refOf.get(r.itemId) ?? r.itemId),
      actor: r.actor,
      agent: r.agent,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      status: r.status,
      exitCode: r.exitCode,
      checkpoints: checkpointsOf(await events(r.id)).length,
      ...(r.recordedIn !== undefined && { recordedIn: r.recordedIn }),
    };
    if (phase) phases.find((p) => p.phase === phase)!.sessions.push(line);
    if (r.recordedIn) {
      const outer = await store.get(r.recordedIn).catch(() => null);
      if (outer) recordings.set(outer.id, outer);
    } else if (r.command.length > 0 || r.checkpointRef) recordings.set(r.id, r);
  }

  const decisions = await service.listDecisions({ epic: epic.epic.id });
  const artifacts = await artifactVersions(root, store, epic.specDir, [...recordings.values()], events);
  return {
    epic: { id: epic.epic.id, key: epic.key, title: epic.epic.title, status: epic.epic.status },
    specDir: epic.specDir,
    phases,
    decisions,
    artifacts,
  };
}

async function artifactVersions(
  root: string,
  store: SessionStore,
  specDir: string,
  sessions: SessionRecord[],
  events: (id: string) => Promise<Awaited<ReturnType<typeof readSessionEvents>>>,
): Promise<EpicHistory['artifacts']> {
  const prefix = `${specDir}/`;
  const found: Omit<ArtifactVersion, 'version'>[] = [];
  for (const session of sessions) {
    const checkpoints = checkpointsOf(await events(session.id));
    const touching = checkpoints.filter((c) => c.paths.some((p) => p.path.startsWith(prefix)));
    // A teammate's session: its checkpoints come from the server's bundles, so versions compare by content
    // here as in the clone that recorded them (best effort: without them, no two versions are merged).
    if (touching.some((c) => !hasCommit(root, c.commit))) {
      await fetchCheckpoints(root, store, session, checkpoints.indexOf(touching.at(-1)!)).catch(
        () => undefined,
      );
    }
    for (const [index, checkpoint] of checkpoints.entries()) {
      const local = hasCommit(root, checkpoint.commit);
      for (const p of checkpoint.paths) {
        if (!p.path.startsWith(prefix)) continue;
        found.push({
          file: p.path,
          at: checkpoint.at,
          author: session.actor,
          source: 'session',
          sessionId: session.id,
          sessionTime: checkpoint.time,
          checkpoint: index,
          commit: checkpoint.commit,
          change: CHANGE[p.status[0]!.toUpperCase()] ?? p.status,
          blob: local && !p.status.startsWith('D') ? blobAt(root, checkpoint.commit, p.path) : null,
        });
      }
    }
  }
  for (const c of commitsOfFolder(root, specDir)) {
    found.push({
      file: c.path,
      // git keeps whole seconds: a commit counts from the end of its second, after a checkpoint within it.
      at: new Date(Date.parse(c.at) + 999).toISOString(),
      author: c.author,
      source: 'git',
      sessionId: null,
      sessionTime: null,
      checkpoint: null,
      commit: c.commit,
      change: CHANGE[c.status] ?? c.status,
      blob: c.status === 'D' ? null : blobAt(root, c.commit, c.path),
    });
  }
  const byFile = new Map<string, Omit<ArtifactVersion, 'version'>[]>();
  for (const v of found) byFile.set(v.file, [...(byFile.get(v.file) ?? []), v]);
  const out: EpicHistory['artifacts'] = [];
  for (const file of [...byFile.keys()].sort((a, b) => artifactOrder(specDir, a, b))) {
    // Sessions first on a tie: a commit of what a checkpoint already held is the same version.
    const sorted = byFile
      .get(file)!
      .sort(
        (a, b) =>
          Date.parse(a.at) - Date.parse(b.at) ||
          (a.source === b.source ? 0 : a.source === 'session' ? -1 : 1),
      );
    const versions: ArtifactVersion[] = [];
    for (const v of sorted) {
      const last = versions.at(-1);
      const same =
        last &&
        ((v.blob !== null && v.blob === last.blob) || (v.change === 'deleted' && last.change === 'deleted'));
      // A session's start checkpoint lists what differs from its base commit: often the last version again.
      const unknownStart = last && v.source === 'session' && v.checkpoint === 0 && v.blob === null;
      if (same || unknownStart) continue;
      // Added since a session's base commit, but not since the version before it.
      const change = v.change === 'added' && last && last.change !== 'deleted' ? 'modified' : v.change;
      versions.push({ ...v, change, version: `v${versions.length + 1}` });
    }
    out.push({ file, versions });
  }
  return out;
}

/** spec, plan, research, data model, quickstart, contracts, tasks: the order they are made in. */
function artifactOrder(specDir: string, a: string, b: string): number {
  const rank = (path: string) => {
    const name = path.slice(specDir.length + 1);
    const i = SPEC_DOCUMENTS.findIndex((d) => name === d || name.startsWith(`${d}/`));
    return i === -1 ? SPEC_DOCUMENTS.length : i;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}
