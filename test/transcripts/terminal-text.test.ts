// Checks that text from an agent's log is printed so that a terminal shows its control characters instead
// of obeying them, while newlines and tabs still lay it out.

import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/core/terminal-text.js';

describe('terminalSafe', () => {
  it('shows ESC and BEL as escapes, so colour and title sequences are seen, not run', () => {
    expect(terminalSafe('\u001b[31mFAIL\u001b[0m \u001b]0;owned\u0007')).toBe(
      '\\x1b[31mFAIL\\x1b[0m \\x1b]0;owned\\x07',
    );
  });

  it('keeps newlines and tabs, and reads a CRLF as a newline', () => {
    expect(terminalSafe('a\tb\r\nc\nd')).toBe('a\tb\nc\nd');
  });

  it('shows a lone carriage return, which would overwrite the line, as \\r', () => {
    expect(terminalSafe('100%\rdone')).toBe('100%\\rdone');
  });

  it('escapes NUL, backspace, DEL and the C1 controls (CSI as one byte)', () => {
    expect(terminalSafe('\u0000\u0008\u007f\u009b2J\u0085')).toBe('\\x00\\x08\\x7f\\x9b2J\\x85');
  });

  it('escapes bidi overrides and line separators that would reorder or break text unseen', () => {
    expect(terminalSafe('a\u202eb\u2066c\u2028d')).toBe('a\\u202eb\\u2066c\\u2028d');
  });

  it('leaves ordinary text, emoji and accents alone', () => {
    expect(terminalSafe('Café → ✓ 🚀')).toBe('Café → ✓ 🚀');
  });
});
