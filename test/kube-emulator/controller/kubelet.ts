import { randomBytes } from 'node:crypto';
import type { LogStore } from '../logs.ts';
import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import type { StepBehavior } from './behavior.ts';
import { recordEvent } from './events.ts';
import type { ExecuteOptions, PodOutputs, RunningContainer } from './exec.ts';
import { executeContainer, OUTPUTS_ANNOTATION } from './exec.ts';
import { TimerGroup, nowSeconds } from './timers.ts';

const PODS = { resource: 'pods', group: '' };
const NODE_NAME = 'emulator-node-1';
/** Lines written per tick when a step logs with no interval. */
const BURST_CHUNK_LINES = 500;

type Status = Record<string, unknown>;
type ContainerStatus = Record<string, unknown> & { name: string };

function containerId(): string {
  return `containerd://${randomBytes(32).toString('hex')}`;
}

function imageOf(pod: KubeObject, container: string): string {
  const spec = pod.spec as { containers?: Array<{ name: string; image?: string }> };
  return spec.containers?.find((c) => c.name === container)?.image ?? '';
}

function waiting(pod: KubeObject, name: string, reason: string, message?: string, restartCount = 0, lastState: Status = {}): ContainerStatus {
  return { name, state: { waiting: { reason, ...(message ? { message } : {}) } }, lastState, ready: false, restartCount, image: imageOf(pod, name), imageID: '', started: false };
}

function running(pod: KubeObject, name: string, restartCount = 0, lastState: Status = {}): ContainerStatus {
  const image = imageOf(pod, name);
  return { name, state: { running: { startedAt: nowSeconds() } }, lastState, ready: true, restartCount, image, imageID: `${image}@sha256:${randomBytes(32).toString('hex')}`, containerID: containerId(), started: true };
}

function terminated(previous: ContainerStatus, exitCode: number, reason: string, message?: string): ContainerStatus {
  const startedAt = (previous.state as { running?: { startedAt: string } })?.running?.startedAt ?? nowSeconds();
  return {
    ...previous,
    state: { terminated: { exitCode, reason, ...(message ? { message } : {}), startedAt, finishedAt: nowSeconds(), containerID: previous.containerID ?? containerId() } },
    ready: false,
    started: false,
  };
}

