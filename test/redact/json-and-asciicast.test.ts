import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactAsciicastFile, redactJsonLine } from '../../src/redact/index.js';
import { fake } from './fake-secrets.js';

describe('redactJsonLine', () => {
  it('redacts inside an asciicast event and keeps it valid JSON', () => {
    const line = JSON.stringify([1.25, 'o', `\x1b[32m${fake.githubClassic()}\x1b[0m "quoted"\r\n`]);
    const { line: redacted, counts } = redactJsonLine(line);
    expect(JSON.parse(redacted)).toEqual([1.25, 'o', '\x1b[32m[REDACTED:github-token]\x1b[0m "quoted"\r\n']);
    expect(counts).toEqual({ 'github-token': 1 });
  });

  it('a secret-named field of a transcript record loses its whole value', () => {
    const line = JSON.stringify({ type: 'tool_use', input: { command: 'deploy', api_key: 'abc-123-def' } });
    const { line: redacted, counts } = redactJsonLine(line);
    expect(JSON.parse(redacted)).toEqual({
      type: 'tool_use',
      input: { command: 'deploy', api_key: '[REDACTED:secret-assignment]' },
    });
    expect(counts).toEqual({ 'secret-assignment': 1 });
  });

  it('a private key inside an encoded string (newlines as \\n) is found after decoding', () => {
    const line = JSON.stringify({ content: `here:\n${fake.privateKey(5)}\ndone` });
    expect(JSON.parse(redactJsonLine(line).line)).toEqual({ content: 'here:\n[REDACTED:private-key]\ndone' });
  });

  it('a line with nothing to redact comes back byte for byte', () => {
    const line = '[0.100000, "o", "hello \\u001b[0m"]';
    expect(redactJsonLine(line)).toEqual({ line, counts: {} });
  });

  it('a line that is not JSON is still redacted as text', () => {
    expect(redactJsonLine(`[1.0, "o", "${fake.stripe()}`).line).toBe('[1.0, "o", "[REDACTED:stripe-key]');
  });
});

describe('redactAsciicastFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sdd-redact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes valid asciicast with the header kept and a secret split across two events gone', async () => {
    const token = fake.githubClassic();
    const header = {
      version: 2,
      width: 80,
      height: 24,
      timestamp: 1700000000,
      env: { TERM: 'xterm-256color' },
    };
    const events: unknown[] = [
      [0.1, 'o', '$ echo $GH\r\n'],
      [0.2, 'o', token.slice(0, 10)],
      [0.25, 'i', 'q'],
      [0.3, 'o', `${token.slice(10)}\r\n`],
      [0.4, 'r', '100x30'],
      [0.5, 'o', `env token ${'env-secret-value'.slice(0, 5)}`],
      [0.6, 'o', `${'env-secret-value'.slice(5)} done\r\n$ `],
    ];
    const input = join(dir, 'in.cast');
    const output = join(dir, 'out.cast');
    await writeFile(input, `${[header, ...events].map((line) => JSON.stringify(line)).join('\n')}\n`);

    const counts = await redactAsciicastFile(input, output, {
      secretsFromEnv: { DEPLOY_TOKEN: 'env-secret-value' },
    });

    const lines = (await readFile(output, 'utf8')).trimEnd().split('\n');
    const parsed = lines.map((line) => JSON.parse(line));
    expect(parsed[0]).toEqual(header);
    for (const event of parsed.slice(1)) {
      expect(Array.isArray(event) && event.length === 3 && typeof event[0] === 'number').toBe(true);
    }
    const screen = parsed
      .slice(1)
      .filter((event) => event[1] === 'o')
      .map((event) => event[2])
      .join('');
    expect(screen).toBe(
      '$ echo $GH\r\n[REDACTED:github-token]\r\nenv token [REDACTED:env:DEPLOY_TOKEN] done\r\n$ ',
    );
    expect(parsed.some((event) => event[1] === 'i' && event[2] === 'q')).toBe(true);
    expect(parsed.some((event) => event[1] === 'r' && event[2] === '100x30')).toBe(true);
    expect(counts).toEqual({ 'github-token': 1, 'env:DEPLOY_TOKEN': 1 });
    const times = parsed.slice(1).map((event) => event[0] as number);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('text still held at the end of the file is flushed as a last event', async () => {
    const input = join(dir, 'in.cast');
    const output = join(dir, 'out.cast');
    await writeFile(
      input,
      `${JSON.stringify({ version: 2, width: 80, height: 24 })}\n[0.5, "o", "key ${fake.google()}"]\n`,
    );
    const counts = await redactAsciicastFile(input, output);
    const lines = (await readFile(output, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.slice(1)).toEqual([
      [0.5, 'o', 'key '],
      [0.5, 'o', '[REDACTED:google-api-key]'],
    ]);
    expect(counts).toEqual({ 'google-api-key': 1 });
  });
});
