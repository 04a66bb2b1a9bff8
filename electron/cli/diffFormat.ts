/** `pipewright diff` as text: one table per section of the run diff, improvements and regressions marked (and coloured on a terminal). */
import type { NumberRow, RunDiff, ValueRow, Verdict } from '../../shared/runs/diff/types.ts';
import { formatDuration, formatNumber, formatTable } from './runFormat.ts';

const MARK: Record<Verdict, string> = { improved: 'better', regressed: 'WORSE', neutral: '' };
const COLOUR: Record<Verdict, string> = { improved: '\x1b[32m', regressed: '\x1b[31m', neutral: '' };

const cut = (text: string | undefined, max = 60): string => {
  if (text === undefined) return '-';
  const one = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

function signed(value: number | undefined, show: (v: number) => string): string {
  if (value === undefined) return '';
  return value > 0 ? `+${show(value)}` : value < 0 ? `-${show(-value)}` : '0';
}

function valueTable(title: string, rows: readonly ValueRow[], onlyChanged: boolean, colour: boolean): string {
  const shown = onlyChanged ? rows.filter((r) => r.change !== 'same') : rows;
  if (shown.length === 0) return `${title}: no difference\n`;
  const mark = (r: ValueRow) => (r.change === 'same' ? '' : colour ? `\x1b[33m${r.change}\x1b[0m` : r.change);
  return `${title}\n${formatTable(['NODE', 'FIELD', 'A', 'B', ''], shown.map((r) => [r.nodeId ?? '(pipeline)', r.field, cut(r.a), cut(r.b), mark(r)]))}`;
}

function numberTable(title: string, rows: readonly NumberRow[], show: (v: number) => string, colour: boolean, withKey = true): string {
  if (rows.length === 0) return `${title}: none recorded\n`;
  const verdict = (v: Verdict) => (colour && v !== 'neutral' ? `${COLOUR[v]}${MARK[v]}\x1b[0m` : MARK[v]);
  const header = withKey ? ['NODE', 'METRIC', 'A', 'B', 'CHANGE', ''] : ['NODE', 'A', 'B', 'CHANGE', ''];
  return `${title}\n${formatTable(
    header,
    rows.map((r) => [r.nodeId ?? 'total', ...(withKey ? [r.key] : []), r.a === undefined ? '-' : show(r.a), r.b === undefined ? '-' : show(r.b), signed(r.delta, show), verdict(r.verdict)]),
  )}`;
}

export function formatRunDiff(d: RunDiff, colour = false): string {
  const side = (s: RunDiff['a']) => (s.kind === 'run' ? `run ${s.label} (${s.pipelineName}, ${s.target}, ${s.phase}, ${s.createdAt})` : `${s.label} (${s.pipelineName}, not run)`);
  const g = d.graph;
  const nodeChanges = g.nodes.filter((n) => n.change !== 'same');
  const edgeChanges = g.edges.filter((e) => e.change !== 'same');
  const graph =
    nodeChanges.length + edgeChanges.length === 0
      ? 'Graph: no difference\n'
      : `Graph\n${formatTable(['', 'NODE / EDGE', 'CHANGE'], [
          ...nodeChanges.map((n) => ['node', `${n.nodeId} (${n.type})`, n.change === 'changed' ? `changed: ${n.fields.join(', ')}` : n.change]),
          ...edgeChanges.map((e) => ['edge', e.key, e.change]),
        ])}`;
  const metrics = (['benchmark', 'evaluation', 'training'] as const).map((group) =>
    numberTable(`Metrics (${group}, final values)`, d.metrics.filter((m) => m.group === group), formatNumber, colour),
  );
  const curves = d.curves.length === 0 ? 'Curves: none' : `Curves (in --json): ${d.curves.map((c) => `${c.nodeId}/${c.key}`).join(', ')}`;
  return [
    `A: ${side(d.a)}`,
    `B: ${side(d.b)}`,
    `${d.score.improved} improved, ${d.score.regressed} regressed`,
    '',
    graph,
    valueTable('Step fields', d.fields, true, colour),
    valueTable('Pipeline parameters', d.parameters, false, colour),
    valueTable('Images', d.images, true, colour),
    valueTable('Resources', d.resources, true, colour),
    valueTable('Inputs (content hashes)', d.inputs, false, colour),
    valueTable('Engines', d.engines, false, colour),
    numberTable('Durations', d.durations, (s) => formatDuration(s * 1000), colour, false),
    numberTable('GPU-hours', d.gpuHours, formatNumber, colour, false),
    ...metrics,
    curves,
    '',
  ].join('\n');
}
