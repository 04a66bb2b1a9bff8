/**
 * Cluster pre-flight of the 1,000-node pipeline against the emulator with 64 GPU nodes and 400 running pods:
 * the requests one check makes (one list per resource kind, however many steps; one access review per
 * verb the target needs) and its median time, end to end and for the analysis alone (the cluster already read).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { catalog } from '../../node-catalog/index.ts';
import { runPreflight } from '../../electron/services/preflight/index.ts';
import { readClusterSnapshot } from '../../electron/services/preflight/clusterSnapshot.ts';
import { preflightFindings } from '../../shared/preflight/preflight.ts';
import { runNeeds } from '../../shared/preflight/requirements.ts';
import { gpuNode, H100, runningPod } from '../fixtures/preflightCluster.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import { estimateBenchPipeline } from './estimate.bench.ts';

const RUNS = 11;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function run() {
  const doc = estimateBenchPipeline();
  doc.settings = { ...doc.settings, secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }], checkpointPvc: 'ckpt' };
  doc.nodes = doc.nodes.map((n) => (n.resources?.gpus ? { ...n, resources: { ...n.resources, gpuProduct: H100 } } : n));
  const emulator = await startKubeEmulator({ namespaces: ['ml', 'other'] });
  try {
    for (let i = 0; i < 64; i++) emulator.apply('nodes', gpuNode(`gpu-${i}`, i % 2 ? H100 : 'NVIDIA-A100-SXM4-80GB', 8));
    for (let i = 0; i < 400; i++) emulator.apply('pods', runningPod(`p-${i}`, `gpu-${i % 64}`, 1));
    const load = () => {
      const kc = new KubeConfig();
      kc.loadFromFile(emulator.kubeconfigPath);
      return kc;
    };
    const opts = { target: 'argo' as const, context: emulator.context, namespace: 'ml', load };
    const steps = runNeeds(doc, catalog).steps.length;

    emulator.clearRequests();
    const report = await runPreflight(doc, catalog, opts);
    const requests = [...emulator.requests];
    const perPath = new Map<string, number>();
    for (const r of requests) perPath.set(`${r.method} ${r.path}`, (perPath.get(`${r.method} ${r.path}`) ?? 0) + 1);
    const lists = [...perPath].filter(([k]) => k.startsWith('GET /api/v1/') && !k.includes('/services/'));
    const repeated = lists.filter(([, n]) => n > 1);
    if (repeated.length > 0) throw new Error(`a resource kind was listed more than once: ${repeated.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    if (report.findings.length === 0) throw new Error('the bench cluster should leave findings (the missing Secret and PVC)');

    const total: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await runPreflight(doc, catalog, opts);
      total.push(performance.now() - start);
    }
    const kc = load();
    kc.setCurrentContext(emulator.context);
    const snapshot = await readClusterSnapshot(kc, { target: 'argo', namespace: 'ml', wantSecrets: true, wantPvcs: true });
    const analysis: number[] = [];
    for (let i = 0; i < RUNS * 3; i++) {
      const start = performance.now();
      preflightFindings(runNeeds(doc, catalog), snapshot);
      analysis.push(performance.now() - start);
    }
    console.log(`pre-flight of ${doc.nodes.length} nodes (${steps} steps) on 64 GPU nodes / 400 pods: ${requests.length} requests (${lists.length} lists, each once: ${lists.map(([k]) => k.replace('GET ', '')).join(', ')}), ${report.findings.length} findings`);
    return [
      { name: 'preflight 1000 nodes requests per check', value: requests.length, unit: 'requests' },
      { name: 'preflight 1000 nodes lists per check', value: lists.length, unit: 'lists' },
      { name: 'preflight 1000 nodes end to end (median)', value: Math.round(median(total) * 10) / 10, unit: 'ms' },
      { name: 'preflight 1000 nodes analysis (median)', value: Math.round(median(analysis) * 10) / 10, unit: 'ms' },
    ];
  } finally {
    await emulator.close();
  }
}
