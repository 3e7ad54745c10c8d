// Who may do what on a team server: a token's role and project decide, the same rule for every
// endpoint. A token bound to another project sees nothing of this one (NotFound, not Forbidden).

import { ForbiddenError, NotFoundError } from './errors.js';
import type { Role } from './team-store.js';
import { type ItemType, isContainerType } from './types.js';

/** The holder of a valid token. */
export interface Principal {
  tokenId: string;
  user: string;
  role: Role;
  project: string | null;
}

/** What a request does, as far as access goes. */
export type Access =
  | { kind: 'read' }
  /** createItem of this type. */
  | { kind: 'create-item'; type: ItemType }
  /** update, note, claim, release, done on an item of this type. */
  | { kind: 'change-item'; type: ItemType }
  /** Dependencies, task-list import, push: changes to the tree's shape. */
  | { kind: 'change-tree' }
  /** Putting a session's record, appending to its files: what `sdd run` uploads. */
  | { kind: 'record-session' }
  /** Saving a version of a team context document (constitution, product, ...). */
  | { kind: 'change-context' }
  /** Recording a decision, about any item: agents make them while they work. */
  | { kind: 'record-decision' }
  | { kind: 'create-project' }
  | { kind: 'manage-tokens' };

/** Throws NotFoundError when the token may not see `projectId` at all. */
export function checkProjectAccess(principal: Principal, projectId: string): void {
  if (principal.project !== null && principal.project !== projectId) {
    throw new NotFoundError(`No project "${projectId}" on this server.`);
  }
}

/** Throws ForbiddenError, saying which role would do, when `principal` may not do `access`. */
export function checkAccess(principal: Principal, access: Access): void {
  const refusal = refusalOf(principal, access);
  if (refusal) throw new ForbiddenError(`${principal.user} (${principal.role} token) ${refusal}.`);
}

function refusalOf(principal: Principal, access: Access): string | null {
  const { role } = principal;
  // A token bound to a project could not even see a project it made.
  if (access.kind === 'create-project' && principal.project !== null) {
    return 'is bound to one project and cannot create others; an admin or member token not bound to a project can';
  }
  if (role === 'admin') return null;
  switch (access.kind) {
    case 'read':
      return null;
    case 'record-session':
      return role === 'viewer' ? 'may only read; a member or agent token can upload sessions' : null;
    case 'change-context':
      return role === 'member' ? null : 'cannot change the team context; a member token can';
    case 'record-decision':
      return role === 'viewer' ? 'may only read; a member or agent token can record decisions' : null;
    case 'manage-tokens':
      return 'cannot manage tokens; an admin token can';
    case 'create-project':
      if (role === 'member') return null;
      return 'cannot create projects; an admin token, or a member token not bound to a project, can';
    case 'change-tree':
      return role === 'member' ? null : `cannot change dependencies or import task lists; a member token can`;
    case 'create-item':
    case 'change-item':
      if (role === 'member') return null;
      if (role === 'agent' && !isContainerType(access.type)) return null;
      return role === 'agent'
        ? `may work on tasks only, not on ${access.type === 'epic' ? 'an epic' : 'a feature'}; a member token can`
        : 'may only read; a member or agent token can make changes';
  }
}
