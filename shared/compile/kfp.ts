/**
 * Pipeline document -> Kubeflow Pipelines v2 IR (`pipeline.yaml`, schemaVersion 2.1.0), plus a second
 * YAML document `platforms.kubernetes` for node selectors, tolerations and secret env. Pure and deterministic.
 * The output parses strictly as KFP's PipelineSpec / PipelineDeploymentConfig / PlatformSpec /
 * KubernetesExecutorConfig protobufs (test/kfp-proto checks it against KFP's own .proto files).
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { PIPELINE_FORMAT } from '../pipeline/types.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { CompileError, paramSamples, planPipeline } from './plan.ts';
import type { CompiledFiles } from './types.ts';
import { ComponentTable } from './kfp/components.ts';
import { containerEnv, containerExecutor, containerSignature } from './kfp/container.ts';
import { artifactType, containerComponent, importerComponent, importerExecutor, rootInputDefinitions, task, TaskParts } from './kfp/dag.ts';
import { planDataset } from './kfp/dataset.ts';
import { LauncherCommands, literalField } from './kfp/launcher.ts';
import type { BundledSample } from './kfp/launcher.ts';
import type { PlannedNode } from './plan.ts';
import { kubernetesExecutorConfig, platformDocument, secretAsEnv } from './kfp/platform.ts';
import { checkpointPvc } from './trainingLaunch.ts';
import { stringifyKfpDocuments } from './kfp/yaml.ts';
import { MapEntries } from './emitYaml.ts';
import type { YamlMap } from './kfp/yaml.ts';

export { ESCAPE_CHAR, KFP_LAUNCHER, protectKfpText } from './kfp/launcher.ts';

export const KFP_SCHEMA_VERSION = '2.1.0';
/** Free text to KFP (the SDK writes `kfp-<version>` here); names the compiler that wrote the file. */
export const KFP_SDK_VERSION = 'pipewright-0.1.0';

/** The IR as plain data: the PipelineSpec document and, when any executor needs one, the PlatformSpec document. */
/** `stream`: per-node entries are written as YAML text as they are made (for compileKfp), not kept as data. */
export function kfpDocuments(doc: PipelineDocument, catalog: NodeCatalog, stream = false): { pipeline: YamlMap; platform?: YamlMap } {
  const plan = planPipeline(doc, catalog);
  // The KFP API server refuses other names (and uses this one as the MLMD pipeline context).
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(doc.name) || doc.name.length > 63) {
    throw new CompileError(`pipeline name ${JSON.stringify(doc.name)} must be lowercase letters, digits and '-', at most 63 characters`, { field: 'name' });
  }
  const settings = doc.settings ?? {};
  const table = new ComponentTable();
  const commands = new LauncherCommands();
  const parts = new TaskParts();
  const env = containerEnv(settings, doc.name);
  const secrets = settings.secretEnv && settings.secretEnv.length > 0 ? secretAsEnv(settings.secretEnv) : undefined;
  // Levels: root (0) > dag (1) > tasks (2) > a task's id (3); root.dag.outputs.artifacts' keys (4); root.outputDefinitions.artifacts' keys (3).
  const tasks = new MapEntries(stream, 3);
  const outputSelectors = new MapEntries(stream, 4);
  const outputDefinitions = new MapEntries(stream, 3);

  for (const p of plan.nodes) {
    const dataset = p.resolved.spec.importer ? planDataset(p, catalog.samples) : undefined;
    if (dataset?.kind === 'importer') {
      const key = JSON.stringify([p.resolved.bindings.uri ? null : dataset.uri, p.resolved.params.format ?? null, ...p.resolved.outputs.map((o) => `${o.name}:${o.kind}`)]);
      const name = table.add('importer', key, () => ({ component: importerComponent(p, ''), executor: importerExecutor(p, dataset.uri) }));
      tasks.set(p.id, task(p, name, parts, dataset.uri));
    } else {
      const { id, command } = commands.get(p.id, p.resolved.script, dataset?.sample ?? paramSample(p, catalog.samples));
      const name = table.add(p.resolved.spec.type, containerSignature(p, id, settings), () => ({
        component: containerComponent(p, ''),
        executor: containerExecutor(p, settings, command, env),
        platform: kubernetesExecutorConfig(p, secrets, Boolean(settings.pushgatewayUrl), checkpointPvc(p, settings)),
      }));
      tasks.set(p.id, task(p, name, parts));
    }
    // Metrics become pipeline outputs, so the KFP run page lists them. Node ids hold no '_', so names cannot collide.
    for (const port of p.resolved.outputs) {
      if (port.kind !== 'metrics') continue;
      outputSelectors.set(`${p.id}_${port.name}`, { artifactSelectors: [{ producerSubtask: p.id, outputArtifactKey: port.name }] });
      outputDefinitions.set(`${p.id}_${port.name}`, { artifactType: artifactType(port.kind) });
    }
  }

  const hasOutputs = !outputSelectors.empty;
  const pipeline: YamlMap = {
    pipelineInfo: doc.description ? { name: doc.name, description: doc.description } : { name: doc.name },
    schemaVersion: KFP_SCHEMA_VERSION,
    sdkVersion: KFP_SDK_VERSION,
    components: table.components,
    deploymentSpec: { executors: table.executors },
    root: {
      dag: hasOutputs ? { tasks: tasks.value(), outputs: { artifacts: outputSelectors.value() } } : { tasks: tasks.value() },
      inputDefinitions: rootInputDefinitions(Array.isArray(doc.parameters) ? doc.parameters : []),
      outputDefinitions: hasOutputs ? { artifacts: outputDefinitions.value() } : undefined,
    },
    defaultPipelineRoot: settings.pipelineRoot ? literalField(settings.pipelineRoot, undefined, 'settings.pipelineRoot') : undefined,
  };
  const hasPlatform = Object.keys(table.platformExecutors).length > 0;
  return hasPlatform ? { pipeline, platform: platformDocument(table.platformExecutors) } : { pipeline };
}

/** The one bundled sample a step's parameters name, if any (the KFP launcher carries one per step). */
function paramSample(p: PlannedNode, samples: Readonly<Record<string, string>> | undefined): BundledSample | undefined {
  const found = paramSamples(p, samples);
  if (found.length > 1) {
    throw new CompileError(`node "${p.id}": parameters ${found.map((s) => s.param).join(', ')} each name a bundled sample; a KFP step carries one`, { nodeId: p.id, param: found[1].param });
  }
  return found[0] && { name: found[0].name, text: found[0].text };
}

export function compileKfp(doc: PipelineDocument, catalog: NodeCatalog): CompiledFiles {
  const { pipeline, platform } = kfpDocuments(doc, catalog, true);
  const header = `# PIPELINE DEFINITION\n# Name: ${doc.name}\n# Written by Pipewright from a ${PIPELINE_FORMAT} document.\n`;
  return { 'pipeline.yaml': stringifyKfpDocuments(header, platform ? [pipeline, platform] : [pipeline]) };
}
