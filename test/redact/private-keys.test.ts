// Only a real key block is redacted: a header printed alone, or followed by text that is not a key
// body, leaves everything intact and is not held back; a block is caught in any chunking and form.

import { describe, expect, it } from 'vitest';
import { redactText, StreamRedactor } from '../../src/redact/index.js';
import { MAX_HELD_CHARS, MAX_HELD_KEY_CHARS } from '../../src/redact/stream-redactor.js';
import { alnum, fake } from './fake-secrets.js';

const HEADER = ['-----BEGIN', ' RSA PRIVATE', ' KEY-----'].join('');
const FOOTER = ['-----END', ' RSA PRIVATE', ' KEY-----'].join('');

function streamed(chunks: string[]): { text: string; counts: Record<string, number>; maxHeld: number } {
  const redactor = new StreamRedactor({});
  let text = '';
  let maxHeld = 0;
  for (const chunk of chunks) {
    text += redactor.push(chunk);
    maxHeld = Math.max(maxHeld, redactor.heldLength);
  }
  return { text: text + redactor.end(), counts: redactor.counts(), maxHeld };
}

/** About 100 KB of ordinary output in 4 KB pieces. */
function moreOutput(): string[] {
  const line = 'src/b.ts:12:  return value; // the rest of the session, which must come out whole\r\n';
  return Array.from({ length: 25 }, (_, i) => `${i} ${line}`.repeat(50));
}

describe('a private key header printed alone', () => {
  it('grep output with a header inside a string comes out whole, and so does what follows', () => {
    const grep = `src/a.ts:3:  const h = "${HEADER}"; foo\r\n`;
    const redactor = new StreamRedactor({});
    expect(redactor.push(grep)).toBe(grep);
    expect(redactor.heldLength).toBe(0);
    const rest = moreOutput();
    let out = '';
    for (const chunk of rest) {
      out += redactor.push(chunk);
      expect(redactor.heldLength).toBeLessThan(16);
    }
    expect(out + redactor.end()).toBe(rest.join(''));
    expect(redactor.counts()).toEqual({});
  });

  it('a header ending a grep line is released by the next line', () => {
    const text = `src/a.pem:1:${HEADER}\r\nsrc/b.ts:4: const x = 1;\r\n`;
    const result = streamed([text.slice(0, 12 + HEADER.length + 2), text.slice(12 + HEADER.length + 2)]);
    expect(result.text).toBe(text);
    expect(result.counts).toEqual({});
  });

  it('a header followed by words, not base64, leaves the text intact even with an END line', () => {
    const text = `${HEADER}\nthis is not a key, only words about one\n${FOOTER}\ndone\n`;
    expect(redactText(text)).toEqual({ text, counts: {} });
    const words = `${HEADER}\nthis is the header of an example key\nand some more words\n`;
    expect(redactText(words)).toEqual({ text: words, counts: {} });
  });

  it('a header with a placeholder body or no body at all is not a key', () => {
    for (const text of [`${HEADER}\n...\n${FOOTER}\n`, `${HEADER}\n${FOOTER}\n`, `${HEADER}\n`]) {
      expect(redactText(text)).toEqual({ text, counts: {} });
    }
  });

  it('a header at the end of a push is emitted by flush() when nothing follows', () => {
    const redactor = new StreamRedactor({});
    expect(redactor.push(`$ cat header.txt\r\n${HEADER}`)).toBe('$ cat header.txt\r\n');
    expect(redactor.flush()).toBe(HEADER);
    expect(redactor.heldLength).toBe(0);
    expect(redactor.push('\r\n$ ')).toBe('\r\n$ ');
  });
});

describe('a real private key block', () => {
  it('split into 1-character chunks is redacted whole, and no part of its body is emitted early', () => {
    const block = fake.privateKey(25);
    const redactor = new StreamRedactor({});
    let out = '';
    for (const char of `cat id_rsa\r\n${block}\r\n$ `) out += redactor.push(char);
    expect(out).not.toContain(alnum(64, 3));
    expect(out + redactor.end()).toBe('cat id_rsa\r\n[REDACTED:private-key]\r\n$ ');
    expect(redactor.counts()).toEqual({ 'private-key': 1 });
  });

  it('an encrypted PEM key with Proc-Type and DEK-Info lines is redacted whole', () => {
    const lines = Array.from({ length: 12 }, (_, i) => alnum(64, i));
    const block = [
      HEADER,
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-128-CBC,3F17F5316E2BAC89',
      '',
      ...lines,
      FOOTER,
    ];
    expect(redactText(`a\r\n${block.join('\r\n')}\r\nb`).text).toBe('a\r\n[REDACTED:private-key]\r\nb');
  });

  it('a key inside a printed JSON string (newlines as \\n) is redacted whole', () => {
    const body = Array.from({ length: 10 }, (_, i) => alnum(64, i)).join('\\n');
    const line = `  "private_key": "${HEADER}\\n${body}\\n${FOOTER}\\n",\r\n  "client_email": "x@y"\r\n`;
    expect(redactText(line).text).toBe(
      '  "private_key": "[REDACTED:private-key]\\n",\r\n  "client_email": "x@y"\r\n',
    );
  });

  it('a key echoed unquoted (newlines turned into spaces) is redacted whole', () => {
    const body = Array.from({ length: 10 }, (_, i) => alnum(64, i)).join(' ');
    expect(redactText(`${HEADER} ${body} ${FOOTER}\n$ `).text).toBe('[REDACTED:private-key]\n$ ');
  });

  it('a key cut short by other output is redacted through its body, and the text after it is kept', () => {
    const body = Array.from({ length: 4 }, (_, i) => alnum(64, i)).join('\r\n');
    const text = `$ head -c 300 id_rsa\r\n${HEADER}\r\n${body}\r\nuser@host:~$ ls\r\n`;
    for (const at of [0, 40, 100, text.length - 10]) {
      expect(streamed([text.slice(0, at), text.slice(at)]).text, `split at ${at}`).toBe(
        '$ head -c 300 id_rsa\r\n[REDACTED:private-key]\r\nuser@host:~$ ls\r\n',
      );
    }
  });

  it('a key with no END line when the stream ends is redacted, the prompt after its body is not', () => {
    const body = Array.from({ length: 3 }, (_, i) => alnum(64, i)).join('\n');
    expect(streamed([`${HEADER}\n${body}`, '\n$ ']).text).toBe('[REDACTED:private-key]\n$ ');
  });

  it('a body that never ends is held no longer than the cap, then redacted', () => {
    const redactor = new StreamRedactor({});
    let out = redactor.push(`${HEADER}\n`);
    for (let i = 0; i < 600; i++) {
      out += redactor.push(`${alnum(64, i)}\n`);
      expect(redactor.heldLength).toBeLessThanOrEqual(MAX_HELD_KEY_CHARS);
    }
    expect(out.startsWith('[REDACTED:private-key]')).toBe(true);
    expect(MAX_HELD_CHARS).toBeLessThan(MAX_HELD_KEY_CHARS);
  });
});
