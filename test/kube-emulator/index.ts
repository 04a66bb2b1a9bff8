import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AccessPolicy } from './access.ts';
import type { AccessRule } from './access.ts';
import type { StepBehavior, StepSelector } from './controller/behavior.ts';
import type { ExecuteOptions } from './controller/exec.ts';
import { WorkflowController } from './controller/workflow-controller.ts';
import { tickCronWorkflow } from './controller/cron.ts';
import type { CronTick } from './controller/cron.ts';
import type { PrometheusAnswer } from './controller/rollouts.ts';
import { RolloutController } from './controller/rollouts.ts';
import { Faults } from './faults.ts';
import { KfpApi } from './kfp/api.ts';
import { KfpExecutionBackend } from './kfp/execute.ts';
import { KfpMultiUser, startKfpFrontDoors } from './kfp/multiUser.ts';
import type { KfpFrontDoors, KfpMultiUserOptions } from './kfp/multiUser.ts';
import { writeKubeconfig, EMULATOR_CONTEXT } from './kubeconfig.ts';
import { LogStore } from './logs.ts';
import { defaultPodRequests } from './quota.ts';
import { RESOURCES, workflowCrd } from './resources.ts';
import { handleRequest } from './server.ts';
import type { ProxyHandler, RecordedRequest, ServerContext } from './server.ts';
import { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';
import { WatchRegistry } from './watch.ts';

export type { StepBehavior, StepOutcome, StepSelector } from './controller/behavior.ts';
export type { ExecuteOptions } from './controller/exec.ts';
export type { PrometheusAnswer } from './controller/rollouts.ts';
export type { CronTick } from './controller/cron.ts';
export { BEHAVIOR_ANNOTATION } from './controller/behavior.ts';
export type { AccessRule } from './access.ts';
export type { FailOptions, FaultMatch, FaultStats, RestartOptions } from './faults.ts';
export type { Faults } from './faults.ts';
export type { KubeObject } from './types.ts';
export { EMULATOR_CONTEXT } from './kubeconfig.ts';
export type { RecordedRequest } from './server.ts';

export interface KubeEmulatorOptions {
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** Bearer token the kubeconfig carries and every request must present (default 'pipewright-emulator-token'); null: no authentication. */
  token?: string | null;
  /**
   * Also refuse requests that carry no credentials (default false). kubectl never sends a token to a
   * plain-http server (client-go applies user credentials only over TLS), so it needs this off.
   */
  requireToken?: boolean;
  /** User name in RBAC messages (default 'pipewright'). */
  user?: string;
  /** Real ms per emulated ms: 1 = step scripts take seconds; 0.05 = a whole run in well under 2 s (default 1). */
  timeScale?: number;
  /** Argo's Workflow CRD and API served (default true); false: the cluster has no Argo. */
  argo?: boolean;
  /** KFP's `ml-pipeline` service answered in `kubeflow` (default true). */
  kfp?: boolean;
  /** Extra namespaces besides `default` and `kubeflow`. */
  namespaces?: string[];
  /** Namespace of the kubeconfig context (default 'default'). */
  contextNamespace?: string;
  /** Where to write the kubeconfig (default: a new temporary folder). */
  kubeconfigPath?: string;
  /** Ms between BOOKMARK events on watches that allow them (default 1000). */
  bookmarkIntervalMs?: number;
  /** Changes retained for watches before older resourceVersions get 410 (default 10000). */
  historyLimit?: number;
  /**
   * Execute mode: the main container of every step not scripted with `lines` runs for real as a process on
   * this machine, with artifacts and volumes kept under `root` (controller/exec.ts). Off by default.
   */
  execute?: ExecuteOptions;
  /** KFP in multi-user mode (kfp/multiUser.ts): profiles, login sessions; also serves TokenRequest and the ingress/direct endpoints. */
  kfpMultiUser?: KfpMultiUserOptions;
  /** KFP's TLS overlay: the ml-pipeline service's port 8888 is named `tls` and speaks https (reach it as https:ml-pipeline:tls). */
  kfpTls?: boolean;
  /** KFP's API service under another name and port in `kubeflow` (as some distributions ship it; default ml-pipeline, 8888). */
  kfpService?: { name?: string; port?: number };
}

/** Test handle on the emulated cluster's workloads. */
export interface EmulatorController {
  /** Script matching steps: log lines, timing, failure, OOMKilled, Unschedulable, ImagePullBackOff, CrashLoopBackOff. */
  setStepBehavior(selector: StepSelector, behavior: StepBehavior): void;
  clearStepBehaviors(): void;
  /** Real ms per emulated ms; may be changed while running. */
  timeScale: number;
  /** Deny requests (403) and access reviews matching the rule; omitted fields match anything. */
  deny(rule: AccessRule): void;
  allowAll(): void;
  /**
   * Let another user (a service account: system:serviceaccount:NS:NAME) do what matches `rule`, as SubjectAccessReviews
   * answer; RBAC objects (Role, RoleBinding, ClusterRole, ClusterRoleBinding) applied to the emulator count too.
   */
  grant(user: string, rule: AccessRule): void;
  /** Forget every grant (RBAC objects stay). */
  clearGrants(): void;
  /** Argo `retry` of a finished workflow: failed nodes run again. */
  retryWorkflow(namespace: string, name: string): void;
  /** What the emulated Prometheus answers the AnalysisRuns' queries: the vector's values ([] = no data), or an Error. Default [0.99]. */
  setPrometheus(answer: PrometheusAnswer): void;
  /** A Deployment whose pods never become ready: Progressing False ProgressDeadlineExceeded at its progressDeadlineSeconds. */
  setDeploymentNeverReady(namespace: string, name: string, never?: boolean): void;
  /** Read an object as stored (no HTTP, no faults): e.g. get('workflows', 'default', 'wf-abc'). */
  get(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: string, namespace?: string): KubeObject[];
  /** Main-container (or other) log lines written so far, without timestamps. */
  logLines(namespace: string, pod: string, container?: string): string[];
  /** Open watch streams right now. */
  readonly openWatches: number;
  /** Fire a CronWorkflow's schedule now, as Argo's cron controller does: the Workflow it starts, or why none (suspended, Forbid with one running). */
  tickCronWorkflow(namespace: string, name: string, at?: Date): CronTick;
  /** Fire a KFP recurring run now: the run it starts (carrying `recurring_run_id`), or why none (disabled, max_concurrency reached). */
  tickRecurringRun(id: string): { started: { run_id: string; display_name: string } } | { skipped: 'disabled' | 'concurrency' };
}

export interface KubeEmulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  kubeconfigPath: string;
  context: string;
  token: string | null;
  /** Base URL of the emulated KFP API through the service proxy (…/services/ml-pipeline:8888/proxy). */
  kfpUrl: string;
  /** Multi-user mode only: the Kubeflow ingress (login in front of KFP), the ml-pipeline service reached directly, and the identity checks. */
  kfpIngressUrl?: string;
  kfpDirectUrl?: string;
  kfpMultiUser?: KfpMultiUser;
  controller: EmulatorController;
  faults: Faults;
  /** Requests received so far (newest 10,000): method, path, query and Accept header. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Create (or replace) objects directly in the store, e.g. Nodes, ResourceQuotas, Secrets for pre-flight tests. */
  apply(resource: string, object: KubeObject): KubeObject;
  close(): Promise<void>;
}

