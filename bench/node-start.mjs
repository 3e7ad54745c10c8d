// Imported first by every bench script that starts sdd. Node reads the certificates named by
// NODE_EXTRA_CA_CERTS at each start, before any of sdd's code runs: on a machine that points it at the
// whole system bundle (as this one does) that is ~100 ms per process, more than sdd's own start-up.
// It is a setting of the machine, not a cost of sdd, and no bench talks TLS: the processes the benches
// start run without it, and the bench says so once, so that a figure is never read as sdd's when it
// is the machine's.

const variable = 'NODE_EXTRA_CA_CERTS';
if (process.env[variable]) {
  delete process.env[variable];
  process.stderr.write(
    `bench: ${variable} is set here; sdd runs without it (Node reads it at each start).\n`,
  );
}
