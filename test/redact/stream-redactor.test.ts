import { describe, expect, it } from 'vitest';
import { StreamRedactor } from '../../src/redact/index.js';
import { fake } from './fake-secrets.js';

function streamed(chunks: string[], options = {}): { text: string; counts: Record<string, number> } {
  const redactor = new StreamRedactor(options);
  const text = chunks.map((chunk) => redactor.push(chunk)).join('') + redactor.end();
  return { text, counts: redactor.counts() };
}

describe('a secret split across chunks', () => {
  const secrets: [string, string][] = [
    ['github-token', fake.githubClassic()],
    ['anthropic-api-key', fake.anthropic()],
    ['jwt', fake.jwt()],
    ['aws-access-key-id', fake.awsAccessKeyId()],
  ];

  for (const [kind, secret] of secrets) {
    it(`a ${kind} split at every position is still redacted, once`, () => {
      const line = `$ echo ${secret}\r\n$ `;
      for (let at = 0; at <= line.length; at++) {
        const result = streamed([line.slice(0, at), line.slice(at)]);
        expect(result.text, `split at ${at}`).toBe(`$ echo [REDACTED:${kind}]\r\n$ `);
        expect(result.counts).toEqual({ [kind]: 1 });
      }
    });
  }

  it('a token pushed one character at a time is redacted', () => {
    const secret = fake.githubFineGrained();
    const result = streamed([...`x ${secret} y ${secret}\n`]);
    expect(result.text).toBe('x [REDACTED:github-token] y [REDACTED:github-token]\n');
    expect(result.counts).toEqual({ 'github-token': 2 });
  });

  it('an assignment whose value is split across chunks is redacted', () => {
    const line = 'export FOO_SECRET="correct horse battery"\n';
    for (let at = 0; at <= line.length; at++) {
      expect(streamed([line.slice(0, at), line.slice(at)]).text, `split at ${at}`).toBe(
        'export FOO_SECRET="[REDACTED:secret-assignment]"\n',
      );
    }
  });

  it('a token ending the stream is redacted by end()', () => {
    const redactor = new StreamRedactor({});
    expect(redactor.push(`key ${fake.google()}`)).toBe('key ');
    expect(redactor.end()).toBe('[REDACTED:google-api-key]');
  });
});

describe('private key blocks', () => {
  it('a block arriving in many small chunks is redacted whole', () => {
    const block = fake.privateKey(40);
    const text = `cat id_rsa\r\n${block}\r\n$ `;
    const chunks = text.match(/[\s\S]{1,37}/g) ?? [];
    const redactor = new StreamRedactor({});
    const emitted = chunks.map((chunk) => redactor.push(chunk));
    expect(emitted.join('') + redactor.end()).toBe('cat id_rsa\r\n[REDACTED:private-key]\r\n$ ');
    expect(redactor.counts()).toEqual({ 'private-key': 1 });
    expect(emitted.join('')).not.toContain('PRIVATE KEY');
  });

  it('a block without END is redacted from BEGIN once it passes the cap', () => {
    const header = ['-----BEGIN', ' PRIVATE KEY-----\n'].join('');
    const redactor = new StreamRedactor({});
    let out = redactor.push(`before\n${header}`);
    for (let i = 0; i < 400; i++) out += redactor.push(`${'A'.repeat(63)}\n`);
    expect(out).toContain('before\n[REDACTED:private-key]');
    expect(out).not.toContain('BEGIN');
    expect(redactor.heldLength).toBeLessThan(16_384 + 200);
  });

  it('a block cut off by the end of the stream is redacted to the end', () => {
    const header = ['-----BEGIN', ' EC PRIVATE KEY-----\n'].join('');
    const result = streamed(['x\n', header, 'MHcCAQEEI', 'Kq1w\n']);
    expect(result.text).toBe('x\n[REDACTED:private-key]');
  });
});

