/** `pipewright run --param NAME=VALUE`: each value parsed by its parameter's type and checked as the parameter itself is. */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { parseParameterText, runParameterValues } from '../../shared/pipeline/parameters.ts';
import type { SampleTarget } from '../../shared/pipeline/runSamples.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../shared/pipeline/types.ts';

export type ParamOptionResult = { ok: true; values: Record<string, PipelineParameterValue> } | { ok: false; errors: string[] };

/** Every pipeline parameter's value for the run (given, else default), or each problem naming the --param or the parameter. */
export function parseParamOptions(doc: PipelineDocument, catalog: NodeCatalog, options: readonly string[], target?: SampleTarget): ParamOptionResult {
  const parameters = Array.isArray(doc.parameters) ? doc.parameters : [];
  const given: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) {
      errors.push(`--param ${JSON.stringify(option)}: expected NAME=VALUE`);
      continue;
    }
    const name = option.slice(0, eq);
    const text = option.slice(eq + 1);
    if (Object.hasOwn(given, name)) {
      errors.push(`--param ${name} is given more than once`);
      continue;
    }
    const parameter = parameters.find((p) => p.name === name);
    if (!parameter) {
      given[name] = text; // runParameterValues names it, with the closest parameter
      continue;
    }
    const parsed = parseParameterText(parameter.type, text);
    if ('error' in parsed) errors.push(`--param ${name}: ${parsed.error} (parameter ${name} is ${parameter.type === 'integer' ? 'an integer' : `a ${parameter.type}`})`);
    else given[name] = parsed.value;
  }
  const checked = runParameterValues(doc, catalog, given, target);
  errors.push(...checked.problems.filter((p) => !errors.some((e) => e.startsWith(`--param ${p.parameter}:`))).map((p) => `--param ${p.parameter}: ${p.message}`));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: checked.values };
}

/** Values as `name=value` words, in the document's parameter order where known. */
export function formatParamValues(values: Readonly<Record<string, PipelineParameterValue>> | undefined): string {
  return Object.entries(values ?? {})
    .map(([name, value]) => `${name}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
}
