import { startKubeEmulator } from './index.ts';

/**
 * `npm run kube-emulator [-- --port N --time-scale X --token T --namespaces a,b --kubeconfig PATH --require-token --exit-with-stdin]`:
 * prints the kubeconfig's path on stdout and runs until interrupted (or, with --exit-with-stdin, until its
 * stdin closes: how the app's "Use the local emulator" makes it end with the app).
 */
function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const emulator = await startKubeEmulator({
  port: flag('port') ? Number(flag('port')) : 0,
  timeScale: flag('time-scale') ? Number(flag('time-scale')) : 1,
  token: flag('token'),
  namespaces: flag('namespaces')?.split(',').filter(Boolean),
  requireToken: process.argv.includes('--require-token'),
  kubeconfigPath: flag('kubeconfig'),
});
process.stdout.write(`${emulator.kubeconfigPath}\n`);
process.stderr.write(`Kubernetes API emulator at ${emulator.url} (context ${emulator.context}); KFP API at ${emulator.kfpUrl}\nexport KUBECONFIG=${emulator.kubeconfigPath}\n`);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (process.argv.includes('--exit-with-stdin')) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
