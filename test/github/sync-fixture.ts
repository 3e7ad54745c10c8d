// A project for mirror tests: an embedded tracker in a temp folder with the team-notes epic
// imported, its mirror file, and a client for the stand-in (writes unpaced, retries fast).

import { join } from 'node:path';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import type { TaskListDocument } from '../../src/core/task-list.js';
import { githubClient } from '../../src/github/github-client.js';
import { type SyncSummary, syncMirror } from '../../src/github/mirror-sync.js';
import { GithubMirrorFile } from '../../src/store/github-mirror-file.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { teamNotesDocument } from '../contract/task-list-builder.js';
import type { StandIn } from '../helpers/github-stand-in.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface MirrorProject {
  root: string;
  service: EmbeddedService;
  store: GithubMirrorFile;
  sync(options?: {
    epic?: string;
    dryRun?: boolean;
    writeIntervalMs?: number;
    log?: string[];
    token?: string;
  }): Promise<SyncSummary>;
  remove(): Promise<void>;
}

export async function mirrorProject(
  standIn: StandIn,
  document: TaskListDocument = teamNotesDocument(),
): Promise<MirrorProject> {
  const dir = await makeTempDir('sdd-github-');
  const service = new EmbeddedService(new LowdbStore(join(dir.path, '.sdd', 'local', 'db.json'), 'sd'));
  await service.importTaskList(document, 'tester');
  const store = new GithubMirrorFile(join(dir.path, '.sdd', 'local', 'github-mirror.json'));
  await store.write({ settings: { repo: 'octo/notes', apiUrl: standIn.url } });
  return {
    root: dir.path,
    service,
    store,
    async sync(options = {}) {
      let firstDate: string | null = null;
      const octokit = githubClient({
        token: options.token ?? standIn.token,
        apiUrl: standIn.url,
        writeIntervalMs: options.writeIntervalMs ?? 0,
        retryBaseMs: 5,
        log: (line) => options.log?.push(line),
        onResponseDate: (date) => {
          firstDate ??= date;
        },
      });
      return syncMirror({
        service,
        store,
        octokit,
        gather: { repoWebUrl: 'https://github.com/octo/notes' },
        ...(options.epic && { epic: options.epic }),
        ...(options.dryRun && { dryRun: true }),
        serverDate: () => firstDate,
      });
    },
    remove: dir.remove,
  };
}
