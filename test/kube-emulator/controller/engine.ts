import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import { nodeId } from './argo-names.ts';
import type { Params } from './dagTasks.ts';
import { ARTIFACT, checkDagTasks, dependedOn, dependsExpression, failedWithoutContinue, taskArgs } from './dagTasks.ts';
import type { PodOutputs } from './exec.ts';
import { OUTPUTS_ANNOTATION } from './exec.ts';
import type { TaskPhase } from './expressions.ts';
import { dependsTasks, evaluateDepends, evaluateRetryExpression, evaluateWhen } from './expressions.ts';
import type { Template } from './pods.ts';
import { substitute } from './pods.ts';
import { nowSeconds } from './timers.ts';

export interface WfNode {
  id: string;
  name: string;
  displayName: string;
  type: 'Pod' | 'DAG' | 'Retry' | 'Skipped';
  templateName: string;
  templateScope: string;
  phase: TaskPhase;
  boundaryID?: string;
  message?: string;
  startedAt: string;
  finishedAt?: string | null;
  progress?: string;
  children?: string[];
  outboundNodes?: string[];
  hostNodeName?: string;
  inputs?: { parameters: Array<{ name: string; value: string }> };
  outputs?: { parameters?: Array<{ name: string; value: string }>; artifacts?: ArtifactRef[]; exitCode?: string };
}

/** An artifact as Argo records it in a node's outputs (the default repository's S3 key). */
export interface ArtifactRef {
  name: string;
  path?: string;
  s3: { key: string };
}

/** What the engine needs from the controller: pods and timers. */
export interface EngineHost {
  /** Creates the pod for a Pod node unless it exists; returns the pod as stored now. */
  ensurePod(workflow: KubeObject, node: WfNode, template: Template, lookup: (key: string) => string | undefined): KubeObject | undefined;
  /** Emulated ms since this node's attempt finished, or undefined; the controller re-runs the engine later. */
  retryDelayElapsed(node: WfNode, delayMs: number): boolean;
}

const TERMINAL = new Set(['Succeeded', 'Failed', 'Error', 'Skipped', 'Omitted']);

export function isTerminal(phase: string | undefined): boolean {
  return !!phase && TERMINAL.has(phase);
}

function parseDuration(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value).trim());
  if (!m) return 0;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's']!;
  return Number(m[1]) * unit;
}

/** The template with its input artifacts' repository keys filled in (what Argo hands its executor). */
function withInputArtifacts(template: Template, inputs: Params): Template {
  const declared = ((template.inputs as Record<string, unknown>)?.artifacts as Array<Record<string, unknown> & { name: string }>) ?? [];
  if (!declared.some((a) => inputs.has(`${ARTIFACT}${a.name}`))) return template;
  const artifacts = declared.map((a) => (inputs.has(`${ARTIFACT}${a.name}`) ? { ...a, s3: { key: inputs.get(`${ARTIFACT}${a.name}`) } } : a));
  return { ...template, inputs: { ...(template.inputs as Record<string, unknown>), artifacts } };
}

function podOutputs(pod: KubeObject): PodOutputs | undefined {
  const text = pod.metadata.annotations?.[OUTPUTS_ANNOTATION];
  return text ? (JSON.parse(text) as PodOutputs) : undefined;
}

/** Walks a Workflow's templates and moves `status.nodes` along, as Argo's operator does on each reconcile. */
export class WorkflowEngine {
  private readonly status: Record<string, unknown>;
  private readonly nodes: Record<string, WfNode>;
  private readonly templates: Map<string, Template>;

  constructor(
    private readonly workflow: KubeObject,
    private readonly host: EngineHost,
  ) {
    if (!isRecord(workflow.status)) workflow.status = {};
    this.status = workflow.status as Record<string, unknown>;
    if (!isRecord(this.status.nodes)) this.status.nodes = {};
    this.nodes = this.status.nodes as Record<string, WfNode>;
    const spec = (workflow.spec ?? {}) as Record<string, unknown>;
    this.templates = new Map(((spec.templates as Template[]) ?? []).map((t) => [t.name, t]));
  }

