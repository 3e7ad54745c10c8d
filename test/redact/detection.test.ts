import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/redact/index.js';
import { alnum, fake } from './fake-secrets.js';

describe('each kind of secret is redacted', () => {
  const cases: [string, string, string][] = [
    ['GitHub classic token', fake.githubClassic(), 'github-token'],
    ['GitHub OAuth token', fake.githubOauth(), 'github-token'],
    ['GitHub fine-grained token', fake.githubFineGrained(), 'github-token'],
    ['GitLab token', fake.gitlab(), 'gitlab-token'],
    ['AWS access key id', fake.awsAccessKeyId(), 'aws-access-key-id'],
    ['OpenAI project key', fake.openaiProject(), 'openai-api-key'],
    ['OpenAI legacy key', fake.openaiLegacy(), 'openai-api-key'],
    ['Anthropic key', fake.anthropic(), 'anthropic-api-key'],
    ['Google API key', fake.google(), 'google-api-key'],
    ['Slack bot token', fake.slackBot(), 'slack-token'],
    ['Slack app token', fake.slackApp(), 'slack-token'],
    ['Stripe secret key', fake.stripe(), 'stripe-key'],
    ['JWT', fake.jwt(), 'jwt'],
    ['private key block', fake.privateKey(), 'private-key'],
  ];

  for (const [name, secret, kind] of cases) {
    it(`${name} becomes [REDACTED:${kind}]`, () => {
      const { text, counts } = redactText(`before ${secret} after\n`);
      expect(text).toBe(`before [REDACTED:${kind}] after\n`);
      expect(counts).toEqual({ [kind]: 1 });
    });
  }

  it('a Slack webhook URL keeps its scheme and loses its path', () => {
    const { text, counts } = redactText(`curl -X POST ${fake.slackWebhook()} -d x`);
    expect(text).toBe('curl -X POST https://[REDACTED:slack-webhook] -d x');
    expect(counts).toEqual({ 'slack-webhook': 1 });
  });

  it('an AWS secret key is redacted next to its name', () => {
    const secret = fake.awsSecret();
    const { text, counts } = redactText(`aws_secret_access_key = ${secret}\n"SecretAccessKey": "${secret}"`);
    expect(text).toBe(
      'aws_secret_access_key = [REDACTED:aws-secret-access-key]\n"SecretAccessKey": "[REDACTED:aws-secret-access-key]"',
    );
    expect(counts).toEqual({ 'aws-secret-access-key': 2 });
  });

  it('a token assigned to a secret-named variable is counted by its provider', () => {
    const { text, counts } = redactText(`GITHUB_TOKEN=${fake.githubClassic()}`);
    expect(text).toBe('GITHUB_TOKEN=[REDACTED:github-token]');
    expect(counts).toEqual({ 'github-token': 1 });
  });
});

describe('lookalikes are left alone', () => {
  const lookalikes: [string, string][] = [
    ['a git commit id', 'commit 3f786850e387550fdd697d3c8c4a6b2f1d6a1a3b (HEAD -> main)'],
    ['a UUID', 'session 123e4567-e89b-12d3-a456-426614174000 started'],
    ['sk- followed by a short word', 'see sk-learn and sk-abc, or task-force'],
    [
      'base64 of ordinary text',
      Buffer.from('the quick brown fox jumps over the lazy dog, twice over').toString('base64'),
    ],
    ['a 40-character hex hash without a name', `sha1 ${'a1b2c3d4e5'.repeat(4)}`],
    ['a token prefix inside a word', `highghp_${alnum(36)} and xAKIA${'Q'.repeat(16)}`],
    ['a GitHub prefix with too long a body', `ghp_${alnum(40)}`],
    ['the documented AWS example key id', ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')],
    ['a Stripe publishable key', `pk_live_${alnum(24)}`],
    ['a public key block', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----'],
    ['ordinary words ending in key or token', 'monkey: banana, max_tokens: 1000, hotkey=ctrl'],
    ['a type annotation', 'interface Config { apiKey: string; password: string }'],
    ['a reference to another variable', 'FOO_TOKEN=$BAR_TOKEN API_KEY=process.env.KEY PASSWORD=********'],
    ['the working directory', 'PWD=/home/dev/project'],
  ];

  for (const [name, text] of lookalikes) {
    it(`${name} is not redacted`, () => {
      expect(redactText(text)).toEqual({ text, counts: {} });
    });
  }
});

describe('assignments to secret-named variables', () => {
  it('export FOO_SECRET="..." loses the value and keeps the quotes', () => {
    expect(redactText('export FOO_SECRET="correct horse battery"; echo ok').text).toBe(
      'export FOO_SECRET="[REDACTED:secret-assignment]"; echo ok',
    );
  });

  it('FOO_TOKEN=abc, unquoted, loses the value', () => {
    expect(redactText('FOO_TOKEN=abc ./run.sh').text).toBe('FOO_TOKEN=[REDACTED:secret-assignment] ./run.sh');
  });

  it('a JSON "password" field loses its value', () => {
    const { text, counts } = redactText('{"user": "ann", "password": "hunter22"}');
    expect(text).toBe('{"user": "ann", "password": "[REDACTED:secret-assignment]"}');
    expect(counts).toEqual({ 'secret-assignment': 1 });
  });

  it('YAML `password: ...` and camelCase `apiKey: "..."` lose their values', () => {
    expect(redactText('password: hunter22\napiKey: "k-12345678"').text).toBe(
      'password: [REDACTED:secret-assignment]\napiKey: "[REDACTED:secret-assignment]"',
    );
  });

  it('a single-quoted value loses exactly its characters, quotes and what follows kept', () => {
    expect(redactText("db_password='two words' && next --flag").text).toBe(
      "db_password='[REDACTED:secret-assignment]' && next --flag",
    );
  });

  it('the secret word is found in any case, also through a case mapping beyond ASCII', () => {
    expect(redactText('Api_TOKEN: abc123xyz; PASSWD=hunter22').text).toBe(
      'Api_TOKEN: [REDACTED:secret-assignment]; PASSWD=[REDACTED:secret-assignment]',
    );
    // U+212A KELVIN SIGN lowers to k: "TOKEN" spelt with it still names a secret.
    expect(redactText('TO\u212AEN=abc123xyz end').text).toBe('TO\u212AEN=[REDACTED:secret-assignment] end');
  });

  it('a type name after the name is a placeholder, with trailing punctuation or not; a longer word is a value', () => {
    expect(redactText('password: string;').text).toBe('password: string;');
    expect(redactText('token: Boolean?,').text).toBe('token: Boolean?,');
    expect(redactText('token: stringstring;').text).toBe('token: [REDACTED:secret-assignment];');
  });
});
