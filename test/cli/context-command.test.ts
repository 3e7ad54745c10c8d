// `sdd init`'s context templates and `sdd context show|edit|import|log` in a project without a
// server, and the prompt of `sdd run`, which the program it starts reads from $SDD_PROMPT_FILE.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/core/types.js';
import { CONTEXT_TEMPLATES } from '../../src/specs/context-templates.js';
import { git, REPO_ROOT, sdd, sddJson } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let cwd: string;
const ctx = (name: string) => join(cwd, '.sdd', 'context', `${name}.md`);

beforeEach(async () => {
  dir = await makeTempDir('sdd-context-');
  cwd = join(dir.path, 'repo');
  await mkdir(cwd);
  git(cwd, ['init', '-q', '-b', 'main']);
  git(cwd, ['config', 'user.name', 'Alice']);
  git(cwd, ['config', 'user.email', 'alice@example.com']);
});
afterEach(() => dir.remove());

/** An $EDITOR that writes $EDITOR_TEXT into the file it is given (or exits with $EDITOR_EXIT). */
async function editorScript(): Promise<string> {
  const path = join(dir.path, 'editor.sh');
  await writeFile(
    path,
    '#!/bin/sh\n[ -n "$EDITOR_EXIT" ] && exit "$EDITOR_EXIT"\nprintf "%s" "$EDITOR_TEXT" > "$1"\n',
  );
  await chmod(path, 0o755);
  return path;
}

