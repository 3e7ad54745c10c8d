// The GitHub mirror's state as one JSON file: .sdd/local/github-mirror.json in a clone, and
// github/<project>.json in a lowdb server's data folder. Locked like the tracker's file.

import {
  applyMirrorChange,
  emptyMirrorState,
  type GithubMirrorChange,
  type GithubMirrorState,
  type GithubMirrorStore,
} from '../core/github-mirror.js';
import { damagedFileError } from './backup.js';
import { JsonDocument } from './json-document.js';

export class GithubMirrorFile implements GithubMirrorStore {
  private readonly document: JsonDocument<GithubMirrorState>;

  constructor(readonly path: string) {
    this.document = new JsonDocument<GithubMirrorState>(path, {
      empty: emptyMirrorState,
      check: async (data) => {
        if (data.schema !== 1 || !Array.isArray(data.entries)) {
          throw await damagedFileError(path, 'it is not an sdd GitHub mirror file: no schema or entries');
        }
        return data;
      },
    });
  }

  read(): Promise<GithubMirrorState> {
    return this.document.read();
  }

  write(change: GithubMirrorChange): Promise<GithubMirrorState> {
    return this.document.update((data) => {
      const next = applyMirrorChange(data, change);
      // JsonDocument writes the object it handed out: carry the result over into it.
      Object.assign(data, next);
      return next;
    });
  }
}
