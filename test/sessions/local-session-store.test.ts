// What the local spool's SessionStore does beyond the contract: private files, only session files
// listed, and one winner among appends at one offset from several processes.

import { spawn } from 'node:child_process';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { sessionRecord } from '../contract/session-store-contract.js';
import { REPO_ROOT } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LocalSessionStore', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let store: LocalSessionStore;
  beforeEach(async () => {
    dir = await makeTempDir();
    store = new LocalSessionStore(dir.path);
  });
  afterEach(() => dir.remove());

  it('keeps sessions in .sdd/local/sessions/<id>/, folders 0700 and files 0600', async () => {
    const record = sessionRecord();
    await store.putRecord(record);
    await store.appendFile(record.id, 'terminal.cast', 0, bytes('{"version":2}\n'));
    await store.appendFile(record.id, 'transcript/log.jsonl', 0, bytes('{}\n'));
    const folder = join(dir.path, '.sdd', 'local', 'sessions', record.id);
    expect(store.filePath(record.id, 'terminal.cast')).toBe(join(folder, 'terminal.cast'));
    for (const path of [folder, join(folder, 'transcript')])
      expect((await stat(path)).mode & 0o777).toBe(0o700);
    for (const name of ['session.json', 'terminal.cast', 'transcript/log.jsonl'])
      expect((await stat(join(folder, name))).mode & 0o777).toBe(0o600);
  });

  it("lists only a session's own files: not its record, git's index, locks or keyframe indexes", async () => {
    const record = sessionRecord();
    await store.putRecord(record);
    await store.appendFile(record.id, 'events.jsonl', 0, bytes('{}\n'));
    const folder = join(dir.path, '.sdd', 'local', 'sessions', record.id);
    await writeFile(join(folder, 'git-index'), 'DIRC');
    await writeFile(join(folder, 'terminal.cast.keyframes.jsonl'), '{}');
    await mkdir(join(folder, 'terminal.cast.lock'));
    expect(await store.listFiles(record.id)).toEqual([{ name: 'events.jsonl', size: 3 }]);
    for (const name of ['session.json', 'git-index', 'transcript']) {
      await expect(store.readFile(record.id, name)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(store.appendFile(record.id, name, 0, bytes('x'))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
      });
    }
    await expect(store.readFile('../..', 'events.jsonl')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('says a short id that fits several sessions is ambiguous', async () => {
    await store.putRecord(sessionRecord({ id: '20261201-120000-aaaa' }));
    await store.putRecord(sessionRecord({ id: '20261201-120000-bbbb' }));
    await expect(store.get('20261201')).rejects.toMatchObject({ code: 'AMBIGUOUS' });
  });

  it('gives appends at one offset from several processes to exactly one of them', async () => {
    const record = sessionRecord();
    await store.putRecord(record);
    const module = JSON.stringify(join(REPO_ROOT, 'dist/src/sessions/local-session-store.js'));
    // each process waits for "go" on stdin, so that they all append at once
    const script = `
      const { LocalSessionStore } = await import(${module});
      const store = new LocalSessionStore(${JSON.stringify(dir.path)});
      process.stdout.write('ready\\n');
      await new Promise((resolve) => process.stdin.once('data', resolve));
      try {
        await store.appendFile(${JSON.stringify(record.id)}, 'events.jsonl', 0, new TextEncoder().encode('from ' + process.pid + '\\n'));
        process.stdout.write('won\\n');
      } catch (error) {
        process.stdout.write(error.code + '\\n');
      }
      process.exit(0);
    `;
    const children = Array.from({ length: 5 }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const outputs = children.map((child) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
      });
      return {
        ready: new Promise<void>((resolve) => {
          const check = () => (out.includes('ready') ? resolve() : setTimeout(check, 10));
          check();
        }),
        done: new Promise<string>((resolve) => child.on('exit', () => resolve(out))),
      };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const child of children) child.stdin.write('go\n');
    const results = (await Promise.all(outputs.map((o) => o.done))).map((out) =>
      out.replace('ready\n', '').trim(),
    );
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'OFFSET_MISMATCH')).toHaveLength(4);
    const text = new TextDecoder().decode(await store.readFile(record.id, 'events.jsonl'));
    expect(text).toMatch(/^from \d+\n$/);
  }, 30_000);
});