  private get name(): string {
    return this.workflow.metadata.name;
  }

  private workflowLookup(key: string): string | undefined {
    const spec = (this.workflow.spec ?? {}) as Record<string, unknown>;
    if (key === 'workflow.name') return this.name;
    if (key === 'workflow.namespace') return this.workflow.metadata.namespace;
    if (key === 'workflow.uid') return this.workflow.metadata.uid;
    if (key === 'workflow.serviceAccountName') return (spec.serviceAccountName as string) ?? 'default';
    const wp = /^workflow\.parameters\.(.+)$/.exec(key);
    if (wp) {
      const params = ((spec.arguments as Record<string, unknown>)?.parameters as Array<{ name: string; value?: unknown }>) ?? [];
      const p = params.find((x) => x.name === wp[1]);
      return p?.value === undefined ? undefined : String(p.value);
    }
    return undefined;
  }

  private node(name: string): WfNode | undefined {
    return this.nodes[nodeId(this.name, name)];
  }

  private createNode(name: string, displayName: string, type: WfNode['type'], templateName: string, boundaryID: string | undefined, phase: TaskPhase, inputs?: Params): WfNode {
    const id = nodeId(this.name, name);
    const node: WfNode = { id, name, displayName, type, templateName, templateScope: `local/${this.name}`, phase, startedAt: nowSeconds() };
    if (boundaryID) node.boundaryID = boundaryID;
    const parameters = [...(inputs ?? [])].filter(([n]) => !n.startsWith(ARTIFACT));
    if (parameters.length) node.inputs = { parameters: parameters.map(([n, value]) => ({ name: n, value })) };
    if (type === 'Pod') node.progress = '0/1';
    if (isTerminal(phase)) node.finishedAt = node.startedAt;
    this.nodes[id] = node;
    return node;
  }

  private finish(node: WfNode, phase: TaskPhase, message?: string): void {
    node.phase = phase;
    node.finishedAt = nowSeconds();
    if (message) node.message = message;
    else delete node.message;
  }

  private link(parent: WfNode, child: WfNode): void {
    parent.children = [...new Set([...(parent.children ?? []), child.id])];
  }

  /** One reconcile; returns the root node's phase. */
  run(): TaskPhase {
    const spec = (this.workflow.spec ?? {}) as Record<string, unknown>;
    const entry = String(spec.entrypoint ?? '');
    const args = new Map<string, string>();
    return this.execute(this.name, this.name, entry, args, undefined, false);
  }

  private templateInputs(template: Template, args: Params): Params {
    const declared = ((template.inputs as Record<string, unknown>)?.parameters as Array<{ name: string; value?: unknown; default?: unknown }>) ?? [];
    const out: Params = new Map();
    for (const p of declared) {
      const v = args.get(p.name) ?? (p.value !== undefined ? String(p.value) : p.default !== undefined ? String(p.default) : undefined);
      if (v !== undefined) out.set(p.name, v);
    }
    const artifacts = ((template.inputs as Record<string, unknown>)?.artifacts as Array<{ name: string }>) ?? [];
    for (const a of artifacts) {
      const key = args.get(`${ARTIFACT}${a.name}`);
      if (key !== undefined) out.set(`${ARTIFACT}${a.name}`, key);
    }
    return out;
  }

