// The provider tokens the redactor knows, as data. Each entry follows a rule of gitleaks'
// config/gitleaks.toml (named by its rule id in `source`), the list most secret scanners copy.

export interface TokenPattern {
  kind: string;
  /** The gitleaks rule ids this entry follows; "(sdd)" marks where it was widened and why. */
  source: string;
  /** Literal starts of the token: a stream tail that could grow into one of them is held back. */
  prefixes: readonly string[];
  /** The whole token, end boundary included; the start boundary is added by the detector. */
  regex: string;
  /** Every character that may follow a prefix, and how many of them at most. */
  body: string;
  maxBody: number;
  /** Tokens of this shape that are published examples, not secrets. */
  allow?: RegExp;
}

export const TOKEN_PATTERNS: readonly TokenPattern[] = [
  {
    kind: 'github-token',
    source: 'github-pat, github-oauth, github-app-token, github-refresh-token, github-fine-grained-pat',
    prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    regex: '(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})(?![A-Za-z0-9_])',
    body: '[A-Za-z0-9_]',
    maxBody: 82,
  },
  {
    kind: 'gitlab-token',
    source: 'gitlab-pat (sdd: also the longer routable form, dots inside)',
    prefixes: ['glpat-'],
    regex: 'glpat-[A-Za-z0-9_-]{20}(?:[A-Za-z0-9_.-]{0,80}[A-Za-z0-9_-])?(?![A-Za-z0-9_-])',
    body: '[A-Za-z0-9_.-]',
    maxBody: 101,
  },
  {
    kind: 'aws-access-key-id',
    source: 'aws-access-token (with its allowlist of ...EXAMPLE ids)',
    prefixes: ['A3T', 'AKIA', 'ASIA', 'ABIA', 'ACCA'],
    regex: '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9_])',
    body: '[A-Z0-9]',
    maxBody: 17,
    allow: /EXAMPLE$/,
  },
  {
    kind: 'anthropic-api-key',
    source: 'anthropic-api-key, anthropic-admin-api-key (sdd: also oat01/ort01 OAuth tokens, length 80-120)',
    prefixes: ['sk-ant-'],
    regex: 'sk-ant-(?:api03|admin01|oat01|ort01)-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])',
    body: '[A-Za-z0-9_-]',
    maxBody: 135,
  },
  {
    kind: 'openai-api-key',
    source: 'openai-api-key (sdd: a proj/svcacct/admin key is taken without its T3BlbkFJ mark)',
    prefixes: ['sk-'],
    regex:
      'sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])',
    body: '[A-Za-z0-9_-]',
    maxBody: 258,
  },
  {
    kind: 'google-api-key',
    source: 'gcp-api-key',
    prefixes: ['AIza'],
    regex: 'AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])',
    body: '[A-Za-z0-9_-]',
    maxBody: 35,
  },
  {
    kind: 'slack-token',
    source: 'slack-bot-token, slack-user-token, slack-legacy-token, slack-app-token',
    prefixes: ['xoxa-', 'xoxb-', 'xoxe-', 'xoxo-', 'xoxp-', 'xoxr-', 'xoxs-', 'xapp-'],
    regex:
      '(?:xox[abeoprs]-[0-9]{6,13}-[A-Za-z0-9-]{8,250}|xapp-[0-9]-[A-Z0-9]{6,32}-[0-9]{6,16}-[A-Za-z0-9]{16,128})(?![A-Za-z0-9-])',
    body: '[A-Za-z0-9-]',
    maxBody: 270,
  },
  {
    kind: 'slack-webhook',
    source: 'slack-webhook-url (the scheme stays visible)',
    prefixes: ['hooks.slack.com/'],
    regex: 'hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{43,56}(?![A-Za-z0-9+/])',
    body: '[A-Za-z0-9+/]',
    maxBody: 66,
  },
  {
    kind: 'stripe-key',
    source: 'stripe-access-token (publishable pk_ keys are public by design and left alone)',
    prefixes: ['sk_', 'rk_'],
    regex: '[sr]k_(?:live|test|prod)_[A-Za-z0-9]{10,99}(?![A-Za-z0-9_])',
    body: '[A-Za-z0-9_]',
    maxBody: 105,
  },
  {
    kind: 'jwt',
    source: 'jwt (sdd: signature required, each part at most 1500 characters)',
    prefixes: ['eyJ'],
    regex: 'eyJ[A-Za-z0-9_-]{10,1500}\\.eyJ[A-Za-z0-9_-]{10,1500}\\.[A-Za-z0-9_-]{10,1500}(?![A-Za-z0-9_-])',
    body: '[A-Za-z0-9_.-]',
    maxBody: 4510,
  },
];
