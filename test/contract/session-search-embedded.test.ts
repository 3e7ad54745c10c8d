// The session search contract on a clone's spool, with the tracker embedded, as `sdd` uses them.

import { join } from 'node:path';
import { EmbeddedService } from '../../src/core/embedded-service.js';
import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { PersistentTextCache, searchCacheFolder } from '../../src/sessions/session-search-cache.js';
import { StoredSessionSearch } from '../../src/sessions/session-search-index.js';
import { LowdbStore } from '../../src/store/lowdb-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeSessionSearchContract } from './session-search-contract.js';

describeSessionSearchContract('local spool', async () => {
  const dir = await makeTempDir();
  const service = new EmbeddedService(new LowdbStore(join(dir.path, '.sdd', 'local', 'db.json'), 'sd'));
  const store = new LocalSessionStore(dir.path);
  const search = new StoredSessionSearch(
    store,
    () => service.listItems(),
    new PersistentTextCache(searchCacheFolder(dir.path)),
  );
  return { store, search, service, close: dir.remove };
});
