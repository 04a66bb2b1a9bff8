/** Browser mode for the end-to-end tests: a server on a free port with the given data dir; prints one JSON line. */
import { startServer } from '../../electron/server/server.ts';
import { createRunsService } from '../../electron/services/runsService.ts';

const [dataDir, staticDir] = process.argv.slice(2);
// Runs really execute: local ones here, cluster ones on the cluster in KUBECONFIG (the run E2E points it at the emulator).
const runs = createRunsService({ dataDir });
const port = Number(process.env.PIPEWRIGHT_E2E_PORT) || 0;
const token = process.env.PIPEWRIGHT_E2E_TOKEN || undefined;
const server = await startServer({ dataDir, staticDir, runs: runs.manager, port, token });
process.stdout.write(`${JSON.stringify({ url: server.url, origin: server.origin, token: server.token })}\n`);
const stop = () => void Promise.allSettled([runs.manager.close(), server.close()]).then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
