// The contract suite against the embedded Service: lowdb in a temp folder, as `sdd` uses it.

import { join } from 'node:path';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeServiceContract } from './service-contract.js';

describeServiceContract('embedded (lowdb)', async () => {
  const dir = await makeTempDir();
  const service = new EmbeddedService(new LowdbStore(join(dir.path, '.sdd', 'local', 'db.json'), 'sd'));
  return { service, close: dir.remove };
});