  private execute(name: string, displayName: string, templateName: string, args: Params, boundaryID: string | undefined, inAttempt: boolean): TaskPhase {
    const template = this.templates.get(templateName);
    if (!template) {
      const node = this.node(name) ?? this.createNode(name, displayName, 'Pod', templateName, boundaryID, 'Error');
      if (!isTerminal(node.phase)) this.finish(node, 'Error', `templates.${templateName} not found`);
      else node.message ??= `templates.${templateName} not found`;
      return node.phase;
    }
    const inputs = this.templateInputs(template, args);
    if (template.retryStrategy && !inAttempt) return this.executeRetry(name, displayName, template, inputs, boundaryID);
    if (isRecord(template.dag)) return this.executeDag(name, displayName, template, inputs, boundaryID);
    if (isRecord(template.container) || isRecord(template.script)) return this.executePod(name, displayName, template, inputs, boundaryID);
    const node = this.node(name) ?? this.createNode(name, displayName, 'Pod', templateName, boundaryID, 'Error');
    if (!isTerminal(node.phase) || !node.message) this.finish(node, 'Error', `template ${templateName}: only dag, container and script templates are run by the emulator`);
    return node.phase;
  }

  private lookupFor(inputs: Params, retries: number): (key: string) => string | undefined {
    return (key) => {
      const ip = /^inputs\.parameters\.(.+)$/.exec(key);
      if (ip) return inputs.get(ip[1]);
      if (key === 'retries') return String(retries);
      return this.workflowLookup(key);
    };
  }

  private executePod(name: string, displayName: string, template: Template, inputs: Params, boundaryID: string | undefined): TaskPhase {
    const node = this.node(name) ?? this.createNode(name, displayName, 'Pod', template.name, boundaryID, 'Pending', inputs);
    if (isTerminal(node.phase)) return node.phase;
    const attempt = Number(/\((\d+)\)$/.exec(name)?.[1] ?? 0);
    const lookup = this.lookupFor(inputs, attempt);
    const pod = this.host.ensurePod(this.workflow, node, withInputArtifacts(template, inputs), lookup);
    if (!pod) {
      this.finish(node, 'Error', 'pod deleted');
      return node.phase;
    }
    const status = (pod.status ?? {}) as Record<string, unknown>;
    const podSpec = (pod.spec ?? {}) as Record<string, unknown>;
    if (podSpec.nodeName) node.hostNodeName = String(podSpec.nodeName);
    const statuses = (status.containerStatuses as Array<Record<string, unknown>>) ?? [];
    const main = statuses.find((s) => s.name === 'main');
    const state = (main?.state ?? {}) as Record<string, Record<string, unknown>>;
    switch (status.phase) {
      case 'Succeeded': {
        this.finish(node, 'Succeeded');
        node.progress = '1/1';
        const outputs = substitute((template.outputs ?? {}) as Record<string, unknown>, lookup);
        const declared = (outputs.parameters as Array<Record<string, unknown>>) ?? [];
        // Execute mode reports what the container wrote (the pod's outputs annotation); scripted pods give the defaults.
        const reported = new Map((podOutputs(pod)?.parameters ?? []).map((p) => [p.name, p.value]));
        const parameters = declared.map((p) => ({ name: String(p.name), value: reported.get(String(p.name)) ?? String((p.valueFrom as Record<string, unknown>)?.default ?? p.default ?? p.value ?? '') }));
        const artifacts: ArtifactRef[] = ((outputs.artifacts as Array<{ name: string; path?: string }>) ?? []).map((a) => ({
          name: a.name,
          ...(a.path ? { path: a.path } : {}),
          s3: { key: `${this.name}/${pod.metadata.name}/${a.name}` },
        }));
        node.outputs = { ...(parameters.length ? { parameters } : {}), ...(artifacts.length ? { artifacts } : {}), exitCode: '0' };
        break;
      }
      case 'Failed': {
        const term = state.terminated;
        const message = term ? `${term.reason ?? 'Error'} (exit code ${term.exitCode})` : String(status.message ?? 'pod failed');
        this.finish(node, 'Failed', String(term?.message ?? message));
        if (term) node.outputs = { exitCode: String(term.exitCode) };
        break;
      }
      case 'Running':
        node.phase = 'Running';
        if (state.waiting) node.message = `${state.waiting.reason}: ${state.waiting.message ?? ''}`.trim();
        else delete node.message;
        break;
      default: {
        node.phase = 'Pending';
        const conditions = (status.conditions as Array<Record<string, unknown>>) ?? [];
        const unscheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
        const waitingState = state.waiting;
        if (unscheduled) node.message = `${unscheduled.reason}: ${unscheduled.message}`;
        else if (waitingState && waitingState.reason !== 'PodInitializing' && waitingState.reason !== 'ContainerCreating') node.message = `${waitingState.reason}: ${waitingState.message ?? ''}`.trim();
        else delete node.message;
      }
    }
    return node.phase;
  }

