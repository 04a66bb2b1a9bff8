/** `npx tsx test/mlflow-server/cli.ts [--port N] [--token T] [--no-serve-artifacts]`: a stand-in MLflow server until Ctrl-C. */
import { startMlflowServer } from './server.ts';

const argv = process.argv.slice(2);
const value = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
};
const server = await startMlflowServer({
  port: Number(value('--port') ?? 0),
  token: value('--token'),
  serveArtifacts: !argv.includes('--no-serve-artifacts'),
});
process.stdout.write(`${server.url}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
