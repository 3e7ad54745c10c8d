// Errors a new user met, each now saying what is wrong: replay of a folder or a missing file, sdd run
// before a build, a damaged database (with its backup named); and .sdd/local kept private.

import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { git, SDD_BIN, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('errors and files', () => {
  let dir: { path: string; remove(): Promise<void> };
  let cwd: string;
  let db: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    cwd = dir.path;
    git(cwd, ['init', '-q']);
    db = join(cwd, '.sdd', 'local', 'db.json');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('-C with a folder that is not there says so, not "no sdd project"', () => {
    const result = sdd(cwd, ['-C', join(cwd, 'no-such-folder'), 'list']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`sdd: No such folder: ${join(cwd, 'no-such-folder')}.\n`);
  });

  describe('replay of something that is not a recording', () => {
    beforeEach(() => {
      sddJson(cwd, ['init']);
    });

    it('a folder is named as a folder, not an unexpected EISDIR', async () => {
      await mkdir(join(cwd, 'some-folder'));
      const result = sdd(cwd, ['replay', 'some-folder/']);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toBe(
        'sdd: some-folder/ is a folder, not a recording (give a .cast file or a session id; `sdd sessions` lists them).\n',
      );
      expect(sdd(cwd, ['replay', 'some-folder']).stderr).toContain('is a folder'); // it exists: a path
    });

    it('a missing .cast file or path is "no such file" (bad input, exit 2), even outside a project', async () => {
      for (const target of ['missing.cast', 'recordings/missing']) {
        const result = sdd(cwd, ['replay', target]);
        expect(result).toMatchObject({ code: 2, stdout: '', stderr: `sdd: No such file: ${target}.\n` });
      }
      const outside = await makeTempDir();
      try {
        expect(sdd(outside.path, ['replay', 'missing.cast']).stderr).toBe(
          'sdd: No such file: missing.cast.\n',
        );
      } finally {
        await outside.remove();
      }
    });

    it('a word that is no file is still looked up as a session id', () => {
      const result = sdd(cwd, ['replay', 'nosuchsession']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('No session "nosuchsession"');
    });
  });

  it('bin/sdd before a build says to run npm run build, exit 1, no stack trace', async () => {
    // a copy of bin/sdd in a checkout with no dist/ folder
    await mkdir(join(cwd, 'checkout', 'bin'), { recursive: true });
    await copyFile(SDD_BIN, join(cwd, 'checkout', 'bin', 'sdd'));
    const result = spawnSync(process.execPath, [join(cwd, 'checkout', 'bin', 'sdd'), 'ready'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `sdd is not built yet: run \`npm run build\` (or \`npm ci && npm run build\`) in ${join(cwd, 'checkout')}\n`,
    );
  });

  describe('a damaged database', () => {
    beforeEach(() => {
      sddJson(cwd, ['init']);
    });

    it('holding null is refused and left alone, not taken as empty and overwritten', async () => {
      await writeFile(db, 'null');
      const result = sdd(cwd, ['create', 'A task']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${db} is damaged (it holds null, not an object)`);
      expect(result.stderr).toContain('There is no backup');
      expect(await readFile(db, 'utf8')).toBe('null');
    });

    it('truncated, names the last good copy and the commands that restore it; those work', async () => {
      sddJson<Item>(cwd, ['create', 'First']);
      sddJson<Item>(cwd, ['create', 'Second']);
      const text = await readFile(db, 'utf8');
      await writeFile(db, text.slice(0, text.length / 2));
      const result = sdd(cwd, ['list']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`The last good copy`);
      const restore = /: (mv \S+ \S+ && cp \S+ \S+)\n/.exec(result.stderr)?.[1];
      expect(restore).toBe(`mv ${db} ${db}.damaged && cp ${db}.bak ${db}`);
      expect(spawnSync('sh', ['-c', restore!]).status).toBe(0);
      expect(sddJson<Item[]>(cwd, ['list']).map((i) => i.title)).toEqual(['First']);
    });
  });

  describe('.sdd/local is private', () => {
    it('init creates it 0700 and the database 0600, under umask 022', async () => {
      const run = (args: string[]) =>
        spawnSync('sh', ['-c', `umask 022 && exec "${process.execPath}" "${SDD_BIN}" "$@"`, 'sh', ...args], {
          cwd,
          env: { ...process.env, SDD_ACTOR: 'tester' },
          encoding: 'utf8',
        });
      expect(run(['init']).status).toBe(0);
      expect(await modeOf(join(cwd, '.sdd', 'local'))).toBe(0o700);
      expect(await modeOf(join(cwd, '.sdd'))).toBe(0o755); // the committed part is as git makes it
      expect(run(['create', 'One']).status).toBe(0);
      expect(run(['create', 'Two']).status).toBe(0);
      expect(await modeOf(db)).toBe(0o600);
      expect(await modeOf(`${db}.bak`)).toBe(0o600);
    });

    it('a folder made 0755 by an older sdd is tightened by the next write, without a word', async () => {
      sddJson(cwd, ['init']);
      sddJson(cwd, ['create', 'One']);
      await chmod(join(cwd, '.sdd', 'local'), 0o755);
      await chmod(db, 0o644);
      const result = sdd(cwd, ['create', 'Two']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      expect(await modeOf(join(cwd, '.sdd', 'local'))).toBe(0o700);
      expect(await modeOf(db)).toBe(0o600);
    });
  });
});
