// The SessionStore contract against the local spool of a clone, as `sdd` uses it.

import { LocalSessionStore } from '../../src/sessions/local-session-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { describeSessionStoreContract } from './session-store-contract.js';

describeSessionStoreContract('local spool', async () => {
  const dir = await makeTempDir();
  return { store: new LocalSessionStore(dir.path), close: dir.remove };
});
