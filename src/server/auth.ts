// The one check at the door of /api/v1/: a bearer token the team store knows and has not revoked.
// Which project and what action it may reach is decided per route (src/core/access.ts).

import type { FastifyRequest } from 'fastify';
import { parseToken, secretMatches } from '../auth/tokens.js';
import type { Principal } from '../core/access.js';
import { UnauthenticatedError } from '../core/errors.js';
import type { TeamStore } from '../core/team-store.js';

export async function authenticate(team: TeamStore, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization;
  if (!header) {
    throw new UnauthenticatedError(
      'No token: send "Authorization: Bearer <token>" (`sdd login <url>` keeps one).',
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const parts = match ? parseToken(match[1]!) : null;
  const record = parts ? await team.getToken(parts.id) : null;
  // One message for every bad token: which part was wrong is nobody's business.
  if (!parts || !record || !secretMatches(record, parts.secret) || record.revokedAt !== null) {
    throw new UnauthenticatedError(
      'The token is not valid on this server (mistyped, revoked, or from another server); get a new one from an admin.',
    );
  }
  return { tokenId: record.id, user: record.user, role: record.role, project: record.project };
}
