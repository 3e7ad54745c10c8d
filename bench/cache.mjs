// Generated bench inputs (a 5,000-file git repository, a 30 MB cast, a history of sessions, a tracker)
// made once and kept in bench/out/ (git-ignored), so a run spends its time measuring, not writing
// inputs. An input is keyed by its generator's version and parameters: a change to either makes a new
// folder, and the old one is removed. A folder is built under a temporary name and renamed when
// complete, so an interrupted build is never taken for a cached one.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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

/**
 * A hash of the code `entries` (files, absolute paths) run: theirs and that of every file they import
 * by a relative path, statically or not, followed through sdd's built code (dist/). In the key of
 * an input that this code made (a search cache, a bundle), so that a build changing any of it makes
 * the input again, and one changing other code does not. Packages are not followed (the lockfile
 * stands for them).
 */
export function codeHash(entries) {
  const hash = createHash('sha256');
  const seen = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    hash.update(file).update('\0').update(text).update('\0');
    for (const match of text.matchAll(/(?:\bfrom|\bimport\s*\()\s*['"](\.\.?\/[^'"]+)['"]/g)) {
      queue.push(join(dirname(file), match[1]));
    }
  }
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
