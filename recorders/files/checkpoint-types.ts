// The shapes of checkpoints, shared by the recorder, the log, restore and the session that logs them.

export type CheckpointTrigger = 'start' | 'files' | 'turn' | 'manual' | 'exit' | 'restore' | 'safety';

export type CheckpointPathStatus = 'A' | 'M' | 'D' | 'R' | 'T';

/** What changed since the previous checkpoint (binary files count as changed with 0/0 lines). */
export interface CheckpointStat {
  files: number;
  insertions: number;
  deletions: number;
  paths: { path: string; status: CheckpointPathStatus }[];
}

export interface Checkpoint {
  commit: string;
  tree: string;
  /** The previous checkpoint, or the session's base commit for the first one (null without any commit). */
  parent: string | null;
  ref: string;
  trigger: CheckpointTrigger;
  message: string;
  /** ISO time, to the second (what the commit records). */
  createdAt: string;
  stat: CheckpointStat;
}

/** A checkpoint as read back from its ref, without the diff stat. */
export interface CheckpointEntry {
  commit: string;
  tree: string;
  parent: string | null;
  message: string;
  createdAt: string;
  /** null for a commit sdd did not write (never on a ref sdd keeps). */
  trigger: CheckpointTrigger | null;
}
