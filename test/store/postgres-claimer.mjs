// A separate server process, as far as the store can tell: its own pool and snapshot on the built
// code (dist/). Once told to go (a line on stdin), claims ready tasks of one project until none is
// left, then prints the ids it got.
//
//   node test/store/postgres-claimer.mjs <database url> <project> <actor>

import { EmbeddedService } from '../../dist/src/core/embedded-service.js';
import { openPostgresTeamStore } from '../../dist/src/store/postgres/postgres-team-store.js';

const [url, project, actor] = process.argv.slice(2);
const team = await openPostgresTeamStore(url);
const service = new EmbeddedService(team.trackerStore(project));
await service.ready(); // loaded and warm, like a server that has been up a while
// Both claimers start together: the parent says go once each has printed "ready".
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const claimed = [];
for (;;) {
  try {
    claimed.push((await service.claimNext(actor)).item.id);
  } catch (error) {
    if (error.code === 'NO_READY_WORK') break;
    throw error;
  }
}
await team.close();
process.stdout.write(`${JSON.stringify(claimed)}\n`);