describe('secrets from the environment', () => {
  const options = {
    secretsFromEnv: { MY_SERVICE_TOKEN: 'plain-value-42x', EDITOR: 'vim-editor-here', HOME: undefined },
  };

  it('the value of a secret-named variable is redacted wherever it appears, even mid-word and split', () => {
    const line = 'got plain-value-42x, url=https://h/?t=plain-value-42xyz\n';
    for (let at = 0; at <= line.length; at++) {
      const result = streamed([line.slice(0, at), line.slice(at)], options);
      expect(result.text, `split at ${at}`).toBe(
        'got [REDACTED:env:MY_SERVICE_TOKEN], url=https://h/?t=[REDACTED:env:MY_SERVICE_TOKEN]yz\n',
      );
      expect(result.counts).toEqual({ 'env:MY_SERVICE_TOKEN': 2 });
    }
  });

  it('the value of a variable whose name is not secret is left alone', () => {
    expect(streamed(['set to vim-editor-here\n'], options).text).toBe('set to vim-editor-here\n');
  });

  it('a value shorter than 8 characters is not taken from the environment', () => {
    expect(streamed(['abc1234 here'], { secretsFromEnv: { SHORT_TOKEN: 'abc1234' } }).text).toBe(
      'abc1234 here',
    );
  });
});

describe('what surrounds a secret survives', () => {
  it('ANSI colour codes around a token are kept', () => {
    const secret = fake.githubClassic();
    const line = `\x1b[1;32m${secret}\x1b[0m\r\n`;
    for (let at = 0; at <= line.length; at++) {
      expect(streamed([line.slice(0, at), line.slice(at)]).text).toBe(
        '\x1b[1;32m[REDACTED:github-token]\x1b[0m\r\n',
      );
    }
  });

  it('an ANSI code after an unquoted assignment value is not eaten', () => {
    expect(streamed(['PASSWORD=hunter22\x1b[0m\n']).text).toBe(
      'PASSWORD=[REDACTED:secret-assignment]\x1b[0m\n',
    );
  });

  it('multi-byte characters around a token are kept, and a surrogate pair is never split', () => {
    const line = `é 日本 🔑${fake.stripe()}🔑 ✓\n`;
    for (let at = 0; at <= line.length; at++) {
      const redactor = new StreamRedactor({});
      const first = redactor.push(line.slice(0, at));
      expect(/[\ud800-\udbff]$/.test(first), `split at ${at}`).toBe(false);
      const text = first + redactor.push(line.slice(at)) + redactor.end();
      expect(text).toBe('é 日本 🔑[REDACTED:stripe-key]🔑 ✓\n');
      expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    }
  });
});

describe('holding back', () => {
  it('ordinary output is emitted almost at once: at most a few characters held after each push', () => {
    const words = 'the build finished in 2.3s; 14 files changed, 3 tests passed - see log at /tmp/x.log';
    const redactor = new StreamRedactor({ secretsFromEnv: { API_TOKEN: 'zz-not-in-text-99' } });
    let emitted = 0;
    let maxHeld = 0;
    for (let i = 0; i < 2000; i++) {
      const chunk = `${words.slice(i % 17)} ${i}\r\n`.slice(0, 1 + ((i * 13) % 60));
      emitted += redactor.push(chunk).length;
      maxHeld = Math.max(maxHeld, redactor.heldLength);
    }
    expect(maxHeld).toBeLessThanOrEqual(12);
    expect(emitted + redactor.end().length).toBeGreaterThan(0);
  });

  it('a prompt that does not end in a possible secret is emitted in full', () => {
    const redactor = new StreamRedactor({});
    expect(redactor.push('user@host:~/project$ ')).toBe('user@host:~/project$ ');
    expect(redactor.heldLength).toBe(0);
  });

  it('a long run of token-like text is held no longer than the longest token', () => {
    const redactor = new StreamRedactor({});
    redactor.push('eyJ');
    for (let i = 0; i < 1000; i++) redactor.push('abcdefghij');
    expect(redactor.heldLength).toBeLessThanOrEqual(4600);
  });
});