  private executeRetry(name: string, displayName: string, template: Template, inputs: Params, boundaryID: string | undefined): TaskPhase {
    const node = this.node(name) ?? this.createNode(name, displayName, 'Retry', template.name, boundaryID, 'Running', inputs);
    if (isTerminal(node.phase)) return node.phase;
    const strategy = substitute(template.retryStrategy as Record<string, unknown>, this.lookupFor(inputs, 0));
    const limit = strategy.limit === undefined ? Infinity : Number(strategy.limit);
    const policy = String(strategy.retryPolicy ?? 'OnFailure');
    const attempts = (node.children ?? []).map((id) => this.nodes[id]).filter(Boolean);
    let last = attempts[attempts.length - 1];
    if (last && !isTerminal(last.phase)) {
      this.execute(last.name, last.displayName, template.name, inputs, boundaryID, true);
      last = this.nodes[last.id];
    }
    const expression = typeof strategy.expression === 'string' ? strategy.expression : undefined;
    const expressionAllows = (n: WfNode) =>
      !expression || evaluateRetryExpression(expression, { status: n.phase, exitCode: n.outputs?.exitCode ?? '', message: n.message ?? '' });
    if (!last || (isTerminal(last.phase) && last.phase !== 'Succeeded' && this.mayRetry(policy, last.phase) && attempts.length - 1 < limit && expressionAllows(last))) {
      if (last) {
        const backoff = (strategy.backoff ?? {}) as Record<string, unknown>;
        const base = parseDuration(backoff.duration);
        const factor = backoff.factor === undefined ? 1 : Number(backoff.factor);
        let delay = base * factor ** (attempts.length - 1);
        const cap = parseDuration(backoff.cap) || parseDuration(backoff.maxDuration);
        if (cap) delay = Math.min(delay, cap);
        if (!this.host.retryDelayElapsed(last, delay)) return node.phase;
      }
      const n = attempts.length;
      const child = this.createNode(`${name}(${n})`, `${displayName}(${n})`, 'Pod', template.name, boundaryID, 'Pending', inputs);
      this.link(node, child);
      this.execute(child.name, child.displayName, template.name, inputs, boundaryID, true);
      return node.phase;
    }
    if (isTerminal(last.phase)) {
      if (last.phase === 'Succeeded') {
        this.finish(node, 'Succeeded');
        if (last.outputs) node.outputs = last.outputs;
      } else this.finish(node, last.phase === 'Error' ? 'Error' : 'Failed', attempts.length - 1 >= limit ? 'No more retries left' : last.message);
    }
    return node.phase;
  }

  private mayRetry(policy: string, phase: TaskPhase): boolean {
    if (policy === 'Always') return true;
    if (policy === 'OnError' || policy === 'OnTransientError') return phase === 'Error';
    return phase === 'Failed';
  }

