// The part of bench/github-sync.mjs that needs sdd's TypeScript (bundled on the fly with esbuild):
// a project with one epic of N tasks, synced to the GitHub stand-in twice.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedService } from '../src/core/embedded-service.js';
import type { TaskListDocument, TaskListPhase } from '../src/core/task-list.js';
import { githubClient } from '../src/github/github-client.js';
import { syncMirror } from '../src/github/mirror-sync.js';
import { GithubMirrorFile } from '../src/store/github-mirror-file.js';
import { LowdbStore } from '../src/store/lowdb-store.js';
import { startGithubStandIn } from '../test/helpers/github-stand-in.js';

export interface SyncFigures {
  issues: number;
  seconds: number;
  reads: number;
  writes: number;
  creates: number;
  refused: number;
}

function epicOf(tasks: number, perFeature: number): TaskListDocument {
  const phases: TaskListPhase[] = [];
  let line = 0;
  for (let start = 0; start < tasks; start += perFeature) {
    const n = phases.length + 1;
    phases.push({
      key: `US${n}`,
      kind: 'story',
      title: `User Story ${n}`,
      line: ++line,
      priority: Math.min(n, 4),
      mvp: n === 1,
      tasks: Array.from({ length: Math.min(perFeature, tasks - start) }, (_, i) => ({
        ref: `T${String(start + i + 1).padStart(3, '0')}`,
        line: ++line,
        checked: false,
        parallel: i % 3 !== 0,
        story: `US${n}`,
        title: `Task ${start + i + 1} of story ${n}`,
        details: '',
        paths: [`src/story${n}/file${i}.ts`],
      })),
    });
  }
  return {
    epicKey: '300-bench',
    epicTitle: 'Bench epic',
    file: 'specs/300-bench/tasks.md',
    looseTasks: [],
    phases,
  };
}

export async function runBench(
  tasks: number,
  perFeature: number,
): Promise<{ first: SyncFigures; again: SyncFigures; third: SyncFigures }> {
  const standIn = await startGithubStandIn();
  const dir = await mkdtemp(join(tmpdir(), 'sdd-bench-github-'));
  try {
    const service = new EmbeddedService(new LowdbStore(join(dir, 'db.json'), 'sd'));
    await service.importTaskList(epicOf(tasks, perFeature), 'bench');
    const store = new GithubMirrorFile(join(dir, 'github-mirror.json'));
    await store.write({ settings: { repo: 'octo/bench', apiUrl: standIn.url } });
    const once = async (): Promise<SyncFigures> => {
      standIn.resetCounts();
      let firstDate: string | null = null;
      const octokit = githubClient({
        token: standIn.token,
        apiUrl: standIn.url,
        writeIntervalMs: 0,
        onResponseDate: (date) => {
          firstDate ??= date;
        },
      });
      const started = performance.now();
      const summary = await syncMirror({
        service,
        store,
        octokit,
        gather: { repoWebUrl: 'https://github.com/octo/bench' },
        serverDate: () => firstDate,
      });
      const refused = [...standIn.counts]
        .filter(([k]) => k.startsWith('refused:'))
        .reduce((n, [, v]) => n + v, 0);
      return {
        issues: summary.issues,
        seconds: (performance.now() - started) / 1000,
        reads: standIn.reads(),
        writes: standIn.writes(),
        creates:
          (standIn.counts.get('issues/create') ?? 0) + (standIn.counts.get('issues/create-comment') ?? 0),
        refused,
      };
    };
    const first = await once();
    const again = await once();
    const third = await once();
    return { first, again, third };
  } finally {
    await standIn.close();
    await rm(dir, { recursive: true, force: true });
  }
}
