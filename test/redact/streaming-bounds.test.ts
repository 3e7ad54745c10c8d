// The streaming redactor catches every kind of secret wherever a read splits it, keeps the text
// around it, and holds back a bounded tail for a bounded time (flush).

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StreamRedactor } from '../../src/redact/index.js';
import { MAX_HELD_CHARS } from '../../src/redact/stream-redactor.js';
import { fake } from './fake-secrets.js';

function streamed(chunks: string[], options = {}): { text: string; counts: Record<string, number> } {
  const redactor = new StreamRedactor(options);
  const text = chunks.map((chunk) => redactor.push(chunk)).join('') + redactor.end();
  return { text, counts: redactor.counts() };
}

const KINDS: [string, string, string][] = [
  ['github-token', '', fake.githubClassic()],
  ['github-token', '', fake.githubFineGrained()],
  ['gitlab-token', '', fake.gitlab()],
  ['aws-access-key-id', '', fake.awsAccessKeyId()],
  ['openai-api-key', '', fake.openaiProject()],
  ['openai-api-key', '', fake.openaiLegacy()],
  ['anthropic-api-key', '', fake.anthropic()],
  ['google-api-key', '', fake.google()],
  ['slack-token', '', fake.slackBot()],
  ['slack-token', '', fake.slackApp()],
  ['stripe-key', '', fake.stripe()],
  ['jwt', '', fake.jwt()],
  ['private-key', '', fake.privateKey(6)],
  ['secret-assignment', 'export DEPLOY_SECRET=', 'correct-horse-battery'],
  ['secret-assignment', '"password": ', '"hunter22-but-longer"'],
  ['aws-secret-access-key', 'aws_secret_access_key = ', fake.awsSecret()],
  ['env:MY_SERVICE_TOKEN', 'got ', 'plain-value-42x'],
];
const OPTIONS = { secretsFromEnv: { MY_SERVICE_TOKEN: 'plain-value-42x' } };
const AFTER = '\r\nnext: "kept" as is, é ✓\r\n$ ';

function redacted(kind: string, name: string, secret: string): string {
  // A quoted assignment keeps its quotes.
  const value = secret.startsWith('"') ? `"[REDACTED:${kind}]"` : `[REDACTED:${kind}]`;
  return `$ ${name}${value}${AFTER}`;
}

describe('every kind of secret split across two reads', () => {
  for (const [kind, name, secret] of KINDS) {
    it(`a ${kind} (${secret.slice(0, 6)}…) split at every position is redacted once, the text after it intact`, () => {
      const line = `$ ${name}${secret}${AFTER}`;
      for (let at = 0; at <= line.length; at++) {
        const result = streamed([line.slice(0, at), line.slice(at)], OPTIONS);
        expect(result.text, `split at ${at}`).toBe(redacted(kind, name, secret));
        expect(result.counts, `split at ${at}`).toEqual({ [kind]: 1 });
      }
    });
  }
});

describe('what follows a redacted secret', () => {
  it('is emitted at once and whole, not held back with the secret', () => {
    const redactor = new StreamRedactor({});
    const out = redactor.push(`a ${fake.githubClassic()} b ${fake.awsAccessKeyId()}, c\r\n`);
    expect(out).toBe('a [REDACTED:github-token] b [REDACTED:aws-access-key-id], c\r\n');
    expect(redactor.heldLength).toBe(0);
  });

  it('two secrets next to each other are both redacted, the separator kept', () => {
    const line = `${fake.stripe()};${fake.google()}|${fake.jwt()}\n`;
    expect(streamed([line]).text).toBe('[REDACTED:stripe-key];[REDACTED:google-api-key]|[REDACTED:jwt]\n');
  });
});

describe('the held-back tail', () => {
  it('stays within MAX_HELD_CHARS on random base64 and random text, and all of it comes out', () => {
    const base64 = (
      randomBytes(200_000)
        .toString('base64')
        .match(/.{1,76}/g) ?? []
    ).join('\n');
    const printable = [...randomBytes(200_000)].map((byte) => String.fromCharCode(32 + (byte % 95))).join('');
    for (const text of [base64, printable, randomBytes(150_000).toString('base64')]) {
      const redactor = new StreamRedactor({});
      let out = '';
      for (let at = 0; at < text.length; at += 4096) {
        out += redactor.push(text.slice(at, at + 4096));
        expect(redactor.heldLength).toBeLessThanOrEqual(MAX_HELD_CHARS);
      }
      expect(out + redactor.end()).toBe(text);
    }
  });

  it('flush() emits a tail that only looked like the start of a token, and the stream goes on', () => {
    const redactor = new StreamRedactor({});
    expect(redactor.push('prompt ghp_abc')).toBe('prompt ');
    expect(redactor.heldLength).toBe(7);
    expect(redactor.flush()).toBe('ghp_abc');
    expect(redactor.heldLength).toBe(0);
    const token = fake.githubClassic();
    expect(redactor.push(` then ${token.slice(0, 9)}`)).toBe(' then ');
    expect(redactor.push(`${token.slice(9)} done`)).toBe('[REDACTED:github-token] done');
    expect(redactor.counts()).toEqual({ 'github-token': 1 });
  });

  it('flush() still redacts a complete secret at the end, and holds nothing after', () => {
    const redactor = new StreamRedactor({});
    expect(redactor.push(`key ${fake.google()}`)).toBe('key ');
    expect(redactor.flush()).toBe('[REDACTED:google-api-key]');
    expect(redactor.flush()).toBe('');
  });

  it('flush() redacts a key block cut off so far, as end() would', () => {
    const header = ['-----BEGIN', ' EC PRIVATE KEY-----\n'].join('');
    const redactor = new StreamRedactor({});
    expect(redactor.push(`x\n${header}MHcCAQEEIKq1w`)).toBe('x\n');
    expect(redactor.flush()).toBe('[REDACTED:private-key]');
  });
});
