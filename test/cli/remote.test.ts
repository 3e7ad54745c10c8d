// sdd remote against a real server process: linking creates the project when the token may, and
// then every tracker command gives the same output and exit code as it does embedded.

import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../src/core/service.js';
import { git, REPO_ROOT, type SddResult, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { type ServerProcess, startServerProcess, userEnv } from './server-harness.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'speckit');

describe('sdd remote', () => {
  let dir: { path: string; remove(): Promise<void> };
  let server: ServerProcess;
  let data: string;
  const tokens: Record<'admin' | 'member' | 'bound' | 'viewer', string> = {
    admin: '',
    member: '',
    bound: '',
    viewer: '',
  };
  let n = 0;
  const envOf = (token: string | undefined) =>
    userEnv(join(dir.path, 'home'), { SDD_TOKEN: token, SDD_ACTOR: undefined });

  /** A new clone with the spec-kit fixture, set up with `sdd init`. */
  async function newClone(): Promise<string> {
    const clone = join(dir.path, `clone-${++n}`);
    await mkdir(clone);
    git(clone, ['init', '-q']);
    git(clone, ['config', 'user.name', 'Grace Hopper']);
    await cp(join(FIXTURES, 'specs'), join(clone, 'specs'), { recursive: true });
    sddJson(clone, ['init'], envOf(undefined));
    return clone;
  }

  function makeToken(args: string[]): string {
    return sddJson<{ token: string }>(dir.path, ['server', 'token', 'create', '--data', data, ...args]).token;
  }

  beforeAll(async () => {
    dir = await makeTempDir('sdd-remote-');
    data = join(dir.path, 'data');
    tokens.admin = makeToken(['--user', 'root', '--role', 'admin']);
    tokens.member = makeToken(['--user', 'mel']);
    tokens.bound = makeToken(['--user', 'bea', '--project', 'some-other-project']);
    tokens.viewer = makeToken(['--user', 'vic', '--role', 'viewer']);
    server = await startServerProcess(join(dir.path, 'server-home'), ['--data', data]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('set creates the project, keeps the URL (never the token) in config.json; show and unset', async () => {
    const clone = await newClone();
    const env = envOf(tokens.member);
    const set = sdd(clone, ['remote', 'set', `${server.url}/`, '--name', 'Team notes'], env);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain(`Created project "Team notes"`);
    const configText = await readFile(join(clone, '.sdd', 'config.json'), 'utf8');
    expect(JSON.parse(configText).server).toBe(server.url);
    expect(configText).not.toContain(tokens.member);
    const show = sdd(clone, ['remote', 'show'], env);
    expect(show.stdout).toContain(`server: ${server.url}`);
    expect(show.stdout).toContain('token: SDD_TOKEN');

    // A second clone of the same project links to it instead of creating it.
    const other = await newClone();
    await cp(join(clone, '.sdd', 'config.json'), join(other, '.sdd', 'config.json'));
    expect(sdd(other, ['remote', 'set', server.url], env).stdout).toContain('Linked this clone to project');

    const unset = sdd(clone, ['remote', 'unset'], env);
    expect(unset.stdout).toContain(`Unlinked ${server.url}`);
    expect(JSON.parse(await readFile(join(clone, '.sdd', 'config.json'), 'utf8')).server).toBeNull();
  }, 60_000);

  it('refuses to create a project with a viewer token or one bound to another project, saying who can', async () => {
    const clone = await newClone();
    const before = await readFile(join(clone, '.sdd', 'config.json'), 'utf8');
    for (const token of [tokens.viewer, tokens.bound]) {
      const refused = sdd(clone, ['remote', 'set', server.url], envOf(token));
      expect(refused.code).toBe(10);
      expect(refused.stderr).toMatch(/an admin( or member)? token/);
      expect(refused.stderr).toContain('nothing changed');
    }
    expect(await readFile(join(clone, '.sdd', 'config.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('explains remote and push in --help', () => {
    const set = sdd(dir.path, ['remote', 'set', '--help']).stdout;
    expect(set).toContain('--name <name>');
    expect(set).toContain('sdd login');
    expect(set).toContain('sdd push');
    expect(sdd(dir.path, ['remote', '--help']).stdout).toMatch(/show[\s\S]*unset/);
    expect(sdd(dir.path, ['push', '--help']).stdout).toContain('once');
  });

  it('without a token, a linked project says to log in (exit 10)', async () => {
    const clone = await newClone();
    sddJson(clone, ['remote', 'set', server.url], envOf(tokens.admin));
    const result = sdd(clone, ['ready'], envOf(undefined));
    expect(result.code).toBe(10);
    expect(result.stderr).toContain(`sdd login ${server.url}`);
    expect(sdd(clone, ['remote', 'set', server.url], envOf(undefined)).code).toBe(10);
  }, 60_000);

  it('every tracker command gives the same output and exit code as embedded; done ticks the local box', async () => {
    const embedded = await newClone();
    const remote = await newClone();
    const env = envOf(tokens.admin);
    expect(sdd(remote, ['remote', 'set', server.url], env).code).toBe(0);

    const run = (clone: string) => {
      const results: { args: string; result: ReturnType<typeof normalized> }[] = [];
      const step = (...args: string[]) => {
        const result = sdd(clone, args, env);
        results.push({ args: args.join(' '), result: normalized(result, clone) });
        return result;
      };
      step('import', 'specs/004-team-notes/');
      step('create', 'Extra work', '--priority', 'P1', '--label', 'api');
      step('list');
      step('list', '--json');
      step('ready');
      step('ready', '--json', '--limit', '3');
      step('blocked');
      const claimed = JSON.parse(step('claim', '--as', 'alice', '--json').stdout) as ClaimResult;
      const task = claimed.item.id;
      step('claim', task, '--as', 'bob');
      step('note', task, 'halfway', 'there', '--as', 'alice');
      step('update', task, '--priority', '0', '--add-label', 'urgent');
      step('show', task);
      step('show', task, '--json');
      step('done', task, '--as', 'alice');
      step('show', 'sd-404');
      step('dep', 'add', 'sd-9', 'sd-8');
      step('dep', 'add', 'sd-8', 'sd-9');
      step('dep', 'list', 'sd-9');
      step('claim', 'sd-1');
      step('release', 'sd-5', '--as', 'carol');
      step('tree');
      step('import', 'specs/004-team-notes/');
      return results;
    };
    const here = run(embedded);
    const there = run(remote);
    for (const [i, step] of here.entries()) {
      expect({ args: there[i]!.args, ...there[i]!.result }).toEqual({ args: step.args, ...step.result });
    }
    // The failures are part of the comparison: a claim taken, an unknown item, a cycle, an epic.
    expect(here.filter((s) => s.result.code !== 0).map((s) => s.result.code)).toEqual([4, 3, 5, 4]);
    const tasks = 'specs/004-team-notes/tasks.md';
    const ticked = await readFile(join(remote, tasks), 'utf8');
    expect(ticked).not.toBe(await readFile(join(FIXTURES, tasks), 'utf8'));
    expect(ticked).toBe(await readFile(join(embedded, tasks), 'utf8'));
  }, 180_000);
});

/**
 * Output with what differs between two runs made the same: times, dates, the clone's folder. JSON is
 * compared as data: the server writes an object's keys in its schema's order.
 */
function normalized(result: SddResult, clone: string): { code: number; stdout: unknown; stderr: string } {
  const clean = (text: string) =>
    text
      .replaceAll(clone, '<clone>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<iso>')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?/g, '<time>')
      .replace(/\b\d\d:\d\d(:\d\d)?\b/g, '<clock>');
  const stdout = clean(result.stdout);
  return {
    code: result.code,
    stdout: stdout.startsWith('[') || stdout.startsWith('{') ? JSON.parse(stdout) : stdout,
    stderr: clean(result.stderr),
  };
}
