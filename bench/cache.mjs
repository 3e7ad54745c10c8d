// Generated bench inputs (a 5,000-file git repository, a 30 MB cast, a history of sessions, a tracker)
// made once and kept in bench/out/ (git-ignored), so a run spends its time measuring, not writing
// inputs. An input is keyed by its generator's version and parameters: a change to either makes a new
// folder, and the old one is removed. A folder is built under a temporary name and renamed when
// complete, so an interrupted build is never taken for a cached one.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const outDir = fileURLToPath(new URL('out/', import.meta.url));

function folderOf(name, key) {
  const hash = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 12);
  return { folder: join(outDir, `${name}-${hash}`), hash };
}

/** The folder of input `name` for `key` when it was made already, else null (nothing is built). */
export function cachedFolder(name, key) {
  const { folder } = folderOf(name, key);
  return existsSync(folder) ? folder : null;
}

let codeHash = null;

/**
 * A hash of sdd's built code (dist/src): in the key of an input that sdd's code made (a search
 * cache, say), so that a build that changes the code makes the input again.
 */
export function builtCodeHash() {
  codeHash ??= hashOfDist();
  return codeHash;
}

function hashOfDist() {
  const dist = fileURLToPath(new URL('../dist/src/', import.meta.url));
  const hash = createHash('sha256');
  const files = readdirSync(dist, { recursive: true })
    .filter((file) => file.endsWith('.js'))
    .sort();
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(dist, file)));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The folder holding input `name` for `key` (the generator's version and parameters), built by
 * `build(folder)` when missing. Returns { folder, built } (built: made in this run).
 */
export async function cachedInput(name, key, build) {
  const { folder, hash } = folderOf(name, key);
  if (existsSync(folder)) return { folder, built: false };
  await mkdir(outDir, { recursive: true });
  // The inputs hold generated .ts and .json files: `npm run lint` (Biome, which does not read
  // .gitignore here) must not check them.
  await writeFile(join(outDir, 'biome.json'), '{ "root": false, "files": { "includes": ["!**"] } }\n');
  // Stale versions of the same input (another key) and leftovers of interrupted builds go.
  for (const entry of await readdir(outDir)) {
    if (entry.startsWith(`${name}-`) || entry.startsWith(`.building-${name}-`)) {
      await rm(join(outDir, entry), { recursive: true, force: true });
    }
  }
  const building = join(outDir, `.building-${name}-${hash}-${process.pid}`);
  await mkdir(building, { recursive: true });
  try {
    await build(building);
    await rename(building, folder);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw error;
  }
  return { folder, built: true };
}