  private executeDag(name: string, displayName: string, template: Template, inputs: Params, boundaryID: string | undefined): TaskPhase {
    const node = this.node(name) ?? this.createNode(name, displayName, 'DAG', template.name, boundaryID, 'Running', inputs);
    if (isTerminal(node.phase)) return node.phase;
    const dag = template.dag as Record<string, unknown>;
    const tasks = (dag.tasks as Array<Record<string, unknown>>) ?? [];
    checkDagTasks(template, tasks);
    const failFast = dag.failFast !== false;
    const taskNode = (task: string) => this.node(`${name}.${task}`);
    const phaseOf = (task: string) => taskNode(task)?.phase;
    const lookup = this.lookupFor(inputs, 0);
    const taskLookup = (key: string) => {
      const out = /^tasks\.([^.]+)\.outputs\.parameters\.(.+)$/.exec(key);
      if (out) return taskNode(out[1])?.outputs?.parameters?.find((p) => p.name === out[2])?.value;
      const artifact = /^tasks\.([^.]+)\.outputs\.artifacts\.(.+)$/.exec(key);
      if (artifact) return taskNode(artifact[1])?.outputs?.artifacts?.find((a) => a.name === artifact[2])?.s3.key;
      return lookup(key);
    };
    const anyFailed = () => tasks.some((t) => failedWithoutContinue(t, phaseOf(String(t.name))));
    let pending = false;
    for (const task of tasks) {
      const taskName = String(task.name);
      const expression = dependsExpression(task);
      const deps = expression ? dependsTasks(expression) : [];
      const existing = taskNode(taskName);
      if (existing) {
        if (!isTerminal(existing.phase)) {
          this.execute(existing.name, existing.displayName, String(task.template), taskArgs(task, taskLookup), node.id, false);
          if (!isTerminal(this.nodes[existing.id].phase)) pending = true;
        }
        continue;
      }
      if (deps.some((d) => !isTerminal(phaseOf(d)))) {
        // After a failure with failFast, tasks behind unstarted ones never start: they do not hold the DAG open.
        if (!(failFast && anyFailed())) pending = true;
        continue;
      }
      const parents = deps.map((d) => taskNode(d)).filter((n): n is WfNode => !!n);
      const attach = (child: WfNode) => {
        if (!parents.length) this.link(node, child);
        for (const p of parents) for (const out of this.outbound(p)) this.link(out, child);
      };
      if (expression && !evaluateDepends(expression, phaseOf)) {
        attach(this.createNode(`${name}.${taskName}`, taskName, 'Skipped', String(task.template), node.id, 'Omitted'));
        this.nodes[nodeId(this.name, `${name}.${taskName}`)].message = 'omitted: depends condition not met';
        continue;
      }
      if (typeof task.when === 'string') {
        const when = substitute(task.when, taskLookup);
        if (!evaluateWhen(when)) {
          const skipped = this.createNode(`${name}.${taskName}`, taskName, 'Skipped', String(task.template), node.id, 'Skipped');
          skipped.message = `when '${when}' evaluated false`;
          attach(skipped);
          continue;
        }
      }
      if (failFast && anyFailed()) continue;
      pending = true;
      this.execute(`${name}.${taskName}`, taskName, String(task.template), taskArgs(task, taskLookup), node.id, false);
      const created = taskNode(taskName);
      if (created) attach(created);
    }
    if (pending) return node.phase;
    const failed = tasks.find((t) => failedWithoutContinue(t, phaseOf(String(t.name))));
    const upstream = dependedOn(tasks);
    node.outboundNodes = tasks
      .filter((t) => !upstream.has(String(t.name)))
      .flatMap((t) => {
        const leaf = taskNode(String(t.name));
        return leaf ? this.outbound(leaf).map((n) => n.id) : [];
      });
    if (failed) this.finish(node, 'Failed', `child '${taskNode(String(failed.name))!.id}' failed`);
    else this.finish(node, 'Succeeded');
    return node.phase;
  }

  /** Where a dependent task hangs in the node tree: a retry's last attempt, a DAG's outbound nodes. */
  private outbound(node: WfNode): WfNode[] {
    if (node.type === 'Retry') {
      const last = this.nodes[node.children?.at(-1) ?? ''];
      return last ? [last] : [node];
    }
    if (node.type === 'DAG' && node.outboundNodes?.length) return node.outboundNodes.map((id) => this.nodes[id]).filter(Boolean);
    return [node];
  }
}
