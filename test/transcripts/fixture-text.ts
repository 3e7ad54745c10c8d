// Reads a transcript fixture, so each test names the file it checks.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcripts');

export function fixtureText(name: string): string {
  return readFileSync(path.join(fixtures, name), 'utf8');
}
