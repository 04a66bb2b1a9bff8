/** Browser mode for the end-to-end tests: a server on a free port with the given data dir; prints one JSON line. */
import { startServer } from '../../electron/server/server.ts';

const [dataDir, staticDir] = process.argv.slice(2);
const server = await startServer({ dataDir, staticDir });
process.stdout.write(`${JSON.stringify({ url: server.url, origin: server.origin, token: server.token })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
