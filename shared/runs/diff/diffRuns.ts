/**
 * The run diff: two runs (or a run and the current document) compared section by section, each number
 * classified improved / regressed / neutral. Pure: the back end and the renderer fetch the records, this compares.
 */
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import { parameterDefaults } from '../../pipeline/parameters.ts';
import type { PipelineParameterValue } from '../../pipeline/types.ts';
import { metricDirection, metricGroup, verdictOf } from './direction.ts';
import { diffGraph, nodeFields } from './graph.ts';
import type { Change, CurveSet, DiffSide, DiffSideInfo, MetricRow, NumberRow, RunDiff, ValueRow, Verdict } from './types.ts';

/** Durations and GPU-hours move a few percent between identical runs: smaller changes are neutral. */
export const TIME_TOLERANCE = 0.05;

function union<K>(...lists: Iterable<K>[]): K[] {
  return [...new Set(lists.flatMap((l) => [...l]))];
}

const changeOf = (a: string | undefined, b: string | undefined): Change => (a === b ? 'same' : a === undefined ? 'added' : b === undefined ? 'removed' : 'changed');

function row(nodeId: string | undefined, field: string, a: string | undefined, b: string | undefined): ValueRow {
  return { ...(nodeId !== undefined ? { nodeId } : {}), field, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), change: changeOf(a, b) };
}

function numberRow(nodeId: string | undefined, key: string, a: number | undefined, b: number | undefined, verdict: Verdict): NumberRow {
  const delta = a !== undefined && b !== undefined ? b - a : undefined;
  return { ...(nodeId !== undefined ? { nodeId } : {}), key, ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), ...(delta !== undefined ? { delta } : {}), verdict };
}

export function parameterValuesOf(side: DiffSide): Record<string, PipelineParameterValue> {
  return { ...parameterDefaults(side.document), ...side.run?.parameterValues };
}

function info(side: DiffSide): DiffSideInfo {
  const r = side.run;
  return { label: side.label, kind: r ? 'run' : 'document', pipelineName: side.document.name, ...(r ? { phase: r.phase, target: r.target, createdAt: r.createdAt } : {}) };
}

const short = (hash: string): string => `sha256:${hash.slice(0, 12)}`;

/** Each input of a side as text: its hash (with size), or the URI and why it has none; the document's code when not run. */
function inputsOf(side: DiffSide, fields: Map<string, Map<string, string>>, other?: DiffSide): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of side.run?.inputs ?? []) {
    const where = h.uri !== undefined ? `${h.uri} ` : '';
    out.set(`${h.nodeId}|${h.param}`, h.sha256 !== undefined ? `${where}${short(h.sha256)}${h.bytes !== undefined ? ` (${h.bytes} B${h.files !== undefined ? `, ${h.files} files` : ''})` : ''}` : `${where}(${h.unavailable ?? 'no hash'})`);
  }
  for (const [nodeId, f] of fields) {
    const uri = f.get(f.get('type') === 'ko-bench' ? 'params.data_uri' : 'params.uri');
    const param = f.get('type') === 'ko-bench' ? 'data_uri' : 'uri';
    if ((f.get('type') === 'dataset' || f.get('type') === 'ko-bench') && uri && !out.has(`${nodeId}|${param}`)) out.set(`${nodeId}|${param}`, `${uri} (${side.run ? 'no hash recorded' : 'not run'})`);
    const code = f.get('code');
    if (code !== undefined && !out.has(`${nodeId}|code`)) {
      // The document's code equals the other run's: the same hash; else it was edited since.
      const otherCode = other?.document.nodes.find((n) => n.id === nodeId)?.code;
      const otherHash = other?.run?.inputs?.find((h) => h.nodeId === nodeId && h.param === 'code')?.sha256;
      out.set(`${nodeId}|code`, otherCode === code && otherHash ? short(otherHash) : `${code.length} characters (${side.run ? 'no hash recorded' : 'not run'})`);
    }
  }
  return out;
}

