/**
 * The emulator's execute mode: a pod's main container runs for real, as a process on this machine, so a
 * test sees what the step's own code does on the cluster (checkpoints, resume, outputs) rather than a
 * scripted log. What a node and Argo's executor would give the container is mapped onto folders under the
 * emulator's root:
 *  - input artifacts: Argo's init container downloads them from the artifact repository to their `path`;
 *    here they are copied from `<root>/artifacts/<key>` into the pod's folder;
 *  - output artifacts: the wait container uploads `path` to `<root>/artifacts/<workflow>/<pod>/<name>`
 *    (Argo's default key layout) when the container exits 0; a declared, non-optional output that is
 *    missing fails the pod as Argo's executor does;
 *  - output parameters (`valueFrom.path`): the wait container reads each file when the container exits 0 and
 *    reports it (here as the pod's `workflows.argoproj.io/outputs` annotation, as Argo before 3.4 kept them);
 *    a missing file without a default fails the pod as Argo's executor does;
 *  - the service account: with `apiServer`, the pod reaches the API server as
 *    system:serviceaccount:NS:NAME (its own token, authorized by the RBAC objects), through
 *    PIPEWRIGHT_KUBE_API and PIPEWRIGHT_SERVICEACCOUNT_DIR (what node-catalog/_lib/kube.py reads in tests);
 *  - volumes: a PersistentVolumeClaim is `<root>/volumes/<namespace>/<claim>`, shared by every pod that
 *    mounts it (so a retried pod finds what the killed one wrote); emptyDir and the rest are per pod.
 * Container paths in the command, args and env are rewritten to those folders (there is no mount
 * namespace here), and `$(VAR)` is expanded as Kubernetes does. The image is not pulled: the command runs
 * with this machine's interpreters, so execute mode suits steps whose image this machine can stand in
 * for (the catalog's Python steps with python3 and torch).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { expandKubernetes } from '../../fixtures/containerEmulation.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';

export interface ExecuteOptions {
  /** Folder for artifacts, volumes and pod folders. */
  root: string;
  /** Programs of the image stood in by programs of this machine, e.g. `{ python3: '/usr/bin/python3' }`; others are looked up on PATH. */
  commands?: Record<string, string>;
  /** Set by the emulator once it listens: the API server pods reach, and a token for a service account. */
  apiServer?: { url: string; tokenFor(namespace: string, serviceAccount: string): string };
  /** Set by the emulator: a Secret's value (decoded) for `secretKeyRef` env, or why there is none (as the kubelet words it). */
  secretValue?: (namespace: string, name: string, key: string) => string | { error: string };
  /** Set by the emulator when KFP is served: how KFP's driver and launcher pods run (kfp/execute.ts); undefined for other pods. */
  podRunner?: (pod: KubeObject) => PodRunner | undefined;
}

/** A pod whose main container is not (only) the user's command: KFP's driver and launcher. */
export interface PodRunner {
  /** Runs in the emulator's process instead of a child process (KFP's driver): log lines, exit code, output parameters. */
  inProcess?: () => { lines: string[]; exitCode: number; message?: string; outputs?: PodOutputs };
  /** Stands in front of the user's command in the same container (KFP's launcher). */
  launcher?: LauncherHooks;
}

export interface LauncherHooks {
  /**
   * Before the command starts, given the container's command line after the emissary's `--` and the pod's
   * folder: the user's command line (container paths), container folders backed by host folders, log lines;
   * or why the container fails before starting the command.
   */
  prepare(argv: string[], podDir: string): { argv: string[]; mounts: Array<[string, string]>; lines: string[] } | { error: string };
  /** After the command exited 0: log lines, and an error when the launcher fails the container (an output missing). */
  finish(): { lines: string[]; error?: string };
}

/** Where a pod's output parameters are kept (Argo's executor before 3.4 annotated the pod so). */
export const OUTPUTS_ANNOTATION = 'workflows.argoproj.io/outputs';

/** Output parameters as the wait container reports them. */
export interface PodOutputs {
  parameters: Array<{ name: string; value: string }>;
}

interface OutputParameter {
  name: string;
  valueFrom?: { path?: string; default?: unknown };
}

interface Artifact {
  name: string;
  path?: string;
  optional?: boolean;
  s3?: { key?: string };
}

type Container = Record<string, unknown> & { name?: string; env?: Array<Record<string, unknown>>; volumeMounts?: Array<Record<string, unknown>> };

/** Where an output artifact of a pod is kept (Argo's default key, without the archive suffix: folders are stored as they are). */
export function artifactKey(workflow: string, pod: string, artifact: string): string {
  return `${workflow}/${pod}/${artifact}`;
}

export function artifactPath(root: string, key: string): string {
  const full = path.resolve(root, 'artifacts', key);
  if (!full.startsWith(path.resolve(root, 'artifacts') + path.sep)) throw new Error(`artifact key ${JSON.stringify(key)} leaves the artifact repository`);
  return full;
}

