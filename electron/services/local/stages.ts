/**
 * The stage graph of a compiled DVC project (`dvc.yaml` + `params.yaml`), read the way DVC reads
 * it: a stage depends on the stages whose outputs its deps are (or lie inside).
 */
import { parse } from 'yaml';

export interface LocalStage {
  name: string;
  cmd: string;
  deps: string[];
  /** What the stage produces: its `outs`, its `metrics` files and every `--out-*` directory of its cmd. */
  outputs: string[];
  /** `params.yaml` keys, `node.param`. */
  params: string[];
  upstream: string[];
}

function asPaths(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): string[] => {
    if (typeof item === 'string') return [item];
    if (item && typeof item === 'object') return Object.keys(item);
    return [];
  });
}

function paramKeys(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): string[] => {
    if (typeof item === 'string') return [item];
    // `{ other.yaml: [a, b] }`: this runner reads params.yaml only, so other files' keys are named with their file.
    if (item && typeof item === 'object') return Object.entries(item).flatMap(([file, keys]) => asPaths(keys).map((k) => `${file}:${k}`));
    return [];
  });
}

/** The `--out-<port> PATH` directories a step is told to create. */
function cmdOutputs(cmd: string): string[] {
  const words = cmd.split(/\s+/);
  const outs: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) if (words[i].startsWith('--out-')) outs.push(words[i + 1]);
  return outs;
}

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/** Drop paths that lie inside another path of the list. */
function outermost(paths: string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => !unique.some((q) => q !== p && within(p, q)));
}

/** Recently read dvc.yaml texts (a pipeline run again compiles to the same one): parsing YAML costs ms per run. */
const recent = new Map<string, LocalStage[]>();

export function readStages(dvcYaml: string): LocalStage[] {
  let stages = recent.get(dvcYaml);
  if (!stages) {
    stages = parseStages(dvcYaml);
    if (recent.size >= 8) recent.delete(recent.keys().next().value!);
    recent.set(dvcYaml, stages);
  }
  return stages.map((s) => ({ ...s, deps: [...s.deps], outputs: [...s.outputs], params: [...s.params], upstream: [...s.upstream] }));
}

/** params.yaml as the DVC compiler writes it is JSON (which is YAML): read that without the YAML parser. */
export function parseParams(text: string): Record<string, unknown> | null {
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON after all: YAML below.
    }
  }
  return parse(text) as Record<string, unknown> | null;
}

function parseStages(dvcYaml: string): LocalStage[] {
  const doc = parse(dvcYaml) as { stages?: Record<string, Record<string, unknown>> } | null;
  const stages = doc?.stages;
  if (!stages || typeof stages !== 'object') throw new Error('dvc.yaml has no stages');
  const list: LocalStage[] = Object.entries(stages).map(([name, s]) => {
    if (typeof s.cmd !== 'string') throw new Error(`dvc.yaml: stage "${name}" has no cmd`);
    return {
      name,
      cmd: s.cmd,
      deps: asPaths(s.deps),
      outputs: outermost([...asPaths(s.outs), ...asPaths(s.metrics), ...asPaths(s.plots), ...cmdOutputs(s.cmd)]),
      params: paramKeys(s.params),
      upstream: [],
    };
  });
  for (const stage of list) {
    const upstream = new Set<string>();
    for (const dep of stage.deps) {
      for (const other of list) if (other !== stage && other.outputs.some((out) => within(dep, out) || within(out, dep))) upstream.add(other.name);
    }
    stage.upstream = [...upstream].sort();
  }
  return list;
}

/** Each stage's parameters as `{ key: value }`, read from params.yaml (JSON text written by the DVC compiler). */
export function stageParams(stage: LocalStage, paramsYaml: string | Record<string, unknown> | null): Record<string, unknown> {
  // Parsed params.yaml may be passed in, so a run parses it once, not once per stage.
  const all = typeof paramsYaml === 'string' ? parseParams(paramsYaml) : paramsYaml;
  const out: Record<string, unknown> = {};
  for (const key of stage.params) {
    let value: unknown = all;
    for (const part of key.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    out[key] = value;
  }
  return out;
}

/** Every stage downstream of `name` (not including it). */
export function downstreamStages(stages: readonly LocalStage[], name: string): Set<string> {
  const out = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const s of stages) {
      if (s.upstream.includes(current) && !out.has(s.name)) {
        out.add(s.name);
        stack.push(s.name);
      }
    }
  }
  return out;
}