function durationSeconds(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

function timesOf(side: DiffSide, fields: Map<string, Map<string, string>>): { seconds: Map<string, number>; gpuHours: Map<string, number>; total?: number } {
  const seconds = new Map<string, number>();
  const gpuHours = new Map<string, number>();
  const r = side.run;
  if (!r) return { seconds, gpuHours };
  for (const [nodeId, state] of Object.entries(r.nodes)) {
    const s = state.phase === 'cached' ? 0 : durationSeconds(state.startedAt, state.finishedAt);
    if (s === undefined) continue;
    seconds.set(nodeId, s);
    const gpus = Number(fields.get(nodeId)?.get('resources.gpus') ?? 0);
    if (gpus > 0) gpuHours.set(nodeId, (gpus * s) / 3600);
  }
  const total = durationSeconds(r.createdAt, r.finishedAt);
  return { seconds, gpuHours, ...(total !== undefined ? { total } : {}) };
}

function timeRows(a: Map<string, number>, b: Map<string, number>, key: string, totalA: number | undefined, totalB: number | undefined): NumberRow[] {
  const rows = union(a.keys(), b.keys()).map((id) => numberRow(id, key, a.get(id), b.get(id), verdictOf('lower', a.get(id), b.get(id), TIME_TOLERANCE)));
  if (totalA !== undefined || totalB !== undefined) rows.push(numberRow(undefined, key, totalA, totalB, verdictOf('lower', totalA, totalB, TIME_TOLERANCE)));
  return rows;
}

const sum = (m: Map<string, number>): number | undefined => (m.size > 0 ? [...m.values()].reduce((x, y) => x + y, 0) : undefined);

/** One chart per node metric that any side logged more than once: a curve per side that has it. */
export function overlayCurves(sides: readonly DiffSide[]): CurveSet[] {
  const sets = new Map<string, CurveSet>();
  for (const side of sides) {
    for (const [nodeId, records] of Object.entries(side.curves ?? {})) {
      const byKey = new Map<string, { steps: number[]; values: number[] }>();
      for (const rec of records) {
        for (const [key, value] of Object.entries(rec.values)) {
          let s = byKey.get(key);
          if (!s) byKey.set(key, (s = { steps: [], values: [] }));
          s.steps.push(rec.step);
          s.values.push(value);
        }
      }
      for (const [key, s] of byKey) {
        const id = `${nodeId}|${key}`;
        let set = sets.get(id);
        if (!set) sets.set(id, (set = { nodeId, key, series: [] }));
        set.series.push({ label: side.label, ...s });
      }
    }
  }
  return [...sets.values()].filter((set) => set.series.some((s) => s.steps.length > 1));
}

export function diffRuns(a: DiffSide, b: DiffSide, catalog: NodeCatalog): RunDiff {
  const pa = parameterValuesOf(a);
  const pb = parameterValuesOf(b);
  const fa = nodeFields(a.document, catalog, pa);
  const fb = nodeFields(b.document, catalog, pb);
  const graph = diffGraph(fa, fb, a.document, b.document);
  const both = (r: ValueRow) => r.nodeId !== undefined && fa.has(r.nodeId) && fb.has(r.nodeId);
  const fields = graph.fields.filter((r) => both(r) && r.field !== 'image' && r.field !== 'code' && !r.field.startsWith('resources.'));

  const parameters = union(Object.keys(pa), Object.keys(pb)).map((name) => row(undefined, name, pa[name] === undefined ? undefined : String(pa[name]), pb[name] === undefined ? undefined : String(pb[name])));
  const perNode = (pick: (field: string) => boolean): ValueRow[] =>
    union(fa.keys(), fb.keys()).flatMap((id) => union(fa.get(id)?.keys() ?? [], fb.get(id)?.keys() ?? []).filter(pick).map((f) => row(id, f, fa.get(id)?.get(f), fb.get(id)?.get(f))));
  const images = perNode((f) => f === 'image');
  const resources = perNode((f) => f.startsWith('resources.'));

  const ia = inputsOf(a, fa, b);
  const ib = inputsOf(b, fb, a);
  const inputs = union(ia.keys(), ib.keys()).map((k) => {
    const [nodeId, param] = k.split('|');
    return row(nodeId, param, ia.get(k), ib.get(k));
  });

  const engineOf = (side: DiffSide, f: Map<string, Map<string, string>>, id: string): string | undefined => {
    const ran = side.run?.nodes[id]?.engine;
    if (ran) return ran;
    const param = f.get(id)?.get('params.engine');
    return param !== undefined ? `${param} (not run)` : undefined;
  };
  const engines = union(fa.keys(), fb.keys())
    .map((id) => row(id, 'engine', engineOf(a, fa, id), engineOf(b, fb, id)))
    .filter((r) => r.a !== undefined || r.b !== undefined);

  const ta = timesOf(a, fa);
  const tb = timesOf(b, fb);
  const durations = timeRows(ta.seconds, tb.seconds, 'seconds', ta.total, tb.total);
  const gpuHours = timeRows(ta.gpuHours, tb.gpuHours, 'gpu_hours', sum(ta.gpuHours), sum(tb.gpuHours));

  const metrics: MetricRow[] = [];
  for (const nodeId of union(Object.keys(a.run?.nodes ?? {}), Object.keys(b.run?.nodes ?? {}))) {
    const ma = a.run?.nodes[nodeId]?.lastMetrics ?? {};
    const mb = b.run?.nodes[nodeId]?.lastMetrics ?? {};
    const type = fb.get(nodeId)?.get('type') ?? fa.get(nodeId)?.get('type');
    for (const key of union(Object.keys(ma), Object.keys(mb)).sort()) {
      const va = Object.hasOwn(ma, key) ? ma[key] : undefined;
      const vb = Object.hasOwn(mb, key) ? mb[key] : undefined;
      metrics.push({ ...numberRow(nodeId, key, va, vb, verdictOf(metricDirection(key), va, vb)), nodeId, group: metricGroup(type, key) });
    }
  }

  const scored = [...metrics, ...durations, ...gpuHours];
  return {
    a: info(a),
    b: info(b),
    graph: { nodes: graph.nodes, edges: graph.edges },
    fields,
    parameters,
    images,
    resources,
    inputs,
    engines,
    durations,
    gpuHours,
    metrics,
    curves: overlayCurves([a, b]),
    score: { improved: scored.filter((r) => r.verdict === 'improved').length, regressed: scored.filter((r) => r.verdict === 'regressed').length },
  };
}
