// Fake secrets built from parts, so that no file of this repository looks like it holds a real one
// to a secret scanner, while each still has the exact shape its detector expects.

const ALNUM = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5cD7eF9gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0';

/** `n` mixed letters and digits, deterministic. */
export function alnum(n: number, offset = 0): string {
  let text = '';
  for (let i = 0; i < n; i++) text += ALNUM.charAt((i * 7 + offset) % ALNUM.length);
  return text;
}

export const fake = {
  githubClassic: () => ['gh', 'p_', alnum(36)].join(''),
  githubOauth: () => ['gh', 'o_', alnum(36, 3)].join(''),
  githubFineGrained: () => ['github', '_pat_', alnum(22), '_', alnum(59, 5)].join(''),
  gitlab: () => ['gl', 'pat-', alnum(20, 2)].join(''),
  awsAccessKeyId: () => ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join(''),
  awsSecret: () => [alnum(20, 1), '/', alnum(19, 4)].join(''),
  openaiProject: () => ['sk', '-proj-', alnum(60, 6), '_', alnum(40, 2)].join(''),
  openaiLegacy: () => ['sk', '-', alnum(20), 'T3Blbk', 'FJ', alnum(20, 9)].join(''),
  anthropic: () => ['sk', '-ant-', 'api03-', alnum(93, 8), 'AA'].join(''),
  google: () => ['AI', 'za', 'Sy', alnum(33, 3)].join(''),
  slackBot: () => ['xo', 'xb-', '1234567890123', '-', '1234567890123', '-', alnum(24)].join(''),
  slackApp: () =>
    ['xa', 'pp-', '1-', 'A0123ABCDEF', '-', '1234567890123', '-', alnum(64, 4).toLowerCase()].join(''),
  slackWebhook: () =>
    ['https://', 'hooks.', 'slack.com/services/', 'T0123ABCD', '/', 'B0123ABCD', '/', alnum(24, 2)].join(''),
  stripe: () => ['sk', '_live_', alnum(24, 5)].join(''),
  jwt: () =>
    [
      ['ey', 'J', 'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'].join(''),
      ['ey', 'J', 'zdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0'].join(''),
      alnum(43, 11),
    ].join('.'),
  privateKey: (lines = 25) =>
    [
      ['-----BEGIN', ' RSA PRIVATE', ' KEY-----'].join(''),
      ...Array.from({ length: lines }, (_, i) => alnum(64, i)),
      ['-----END', ' RSA PRIVATE', ' KEY-----'].join(''),
    ].join('\n'),
};