describe('sdd init and the context templates', () => {
  it('writes the four templates, and on a second run adds only the missing ones', async () => {
    sddJson(cwd, ['init']);
    for (const name of ['constitution', 'product', 'tech-stack', 'workflow']) {
      expect(await readFile(ctx(name), 'utf8')).toBe(CONTEXT_TEMPLATES[name]);
    }
    await writeFile(ctx('product'), '# Product\n\nOur own words.\n');
    const { rm } = await import('node:fs/promises');
    await rm(ctx('workflow'));
    const again = sddJson<{ created: boolean; context: string[] }>(cwd, ['init']);
    expect(again.created).toBe(false);
    expect(again.context).toEqual(['workflow']);
    expect(await readFile(ctx('product'), 'utf8')).toBe('# Product\n\nOur own words.\n');
    expect(sdd(cwd, ['init']).stdout).toContain('Nothing changed');
  });

  it('--agents writes the phase commands, and a bad agent name sets up nothing', async () => {
    const { existsSync } = await import('node:fs');
    const bad = sdd(cwd, ['init', '--agents', 'claude,cursor']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown agent "cursor"');
    expect(existsSync(join(cwd, '.sdd'))).toBe(false);
    const made = sddJson<{ commands: { path: string; action: string }[] }>(cwd, [
      'init',
      '--agents',
      'claude,codex',
    ]);
    expect(made.commands.filter((c) => c.action === 'created')).toHaveLength(10);
    expect(existsSync(join(cwd, '.claude', 'commands', 'sdd.implement.md'))).toBe(true);
    expect(existsSync(join(cwd, '.agents', 'skills', 'sdd-clarify', 'SKILL.md'))).toBe(true);
    const again = sdd(cwd, ['init', '--agents', 'claude,codex']);
    expect(again.stdout).toContain('Nothing changed');
  });

  it('adds the templates to a project set up before they existed, leaving its own files alone', async () => {
    await mkdir(join(cwd, '.sdd', 'context'), { recursive: true });
    await writeFile(join(cwd, '.sdd', 'config.json'), JSON.stringify({ projectId: 'p1', idPrefix: 'sd' }));
    await writeFile(ctx('constitution'), 'Ours.\n');
    const result = sddJson<{ context: string[] }>(cwd, ['init']);
    expect(result.context).toEqual(['product', 'tech-stack', 'workflow']);
    expect(await readFile(ctx('constitution'), 'utf8')).toBe('Ours.\n');
  });
});

describe('sdd context show and edit', () => {
  beforeEach(() => {
    sddJson(cwd, ['init']);
  });

  it('lists the documents, saying which are still templates, and prints one', async () => {
    await writeFile(ctx('product'), '# Product\n\nA tracker for teams.\n');
    const listed = sddJson<{ name: string; template: boolean; inclusion: string }[]>(cwd, [
      'context',
      'show',
    ]);
    expect(listed.map((d) => [d.name, d.template])).toEqual([
      ['constitution', true],
      ['product', false],
      ['tech-stack', true],
      ['workflow', true],
    ]);
    expect(sdd(cwd, ['context', 'show', 'product']).stdout).toBe('# Product\n\nA tracker for teams.\n');
    const missing = sdd(cwd, ['context', 'show', 'nope']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('sdd context edit nope');
    expect(sdd(cwd, ['context', 'show', '../etc/passwd']).code).toBe(2);
  });

  it('edits a document in $EDITOR and saves it; a new name starts from nothing but a title', async () => {
    const editor = await editorScript();
    const edited = sddJson<{ changed: boolean }>(cwd, ['context', 'edit', 'constitution'], {
      EDITOR: editor,
      EDITOR_TEXT: '# Constitution\n\nTabs, never spaces.\n',
    });
    expect(edited.changed).toBe(true);
    expect(await readFile(ctx('constitution'), 'utf8')).toBe('# Constitution\n\nTabs, never spaces.\n');
    sddJson(cwd, ['context', 'edit', 'security'], {
      VISUAL: editor,
      EDITOR_TEXT: '# Security\n\nNo secrets.\n',
    });
    expect(await readFile(ctx('security'), 'utf8')).toBe('# Security\n\nNo secrets.\n');
  });

  it('edits offline when the team server cannot be reached, saying the edit is not sent yet', async () => {
    const config = JSON.parse(await readFile(join(cwd, '.sdd', 'config.json'), 'utf8'));
    await writeFile(
      join(cwd, '.sdd', 'config.json'),
      JSON.stringify({ ...config, server: 'http://127.0.0.1:9' }),
    );
    const editor = await editorScript();
    const result = sdd(cwd, ['context', 'edit', 'product'], {
      EDITOR: editor,
      EDITOR_TEXT: '# Product\n\nOffline words.\n',
      SDD_TOKEN: 'sdd_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Cannot reach the sdd server');
    expect(result.stdout).toContain('not on the team server yet');
    expect(await readFile(ctx('product'), 'utf8')).toBe('# Product\n\nOffline words.\n');
  });

  it('saves nothing when the editor fails', async () => {
    const editor = await editorScript();
    const failed = sdd(cwd, ['context', 'edit', 'product'], { EDITOR: editor, EDITOR_EXIT: '3' });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('nothing was saved');
    expect(await readFile(ctx('product'), 'utf8')).toBe(CONTEXT_TEMPLATES.product);
  });

  it('lists the versions of a document from git without a server', async () => {
    await writeFile(ctx('product'), '# Product\n\none\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'one']);
    await writeFile(ctx('product'), '# Product\n\ntwo\n');
    git(cwd, ['-c', 'user.name=Bob', 'commit', '-qam', 'two']);
    const versions = sddJson<{ version: number; author: string }[]>(cwd, ['context', 'log', 'product']);
    expect(versions.map((v) => [v.version, v.author])).toEqual([
      [1, 'Alice'],
      [2, 'Bob'],
    ]);
  });
});

describe('sdd context import', () => {
  beforeEach(() => {
    sddJson(cwd, ['init']);
  });

  async function put(path: string, text: string | Buffer): Promise<void> {
    await mkdir(join(cwd, path, '..'), { recursive: true });
    await writeFile(join(cwd, path), text);
  }

  it("imports spec-kit's constitution over the untouched template, warning of its placeholders", async () => {
    await put('.specify/memory/constitution.md', '# [PROJECT_NAME] Constitution\n\n## Core\n\nTest first.\n');
    const result = sdd(cwd, ['context', 'import', '--from', 'spec-kit']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('.specify/memory/constitution.md:1: warning: still has 1 line(s)');
    expect(await readFile(ctx('constitution'), 'utf8')).toBe(
      '# [PROJECT_NAME] Constitution\n\n## Core\n\nTest first.\n',
    );
    // Again: nothing to do.
    const again = sddJson<{ documents: { action: string }[] }>(cwd, ['context', 'import']);
    expect(again.documents.map((d) => d.action)).toEqual(['unchanged']);
  });

  it('imports Kiro steering with its inclusion front matter, renaming tech to tech-stack, with warnings for messy files', async () => {
    await put(
      '.kiro/steering/product.md',
      '\uFEFF---\r\ninclusion: always\r\n---\r\n# Product\r\n\r\nNotes app.\r\n',
    );
    await put('.kiro/steering/tech.md', '# Tech\n\nPython 3.12, FastAPI.');
    await put(
      '.kiro/steering/api-standards.md',
      '---\ninclusion: fileMatch\nfileMatchPattern: "app/api/**/*.py"\n---\n# API\n\nREST, JSON errors.\n',
    );
    await put('.kiro/steering/broken.md', '---\ninclusion: sometimes\nweird line\n---\nStill kept.\n');
    await put('.kiro/steering/unclosed.md', '---\ninclusion: manual\nno end here\n');
    await put('.kiro/steering/empty.md', '   \n');
    await put('.kiro/steering/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    const dry = sdd(cwd, ['context', 'import', '--from', 'kiro', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(
      JSON.parse(dry.stdout).documents.map((d: { name: string; action: string }) => `${d.name}:${d.action}`),
    ).toEqual([
      'api-standards:created',
      'broken:created',
      'product:replaced',
      'tech-stack:replaced',
      'unclosed:created',
    ]);
    expect(await readFile(ctx('product'), 'utf8')).toBe(CONTEXT_TEMPLATES.product); // dry run: nothing written

    const result = sdd(cwd, ['context', 'import', '--from', 'kiro']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      '.kiro/steering/broken.md:2: warning: inclusion "sometimes" is not always, fileMatch or manual',
    );
    expect(result.stderr).toContain('.kiro/steering/broken.md:3: warning: front matter line not understood');
    expect(result.stderr).toContain(
      '.kiro/steering/unclosed.md:1: warning: front matter opened with "---" is never closed',
    );
    expect(result.stderr).toContain('.kiro/steering/empty.md:1: warning: is empty, skipped');
    expect(result.stderr).toContain('.kiro/steering/logo.png:1: warning: not a Markdown file');
    expect(await readFile(ctx('tech-stack'), 'utf8')).toBe('# Tech\n\nPython 3.12, FastAPI.\n');
    expect(await readFile(ctx('broken'), 'utf8')).toContain('Still kept.');
    expect(await readFile(ctx('unclosed'), 'utf8')).toBe('---\ninclusion: manual\nno end here\n');
    const listed = sddJson<{ name: string; inclusion: string; fileMatchPattern?: string[] }[]>(cwd, [
      'context',
      'show',
    ]);
    expect(listed.find((d) => d.name === 'api-standards')).toMatchObject({
      inclusion: 'fileMatch',
      fileMatchPattern: ['app/api/**/*.py'],
    });
  });

  it("imports Conductor's documents and style guides, keeping a document with the person's own text unless --force", async () => {
    await writeFile(ctx('workflow'), '# Workflow\n\nOur own way.\n');
    await put('conductor/product.md', '# Product\n\nA shop.\n');
    await put('conductor/tech-stack.md', '# Tech stack\n\nGo.\n');
    await put('conductor/workflow.md', '# Workflow\n\nTDD, small commits.\n');
    await put('conductor/product-guidelines.md', '# Guidelines\n\nFriendly tone.\n');
    await put('conductor/code_styleguides/go.md', '# Go style\n\ngofmt.\n');
    await put('conductor/code_styleguides/Type Script.md', Buffer.from('# TS\n\ncaf\xe9\n', 'latin1'));
    const result = sdd(cwd, ['context', 'import', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const rows = JSON.parse(result.stdout).documents as { name: string; action: string }[];
    expect(rows.map((r) => `${r.name}:${r.action}`)).toEqual([
      'product:replaced',
      'tech-stack:replaced',
      'workflow:kept',
      'product-guidelines:created',
      // sorted as bytes: capitals first
      'styleguide-Type-Script:created',
      'styleguide-go:created',
    ]);
    expect(result.stderr).toContain('conductor/code_styleguides/Type Script.md:1: warning: is not UTF-8');
    expect(await readFile(ctx('styleguide-Type-Script'), 'utf8')).toBe('# TS\n\ncafé\n');
    expect(await readFile(ctx('workflow'), 'utf8')).toBe('# Workflow\n\nOur own way.\n');

    sddJson(cwd, ['context', 'import', '--from', 'conductor', '--force']);
    expect(await readFile(ctx('workflow'), 'utf8')).toBe('# Workflow\n\nTDD, small commits.\n');
    const { readdir } = await import('node:fs/promises');
    const backups = await readdir(join(cwd, '.sdd', 'local', 'context-backup'));
    expect(backups.some((b) => b.startsWith('workflow-'))).toBe(true);
  });

  it('refuses two tools giving one document, writing nothing, and says --from', async () => {
    await put('.kiro/steering/tech.md', '# Tech\n\nRust.\n');
    await put('conductor/tech-stack.md', '# Tech stack\n\nGo.\n');
    await put('conductor/product.md', '# Product\n\nA shop.\n');
    const result = sdd(cwd, ['context', 'import']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('tech-stack (.kiro/steering/tech.md and conductor/tech-stack.md)');
    expect(result.stderr).toContain('--from');
    expect(await readFile(ctx('product'), 'utf8')).toBe(CONTEXT_TEMPLATES.product);
  });

  it('says when there is nothing to import, and refuses an unknown tool', () => {
    expect(sdd(cwd, ['context', 'import']).stderr).toContain('Found no context to import');
    expect(sdd(cwd, ['context', 'import', '--from', 'cursor']).stderr).toContain(
      '--from takes speckit, kiro, conductor',
    );
  });
});

describe('the prompt of sdd run', () => {
  it('carries the filled-in context documents, not the untouched templates', async () => {
    sddJson(cwd, ['init']);
    await writeFile(ctx('constitution'), '# Constitution\n\nEvery change has a test.\n');
    await writeFile(
      ctx('api-rules'),
      '---\ninclusion: fileMatch\nfileMatchPattern: "src/api/**"\n---\n# API rules\n\nJSON errors only.\n',
    );
    await writeFile(ctx('release'), '---\ninclusion: manual\n---\n# Releasing\n\nTag and push.\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'init']);
    const plain = sddJson<Item>(cwd, ['create', 'Write the docs']);
    const api = sddJson<Item>(cwd, [
      'create',
      'Add the route',
      '--description',
      'Edit src/api/routes/notes.ts',
    ]);
    const seen = join(dir.path, 'seen.md');
    const copy = `cp "$SDD_PROMPT_FILE" ${seen}`;

    expect(sdd(cwd, ['run', plain.id, '--done-on-success', '--cmd', copy]).code).toBe(0);
    const prompt = await readFile(seen, 'utf8');
    expect(prompt).toContain('## Team context');
    expect(prompt).toContain('Every change has a test.');
    expect(prompt).not.toContain('Tabs'); // nothing else
    expect(prompt).not.toContain(CONTEXT_TEMPLATES.product!.split('\n')[2]); // a template is left out
    expect(prompt).toContain('- .sdd/context/api-rules.md (for src/api/**)');
    expect(prompt).not.toContain('JSON errors only.');
    expect(prompt).toContain('- .sdd/context/release.md');
    expect(prompt).not.toContain('Tag and push.');

    expect(sdd(cwd, ['run', api.id, '--done-on-success', '--cmd', copy]).code).toBe(0);
    const apiPrompt = await readFile(seen, 'utf8');
    expect(apiPrompt).toContain('### api-rules');
    expect(apiPrompt).toContain('JSON errors only.');
    expect(apiPrompt).not.toContain('inclusion: fileMatch');
  });

  it('reaches a real adapter: the fake Claude Code CLI gets the context in its prompt argument', async () => {
    sddJson(cwd, ['init']);
    await writeFile(ctx('tech-stack'), '# Tech stack\n\nTypeScript strict, Node 20.\n');
    await writeFile(join(cwd, 'README.md'), '# x\n');
    git(cwd, ['add', '.']);
    git(cwd, ['commit', '-qm', 'init']);
    const task = sddJson<Item>(cwd, ['create', 'List the files']);
    const log = join(dir.path, 'argv.json');
    const home = join(dir.path, 'home');
    const run = sdd(cwd, ['run', task.id, '--agent', 'claude-code', '--done-on-success'], {
      PATH: `${join(REPO_ROOT, 'test', 'fixtures', 'agents')}:${process.env.PATH}`,
      CLAUDE_CONFIG_DIR: join(home, 'claude'),
      HOME: home,
      FAKE_AGENT_LOG: log,
    });
    expect(run.code, run.stderr).toBe(0);
    const prompt = (JSON.parse(await readFile(log, 'utf8')) as { argv: string[] }).argv.at(-1)!;
    expect(prompt).toContain('List the files');
    expect(prompt).toContain('### tech-stack');
    expect(prompt).toContain('TypeScript strict, Node 20.');
  });
});
