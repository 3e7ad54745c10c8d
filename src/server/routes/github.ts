// The GitHub mirror on a team server: its state per project (what the clones' syncs read and
// write), a sync run here with the server's token, and GitHub's webhook (outside the token check:
// GitHub signs its deliveries instead).

import { Type } from 'typebox';
import { ProjectParams } from '../../api/schemas.js';
import { checkAccess } from '../../core/access.js';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import type { GithubMirrorChange } from '../../core/github-mirror.js';
import { isIssuesEvent, signatureMatches } from '../../github/webhook.js';
import { type ApiApp, errorResponses, principalOf, type RouteContext } from '../api-app.js';
import type { GithubMirrors } from '../github-mirrors.js';

const tags = ['github'];

// Entries travel whole (the fields of GithubMirrorEntry); the keys the route relies on are checked.
const MirrorEntrySchema = Type.Object(
  { key: Type.String({ minLength: 1 }), number: Type.Integer(), issueId: Type.Integer() },
  { additionalProperties: true },
);

const MirrorChangeBody = Type.Object(
  {
    reset: Type.Optional(Type.Boolean()),
    entries: Type.Optional(Type.Array(MirrorEntrySchema)),
    settings: Type.Optional(
      Type.Object(
        {
          repo: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          apiUrl: Type.Optional(Type.Union([Type.String(), Type.Null()])),
          auto: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    lastSyncAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);

const SyncBody = Type.Object(
  { epic: Type.Optional(Type.String()), dryRun: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export function githubRoutes(app: ApiApp, { team, projects }: RouteContext, mirrors: GithubMirrors): void {
  app.get(
    '/projects/:project/github',
    {
      schema: {
        tags,
        operationId: 'githubMirror',
        params: ProjectParams,
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request) => {
      await projects.serviceFor(principalOf(request), request.params.project);
      const state = await team.githubMirrorStore(request.params.project).read();
      return { ...state, serverToken: mirrors.hasToken };
    },
  );

  app.post(
    '/projects/:project/github',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        operationId: 'changeGithubMirror',
        params: ProjectParams,
        body: MirrorChangeBody,
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'change-tree' });
      return team.githubMirrorStore(request.params.project).write(request.body as GithubMirrorChange);
    },
  );

  app.post(
    '/projects/:project/github/sync',
    {
      schema: {
        tags,
        operationId: 'githubSync',
        params: ProjectParams,
        body: SyncBody,
        response: { 200: Type.Unknown(), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      await projects.serviceFor(principal, request.params.project);
      checkAccess(principal, { kind: 'change-tree' });
      // Paced as GitHub asks, a first sync of a big epic takes minutes with nothing on the wire:
      // the idle-socket timeout must not cut the answer off (the sync itself would go on anyway).
      request.raw.socket.setTimeout(0);
      return mirrors.sync(request.params.project, request.body);
    },
  );
}

/** POST /api/v1/github/webhook: in a scope of its own, where JSON bodies stay raw bytes for the HMAC. */
export function githubWebhookRoute(app: ApiApp, mirrors: GithubMirrors): void {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: 25 * 1024 * 1024 },
    (_r, body, done) => done(null, body),
  );
  app.post('/github/webhook', { schema: { hide: true } }, async (request) => {
    const secret = mirrors.webhookSecret;
    if (!secret) {
      throw new NotFoundError(
        'This server takes no GitHub webhooks: start it with SDD_GITHUB_WEBHOOK_SECRET set.',
      );
    }
    const raw = request.body as Buffer;
    if (
      !Buffer.isBuffer(raw) ||
      !signatureMatches(secret, raw, request.headers['x-hub-signature-256'] as string | undefined)
    ) {
      throw new UnauthenticatedError(
        'The X-Hub-Signature-256 of this delivery does not match the webhook secret.',
      );
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new InvalidInputError(
        'The delivery is not JSON; set the webhook content type to application/json.',
      );
    }
    const event = request.headers['x-github-event'] as string | undefined;
    if (event === 'ping') return { ok: true, event };
    if (!isIssuesEvent(event, payload)) return { ok: true, event: event ?? null, ignored: true };
    return { ok: true, event, outcomes: await mirrors.webhook(payload) };
  });
}