function seed(store: ObjectStore, namespaces: string[], argo: boolean, kfp: boolean, kfpTls = false, service: { name: string; port: number } = { name: 'ml-pipeline', port: 8888 }): void {
  for (const name of namespaces) {
    store.create({ resource: 'namespaces', group: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  }
  if (argo) store.create({ resource: 'customresourcedefinitions', group: 'apiextensions.k8s.io' }, workflowCrd() as unknown as KubeObject);
  if (kfp) {
    store.create({ resource: 'services', group: '' }, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service.name, namespace: 'kubeflow', labels: { app: 'ml-pipeline' } },
      spec: { type: 'ClusterIP', clusterIP: '10.96.118.40', selector: { app: 'ml-pipeline' }, ports: [kfpTls ? { name: 'tls', port: service.port, protocol: 'TCP', targetPort: 8888, appProtocol: 'https' } : { name: 'http', port: service.port, protocol: 'TCP', targetPort: 8888 }, { name: 'grpc', port: 8887, protocol: 'TCP', targetPort: 8887 }] },
    });
  }
}

/** Kubeflow profiles: a namespace each, with the `default-editor` ServiceAccount KFP's runs and SDK clients use. */
function seedProfiles(store: ObjectStore, namespaces: string[]): void {
  for (const name of namespaces) {
    if (!store.tryGet('namespaces', undefined, name)) {
      store.create({ resource: 'namespaces', group: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, 'app.kubernetes.io/part-of': 'kubeflow-profile' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
    store.create({ resource: 'serviceaccounts', group: '' }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default-editor', namespace: name } });
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the Kubernetes API emulator on 127.0.0.1 and writes a kubeconfig (context `pipewright-emulator`) for it. */
export async function startKubeEmulator(options: KubeEmulatorOptions = {}): Promise<KubeEmulator> {
  const token = options.token === undefined ? 'pipewright-emulator-token' : options.token;
  const argo = options.argo !== false;
  const kfpEnabled = options.kfp !== false;
  const store = new ObjectStore(options.historyLimit ?? 10_000);
  const logs = new LogStore();
  const access = new AccessPolicy(options.user ?? 'pipewright');
  let timeScale = options.timeScale ?? 1;
  const sockets = new Set<Socket>();
  const watches = new WatchRegistry();
  let server: Server;
  let port = options.port ?? 0;
  const faults: Faults = new Faults({
    destroyConnections: () => {
      const n = sockets.size;
      for (const s of sockets) s.destroy();
      sockets.clear();
      watches.closeAll();
      return n;
    },
    restart: async (downMs) => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        sockets.clear();
        watches.closeAll();
      });
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      server = makeServer();
      await listen(server, port);
    },
    compact: () => store.compact(),
  });
  const proxies = new Map<string, ProxyHandler>();
  const ctx: ServerContext = {
    store,
    watches,
    watchSettings: { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000, takeForced410: () => faults.takeForced410() },
    served: RESOURCES.filter((r) => argo || r.group !== 'argoproj.io'),
    access,
    faults,
    logs,
    token,
    requireToken: options.requireToken ?? false,
    proxies,
    requests: [],
  };
  const makeServer = () => {
    const s = createServer((req, res) => void handleRequest(ctx, req, res));
    // The API server (Go) keeps idle connections open far longer than Node's 5 s default; with that default a
    // client reusing a socket just as the server closes it gets ECONNRESET, which a loaded machine makes common.
    s.keepAliveTimeout = 90_000;
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return s;
  };
  const kfpServiceName = options.kfpService?.name ?? 'ml-pipeline';
  seed(store, ['default', 'kubeflow', ...(options.namespaces ?? [])], argo, kfpEnabled, options.kfpTls, { name: kfpServiceName, port: options.kfpService?.port ?? 8888 });
  // A copy: the API server's address is added once it listens, for the executed pods (in-cluster access).
  const execute = options.execute ? { ...options.execute } : undefined;
  const workflows = new WorkflowController(store, logs, () => timeScale, execute);
  if (argo) workflows.start();
  const rollouts = new RolloutController(store, () => timeScale);
  rollouts.start();
  const multiUser = kfpEnabled && options.kfpMultiUser ? new KfpMultiUser(options.kfpMultiUser) : undefined;
  const kfp = kfpEnabled ? new KfpApi(store, { retryWorkflow: (namespace, name) => workflows.retryWorkflow(namespace, name), multiUser }) : undefined;
  if (kfp) proxies.set(`kubeflow/${kfpServiceName}`, multiUser ? multiUser.viaServiceProxy(kfp.handler) : kfp.handler);
  if (execute) {
    execute.secretValue = (namespace, name, key) => {
      const secret = store.tryGet('secrets', namespace, name) as (KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
      if (!secret) return { error: `secret "${name}" not found` };
      const data = secret.data?.[key];
      if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
      return secret.stringData?.[key] ?? { error: `couldn't find key ${key} in Secret ${namespace}/${name}` };
    };
  }
  if (kfp && execute) {
    // KFP's driver and launcher in execute mode: the drivers run here, the launcher in front of each component's command.
    const backend = new KfpExecutionBackend((runId) => kfp.runInputs.get(runId), execute.root);
    execute.podRunner = (pod) => backend.podRunner(pod);
  }
  let doors: KfpFrontDoors | undefined;
  if (multiUser && kfp) {
    seedProfiles(store, Object.keys(options.kfpMultiUser!.profiles));
    ctx.tokenRequest = (namespace, name, audiences, seconds) => multiUser.issueToken(namespace, name, audiences, seconds);
    doors = await startKfpFrontDoors(multiUser, kfp.handler);
  }
  server = makeServer();
  port = await listen(server, port);
  const url = `http://127.0.0.1:${port}`;
  if (execute) {
    const podTokens = new Map<string, string>();
    ctx.podTokens = podTokens;
    execute.apiServer = {
      url,
      tokenFor: (namespace, serviceAccount) => {
        const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
        const known = [...podTokens].find(([, u]) => u === user)?.[0];
        if (known) return known;
        const token = `sa-${randomBytes(12).toString('hex')}`;
        podTokens.set(token, user);
        return token;
      },
    };
  }
  const kubeconfigPath = writeKubeconfig({ url, token, namespace: options.contextNamespace ?? 'default', user: options.user ?? 'pipewright', path: options.kubeconfigPath });

  const controller: EmulatorController = {
    setStepBehavior: (selector, behavior) => workflows.setStepBehavior(selector, behavior),
    clearStepBehaviors: () => workflows.clearStepBehaviors(),
    get timeScale() {
      return timeScale;
    },
    set timeScale(value: number) {
      timeScale = value;
    },
    deny: (rule) => access.deny(rule),
    allowAll: () => access.allowAll(),
    grant: (user, rule) => access.grant(user, rule),
    clearGrants: () => access.clearGrants(),
    retryWorkflow: (namespace, name) => workflows.retryWorkflow(namespace, name),
    setPrometheus: (answer) => {
      rollouts.prometheus = answer;
    },
    setDeploymentNeverReady: (namespace, name, never = true) => rollouts.setNeverReady(namespace, name, never),
    get: (resource, namespace, name) => store.tryGet(resource, namespace, name),
    list: (resource, namespace) => store.list(resource, namespace),
    logLines: (namespace, pod, container = 'main') => logs.lines(namespace, pod, container).map((l) => l.text),
    get openWatches() {
      return watches.count;
    },
    tickCronWorkflow: (namespace, name, at) => tickCronWorkflow(store, namespace, name, at),
    tickRecurringRun: (id) => {
      if (!kfp) throw new Error('this emulator serves no KFP');
      return kfp.tickRecurringRun(id);
    },
  };
  return {
    url,
    kubeconfigPath,
    context: EMULATOR_CONTEXT,
    token,
    kfpUrl: `${url}/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy`,
    ...(doors ? { kfpIngressUrl: doors.ingressUrl, kfpDirectUrl: doors.directUrl, kfpMultiUser: multiUser } : {}),
    controller,
    faults,
    get requests() {
      return ctx.requests;
    },
    clearRequests: () => {
      ctx.requests.length = 0;
    },
    apply: (resource, object) => {
      const def = RESOURCES.find((r) => r.resource === resource);
      if (!def) throw new Error(`the emulator does not serve ${resource}`);
      const existing = store.tryGet(resource, object.metadata.namespace, object.metadata.name);
      const body = structuredClone({ apiVersion: def.group ? `${def.group}/${def.version}` : def.version, kind: def.kind, ...object });
      if (resource === 'pods') defaultPodRequests(body);
      if (existing) return store.update(def, { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } }, { checkVersion: false });
      return store.create({ resource, group: def.group }, body);
    },
    close: async () => {
      faults.clear();
      workflows.stop();
      rollouts.stop();
      kfp?.stop();
      await doors?.close();
      watches.closeAll();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
