// The layers are a build error, not a reviewer's catch: a copy of the core, the recorders and the
// adapters, built with the project's own tsconfig files (into the copy), passes as it is and fails
// with one forbidden import.

import { spawnSync } from 'node:child_process';
import { cp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/run-sdd.js';
import { makeTempDir } from '../helpers/temp-dir.js';

let copy: { path: string; remove(): Promise<void> };

beforeAll(async () => {
  copy = await makeTempDir('sdd-layering-');
  for (const path of ['package.json', 'tsconfig.base.json', 'src/core', 'recorders', 'adapters']) {
    await cp(join(REPO_ROOT, path), join(copy.path, path), { recursive: true });
  }
  // What the layers may not use: Node's I/O from the core, a session module from an adapter.
  await cp(join(REPO_ROOT, 'src/sessions'), join(copy.path, 'src/sessions'), { recursive: true });
  await cp(join(REPO_ROOT, 'src/redact'), join(copy.path, 'src/redact'), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(copy.path, 'node_modules'));
});

afterAll(async () => {
  await copy?.remove();
});

function build(project: string): { code: number | null; output: string } {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', project], {
    cwd: copy.path,
    encoding: 'utf8',
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the layers the build enforces', () => {
  it('builds the core, recorders and adapters as they are', () => {
    for (const project of ['src/core', 'recorders', 'adapters']) {
      const { code, output } = build(project);
      expect(output).toBe('');
      expect(code).toBe(0);
    }
  }, 60_000);

  it('refuses Node I/O in the core', async () => {
    await writeFile(
      join(copy.path, 'src/core/uses-fs.ts'),
      "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
    );
    const { code, output } = build('src/core');
    await rm(join(copy.path, 'src/core/uses-fs.ts'));
    expect(code).not.toBe(0);
    expect(output).toContain("Cannot find module 'node:fs'");
  }, 60_000);

  it('refuses an import of a layer above from an adapter', async () => {
    await writeFile(
      join(copy.path, 'adapters/uses-sessions.ts'),
      "export { SessionRedaction } from '../src/sessions/session-redaction.js';\n",
    );
    const { code, output } = build('adapters');
    await rm(join(copy.path, 'adapters/uses-sessions.ts'));
    expect(code).not.toBe(0);
    expect(output).toContain('is not listed within the file list of project');
  }, 60_000);
});
