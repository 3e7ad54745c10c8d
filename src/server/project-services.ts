// The Service of each project a server holds: the same EmbeddedService the CLI uses, over the
// project's Store, made once and kept. A request for a project the token may not see, or that does
// not exist, gets one answer: not found.

import { checkProjectAccess, type Principal } from '../core/access.js';
import { EmbeddedService } from '../core/embedded-service.js';
import { NotFoundError } from '../core/errors.js';
import type { Service } from '../core/service.js';
import type { TeamStore } from '../core/team-store.js';

export class ProjectServices {
  private readonly services = new Map<string, Service>();

  constructor(readonly team: TeamStore) {}

  async serviceFor(principal: Principal, projectId: string): Promise<Service> {
    checkProjectAccess(principal, projectId);
    const known = this.services.get(projectId);
    if (known) return known;
    if (!(await this.team.getProject(projectId)))
      throw new NotFoundError(`No project "${projectId}" on this server.`);
    const service = new EmbeddedService(this.team.trackerStore(projectId));
    this.services.set(projectId, service);
    return service;
  }
}
