/**
 * Bundled samples named at run time. A step parameter bound to a pipeline parameter may hold
 * `sample://NAME`; the sample's text reaches a cluster pod only inside the compiled pipeline, which is
 * built with the parameter's default (KFP takes run values in runtime_config, after the IR is uploaded;
 * Argo's arguments replace the default's text, not the samples the launcher writes). So on KFP and Argo a
 * run may name only the sample its default names; on this machine the runner finds every bundled sample.
 * Checked where a run starts (run dialog, `pipewright run --param`, schedules) rather than in a pod.
 */
import type { NodeCatalog } from './catalog.ts';
import { boundParams } from './bindings.ts';
import type { PipelineDocument, PipelineParameterValue } from './types.ts';

export type SampleTarget = 'local' | 'kfp' | 'argo';

const TARGET_NAMES: Record<SampleTarget, string> = { local: 'this machine', kfp: 'Kubeflow Pipelines', argo: 'Argo Workflows' };
const SAMPLE = 'sample://';

function sampleName(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith(SAMPLE) ? value.slice(SAMPLE.length) : undefined;
}

/** Each run value that names a bundled sample the run on `target` would not have, with why and what to do. */
export function runSampleProblems(doc: PipelineDocument, catalog: NodeCatalog, target: SampleTarget, values: Readonly<Record<string, PipelineParameterValue>>): { parameter: string; message: string }[] {
  const problems: { parameter: string; message: string }[] = [];
  const known = Object.keys(catalog.samples ?? {}).sort();
  for (const parameter of Array.isArray(doc.parameters) ? doc.parameters : []) {
    const value = values[parameter.name];
    const name = sampleName(value);
    if (name === undefined) continue;
    const bound = boundParams(doc, catalog, parameter.name).filter((b) => !catalog.get(doc.nodes.find((n) => n.id === b.nodeId)?.type ?? '')?.importer);
    if (bound.length === 0) continue;
    const where = bound.map((b) => `${b.param} of node "${b.nodeId}"`).join(', ');
    if (!Object.hasOwn(catalog.samples ?? {}, name)) {
      problems.push({ parameter: parameter.name, message: `Parameter ${parameter.name} is ${String(value)} (for ${where}), but no bundled sample is named "${name}"${known.length ? ` (bundled: ${known.map((k) => SAMPLE + k).join(', ')})` : ''}.` });
      continue;
    }
    if (target === 'local' || sampleName(parameter.default) === name) continue;
    const carried = sampleName(parameter.default) === undefined ? 'no sample' : `only ${String(parameter.default)}`;
    problems.push({
      parameter: parameter.name,
      message:
        `Parameter ${parameter.name} is ${String(value)} (for ${where}): on ${TARGET_NAMES[target]} a bundled sample travels inside the compiled pipeline, ` +
        `which is built with the default (${parameter.default === undefined ? 'none' : String(parameter.default)}) and so carries ${carried}. ` +
        `Give a location the pods can read (s3://, gs://, https://, or a path on a mounted volume), or make ${String(value)} the parameter's default.`,
    });
  }
  return problems;
}
