// A failure that is sdd's own bug, never the caller's: the error handler logs it and answers 500.

export class InternalError extends Error {
  constructor(message: string) {
    super(`internal: ${message}`);
    this.name = 'InternalError';
  }
}
