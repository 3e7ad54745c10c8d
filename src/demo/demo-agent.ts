// The demo agent `sdd demo` runs through `sdd run`: a stand-in for a coding agent that reads its
// prompt, talks, and edits files over a few seconds, so a new user sees what a session records.

import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bold = (s: string) => `\x1b[1m${s}\x1b[0m`;
const dim = (s: string) => `\x1b[2m${s}\x1b[0m`;
const green = (s: string) => `\x1b[32m${s}\x1b[0m`;

async function say(text: string, pause = 350): Promise<void> {
  process.stdout.write(`${text}\n`);
  await sleep(pause);
}

async function edit(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  await say(`  ${green('edited')} ${path}`, 600);
}

/** Asks the recording sdd for a named checkpoint, as an agent's hook would. */
function checkpoint(message: string): void {
  const sdd = process.env.SDD_BIN;
  if (!sdd) return;
  spawnSync(process.execPath, [sdd, 'checkpoint', '-m', message], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  const promptFile = process.env.SDD_PROMPT_FILE;
  const prompt = promptFile ? await readFile(promptFile, 'utf8') : '# (no prompt)';
  const title = prompt.split('\n')[0]!.replace(/^#\s*/, '');
  await say(bold('demo-agent 1.0') + dim('  (a stand-in for Claude Code, Codex, Gemini CLI...)'));
  await say(`${dim('task:')} ${title}`);
  await say(dim(`reading ${promptFile ?? 'the prompt'} and the spec documents...`), 700);
  await say('Plan: 1) write the module  2) add a test  3) note it in the README');
  await edit(
    join('src', 'notes', 'note.ts'),
    'export interface Note {\n  id: string;\n  body: string;\n  createdAt: Date;\n}\n',
  );
  checkpoint('note model written');
  await edit(
    join('test', 'note.test.ts'),
    "import { expect, it } from 'vitest';\n\nit('has a body', () => {\n  expect('hi').toBeTruthy();\n});\n",
  );
  for (let i = 1; i <= 10; i++) {
    process.stdout.write(`\r  running tests ${'█'.repeat(i)}${'░'.repeat(10 - i)} ${i * 10}%`);
    await sleep(120);
  }
  await say(`\n  ${green('✓')} 1 test passed`);
  await edit('README.md', '# Team notes\n\nNotes that the whole team sees. See src/notes/.\n');
  await say(`${bold('Done.')} The task is complete.`);
}

await main();
