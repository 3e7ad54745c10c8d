import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mayConvertContent } from '../../../recorders/files/content-filters.js';
import { openRepository, readHead, readSettings } from '../../../recorders/files/repository.js';
import { makeRepo, type TestRepo } from './git-repo.js';

// One `git config` gives every setting a checkpoint depends on; its reading of each value must be
// git's own, which `git config --type=bool` tells.
let repo: TestRepo;

beforeEach(async () => {
  repo = await makeRepo({ 'a.txt': 'a\n' });
});

afterEach(() => repo.dispose());

/** What git itself makes of core.fileMode here. */
function gitsFileMode(): boolean {
  return repo.git(['config', '--type=bool', '--default=true', 'core.fileMode']).trim() === 'true';
}

describe('readSettings', () => {
  it('reads core.fileMode as git does, whatever way it is written', async () => {
    // The last value wins; `fileMode` alone (no `=`) is true, an empty value false.
    for (const written of ['false', 'no', 'OFF', '0', 'true', '1', 'yes', '', null]) {
      appendFileSync(
        join(repo.path, '.git', 'config'),
        written === null ? '[core]\n\tfileMode\n' : `[core]\n\tfileMode = ${written}\n`,
      );
      const settings = await readSettings(repo.path);
      expect({ written, executableBit: settings.executableBit }).toEqual({
        written,
        executableBit: gitsFileMode(),
      });
    }
  });

  it('takes autocrlf and attributesFile, and says when content may be converted', async () => {
    const opened = await openRepository(repo.path);
    repo.git(['config', 'core.autocrlf', 'false']);
    expect((await readSettings(repo.path)).autocrlf).toBe('false');
    repo.git(['config', 'core.autocrlf', 'input']);
    const settings = await readSettings(repo.path);
    expect(settings.autocrlf).toBe('input');
    expect(await mayConvertContent(opened, settings)).toBe(true);

    repo.git(['config', 'core.autocrlf', 'false']);
    const attributes = join(repo.path, '..', 'attributes');
    appendFileSync(attributes, '*.txt text\n');
    repo.git(['config', 'core.attributesFile', attributes]);
    const withFile = await readSettings(repo.path);
    expect(withFile.attributesFile).toBe(attributes);
    expect(await mayConvertContent(opened, withFile)).toBe(true);
  });

  it('runs from a subfolder and outside any repository', async () => {
    repo.write({ 'sub/b.txt': 'b\n' });
    repo.git(['config', 'core.fileMode', 'false']);
    expect((await readSettings(join(repo.path, 'sub'))).executableBit).toBe(false);
    expect(await readHead(join(repo.path, 'sub'))).toBe(repo.git(['rev-parse', 'HEAD']).trim());
    expect(await readHead(join(repo.path, '..'))).toBeNull();
  });
});