function condition(type: string, status: boolean, reason?: string, message?: string): Status {
  return { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: nowSeconds(), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function readyConditions(ready: boolean, reason?: string): Status[] {
  return [
    condition('PodReadyToStartContainers', true),
    condition('Initialized', true),
    condition('Ready', ready, reason),
    condition('ContainersReady', ready, reason),
    condition('PodScheduled', true),
  ];
}

/**
 * Runs pods the way the scheduler and kubelet would: scheduling (or Unschedulable), image pulls
 * (or ImagePullBackOff), containers starting, the main container's log written line by line,
 * crash loops, and the ending (Completed, Error, OOMKilled), with the matching core events.
 */
export class Kubelet {
  private readonly running = new Map<string, { timers: TimerGroup; kill: (message: string) => void; process?: RunningContainer }>();

  constructor(
    private readonly store: ObjectStore,
    private readonly logs: LogStore,
    private readonly scale: () => number,
    /** Execute mode (exec.ts): main containers of unscripted steps run as real processes. */
    private readonly execute?: ExecuteOptions,
  ) {}

  private update(pod: KubeObject, change: (status: Status, pod: KubeObject) => void): KubeObject | undefined {
    return this.store.mutate(PODS, pod.metadata.namespace, pod.metadata.name, (p) => {
      if (!isRecord(p.status)) p.status = {};
      change(p.status as Status, p);
    });
  }

  private event(pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component = 'kubelet', fieldPath?: string): void {
    const current = this.store.tryGet('pods', pod.metadata.namespace, pod.metadata.name);
    if (current) recordEvent(this.store, current, type, reason, message, { component, host: component === 'kubelet' ? NODE_NAME : undefined }, fieldPath);
  }

  /** Starts a pod's life; `lines` is the main container's log script, or null to run the container for real (execute mode). */
  start(pod: KubeObject, behavior: StepBehavior, lines: string[] | null): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const timers = new TimerGroup(this.scale);
    let killed = false;
    let restart = 0;
    const ns = pod.metadata.namespace!;
    const name = pod.metadata.name;
    const image = imageOf(pod, 'main');
    const gpu = JSON.stringify(pod.spec).includes('nvidia.com/gpu');

    const finish = (exitCode: number, reason: string, message?: string, outputs?: PodOutputs) => {
      this.logs.end(ns, name, 'main', restart);
      this.update(pod, (status, p) => {
        if (outputs) p.metadata.annotations = { ...p.metadata.annotations, [OUTPUTS_ANNOTATION]: JSON.stringify(outputs) };
        const statuses = (status.containerStatuses as ContainerStatus[]) ?? [];
        status.containerStatuses = statuses.map((s) => (s.name === 'main' ? terminated(s, exitCode, reason, message) : s.name === 'wait' ? terminated(s, 0, 'Completed') : s));
        status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
        status.conditions = readyConditions(false, exitCode === 0 ? 'PodCompleted' : 'PodFailed');
      });
      this.logs.append(ns, name, 'wait', `time="${nowSeconds()}" level=info msg="Main container completed" error="<nil>"`);
      this.logs.end(ns, name, 'wait');
      timers.cancel();
      this.running.delete(key);
    };

    const kill = (message: string) => {
      if (killed) return;
      killed = true;
      const current = this.store.tryGet('pods', ns, name);
      const phase = (current?.status as Status | undefined)?.phase;
      if (!current || phase === 'Succeeded' || phase === 'Failed') return;
      this.event(pod, 'Normal', 'Killing', 'Stopping container main', 'kubelet', 'spec.containers{main}');
      if (phase === 'Running') {
        const entry = this.running.get(key);
        entry?.process?.kill('SIGTERM');
        if (entry) entry.process = undefined;
        finish(143, 'Error', message);
      }
      else {
        this.update(pod, (status) => {
          status.phase = 'Failed';
          status.message = message;
        });
        timers.cancel();
        this.running.delete(key);
      }
    };
    this.running.set(key, { timers, kill });

    const runMain = () => {
      if (lines === null) {
        runProcess();
        return;
      }
      const crashes = restart < (behavior.crashLoops ?? 0);
      const outcome = crashes ? 'crash' : behavior.outcome ?? 'succeed';
      const stopAt = outcome === 'succeed' ? lines.length : Math.min(behavior.afterLines ?? (outcome === 'crash' ? 3 : lines.length), lines.length);
      const interval = behavior.lineIntervalMs ?? 100;
      const emit = (i: number) => {
        if (i < stopAt) {
          // No interval: the lines are written at once, a chunk per tick so the API server still answers meanwhile.
          const end = interval > 0 ? i + 1 : Math.min(stopAt, i + BURST_CHUNK_LINES);
          for (let j = i; j < end; j++) this.logs.append(ns, name, 'main', lines[j], restart);
          timers.after(interval, () => emit(end));
          return;
        }
        if (outcome === 'succeed') finish(0, 'Completed');
        else if (outcome === 'oomKilled') finish(137, 'OOMKilled');
        else if (outcome === 'fail') finish(behavior.exitCode ?? 1, 'Error');
        else crash();
      };
      emit(0);
    };

    const runProcess = () => {
      const killWhen = behavior.killWhenLine ? new RegExp(behavior.killWhenLine) : undefined;
      const entry = this.running.get(key);
      const current = this.store.tryGet('pods', ns, name) ?? pod;
      const runner = this.execute!.podRunner?.(current);
      if (runner?.inProcess) {
        const result = runner.inProcess();
        for (const line of result.lines) this.logs.append(ns, name, 'main', line, restart);
        timers.after(100, () => finish(result.exitCode, result.exitCode === 0 ? 'Completed' : 'Error', result.message, result.outputs));
        return;
      }
      const container = executeContainer(
        current,
        this.execute!,
        {
          line: (text) => this.logs.append(ns, name, 'main', text, restart),
          exit: (exitCode, reason, message, outputs) => {
            if (entry) entry.process = undefined;
            if (killed || !this.running.has(key)) return;
            finish(exitCode, reason, message, outputs);
          },
        },
        killWhen,
        runner?.launcher,
      );
      if (entry) entry.process = container;
    };

    const crash = () => {
      this.logs.end(ns, name, 'main', restart);
      // The kubelet's restart back-off: 10 s, doubling, at most 5 minutes.
      const backoffMs = Math.min(10_000 * 2 ** restart, 300_000);
      this.update(pod, (status) => {
        const statuses = (status.containerStatuses as ContainerStatus[]) ?? [];
        status.containerStatuses = statuses.map((s) => {
          if (s.name !== 'main') return s;
          const last = terminated(s, 1, 'Error').state as Status;
          return waiting(pod, 'main', 'CrashLoopBackOff', `back-off ${backoffMs === 300_000 ? '5m0s' : `${backoffMs / 1000}s`} restarting failed container=main pod=${name}_${ns}(${pod.metadata.uid})`, restart + 1, last);
        });
        status.conditions = readyConditions(false, 'ContainersNotReady');
      });
      this.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container main in pod ${name}_${ns}(${pod.metadata.uid})`, 'kubelet', 'spec.containers{main}');
      restart++;
      timers.after(backoffMs, () => {
        this.update(pod, (status) => {
          const statuses = (status.containerStatuses as ContainerStatus[]) ?? [];
          status.containerStatuses = statuses.map((s) => (s.name === 'main' ? running(pod, 'main', restart, (s.lastState as Status) ?? {}) : s));
          status.conditions = readyConditions(true);
        });
        this.event(pod, 'Normal', 'Started', 'Started container main', 'kubelet', 'spec.containers{main}');
        runMain();
      });
    };

    const startContainers = () => {
      this.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in 1.2s (1.2s including waiting). Image size: 104857600 bytes.`, 'kubelet', 'spec.containers{main}');
      for (const c of ['wait', 'main']) {
        this.event(pod, 'Normal', 'Created', `Created container ${c}`, 'kubelet', `spec.containers{${c}}`);
        this.event(pod, 'Normal', 'Started', `Started container ${c}`, 'kubelet', `spec.containers{${c}}`);
      }
      this.update(pod, (status) => {
        status.phase = 'Running';
        status.initContainerStatuses = [{ ...terminated(running(pod, 'init'), 0, 'Completed'), ready: true }];
        status.containerStatuses = [running(pod, 'wait'), running(pod, 'main')];
        status.conditions = readyConditions(true);
      });
      this.logs.append(ns, name, 'wait', `time="${nowSeconds()}" level=info msg="Starting Workflow Executor" version=v3.5.10`);
      this.logs.append(ns, name, 'wait', `time="${nowSeconds()}" level=info msg="Starting deadline monitor"`);
      runMain();
    };

    const pullImage = () => {
      this.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`, 'kubelet', 'spec.containers{main}');
      const backoff = behavior.imagePullBackOffMs ?? 0;
      if (backoff > 0) {
        const pullError = `failed to pull and unpack image "${image}": failed to resolve reference "${image}": pull access denied, repository does not exist or may require authorization`;
        this.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${pullError}`, 'kubelet', 'spec.containers{main}');
        this.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull', 'kubelet', 'spec.containers{main}');
        this.update(pod, (status) => {
          status.containerStatuses = [waiting(pod, 'wait', 'PodInitializing'), waiting(pod, 'main', 'ErrImagePull', pullError)];
        });
        const backOffTick = (elapsed: number) => {
          this.update(pod, (status) => {
            status.containerStatuses = [waiting(pod, 'wait', 'PodInitializing'), waiting(pod, 'main', 'ImagePullBackOff', `Back-off pulling image "${image}"`)];
          });
          this.event(pod, 'Normal', 'BackOff', `Back-off pulling image "${image}"`, 'kubelet', 'spec.containers{main}');
          this.event(pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', 'kubelet', 'spec.containers{main}');
          const step = 500;
          if (elapsed + step >= backoff) timers.after(backoff - elapsed, startContainers);
          else timers.after(step, () => backOffTick(elapsed + step));
        };
        timers.after(100, () => backOffTick(100));
        return;
      }
      timers.after(behavior.startDelayMs ?? 1000, startContainers);
    };

    const schedule = () => {
      this.update(pod, (status, p) => {
        (p.spec as Status).nodeName = gpu ? 'emulator-gpu-node-1' : NODE_NAME;
        status.phase = 'Pending';
        status.hostIP = '10.0.0.11';
        status.podIP = `10.244.0.${10 + Math.floor(Math.random() * 240)}`;
        status.startTime = nowSeconds();
        status.conditions = [condition('PodReadyToStartContainers', false), condition('Initialized', false, 'ContainersNotInitialized', 'containers with incomplete status: [init]'), condition('Ready', false, 'ContainersNotReady', 'containers with unready status: [wait main]'), condition('ContainersReady', false, 'ContainersNotReady', 'containers with unready status: [wait main]'), condition('PodScheduled', true)];
        status.initContainerStatuses = [waiting(pod, 'init', 'PodInitializing')];
        status.containerStatuses = [waiting(pod, 'wait', 'PodInitializing'), waiting(pod, 'main', 'PodInitializing')];
      });
      this.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${gpu ? 'emulator-gpu-node-1' : NODE_NAME}`, 'default-scheduler');
      pullImage();
    };

    const unschedulable = behavior.unschedulableMs ?? 0;
    if (unschedulable > 0) {
      const message = `0/1 nodes are available: 1 Insufficient ${gpu ? 'nvidia.com/gpu' : 'cpu'}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
      this.update(pod, (status) => {
        status.phase = 'Pending';
        status.conditions = [condition('PodScheduled', false, 'Unschedulable', message)];
      });
      this.event(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      timers.after(unschedulable, schedule);
    } else timers.after(100, schedule);
  }

  /** Stops a pod (workflow terminated or deleted): a running main container exits 143. */
  kill(namespace: string, name: string, message: string): void {
    this.running.get(`${namespace}/${name}`)?.kill(message);
  }

  /** Forgets a deleted pod's timers. */
  forget(namespace: string, name: string): void {
    const entry = this.running.get(`${namespace}/${name}`);
    entry?.timers.cancel();
    entry?.process?.kill('SIGKILL');
    this.running.delete(`${namespace}/${name}`);
  }

  stopAll(): void {
    for (const entry of this.running.values()) {
      entry.timers.cancel();
      entry.process?.kill('SIGKILL');
    }
    this.running.clear();
  }
}
