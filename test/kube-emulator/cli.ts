import { startKubeEmulator } from './index.ts';

/**
 * `npm run kube-emulator [-- --port N --time-scale X --token T --namespaces a,b --kubeconfig PATH --require-token]`:
 * prints the kubeconfig's path on stdout and runs until interrupted.
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
const stop = () => void emulator.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