/** The template Argo's executor works from (the ARGO_TEMPLATE variable of the init and wait containers). */
export function podTemplate(pod: KubeObject): Record<string, unknown> {
  const spec = pod.spec as { initContainers?: Container[]; containers?: Container[] };
  const env = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].flatMap((c) => c.env ?? []);
  const value = env.find((e) => e.name === 'ARGO_TEMPLATE')?.value;
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : {};
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ExecuteCallbacks {
  line(text: string): void;
  /** The container ended: its exit code, Kubernetes' reason, a message when there is one, and its output parameters. */
  exit(exitCode: number, reason: string, message?: string, outputs?: PodOutputs): void;
}

export interface RunningContainer {
  /** Signals the container's process group (a pod deleted, a workflow stopped, a scripted kill). */
  kill(signal: NodeJS.Signals): void;
}

/** Starts the main container of `pod` (attempt `restart`); `killWhen` SIGKILLs it at the first log line that matches. */
export function executeContainer(pod: KubeObject, options: ExecuteOptions, callbacks: ExecuteCallbacks, killWhen?: RegExp, launcher?: LauncherHooks): RunningContainer {
  const ns = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name;
  const podSpec = pod.spec as { containers: Container[]; volumes?: Array<Record<string, unknown>> };
  const main = podSpec.containers.find((c) => c.name === 'main')!;
  const template = podTemplate(pod);
  const workflow = (pod.metadata.labels ?? {})['workflows.argoproj.io/workflow'] ?? 'workflow';
  const podDir = path.join(options.root, 'pods', ns, name);
  rmSync(podDir, { recursive: true, force: true });
  for (const d of ['work', 'home', 'inputs', 'outputs', 'volumes']) mkdirSync(path.join(podDir, d), { recursive: true });

  const mounts: Array<[string, string]> = [];
  const inputs = ((template.inputs as Record<string, unknown> | undefined)?.artifacts as Artifact[] | undefined) ?? [];
  for (const a of inputs) {
    if (!a.path) continue;
    const key = a.s3?.key;
    const local = path.join(podDir, 'inputs', a.name);
    if (!key || !existsSync(artifactPath(options.root, key))) {
      if (a.optional) continue;
      queueMicrotask(() => callbacks.exit(1, 'Error', `failed to load artifacts: artifact ${a.name} (key ${key ?? 'none'}) not found in the artifact repository`));
      return { kill: () => {} };
    }
    cpSync(artifactPath(options.root, key), local, { recursive: true });
    mounts.push([a.path, local]);
  }
  const outputs = ((template.outputs as Record<string, unknown> | undefined)?.artifacts as Artifact[] | undefined) ?? [];
  for (const a of outputs) if (a.path) mounts.push([a.path, path.join(podDir, 'outputs', a.name)]);
  const outputParameters = ((template.outputs as Record<string, unknown> | undefined)?.parameters as OutputParameter[] | undefined) ?? [];
  const parameterFile = (p: OutputParameter) => path.join(podDir, 'outputs', 'parameters', p.name);
  mkdirSync(path.join(podDir, 'outputs', 'parameters'), { recursive: true });
  for (const p of outputParameters) if (p.valueFrom?.path) mounts.push([p.valueFrom.path, parameterFile(p)]);
  for (const m of main.volumeMounts ?? []) {
    const volumeName = String(m.name);
    if (volumeName === 'var-run-argo') continue;
    const volume = (podSpec.volumes ?? []).find((v) => v.name === volumeName) ?? {};
    const claim = isRecord(volume.persistentVolumeClaim) ? String(volume.persistentVolumeClaim.claimName) : undefined;
    const base = claim ? path.join(options.root, 'volumes', ns, claim) : path.join(podDir, 'volumes', volumeName);
    const host = typeof m.subPath === 'string' && m.subPath ? path.join(base, m.subPath) : base;
    mkdirSync(host, { recursive: true });
    mounts.push([String(m.mountPath), host]);
  }
  const command = (main.command as string[]) ?? [];
  const separator = command.indexOf('--');
  let containerArgv = separator >= 0 ? command.slice(separator + 1) : command;
  if (launcher) {
    // The launcher's pod-spec-patch replaces the emissary's command line: the launcher sees its own whole command.
    const emissary = command[0]?.endsWith('argoexec') ? separator : -1;
    const prepared = launcher.prepare(command.slice(emissary + 1), podDir);
    if ('error' in prepared) {
      const error = prepared.error;
      queueMicrotask(() => {
        callbacks.line(error);
        callbacks.exit(1, 'Error', error);
      });
      return { kill: () => {} };
    }
    for (const line of prepared.lines) callbacks.line(line);
    containerArgv = prepared.argv;
    mounts.push(...prepared.mounts);
  }
  mounts.sort((a, b) => b[0].length - a[0].length);
  const patterns = mounts.map(([from, to]) => [new RegExp(`${escape(from.replace(/\/+$/, ''))}(?![\\w.-])`, 'g'), to] as const);
  const rewrite = (text: string) => patterns.reduce((s, [re, to]) => s.replace(re, () => to), text);

  const vars: Record<string, string> = {};
  for (const e of main.env ?? []) {
    const envName = String(e.name);
    const secretRef = isRecord(e.valueFrom) && isRecord(e.valueFrom.secretKeyRef) ? e.valueFrom.secretKeyRef : undefined;
    if (secretRef) {
      const value = options.secretValue ? options.secretValue(ns, String(secretRef.name), String(secretRef.key)) : { error: 'secrets are not served' };
      if (typeof value === 'string') vars[envName] = value;
      else if (secretRef.optional !== true) {
        // The kubelet never starts the container (CreateContainerConfigError); here the pod fails with the same reason.
        queueMicrotask(() => callbacks.exit(1, 'CreateContainerConfigError', value.error));
        return { kill: () => {} };
      }
    } else if (typeof e.value === 'string') vars[envName] = rewrite(expandKubernetes(e.value, vars));
    else if (isRecord(e.valueFrom) && isRecord(e.valueFrom.fieldRef)) {
      const field = String(e.valueFrom.fieldRef.fieldPath);
      const meta = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(field);
      const value = meta
        ? (pod.metadata[meta[1] as 'labels' | 'annotations'] ?? {})[meta[2]] ?? ''
        : field === 'metadata.name' ? name : field === 'metadata.namespace' ? ns : field === 'spec.nodeName' ? String((pod.spec as Record<string, unknown>).nodeName ?? '') : undefined;
      if (value !== undefined) vars[envName] = value;
    }
  }
  const inCluster: Record<string, string> = {};
  if (options.apiServer) {
    const account = String((pod.spec as Record<string, unknown>).serviceAccountName ?? 'default');
    const folder = path.join(podDir, 'serviceaccount');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'token'), options.apiServer.tokenFor(ns, account));
    writeFileSync(path.join(folder, 'namespace'), ns);
    inCluster.PIPEWRIGHT_KUBE_API = options.apiServer.url;
    inCluster.PIPEWRIGHT_SERVICEACCOUNT_DIR = folder;
  }
  const argv = containerArgv.map((a) => rewrite(expandKubernetes(a, vars)));
  if (argv.length === 0) {
    queueMicrotask(() => callbacks.exit(128, 'StartError', 'no command to run'));
    return { kill: () => {} };
  }

  const program = options.commands?.[argv[0]] ?? argv[0];
  const child = spawn(program, argv.slice(1), {
    cwd: path.join(podDir, 'work'),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: path.join(podDir, 'home'), LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1', ...inCluster, ...vars },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let ended = false;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (ended || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const splitter = () => {
    let rest = '';
    return {
      push(chunk: Buffer) {
        const text = rest + chunk.toString('utf8');
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        // A line without an end is cut at 64 KiB, as the kubelet's log driver splits long lines.
        while (rest.length > 65_536) {
          parts.push(rest.slice(0, 65_536));
          rest = rest.slice(65_536);
        }
        for (const line of parts) {
          callbacks.line(line);
          if (killWhen?.test(line)) signalGroup('SIGKILL');
        }
      },
      flush() {
        if (rest) callbacks.line(rest);
        rest = '';
      },
    };
  };
  const out = splitter();
  const err = splitter();
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.on('error', (error) => {
    if (ended) return;
    ended = true;
    callbacks.exit(128, 'StartError', `failed to start container process: exec: "${argv[0]}": ${error.message}`);
  });
  child.on('close', (code, signal) => {
    if (ended) return;
    ended = true;
    out.flush();
    err.flush();
    const exitCode = code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 9);
    if (exitCode !== 0) {
      callbacks.exit(exitCode, 'Error');
      return;
    }
    for (const a of outputs) {
      if (!a.path) continue;
      const local = path.join(podDir, 'outputs', a.name);
      if (!existsSync(local)) {
        if (a.optional) continue;
        callbacks.exit(1, 'Error', `failed to save outputs: open ${a.path}: no such file or directory`);
        return;
      }
      const target = artifactPath(options.root, artifactKey(workflow, name, a.name));
      rmSync(target, { recursive: true, force: true });
      mkdirSync(path.dirname(target), { recursive: true });
      cpSync(local, target, { recursive: true });
    }
    const parameters: PodOutputs['parameters'] = [];
    for (const p of outputParameters) {
      if (!p.valueFrom?.path) continue;
      const file = parameterFile(p);
      if (existsSync(file)) parameters.push({ name: p.name, value: readFileSync(file, 'utf8') });
      else if (p.valueFrom.default !== undefined) parameters.push({ name: p.name, value: String(p.valueFrom.default) });
      else {
        callbacks.exit(1, 'Error', `failed to save outputs: open ${p.valueFrom.path}: no such file or directory`);
        return;
      }
    }
    if (launcher) {
      const done = launcher.finish();
      for (const line of done.lines) callbacks.line(line);
      if (done.error) {
        callbacks.exit(1, 'Error', done.error);
        return;
      }
    }
    callbacks.exit(0, 'Completed', undefined, parameters.length ? { parameters } : undefined);
  });
  return { kill: signalGroup };
}
