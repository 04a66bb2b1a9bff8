/** `pipewright lineage` as text: the chain through the node, each artifact with its content hash, then the other runs. */
import { formatBytes } from '../format/bytes.ts';
import { formatMetricValue, headlineMetrics, shortHash, trainingChainText } from './summary.ts';
import type { Lineage, LineageStep } from './types.ts';

/** What one step made, in clauses: artifacts, training, metrics, registry, deployment. */
export function stepClauses(step: LineageStep): string[] {
  const clauses: string[] = [];
  const hasModel = step.artifacts.some((a) => a.kind === 'model');
  for (const a of step.artifacts) {
    // A training step's metrics file says less than its model: its numbers are shown below.
    if (a.kind === 'metrics' && hasModel) continue;
    const what = a.kind ?? a.port;
    if (a.sha256) clauses.push(`${what} ${shortHash(a.sha256)}${a.uri ? ` (${a.uri}${a.bytes !== undefined ? `, ${formatBytes(a.bytes)}` : ''})` : ''}`);
    else if (a.uri) clauses.push(`${what} ${a.uri} (no content hash: ${a.unavailable ?? 'not recorded'})`);
    else if (a.kind === 'model' || a.kind === 'dataset') clauses.push(`${what} (no content hash recorded)`);
  }
  const chain = trainingChainText(step);
  if (chain) clauses.push(`trained by ${chain}${step.baseModel ? ` from ${step.baseModel}` : ''}`);
  const metrics = headlineMetrics(step);
  if (metrics.length > 0) clauses.push(metrics.map(([k, v]) => `${k} ${formatMetricValue(v)}`).join(', '));
  if (step.deploy) {
    const d = step.deploy;
    const where = `${d.namespace}/${d.kind.toLowerCase()} ${d.name ?? `pipewright-${step.nodeId}`}`;
    const model = d.model ? `, model ${d.model.name} v${d.model.version}` : '';
    if (d.applied) clauses.push(`deployed to ${where}${d.phase ? ` (${d.phase})` : ''}${model}`);
    else if (d.phase) clauses.push(`rendered for ${where}, not applied${model}`);
    else if (step.phase === 'pending' || step.phase === 'running') clauses.push(`deploys to ${where}`);
  } else if (step.model) clauses.push(`registered ${step.model.name} v${step.model.version}`);
  if (step.phase !== 'succeeded' && step.phase !== 'cached') clauses.push(step.phase);
  return clauses;
}

function stepLine(step: LineageStep, focus: boolean): string[] {
  const name = `${step.nodeId}${step.label && step.label !== step.nodeId ? ` "${step.label}"` : ''} [${step.type}]`;
  const lines = [`${focus ? '> ' : '  '}${name}: ${stepClauses(step).join('; ') || 'nothing recorded'}`];
  if (step.elsewhere.length > 0) {
    const shown = step.elsewhere.slice(0, 5).map((m) => (m.nodeId === step.nodeId ? m.runId : `${m.runId} (${m.nodeId})`));
    const more = step.elsewhere.length > 5 ? ` and ${step.elsewhere.length - 5} more` : '';
    lines.push(`      also in run${step.elsewhere.length > 1 ? 's' : ''} ${shown.join(', ')}${more}`);
  }
  return lines;
}

export function formatLineageText(lineage: Lineage): string {
  const { run } = lineage;
  const out: string[] = [
    `Lineage of ${lineage.focus ? `node ${lineage.focus}` : 'every node'} in run ${run.id} (${run.pipelineName}, ${run.target}, ${run.phase}, ${run.createdAt})`,
  ];
  const groups: [string, LineageStep['relation']][] = lineage.focus ? [['Upstream', 'upstream'], ['', 'focus'], ['Downstream', 'downstream']] : [['Steps', 'run']];
  for (const [title, relation] of groups) {
    const steps = lineage.steps.filter((s) => s.relation === relation);
    if (steps.length === 0) continue;
    out.push('');
    if (title) out.push(title);
    for (const step of steps) out.push(...stepLine(step, relation === 'focus'));
  }
  out.push('');
  if (lineage.related.length === 0) out.push('Other runs: none share its data, models or model versions');
  else {
    out.push(`Other runs (${lineage.related.length})`);
    for (const r of lineage.related) {
      out.push(`  ${r.id} (${r.pipelineName}, ${r.target}, ${r.phase}, ${r.createdAt})`);
      const shared = r.shared.map((s) => `${s.here}${s.there !== s.here ? ` = ${s.there}` : ''} (${s.how === 'sha256' ? shortHash(s.key) : `model ${s.key.replace(/\/([^/]*)$/, ' v$1')}`})`);
      out.push(`      shares ${shared.join(', ')}`);
      for (const step of r.steps) out.push(`      ${step.nodeId} [${step.type}]: ${stepClauses(step).join('; ') || 'nothing recorded'}`);
    }
  }
  return `${out.join('\n')}\n`;
}
