// What a title may hold: one line of at most MAX_TITLE_LENGTH characters and no control characters,
// which a terminal would act on instead of showing. Typed input is refused; imported input is cleaned.

import { InvalidInputError } from './errors.js';

export const MAX_TITLE_LENGTH = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its job
const TITLE_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A terminal escape sequence as a whole (CSI such as colours, OSC such as a window title, or ESC and one
// character): removing only the ESC would leave "[31m" in the title.
const ESCAPE_SEQUENCE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding escape sequences is its job
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -~]/g;

/** U+001B: how a message names a character that cannot be shown as itself. */
export function codePointName(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function checkTitle(title: string): string {
  const clean = title.trim();
  if (clean === '') throw new InvalidInputError('A title is required and may not be blank.');
  if (clean.includes('\n'))
    throw new InvalidInputError('A title is one line; put the rest in --description.');
  const control = TITLE_CONTROL.exec(clean);
  if (control) {
    throw new InvalidInputError(
      `A title may not hold control characters (${codePointName(control[0])} at character ${control.index + 1}); type it as plain text.`,
    );
  }
  if (clean.length > MAX_TITLE_LENGTH) {
    throw new InvalidInputError(
      `A title is at most ${MAX_TITLE_LENGTH} characters; this one has ${clean.length}. Put the rest in --description.`,
    );
  }
  return clean;
}

/**
 * A title from a file, made acceptable rather than refused (real files are messy): tabs become spaces,
 * escape sequences and other controls go, and an over-long title is cut with "…". `problems` says what was changed.
 */
export function cleanTitle(title: string): { title: string; problems: string[] } {
  const problems: string[] = [];
  let clean = title;
  const control = TITLE_CONTROL.exec(clean);
  if (control) {
    problems.push(`title holds control characters (${codePointName(control[0])}); they were removed`);
    clean = clean
      .replace(ESCAPE_SEQUENCE, '')
      .replace(/\t/g, ' ')
      .replace(new RegExp(TITLE_CONTROL.source, 'g'), '');
  }
  clean = clean.trim();
  if (clean.length > MAX_TITLE_LENGTH) {
    problems.push(
      `title has ${clean.length} characters, more than ${MAX_TITLE_LENGTH}; it was cut (the whole line stays in the file)`,
    );
    clean = `${clean.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
  }
  return { title: clean, problems };
}
